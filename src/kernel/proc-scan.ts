// Reading processes from /proc for vrrp_track_process: the name (comm), state and parent from
// /proc/PID/stat, and /proc/PID/cmdline only when a tracker needs the command line (reading it
// touches the process's memory, which keepalived also avoids). Reads are synchronous: each is one
// small in-kernel read, and a few hundred of them cost less CPU than as many promises. Missing
// processes (exited meanwhile) are simply absent, never errors. /proc lists processes only, not
// threads, so everything here is a whole process.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/** What identifies a process to a tracker (src/scripts/process-track.ts has the same shape). */
export interface ProcessIdentity {
  /** The process name (at most 15 bytes). */
  comm: string;
  /** /proc/PID/cmdline bytes, or null when not read. */
  cmdline: Buffer | null;
}

const STAT_READ_BYTES = 512;
/** Longer command lines are cut (the comparison then fails, as for keepalived's bounded read). */
export const CMDLINE_READ_BYTES = 4096;

/** The file operations used; tests pass a fake tree. */
export interface ProcFiles {
  readdir(path: string): string[];
  /** Up to `maxBytes` of the file (possibly a view valid until the next read); throws if unreadable. */
  read(path: string, maxBytes: number): Buffer;
}

/** One reusable buffer: a poll reads hundreds of tiny files, so no allocation per file. */
let scratch = Buffer.alloc(CMDLINE_READ_BYTES);

/** open + one read + close: readFileSync's extra fstat and growing buffers cost twice as much. */
function readSmall(path: string, maxBytes: number): Buffer {
  if (scratch.length < maxBytes) scratch = Buffer.alloc(maxBytes);
  const fd = openSync(path, 'r');
  try {
    const length = readSync(fd, scratch, 0, maxBytes, 0);
    return scratch.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Node's fs; read() returns a view of a shared buffer, valid until the next read. */
export const nodeProcFiles: ProcFiles = {
  readdir: (path) => readdirSync(path),
  read: readSmall,
};

export interface ProcStat {
  comm: string;
  /** R, S, D, Z (zombie), T… */
  state: string;
  ppid: number;
}

/**
 * Parses /proc/PID/stat: "pid (comm) state ppid …". The name may itself contain spaces and ')',
 * so it ends at the *last* ')'. Null if malformed.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(rest[1]);
  if (!rest[0] || !Number.isInteger(ppid)) return null;
  return { comm: text.slice(open + 1, close), state: rest[0], ppid };
}

export interface ScannedProcess {
  identity: ProcessIdentity;
  ppid: number;
}

/** One process, or null if it is gone (or a zombie: it no longer runs anything). */
export function readProcess(
  pid: number,
  withCmdline: boolean,
  files: ProcFiles = nodeProcFiles,
  root = '/proc',
): ScannedProcess | null {
  let stat: ProcStat | null;
  try {
    stat = parseProcStat(files.read(`${root}/${pid}/stat`, STAT_READ_BYTES).toString('utf8'));
  } catch {
    return null;
  }
  if (!stat || stat.state === 'Z') return null;
  let cmdline: Buffer | null = null;
  if (withCmdline) {
    try {
      cmdline = Buffer.from(files.read(`${root}/${pid}/cmdline`, CMDLINE_READ_BYTES));
    } catch {
      return null;
    }
  }
  return { identity: { comm: stat.comm, cmdline }, ppid: stat.ppid };
}

/** Every live process in this PID namespace's /proc. */
export function scanProcesses(
  withCmdline: boolean,
  files: ProcFiles = nodeProcFiles,
  root = '/proc',
): Map<number, ScannedProcess> {
  const found = new Map<number, ScannedProcess>();
  for (const entry of files.readdir(root)) {
    if (!/^[1-9]\d*$/.test(entry)) continue;
    const pid = Number(entry);
    const process = readProcess(pid, withCmdline, files, root);
    if (process) found.set(pid, process);
  }
  return found;
}
