// The shell side of configuration reading: src/config is pure and reads files only through a
// ConfigFileSource; this is the one over node:fs, and loadConfig() which the CLI and the daemon
// call. Synchronous on purpose: configurations are small, and reading them happens at start-up, on
// `--config-test` and on reload, never on the packet path.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigFileSource, DirectoryEntry } from '../config/language/file-source.js';
import type { ParseConfigResult } from '../config/parse-config.js';
import { parseConfig } from '../config/parse-config.js';

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a path component is not a directory',
};

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && READ_ERRORS[code]) ?? (error instanceof Error ? error.message : String(error));
}

export function nodeFileSource(): ConfigFileSource {
  return {
    readFile(filePath) {
      try {
        return { ok: true, text: readFileSync(filePath, 'utf8') };
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
}

export function loadConfig(options: LoadConfigOptions): ParseConfigResult {
  return parseConfig({ entryFile: options.file, configId: options.configId, files: nodeFileSource() });
}
