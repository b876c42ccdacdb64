// Shared fixtures for the scripts tests: temp dirs with tiny shell scripts, a logger that records
// what it is given, a manual clock, and bounded waiting.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualTimers } from '../../src/runtime/manual-timers.js';
import type { ScriptSpec } from '../../src/scripts/types.js';
import { callbackLogger, type Logger } from '../../src/runtime/log.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  private readonly inner = callbackLogger((level, obj, msg) => void this.entries.push({ level, obj, msg }));
  readonly debug = this.inner.debug;
  readonly info = this.inner.info;
  readonly warn = this.inner.warn;
  readonly error = this.inner.error;
  readonly child = this.inner.child;
  messages(level?: LogEntry['level']): string[] {
    return this.entries
      .filter((entry) => level === undefined || entry.level === level)
      .map((entry) => entry.msg);
  }
}

export class TempDir {
  readonly path: string;
  constructor(prefix = 'vrrpd-scripts-') {
    this.path = mkdtempSync(path.join(tmpdir(), prefix));
  }
  file(name: string): string {
    return path.join(this.path, name);
  }
  /** Write an executable file (mode 0755 unless given). */
  script(name: string, body: string, mode = 0o755): string {
    const file = this.file(name);
    writeFileSync(file, body);
    chmodSync(file, mode);
    return file;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export function specFor(argv: string[], extra: Partial<ScriptSpec> = {}): ScriptSpec {
  return {
    command: argv.join(' '),
    argv,
    source: { file: '/etc/keepalived/keepalived.conf', line: 7 },
    ...extra,
  };
}

/** Poll `condition` every 10 ms for at most `timeoutMs`; returns whether it became true. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/**
 * Whether `pid` is a live process. A zombie counts as dead: it has exited and only waits for its
 * reaper (in containers PID 1 may reap orphans late).
 */
export function processAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // Format: "pid (comm) state …"; comm may contain spaces or parentheses, so split at the last ")".
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** A clock the test advances by hand: timers fire in time order when advance() passes them. */
export class ManualClock extends ManualTimers {
  pendingTimers(): number {
    return this.size();
  }
  /** Move time forward, firing due timers one by one (and the promises they settle) in order. */
  override async advance(ms: number): Promise<void> {
    await this.advanceAsync(ms, flushMicrotasks);
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}
