// The one benchmark table: every measure as a row, vrrpd and keepalived side by side, their ratio,
// and the protocol's own bound where there is one. Pure: samples in, markdown out.

import type { DaemonKind } from '../lab/daemons.js';
import type { FailoverScenario, FailoverVariant, OutageSample } from './failover-bench.js';
import type { FootprintExtras, FootprintFailure, FootprintSample } from './footprint-bench.js';
import {
  PROFILE_ADVERT_MS,
  type LoadCondition,
  type TimingProfile,
  type TimingSample,
} from './advert-timing-bench.js';
import type { SoakSummary } from './soak-row.js';
import type { StartupSample } from './startup-bench.js';
import { formatRatio, median, summarize } from './stats.js';

export interface BenchResults {
  failover: OutageSample[];
  footprint: FootprintSample[];
  /** Footprint configurations that could not be measured. */
  footprintFailures: FootprintFailure[];
  timing: TimingSample[];
  /** Start to first advert of a lone router; absent or empty when not measured. */
  startup?: StartupSample[];
  /** Master_Down_Interval the lone router waits before its first advert. */
  startupBoundMs?: number;
  /** The soak section's summary (vrrpd only). */
  soak?: SoakSummary | null;
  /** The failover variants measured (family, advert interval), in table order. */
  variants: ReadonlyArray<Pick<FailoverVariant, 'id' | 'label'>>;
  /** Theoretical bounds per variant id and failover scenario (text). */
  bounds: Record<string, Record<FailoverScenario, string>>;
  /** Number of CPU hogs in the busy timing window. */
  hogs: number;
}

interface Row {
  measure: string;
  vrrpd: string;
  keepalived: string;
  ratio: string;
  bound: string;
}

const DASH = '—';
const KINDS: readonly DaemonKind[] = ['vrrpd', 'keepalived'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const ms = (value: number) => value.toFixed(1);

const SCENARIO_LABELS: Record<FailoverScenario, string> = {
  crash: 'Master crash (SIGKILL + cut off the LAN)',
  graceful: 'Graceful stop (SIGTERM, priority 0)',
  handover: 'Planned handover (vrrpd: vrrpctl handover; keepalived: priority lowered + reload)',
  preempt: 'Preemption back (master restarts)',
};

function failoverRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  for (const variant of results.variants) {
    if (!results.failover.some((s) => s.variant === variant.id)) continue;
    rows.push(...variantRows(results, variant));
  }
  return rows;
}

function variantRows(results: BenchResults, variant: Pick<FailoverVariant, 'id' | 'label'>): Row[] {
  const rows: Row[] = [];
  const prefix = results.variants.length > 1 ? `${variant.label} — ` : '';
  for (const scenario of ['crash', 'graceful', 'handover', 'preempt'] as const) {
    const of = (kind: DaemonKind) =>
      results.failover.filter((s) => s.variant === variant.id && s.kind === kind && s.scenario === scenario);
    const metric = (
      label: string,
      pick: (s: OutageSample) => number,
      format: (v: number) => string,
      bound: string,
    ): Row => {
      const values = KINDS.map((kind) => of(kind).map(pick));
      const cell = (list: number[]) =>
        list.length === 0 ? DASH : `${format(median(list))} (${format(Math.max(...list))})`;
      return {
        measure: `${prefix}${SCENARIO_LABELS[scenario]}: ${label}, median (max), n=${values[0]!.length}`,
        vrrpd: cell(values[0]!),
        keepalived: cell(values[1]!),
        ratio: formatRatio(median(values[0]!), median(values[1]!)),
        bound,
      };
    };
    rows.push(
      metric(
        'longest gap at the client',
        (s) => s.gapMs,
        seconds,
        results.bounds[variant.id]?.[scenario] ?? DASH,
      ),
    );
    rows.push(
      metric(
        'probes lost (10 ms apart)',
        (s) => s.lost,
        (v) => v.toFixed(0),
        DASH,
      ),
    );
    rows.push(metric('new master reports MASTER after', (s) => s.takeoverMs, seconds, DASH));
  }
  return rows;
}

/** Issue 15's targets, shown in the Bound column of the footprint rows. */
const RSS_TARGET_MIB: Record<FootprintExtras, number> = { plain: 45, 'metrics+uplinks': 50 };
const CPU_TARGET_RATIO = 1.5;

function footprintRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const all = [...results.footprint, ...results.footprintFailures];
  const variants = [
    ...new Map(
      all
        .filter((s) => s.kind === 'vrrpd' || s.extras === 'plain')
        .map((s) => [`${s.instances} ${s.extras}`, { instances: s.instances, extras: s.extras }]),
    ).values(),
  ].sort((a, b) => a.instances - b.instances || a.extras.localeCompare(b.extras));
  const window = results.footprint[0]?.windowSeconds;
  for (const { instances: count, extras } of variants) {
    // keepalived has neither metrics nor uplinks: its plain run is the reference for every variant.
    const extrasOf = (kind: DaemonKind) => (kind === 'keepalived' ? 'plain' : extras);
    const of = (kind: DaemonKind) =>
      results.footprint.find((s) => s.kind === kind && s.instances === count && s.extras === extrasOf(kind));
    const failure = (kind: DaemonKind) =>
      results.footprintFailures.find(
        (f) => f.kind === kind && f.instances === count && f.extras === extrasOf(kind),
      );
    const [v, k] = KINDS.map(of);
    const pairCell = (kind: DaemonKind, pick: (r: FootprintSample['master']) => string) => {
      const sample = of(kind);
      if (sample) return `${pick(sample.master)} / ${pick(sample.backup)}`;
      const failed = failure(kind);
      return failed ? `not measured: ${failed.error}` : DASH;
    };
    const what = `${count} instance${count > 1 ? 's' : ''}${
      extras === 'plain' ? '' : ', vrrpd with metrics and an uplink group (keepalived: plain)'
    }`;
    const worst = (sample: FootprintSample | undefined, pick: (r: FootprintSample['master']) => number) =>
      sample ? Math.max(pick(sample.master), pick(sample.backup)) : undefined;
    rows.push({
      measure: `Idle RSS, ${what}: master / backup`,
      vrrpd: pairCell('vrrpd', (r) => mib(r.rssKiB)),
      keepalived: pairCell('keepalived', (r) => mib(r.rssKiB)),
      ratio: formatRatio(
        worst(v, (r) => r.rssKiB),
        worst(k, (r) => r.rssKiB),
      ),
      bound: count === 50 ? `vrrpd ≤ ${RSS_TARGET_MIB[extras]} MiB (issue 15)` : DASH,
    });
    rows.push({
      measure: `Idle CPU time in ${window ?? '?'} s, ${what}: master / backup`,
      vrrpd: pairCell('vrrpd', (r) => `${r.cpuSeconds.toFixed(2)} s`),
      keepalived: pairCell('keepalived', (r) => `${r.cpuSeconds.toFixed(2)} s`),
      ratio: formatRatio(
        worst(v, (r) => r.cpuSeconds),
        worst(k, (r) => r.cpuSeconds),
      ),
      bound: count === 50 && extras === 'plain' ? `≤ ${CPU_TARGET_RATIO} × keepalived (issue 15)` : DASH,
    });
  }
  return rows;
}

const PROFILE_LABELS: Record<TimingProfile, string> = {
  'v2-1s': 'VRRPv2 advert_int 1',
  'v3-10ms': 'VRRPv3 advert_int 0.01',
};

function timingRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const label: Record<LoadCondition, string> = {
    idle: 'idle',
    busy: `${results.hogs} CPU hog${results.hogs > 1 ? 's' : ''} (every CPU busy)`,
  };
  const profiles = (['v2-1s', 'v3-10ms'] as const).filter((p) => results.timing.some((s) => s.profile === p));
  for (const profile of profiles) {
    const of = (kind: DaemonKind, condition: LoadCondition) =>
      results.timing.find((s) => s.kind === kind && s.profile === profile && s.condition === condition);
    for (const condition of ['idle', 'busy'] as const) {
      const [v, k] = KINDS.map((kind) => of(kind, condition));
      const cell = (s: TimingSample | undefined) => {
        const summary = s ? summarize(s.intervalsMs) : null;
        return summary
          ? `${ms(summary.min)} / ${ms(summary.median)} / ${ms(summary.p99)} / ${ms(summary.max)} ms (n=${summary.count})`
          : DASH;
      };
      rows.push({
        measure: `Advert interval on the wire, ${PROFILE_LABELS[profile]}, ${label[condition]}: min / median / p99 / max`,
        vrrpd: cell(v),
        keepalived: cell(k),
        ratio: formatRatio(summarize(v?.intervalsMs ?? [])?.max, summarize(k?.intervalsMs ?? [])?.max),
        bound: `advert_int ${PROFILE_ADVERT_MS[profile]} ms`,
      });
    }
    const transitions = (kind: DaemonKind) => {
      const list = (['idle', 'busy'] as const).map((c) => of(kind, c));
      return list.every((s) => s === undefined)
        ? DASH
        : list.map((s) => s?.spuriousTransitions ?? DASH).join(' / ');
    };
    rows.push({
      measure: `Spurious transitions during the timing windows, ${PROFILE_LABELS[profile]}: idle / busy`,
      vrrpd: transitions('vrrpd'),
      keepalived: transitions('keepalived'),
      ratio: DASH,
      bound: '0 / 0',
    });
  }
  return rows;
}

function startupRows(results: BenchResults): Row[] {
  const samples = results.startup ?? [];
  if (samples.length === 0) return [];
  const values = KINDS.map((kind) => samples.filter((s) => s.kind === kind).map((s) => s.firstAdvertMs));
  const cell = (list: number[]) =>
    list.length === 0 ? DASH : `${seconds(median(list))} (${seconds(Math.max(...list))})`;
  const extra = median(values[0]!) - median(values[1]!);
  return [
    {
      measure: `Start to first advert (lone router, priority 200), median (max), n=${values[0]!.length}`,
      vrrpd: cell(values[0]!),
      keepalived: cell(values[1]!),
      ratio: formatRatio(median(values[0]!), median(values[1]!)),
      bound:
        `Master_Down_Interval ${seconds(results.startupBoundMs ?? Number.NaN)}; vrrpd ≤ keepalived + 100 ms ` +
        `(issue 15)${Number.isFinite(extra) ? `: ${extra >= 0 ? '+' : ''}${extra.toFixed(0)} ms` : ''}`,
    },
  ];
}

function soakRows(results: BenchResults): Row[] {
  const soak = results.soak;
  if (!soak) return [];
  const band = soak.routers
    .map(
      (r) =>
        `${r.router} ${r.lowMiB.toFixed(1)}–${r.highMiB.toFixed(1)} MiB (start ${r.startMiB.toFixed(1)})`,
    )
    .join(', ');
  return [
    {
      measure:
        `Soak (npm run soak: ${soak.instances} instances × 2 routers, metrics on, ${soak.minutes} min): ` +
        'RSS over the second half',
      vrrpd: `${band}; ${soak.passed ? 'PASSED' : `FAILED: ${soak.failures.join('; ')}`}`,
      keepalived: DASH,
      ratio: DASH,
      bound: 'flat: band ≤ 4 MiB, heap floor + ≤ 2 MiB',
    },
  ];
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

type Alignment = 'left' | 'right';

/**
 * A markdown table with padded columns, laid out the way prettier formats one (so the written
 * results file passes `npm run lint`): every cell padded to its column's width, on the left in
 * right-aligned columns.
 */
export function markdownTable(header: string[], alignment: Alignment[], rows: string[][]): string {
  const cells = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const pad = (text: string, column: number) =>
    alignment[column] === 'right' ? text.padStart(widths[column]!) : text.padEnd(widths[column]!);
  const line = (row: string[]) => `| ${row.map((cell, column) => pad(cell, column)).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    alignment[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(cells[0]!), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n') + '\n';
}

/** The markdown table (header, alignment row, one row per measure). */
export function renderTable(results: BenchResults): string {
  const rows = [
    ...failoverRows(results),
    ...startupRows(results),
    ...footprintRows(results),
    ...timingRows(results),
    ...soakRows(results),
  ];
  return markdownTable(
    ['Measure', 'vrrpd', 'keepalived', 'vrrpd / keepalived', 'Bound'],
    ['left', 'right', 'right', 'right', 'left'],
    rows.map((r) => [r.measure, r.vrrpd, r.keepalived, r.ratio, r.bound]),
  );
}
