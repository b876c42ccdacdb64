// The only way the configuration reader touches files. The parser stays pure over this interface:
// tests and the round-trip serializer use the in-memory source, the CLI and daemon use the
// filesystem one the shell provides (src/daemon/config-files.ts).

import { posix as path } from 'node:path';

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

export interface ConfigFileSource {
  /** Whole file as UTF-8 text, or why it could not be read (for the diagnostic). */
  readFile(filePath: string): ReadResult;
  /** Entries of a directory, or null if it cannot be listed (missing, not a directory, no permission). */
  listDirectory(directoryPath: string): DirectoryEntry[] | null;
}

/**
 * Files held in memory, keyed by absolute POSIX path. Directories are implied by the paths, so
 * include globs work exactly as on disk.
 */
export function memoryFileSource(files: Readonly<Record<string, string>>): ConfigFileSource {
  const normalized = new Map<string, string>();
  for (const [filePath, text] of Object.entries(files)) normalized.set(path.normalize(filePath), text);
  return {
    readFile(filePath) {
      const text = normalized.get(path.normalize(filePath));
      return text === undefined ? { ok: false, reason: 'no such file' } : { ok: true, text };
    },
    listDirectory(directoryPath) {
      const prefix = path.normalize(directoryPath).replace(/\/?$/, '/');
      const entries = new Map<string, boolean>();
      for (const filePath of normalized.keys()) {
        if (!filePath.startsWith(prefix)) continue;
        const rest = filePath.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash === -1 ? rest : rest.slice(0, slash);
        if (name !== '') entries.set(name, (entries.get(name) ?? false) || slash !== -1);
      }
      if (entries.size === 0) return null;
      return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}
