// Talking to a child process over JSON lines: the test sends {"id", "method", "params"} on the
// child's stdin and gets {"id", "result"} or {"id", "error"} back on its stdout; anything else
// the child prints as {"event": ...} is kept as an event. Children run compiled code from dist/
// inside a lab namespace (see json-lines-server.ts for the child side).

import type { ChildProcess } from 'node:child_process';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export interface ChildEvent {
  event: string;
  [key: string]: JsonValue;
}

interface Pending {
  resolve: (value: JsonValue) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class JsonLinesChild {
  readonly events: ChildEvent[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private buffered = '';
  private stderrText = '';
  private exited = false;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Keep the tail only: enough to explain a crash.
      this.stderrText = (this.stderrText + chunk).slice(-8192);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`child exited (code ${code}, signal ${signal}): ${this.stderrText.trim()}`);
      for (const pending of this.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(error);
      }
      this.pending.clear();
      this.notify();
    });
  }

  get stderr(): string {
    return this.stderrText;
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let message: { id?: number; result?: JsonValue; error?: string; event?: string };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      this.events.push({ event: 'stdout', line });
      this.notify();
      return;
    }
    // Events first: an event may carry its own `id` field (e.g. which transport it came from).
    if (typeof message.event === 'string') {
      this.events.push(message as ChildEvent);
      this.notify();
      return;
    }
    if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result ?? null);
    }
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Calls a method in the child; rejects on error reply, child exit or timeout. */
  request<T = JsonValue>(method: string, params: object = {}, timeoutMs = 5000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`child has exited: ${this.stderrText.trim()}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`child request ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: JsonValue) => void, reject, timer });
      this.child.stdin?.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** Resolves with the first event (already received or future) matching `predicate`. */
  waitForEvent(predicate: (event: ChildEvent) => boolean, timeoutMs = 5000): Promise<ChildEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(predicate);
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        if (this.exited) {
          cleanup();
          reject(new Error(`child exited before the awaited event: ${this.stderrText.trim()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching child event within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Events of one kind received so far. */
  eventsOf(kind: string): ChildEvent[] {
    return this.events.filter((e) => e.event === kind);
  }

  /** Closes stdin: children built on serveJsonLines exit when their input ends. */
  end(): void {
    this.child.stdin?.end();
  }
}
