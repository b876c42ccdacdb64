// Finding the file behind argv[0] and deciding how to execute it.
// keepalived execs argv directly (no shell); a bare name is searched in PATH (it warns, asking
// for a full path), and a file the kernel refuses with ENOEXEC — a script without `#!` — is run
// through /bin/sh. We decide that up front from the first bytes instead of waiting for ENOEXEC.

import { constants, statSync, accessSync } from 'node:fs';
import { close, fstat, open, read } from '../runtime/fs-async.js';
import path from 'node:path';
import { errorMessage } from '../runtime/errors.js';

/** Search `pathEnv` (colon-separated) for `name` the way execvp does; null when not found. */
export function searchPath(
  name: string,
  pathEnv: string,
  isExecutableFile: (candidate: string) => boolean,
): string | null {
  for (const directory of pathEnv.split(':')) {
    // An empty PATH entry means the current directory (POSIX); keep that meaning.
    const candidate = path.join(directory === '' ? '.' : directory, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** Real-filesystem predicate for searchPath: a regular file with some execute permission for us. */
export function isExecutableRegularFile(candidate: string): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** argv[0] with a slash is used as written (relative to the daemon's cwd); otherwise PATH is searched. */
export function resolveProgram(argv0: string, pathEnv: string): string | null {
  if (argv0.includes('/')) return argv0;
  return searchPath(argv0, pathEnv, isExecutableRegularFile);
}

export type ExecutionPlan =
  | { ok: true; file: string; args: string[]; viaShell: boolean }
  | { ok: false; code: string; message: string };

const SHELL = '/bin/sh';

/**
 * How to execute argv: directly when the file starts with `#!` or is an ELF binary, through
 * /bin/sh otherwise (keepalived's ENOEXEC fallback). Errors are values, never thrown.
 */
export async function planExecution(argv: readonly string[], pathEnv: string): Promise<ExecutionPlan> {
  if (argv.length === 0 || argv[0] === '') {
    return { ok: false, code: 'ENOENT', message: 'empty command' };
  }
  const program = resolveProgram(argv[0], pathEnv);
  if (program === null) {
    return { ok: false, code: 'ENOENT', message: `${argv[0]}: not found in PATH (${pathEnv})` };
  }
  const args = argv.slice(1);
  let head: Buffer;
  try {
    const fd = await open(program, 'r');
    try {
      const stats = await fstat(fd);
      if (!stats.isFile()) return { ok: false, code: 'EACCES', message: `${program}: not a regular file` };
      // Checked here because /bin/sh would happily read a non-executable file; execve would not.
      if ((stats.mode & 0o111) === 0)
        return { ok: false, code: 'EACCES', message: `${program}: not executable` };
      head = Buffer.alloc(4);
      const { bytesRead } = await read(fd, head, 0, 4, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await close(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, code, message: `${program}: ${errorMessage(error)}` };
  }
  const hasShebang = head.length >= 2 && head[0] === 0x23 && head[1] === 0x21; // "#!"
  const isElf = head.length === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  if (hasShebang || isElf) return { ok: true, file: program, args, viaShell: false };
  return { ok: true, file: SHELL, args: [program, ...args], viaShell: true };
}
