// `vrrpd --config-test` (-t) and `vrrpd --dump-config`, as functions returning what to print and the
// exit status, so the commander wiring stays a few lines and the behaviour is testable without a
// process. Exit statuses are keepalived's (keepalived/include/main.h, enum exit_code, as shipped in
// 2.2.x): a config test ends in KEEPALIVED_EXIT_CONFIG when the file cannot be read and
// KEEPALIVED_EXIT_CONFIG_TEST when it has errors.

import type { Diagnostic } from '../config/diagnostics.js';
import { DiagnosticCodes, DiagnosticSink, formatDiagnostic, sortDiagnostics } from '../config/diagnostics.js';
import type { ConfigFileSource } from '../config/file-source.js';
import { nodeFileSource } from '../config/load.js';
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
  /** Configuration cannot be used at all (keepalived: file not found, bad interface, fatal). */
  CONFIG: 4,
  /** `--config-test` found errors. */
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
  const parsed = parseConfig({ entryFile: options.file, configId: options.configId, files });
  return withUplinkConfigs(parsed, files);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function exitCodeFor(result: ParseConfigResult): number {
  if (!result.entryReadable) return KEEPALIVED_EXIT.CONFIG;
  return result.ok ? KEEPALIVED_EXIT.OK : KEEPALIVED_EXIT.CONFIG_TEST;
}

export function summaryLine(file: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors > 0) {
    return `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; vrrpd will not run this configuration`;
  }
  return warnings > 0
    ? `${file}: configuration OK, ${plural(warnings, 'warning')}`
    : `${file}: configuration OK`;
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
