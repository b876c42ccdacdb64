// `vrrpd --config-test` (-t) and `vrrpd --dump-config`, as functions returning what to print and the
// exit status, so the commander wiring stays a few lines and the behaviour is testable without a
// process. Exit statuses are keepalived's (keepalived/include/main.h, enum exit_code, as shipped in
// 2.2.x): a config test ends in KEEPALIVED_EXIT_CONFIG when the file cannot be read and
// KEEPALIVED_EXIT_CONFIG_TEST when it has errors.

import type { Diagnostic } from '../config/diagnostics.js';
import { formatDiagnostic } from '../config/diagnostics.js';
import type { ConfigFileSource } from '../config/file-source.js';
import { nodeFileSource } from '../config/load.js';
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
  result: ParseConfigResult;
}

export interface DumpConfigResult {
  exitCode: number;
  /** The resolved model, pretty-printed; printed even with errors so the reading can be inspected. */
  json: string;
  /** Diagnostics and summary for stderr, as for the config test. */
  lines: string[];
  result: ParseConfigResult;
}

function run(options: ConfigCommandOptions): ParseConfigResult {
  return parseConfig({
    entryFile: options.file,
    configId: options.configId,
    files: options.files ?? nodeFileSource(),
  });
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
  return { exitCode: exitCodeFor(result), lines: reportLines(options.file, result), result };
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
