// The Prometheus text exposition format, version 0.0.4 (what every Prometheus server scrapes):
// per metric family a `# HELP` and a `# TYPE` line, then one line per sample, `name{label="value"}
// number`. Written here rather than through prom-client, whose registry, metric classes and
// the modules they load cost ~7 MiB of resident memory in the daemon for what is string building
// (issue 15: the daemon with --metrics-listen and an uplink group must stay within 50 MiB).
// Pure: no I/O, no clock.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

/** A family being filled: a sample set again for the same labels replaces the earlier one. */
export class FamilyBuilder {
  private readonly byLabels = new Map<string, Sample>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
  ) {}

  set(labels: Labels, value: number): void {
    this.byLabels.set(labelText(labels), { labels, value });
  }

  build(): MetricFamily {
    return { name: this.name, help: this.help, type: this.type, samples: [...this.byLabels.values()] };
  }
}

/** Sample values as the format spells them: NaN, +Inf, -Inf, or the number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Label values: backslash, double quote and line feed escaped. */
function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function renderFamily(family: MetricFamily): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const sample of family.samples) {
    lines.push(`${family.name}${labelText(sample.labels)} ${formatValue(sample.value)}`);
  }
  return lines.join('\n');
}

/** The whole exposition: families in the order given, a blank line between them. */
export function renderExposition(families: readonly MetricFamily[]): string {
  return `${families.map(renderFamily).join('\n\n')}\n`;
}
