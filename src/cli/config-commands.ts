// `vrrpd --config-test` (-t) and `vrrpd --dump-config`, as functions returning what to print and the
// exit status, so the commander wiring stays a few lines and the behaviour is testable without a
// process. Exit statuses carry keepalived's meaning (lib/scheduler.h and core/main.c,
// config_test_exit, in 2.2.7): KEEPALIVED_EXIT_CONFIG (4) when the configuration cannot run (the
// file cannot be read, an interface does not exist, or something vrrpd refuses), and
// KEEPALIVED_EXIT_CONFIG_TEST (5) when keepalived's own `-t` would complain about something in it
// (report_config_error makes keepalived exit 5 whatever the complaint): the mistakes it runs past
// (lenient warnings; `--strict` refuses them) and the values it adjusts or ignores with a report.
// Warnings keepalived does not give (it is silent, or only logs) leave the status at 0.

import type { Diagnostic } from '../config/report/diagnostics.js';
import {
  DiagnosticCodes,
  DiagnosticSink,
  formatDiagnostic,
  isLenient,
  keepalivedReportsToo,
  sortDiagnostics,
} from '../config/report/diagnostics.js';
import type { ConfigFileSource } from '../config/language/file-source.js';
import { nodeFileSource } from '../daemon/config-files.js';
import type { NetgwmConfig } from '../config/netgwm/types.js';
import {
  loadNetgwmConfig,
  withUplinkConfigs,
  type ParseResultWithUplinks,
} from '../daemon/uplinks/config-files.js';
import type { ParseConfigResult } from '../config/parse-config.js';
import { parseConfig } from '../config/parse-config.js';

export const KEEPALIVED_EXIT = {
  OK: 0,
  NO_MEMORY: 1,
  PROGRAM_ERROR: 2,
  FATAL: 3,
  /** Configuration cannot be used at all (keepalived: file not found, bad interface, fatal; vrrpd: any error). */
  CONFIG: 4,
  /** `--config-test` found what keepalived's `-t` reports and runs past: mistakes, adjusted or ignored values. */
  CONFIG_TEST: 5,
  /** `--config-test` found scripts configured without script security (not decided by the parser). */
  CONFIG_TEST_SECURITY: 6,
  NO_CONFIG: 7,
} as const;

export interface ConfigCommandOptions {
  file: string;
  /** `--config-id`, defaulting in the CLI to the short host name. */
  configId: string;
  /** Defaults to the filesystem; tests pass an in-memory source. */
  files?: ConfigFileSource;
  /** `--strict`: mistakes keepalived runs past are errors. */
  strict?: boolean;
  /** The host's interface names, listed by the caller; absent (`--offline`): not checked. */
  interfaces?: ReadonlySet<string>;
  /** The host's network namespaces (for net_namespace); absent (`--offline`): not checked. */
  namespaces?: ReadonlySet<string>;
  /** The host's VRF devices and their tables (for routes' `vrf NAME`), listed with `interfaces`. */
  vrfTables?: ReadonlyMap<string, number>;
}

export interface ConfigTestResult {
  exitCode: number;
  /** Lines for stderr: every diagnostic (with hint lines) and a one-line summary. */
  lines: string[];
  result: ParseResultWithUplinks;
}

export interface DumpConfigResult {
  exitCode: number;
  /** The resolved model, pretty-printed; printed even with errors so the reading can be inspected. */
  json: string;
  /** Diagnostics and summary for stderr, as for the config test. */
  lines: string[];
  result: ParseConfigResult;
}

/** keepalived.conf, then the netgwm.yml of each uplink_group (their errors count too). */
function run(options: ConfigCommandOptions): ParseResultWithUplinks {
  const files = options.files ?? nodeFileSource();
  const parsed = parseConfig({
    entryFile: options.file,
    configId: options.configId,
    files,
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.interfaces ? { interfaces: options.interfaces } : {}),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    ...(options.vrfTables ? { vrfTables: options.vrfTables } : {}),
  });
  return withUplinkConfigs(parsed, files);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * keepalived's `-t` status where both run the file: 4 when vrrpd cannot run it, 5 when keepalived
 * would report something in it (see keepalivedReportsToo), else 0. Script security (6) is decided
 * by the CLI's script audit, after this.
 */
export function exitCodeFor(result: { ok: boolean; diagnostics: readonly Diagnostic[] }): number {
  if (!result.ok) return KEEPALIVED_EXIT.CONFIG;
  return result.diagnostics.some(keepalivedReportsToo) ? KEEPALIVED_EXIT.CONFIG_TEST : KEEPALIVED_EXIT.OK;
}

