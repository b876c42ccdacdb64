// The pure entry point: files (through a ConfigFileSource) → VrrpdConfig + every diagnostic.
//   language/  preprocess (includes, comments, @conditionals, $parameters, ~SEQ/~LST)
//              → block tree (braces, statements, file:line on every node)
//   keywords/  → keyword tables (per-block interpretation, unknown / ignored / refused keywords),
//              with values/ parsing each argument and list entry
//   finish/    → finishing (inheritance, families, versions, cross-references) into model/.
// Nothing here reads the clock, the environment or the disk except through `files`.

import type { Diagnostic } from './report/diagnostics.js';
import { DiagnosticSink, sortDiagnostics } from './report/diagnostics.js';
import { newConfigDraft } from './keywords/drafts.js';
import type { ConfigFileSource } from './language/file-source.js';
import { memoryFileSource } from './language/file-source.js';
import { finishConfig } from './finish/config.js';
import { checkInterfacesExist } from './finish/interfaces.js';
import { resolveRouteVrfs } from './finish/route-vrfs.js';
import { checkNamespaceExists } from './finish/namespace.js';
import { applyKeywords } from './keywords/apply.js';
import { nestAsKeepalived } from './keywords/nesting.js';
import { readStatementStream } from './language/statements.js';
import { buildKeywordHomes, TOP_LEVEL_TABLE } from './keywords/index.js';
import type { VrrpdConfig } from './model/types.js';
import { preprocess } from './language/preprocess.js';

export interface ParseConfigInput {
  /** Path of the main file as the user gave it; included paths are resolved from its directory. */
  entryFile: string;
  /** Selects `@ID` lines; the CLI passes `--config-id` or the short host name, as keepalived does. */
  configId: string;
  files: ConfigFileSource;
  /** `--strict`: mistakes keepalived runs past are errors (see report/diagnostics.ts isLenient). */
  strict?: boolean;
  /**
   * The interfaces of the host that will run it, listed by the shell: every interface the
   * configuration names must be among them, as keepalived requires. Absent: not checked (offline).
   */
  interfaces?: ReadonlySet<string>;
  /**
   * The host's network namespaces (`ip netns list`), listed by the shell: the one net_namespace
   * names must be among them, or the daemon cannot start. Absent: not checked (offline).
   */
  namespaces?: ReadonlySet<string>;
  /** The host's VRF devices and their tables, listed with `interfaces`: resolves routes' `vrf NAME`. */
  vrfTables?: ReadonlyMap<string, number>;
}

export interface ParseConfigResult {
  /** Best effort even with errors (instances missing an interface or VRID are left out). */
  config: VrrpdConfig;
  /** Sorted by file (first-read order) and line. */
  diagnostics: Diagnostic[];
  /** No errors: the daemon may run this configuration. Warnings do not count. */
  ok: boolean;
  /** False when the main file could not be read at all. */
  entryReadable: boolean;
  /** Warnings for mistakes keepalived reports too and runs past (`--strict` would refuse them). */
  lenientCount: number;
  /** Every file read, main file first. */
  filesRead: string[];
}

const KEYWORD_HOMES = buildKeywordHomes();

export function parseConfig(input: ParseConfigInput): ParseConfigResult {
  const sink = new DiagnosticSink({ strict: input.strict ?? false });
  const { lines, filesRead, entryReadable } = preprocess({
    entryFile: input.entryFile,
    configId: input.configId,
    files: input.files,
    sink,
  });
  const tree = nestAsKeepalived({
    items: readStatementStream(lines, sink),
    top: TOP_LEVEL_TABLE,
    keywordHomes: KEYWORD_HOMES,
    sink,
  });
  const draft = newConfigDraft();
  applyKeywords(tree, TOP_LEVEL_TABLE, draft, {
    sink,
    where: 'the top level',
    keywordHomes: KEYWORD_HOMES,
    lenient: true,
  });
  const finished = finishConfig(draft, sink);
  const config = input.interfaces
    ? resolveRouteVrfs(finished, { names: input.interfaces, vrfTables: input.vrfTables ?? new Map() }, sink)
    : finished;
  if (input.interfaces) checkInterfacesExist(config, input.interfaces, sink);
  if (input.namespaces) checkNamespaceExists(config, input.namespaces, sink);
  return {
    config,
    diagnostics: sortDiagnostics(sink.diagnostics),
    ok: sink.errorCount === 0,
    entryReadable,
    lenientCount: sink.lenientCount,
    filesRead,
  };
}

/** Convenience for tests and the round trip: one in-memory file (plus optional others to include). */
export function parseConfigText(
  text: string,
  options: {
    file?: string;
    configId?: string;
    otherFiles?: Record<string, string>;
    strict?: boolean;
    interfaces?: ReadonlySet<string>;
  } = {},
): ParseConfigResult {
  const file = options.file ?? '/etc/keepalived/keepalived.conf';
  return parseConfig({
    entryFile: file,
    configId: options.configId ?? 'vrrpd',
    files: memoryFileSource({ ...options.otherFiles, [file]: text }),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.interfaces ? { interfaces: options.interfaces } : {}),
  });
}
