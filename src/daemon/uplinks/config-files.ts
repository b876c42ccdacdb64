// Reading netgwm.yml files (the I/O half of the uplink configuration; parsing and the cross-group
// checks are pure, in src/config/netgwm). Files are read through the configuration's file
// interface, so `--config-test`, the daemon and the tests (with memoryFileSource) agree. Kept apart
// from parseConfig so that reading keepalived.conf alone (the round trip, `--dump-config` of a
// file copied from another machine) does not need the yml files to exist.

import type { Diagnostic, DiagnosticSink } from '../../config/report/diagnostics.js';
import {
  DiagnosticCodes,
  DiagnosticSink as Sink,
  formatDiagnostic,
  sortDiagnostics,
} from '../../config/report/diagnostics.js';
import type { ConfigFileSource } from '../../config/language/file-source.js';
import type { UplinkGroupDecl } from '../../config/model/types.js';
import { parseNetgwmConfig } from '../../config/netgwm/parse.js';
import type { FailedUplinkGroup, LoadedUplinkGroup, NetgwmConfig } from '../../config/netgwm/types.js';
import { checkUplinkGroupConflicts } from '../../config/netgwm/uplink-group.js';
import type { ParseConfigResult } from '../../config/parse-config.js';

/** One netgwm.yml on its own (`vrrpd --uplinks-only -c FILE`). */
export function loadNetgwmConfig(
  filePath: string,
  source: ConfigFileSource,
  sink: DiagnosticSink,
): NetgwmConfig | null {
  const read = source.readFile(filePath);
  if (!read.ok) {
    sink.report(DiagnosticCodes.file, { file: filePath, line: 0 }, `cannot read netgwm.yml: ${read.reason}`);
    return null;
  }
  return parseNetgwmConfig(read.text, filePath, sink);
}

export interface UplinkConfigsResult {
  /** The groups whose yml was read without errors, in configuration order. */
  groups: LoadedUplinkGroup[];
  /** The groups that cannot run (unreadable or broken yml, a clash with another group). */
  failed: FailedUplinkGroup[];
  /** Sorted by file and line: each yml's problems carry its file:line and key path. */
  diagnostics: Diagnostic[];
  ok: boolean;
  /** The yml files read. */
  filesRead: string[];
}

function errorLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').flatMap((d) => formatDiagnostic(d).slice(0, 1));
}

/**
 * Reads every group's netgwm.yml. A file that cannot be read is reported at the `uplink_group`
 * block that names it (the reader can fix the path there); problems inside a file at their own
 * line, with the YAML key path. A group with an error is returned in `failed`, with its errors.
 */
export function loadUplinkGroupConfigs(
  decls: readonly UplinkGroupDecl[],
  files: ConfigFileSource,
): UplinkConfigsResult {
  const diagnostics: Diagnostic[] = [];
  const loaded: LoadedUplinkGroup[] = [];
  const failed: FailedUplinkGroup[] = [];
  const filesRead: string[] = [];
  for (const decl of decls) {
    const sink = new Sink();
    const read = files.readFile(decl.configPath);
    let config: NetgwmConfig | null = null;
    if (!read.ok) {
      sink.report(
        DiagnosticCodes.file,
        decl.source,
        `uplink_group ${decl.name}: cannot read ${decl.configPath}: ${read.reason}`,
        'the config keyword of an uplink_group names its netgwm.yml',
      );
    } else {
      if (!filesRead.includes(decl.configPath)) filesRead.push(decl.configPath);
      config = parseNetgwmConfig(read.text, decl.configPath, sink);
    }
    diagnostics.push(...sink.diagnostics);
    if (config) loaded.push({ decl, config });
    else failed.push({ decl, errors: errorLines(sink.diagnostics) });
  }
  const conflicts = new Sink();
  const clashing = checkUplinkGroupConflicts(loaded, conflicts);
  diagnostics.push(...conflicts.diagnostics);
  const groups = loaded.filter((group) => !clashing.has(group.decl.name));
  for (const group of loaded) {
    if (!clashing.has(group.decl.name)) continue;
    const mine = conflicts.diagnostics.filter((d) =>
      d.message.startsWith(`uplink_group ${group.decl.name} `),
    );
    failed.push({ decl: group.decl, errors: errorLines(mine) });
  }
  const order = new Map(decls.map((decl, index) => [decl.name, index]));
  failed.sort((a, b) => (order.get(a.decl.name) ?? 0) - (order.get(b.decl.name) ?? 0));
  return {
    groups,
    failed,
    diagnostics: sortDiagnostics(diagnostics),
    ok: failed.length === 0,
    filesRead,
  };
}

/** A parsed keepalived.conf together with the netgwm.yml of each of its uplink groups. */
export interface ParseResultWithUplinks extends ParseConfigResult {
  uplinks: LoadedUplinkGroup[];
  /** Uplink groups that cannot run: they are reported in an error state; VRRP runs without them. */
  failedUplinks: FailedUplinkGroup[];
  /** keepalived.conf itself is runnable (`ok` is false too when an uplink group failed). */
  vrrpOk: boolean;
}

/**
 * Completes parseConfig's result with the uplink groups' yml files: their diagnostics follow the
 * keepalived.conf ones. A yml error never makes the VRRP part unrunnable (`vrrpOk`); `ok` still
 * counts it, so `vrrpd --config-test` fails on it.
 */
export function withUplinkConfigs(
  result: ParseConfigResult,
  files: ConfigFileSource,
): ParseResultWithUplinks {
  if (!result.entryReadable || result.config.uplinkGroups.length === 0)
    return { ...result, uplinks: [], failedUplinks: [], vrrpOk: result.ok };
  const loaded = loadUplinkGroupConfigs(result.config.uplinkGroups, files);
  return {
    ...result,
    diagnostics: [...result.diagnostics, ...loaded.diagnostics],
    ok: result.ok && loaded.ok,
    vrrpOk: result.ok,
    filesRead: [...result.filesRead, ...loaded.filesRead.filter((file) => !result.filesRead.includes(file))],
    uplinks: loaded.groups,
    failedUplinks: loaded.failed,
  };
}
