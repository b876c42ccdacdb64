// The real filesystem behind security.ts's PathInspector, and locating a configured program the
// way the runner will (argv[0] with a slash relative to the working directory, else PATH search).

import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isExecutableRegularFile, searchPath } from './command-path.js';
import type { InspectResult, PathEntry, PathEntryType, PathInspector } from './security.js';

function entryType(stats: Stats): PathEntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return 'other';
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'EIO';
}

export const realPathInspector: PathInspector = {
  lstat(file: string): InspectResult<PathEntry> {
    try {
      const stats = lstatSync(file);
      return {
        ok: true,
        value: { type: entryType(stats), mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid },
      };
    } catch (error) {
      return { ok: false, code: errnoCode(error) };
    }
  },
  readlink(file: string): InspectResult<string> {
    try {
      return { ok: true, value: readlinkSync(file) };
    } catch (error) {
      return { ok: false, code: errnoCode(error) };
    }
  },
};

/** Absolute path of the program the runner would execute, or null when a bare name is not in PATH. */
export function locateProgram(program: string, pathEnv: string, cwd: string = process.cwd()): string | null {
  if (program.includes('/')) return path.resolve(cwd, program);
  const found = searchPath(program, pathEnv, isExecutableRegularFile);
  return found === null ? null : path.resolve(cwd, found);
}
