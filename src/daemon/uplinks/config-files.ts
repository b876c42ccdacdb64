// Reading netgwm.yml files (the I/O half of the uplink configuration; parsing and the cross-group
// checks are pure, in src/config/netgwm). Files are read through the configuration's file
// interface, so `--config-test`, the daemon and the tests (with memoryFileSource) agree. Kept apart
// from parseConfig so that reading keepalived.conf alone (the round trip, `--dump-config` of a
// file copied from another machine) does not need the yml files to exist.

import type { Diagnostic, DiagnosticSink } from '../../config/diagnostics.js';
import { DiagnosticCodes, DiagnosticSink as Sink, sortDiagnostics } from '../../config/diagnostics.js';
import type { ConfigFileSource } from '../../config/file-source.js';
import type { UplinkGroupDecl } from '../../config/model.js';
import { parseNetgwmConfig } from '../../config/netgwm/parse.js';
import type { LoadedUplinkGroup, NetgwmConfig } from '../../config/netgwm/types.js';
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
  /** Sorted by file and line: each yml's problems carry its file:line and key path. */
  diagnostics: Diagnostic[];
  ok: boolean;
  /** The yml files read. */
  filesRead: string[];
}

/**
 * Reads every group's netgwm.yml. A file that cannot be read is reported at the `uplink_group`
 * block that names it (the reader can fix the path there); problems inside a file at their own
 * line, with the YAML key path.
 */
export function loadUplinkGroupConfigs(
  decls: readonly UplinkGroupDecl[],
  files: ConfigFileSource,
): UplinkConfigsResult {
  const sink = new Sink();
  const groups: LoadedUplinkGroup[] = [];
  const filesRead: string[] = [];
  for (const decl of decls) {
    const read = files.readFile(decl.configPath);
    if (!read.ok) {
      sink.report(
        DiagnosticCodes.file,
        decl.source,
        `uplink_group ${decl.name}: cannot read ${decl.configPath}: ${read.reason}`,
        'the config keyword of an uplink_group names its netgwm.yml',
      );
      continue;
    }
    if (!filesRead.includes(decl.configPath)) filesRead.push(decl.configPath);
    const config = parseNetgwmConfig(read.text, decl.configPath, sink);
    if (config) groups.push({ decl, config });
  }
  checkUplinkGroupConflicts(groups, sink);
  return { groups, diagnostics: sortDiagnostics(sink.diagnostics), ok: sink.errorCount === 0, filesRead };
}

/** A parsed keepalived.conf together with the netgwm.yml of each of its uplink groups. */
export interface ParseResultWithUplinks extends ParseConfigResult {
  uplinks: LoadedUplinkGroup[];
}

/**
 * Completes parseConfig's result with the uplink groups' yml files: their diagnostics follow the
 * keepalived.conf ones, and any error makes the whole configuration not runnable.
 */
export function withUplinkConfigs(
  result: ParseConfigResult,
  files: ConfigFileSource,
): ParseResultWithUplinks {
  if (!result.entryReadable || result.config.uplinkGroups.length === 0) return { ...result, uplinks: [] };
  const loaded = loadUplinkGroupConfigs(result.config.uplinkGroups, files);
  return {
    ...result,
    diagnostics: [...result.diagnostics, ...loaded.diagnostics],
    ok: result.ok && loaded.ok,
    filesRead: [...result.filesRead, ...loaded.filesRead.filter((file) => !result.filesRead.includes(file))],
    uplinks: loaded.groups,
  };
}
