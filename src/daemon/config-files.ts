// The shell side of configuration reading: src/config is pure and reads files only through a
// ConfigFileSource; this is the one over node:fs, and loadConfig() which the CLI and the daemon
// call. Synchronous on purpose: configurations are small, and reading them happens at start-up, on
// `--config-test` and on reload, never on the packet path.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes } from '../packet/byte-text.js';
import type { ConfigFileSource, DirectoryEntry } from '../config/language/file-source.js';
import type { ParseConfigResult } from '../config/parse-config.js';
import { parseConfig } from '../config/parse-config.js';
import type { HostLinks } from '../config/finish/route-vrfs.js';
import { createKernelLinks } from '../kernel/links.js';
import { openRouteNetlink } from '../kernel/netlink-socket.js';
import { errorMessage } from '../runtime/errors.js';

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a path component is not a directory',
};

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && READ_ERRORS[code]) ?? errorMessage(error);
}

export function nodeFileSource(): ConfigFileSource {
  return {
    readFile(filePath) {
      try {
        // Bytes that are not UTF-8 are kept (keepalived sends an auth_pass as the bytes written).
        return { ok: true, text: decodeBytes(readFileSync(filePath)) };
      } catch (error) {
        return { ok: false, reason: describeError(error) };
      }
    },
    listDirectory(directoryPath) {
      try {
        return readdirSync(directoryPath, { withFileTypes: true }).map((entry): DirectoryEntry => {
          // Follow symlinks, as glob(3) does, so a linked conf.d file is included like any other.
          let isDirectory = entry.isDirectory();
          if (entry.isSymbolicLink()) {
            try {
              isDirectory = statSync(join(directoryPath, entry.name)).isDirectory();
            } catch {
              isDirectory = false;
            }
          }
          return { name: entry.name, isDirectory };
        });
      } catch {
        return null;
      }
    },
  };
}

export interface LoadConfigOptions {
  file: string;
  /** `--config-id`; the CLI defaults it to `os.hostname().split('.')[0]`, as keepalived does. */
  configId: string;
  /** `--strict`: refuse the mistakes keepalived runs past. */
  strict?: boolean;
  /** The host's interface names (hostLinks), for the config test; absent: not checked. */
  interfaces?: ReadonlySet<string>;
}

export function loadConfig(options: LoadConfigOptions): ParseConfigResult {
  return parseConfig({
    entryFile: options.file,
    configId: options.configId,
    files: nodeFileSource(),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.interfaces ? { interfaces: options.interfaces } : {}),
  });
}

/**
 * The network interfaces of this host (its current network namespace), over rtnetlink: their
 * names, for the config test's check that every interface the configuration names exists, and
 * the tables of its VRF devices, for routes written with `vrf NAME`.
 */
export async function hostLinks(): Promise<HostLinks> {
  const netlink = openRouteNetlink();
  try {
    const links = await createKernelLinks(netlink).list();
    return {
      names: new Set(links.map((link) => link.name)),
      vrfTables: new Map(
        links.flatMap((l) => (l.vrfTable === undefined ? [] : [[l.name, l.vrfTable] as const])),
      ),
    };
  } finally {
    netlink.close();
  }
}