export function summaryLine(file: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors > 0) {
    return `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; vrrpd will not run this configuration`;
  }
  const count = (lenient: boolean, reported: boolean): number =>
    diagnostics.filter((d) => isLenient(d.code) === lenient && keepalivedReportsToo(d) === reported).length;
  const mistakesReported = count(true, true);
  const mistakesSilent = count(true, false);
  const valuesReported = count(false, true);
  if (mistakesReported + mistakesSilent + valuesReported === 0) {
    return warnings > 0
      ? `${file}: configuration OK, ${plural(warnings, 'warning')}`
      : `${file}: configuration OK`;
  }
  const is = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  if (mistakesReported > 0)
    parts.push(
      `${is(mistakesReported, 'is a mistake', 'are mistakes')} keepalived also reports and runs past, as vrrpd does`,
    );
  if (mistakesSilent > 0)
    parts.push(
      `${is(mistakesSilent, 'is a mistake', 'are mistakes')} keepalived runs past without a report, as vrrpd does`,
    );
  const lenient = mistakesReported + mistakesSilent;
  if (lenient > 0)
    parts[parts.length - 1] += ` (\`vrrpd -t --strict\` refuses ${lenient === 1 ? 'it' : 'them'})`;
  if (valuesReported > 0)
    parts.push(
      `${is(valuesReported, 'is a value', 'are values')} keepalived also reports and adjusts or ignores, as vrrpd does`,
    );
  // The status is keepalived's -t status: say so where the kinds of warning do not make it plain.
  const status =
    mistakesSilent > 0 || valuesReported > 0
      ? `; exit status ${exitCodeFor({ ok: true, diagnostics })}, as from keepalived -t`
      : '';
  return `${file}: configuration runs, ${plural(warnings, 'warning')}; ${parts.join('; ').replace(/^(\d+) /, '$1 of them ')}${status}`;
}

function reportLines(file: string, result: ParseConfigResult): string[] {
  return [...result.diagnostics.flatMap(formatDiagnostic), summaryLine(file, result.diagnostics)];
}

export function configTest(options: ConfigCommandOptions): ConfigTestResult {
  const result = run(options);
  const lines = reportLines(options.file, result);
  if (!result.ok && result.vrrpOk) {
    // Only netgwm.yml files are broken: the daemon would run, with those groups in an error state.
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const names = result.failedUplinks.map((group) => group.decl.name).join(', ');
    lines[lines.length - 1] =
      `${options.file}: ${plural(errors, 'error')} in uplink configuration; vrrpd would run the VRRP part, with uplink_group ${names} in an error state`;
  }
  return { exitCode: exitCodeFor(result), lines, result };
}

export function dumpConfig(options: ConfigCommandOptions): DumpConfigResult {
  const result = run(options);
  return {
    exitCode: exitCodeFor(result),
    json: JSON.stringify(result.config, null, 2),
    lines: reportLines(options.file, result),
    result,
  };
}

export interface NetgwmCommandOptions {
  /** The netgwm.yml of `vrrpd --uplinks-only -c FILE`. */
  file: string;
  files?: ConfigFileSource;
}

export interface NetgwmCheckResult {
  exitCode: number;
  /** Diagnostics (file:line, key path, hint) and the summary line, for stderr. */
  lines: string[];
  /** The configuration with every default filled in; null when it has errors. */
  config: NetgwmConfig | null;
}

/** `vrrpd --uplinks-only -c FILE -t` (and `--dump-config`): check a netgwm.yml on its own. */
export function netgwmConfigTest(options: NetgwmCommandOptions): NetgwmCheckResult {
  const sink = new DiagnosticSink();
  const config = loadNetgwmConfig(options.file, options.files ?? nodeFileSource(), sink);
  const diagnostics = sortDiagnostics(sink.diagnostics);
  const unreadable = diagnostics.some((d) => d.code === DiagnosticCodes.file);
  let exitCode: number = KEEPALIVED_EXIT.OK;
  if (unreadable) exitCode = KEEPALIVED_EXIT.CONFIG;
  else if (config === null) exitCode = KEEPALIVED_EXIT.CONFIG_TEST;
  return {
    exitCode,
    lines: [...diagnostics.flatMap(formatDiagnostic), summaryLine(options.file, diagnostics)],
    config,
  };
}
