// The CLI's side of net_namespace (src/daemon/netns-entry.ts does the entering): which namespace
// the command line and the configuration name, and what `vrrpd` and `vrrpd -t` do with each
// outcome. Called before anything opens a socket or starts a thread of the pool.

import { isNamespaceName } from '../config/keywords/net-namespace.js';
import type { ParseConfigResult } from '../config/parse-config.js';
import { loadConfig } from '../daemon/config-files.js';
import {
  enterNamespace,
  listNamespaces,
  namespacePath,
  processHost,
  type EntryHost,
  type EntryOutcome,
} from '../daemon/netns-entry.js';
import type { DaemonNamespace } from '../daemon/run.js';

export interface NamespaceChoice {
  /** -s, which wins over the file (keepalived's override). */
  override?: string;
  file: string;
  configId: string;
  strict: boolean;
}

/**
 * The namespace to run in: -s, else the file's net_namespace. A file that cannot be read names
 * none; its errors are reported by what follows, as without a namespace.
 */
export function chosenNamespace(choice: NamespaceChoice): string | null {
  return namespaceAndParse(choice).name;
}

/** The namespace, and the parse that named it (none with -s), which the daemon may reuse. */
function namespaceAndParse(choice: NamespaceChoice): { name: string | null; parsed?: ParseConfigResult } {
  if (choice.override !== undefined) return { name: choice.override };
  const parsed = loadConfig({ file: choice.file, configId: choice.configId, strict: choice.strict });
  return { name: parsed.config.globals.netNamespace?.name ?? null, parsed };
}

/** A usage error for -s, or null. */
export function namespaceOptionError(name: string | undefined): string | null {
  if (name === undefined || isNamespaceName(name)) return null;
  return `vrrpd: -s/--namespace '${name}' is not a network namespace name (one file name of /run/netns)`;
}

export type TestNamespace =
  /** What -t passes to the config check, and notes for stderr. */
  {
    /** false: the interfaces listed here are not the ones the daemon would see. */
    checkInterfaces: boolean;
    namespaces?: ReadonlySet<string>;
    lines: string[];
    /** Set when -t must stop with this status (-s naming an absent namespace). */
    exitCode?: number;
  };

/**
 * `vrrpd -t`: like keepalived -t, enter the namespace (no mount namespace) so the interfaces
 * checked are the namespace's. On success the process is replaced and this does not return in it.
 */
export function enterForTest(choice: NamespaceChoice, host: EntryHost = processHost()): TestNamespace {
  const name = chosenNamespace(choice);
  const outcome = enterNamespace(name, 'test', host);
  return testOutcome(outcome, choice.override !== undefined);
}

export function testOutcome(outcome: EntryOutcome, overridden: boolean): TestNamespace {
  switch (outcome.kind) {
    case 'none':
      return { checkInterfaces: true, lines: [] };
    case 'inside':
      // The file's net_namespace is checked against the namespaces of the host (it exists: here we are).
      return { checkInterfaces: true, namespaces: overridden ? undefined : listNamespaces(), lines: [] };
    case 'missing':
      if (overridden) {
        return {
          checkInterfaces: false,
          lines: [
            `vrrpd: error: network namespace '${outcome.name}' (-s) does not exist (no ${namespacePath(outcome.name)}) [VRRPD_E_CONFIG_NETNS]`,
          ],
          exitCode: 4,
        };
      }
      // The config check reports it, at the net_namespace line.
      return { checkInterfaces: false, namespaces: listNamespaces(), lines: [] };
    case 'failed':
      return {
        checkInterfaces: false,
        lines: [
          `vrrpd: warning: cannot enter network namespace '${outcome.name}' (${outcome.error}); interface names are not checked (as with --offline)`,
        ],
      };
  }
}

export type RunNamespace =
  /** `parsed`: the configuration as read to choose the namespace, when this process stays in its own. */
  | { ok: true; netns?: DaemonNamespace; parsed?: ParseConfigResult }
  | { ok: false; name: string; message: string };

/** The daemon: enter the namespace and its run directory; on success this does not return in this image. */
export function enterForRun(choice: NamespaceChoice, host: EntryHost = processHost()): RunNamespace {
  const { name, parsed } = namespaceAndParse(choice);
  const outcome = enterNamespace(name, 'run', host);
  const overridden = choice.override !== undefined;
  switch (outcome.kind) {
    case 'none':
      // The daemon starts from this parse rather than reading the file a second time (issue 15).
      return parsed ? { ok: true, parsed } : { ok: true };
    case 'inside':
      return {
        ok: true,
        netns: {
          name: outcome.name,
          overridden,
          runDirectory: outcome.runDirectory,
          warnings: outcome.warnings,
        },
      };
    case 'missing':
      return {
        ok: false,
        name: outcome.name,
        message: `network namespace '${outcome.name}' does not exist (no ${namespacePath(outcome.name)}): create it with \`ip netns add ${outcome.name}\` first`,
      };
    case 'failed':
      return {
        ok: false,
        name: outcome.name,
        message: `cannot enter network namespace '${outcome.name}': ${outcome.error} (vrrpd needs CAP_SYS_ADMIN to enter a namespace; under systemd see the README: NetworkNamespacePath= or a drop-in)`,
      };
  }
}
