// The shell's one timer service: every delayed or periodic piece of shell work (VRRP timers,
// GARP pacing, uplink rounds, tracker polls, script timeouts) is armed through a `Timers`, so a
// test can drive the whole shell with one manual clock (see manual-timers.ts) and so nothing
// keeps the process alive by accident (`unref` where the caller says so).

export interface TimerHandle {
  cancel(): void;
  /**
   * Arms the same callback again, `delayMs` from now, whether it is pending or has already run
   * (never after cancel()). Optional: KeyedTimers uses it, where given, to re-arm a key without
   * a new timer object each time (a backup re-arms its Master_Down timer at every advert).
   */
  restart?(delayMs: number): void;
}

export interface TimerOptions {
  /** Do not keep the process alive for this timer alone (probes, refreshes). */
  unref?: boolean;
}

export interface Timers {
  /** Runs `callback` once after `delayMs` (negative delays run as soon as possible). */
  after(delayMs: number, callback: () => void, options?: TimerOptions): TimerHandle;
  /** Runs `callback` every `periodMs` until cancelled. */
  every(periodMs: number, callback: () => void, options?: TimerOptions): TimerHandle;
}

export const systemTimers: Timers = {
  after(delayMs, callback, options) {
    let delay = Math.max(0, delayMs);
    let handle = setTimeout(callback, delay);
    if (options?.unref) handle.unref();
    return {
      cancel: () => clearTimeout(handle),
      restart(nextMs) {
        const next = Math.max(0, nextMs);
        // The same delay: Node moves the timer it has (fired or not) to the end of its list.
        if (next === delay) {
          handle.refresh();
          return;
        }
        clearTimeout(handle);
        delay = next;
        handle = setTimeout(callback, delay);
        if (options?.unref) handle.unref();
      },
    };
  },
  every(periodMs, callback, options) {
    const handle = setInterval(callback, Math.max(1, periodMs));
    if (options?.unref) handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

/** A promise that resolves after `delayMs` on the given timers (never keeps the process alive). */
export function sleep(timers: Timers, delayMs: number): Promise<void> {
  return new Promise((resolve) => timers.after(delayMs, resolve, { unref: true }));
}

interface KeyedEntry {
  handle: TimerHandle;
  callback: () => void;
  /** Armed and not yet run. */
  pending: boolean;
  unref: boolean;
}

/**
 * Timers addressed by key: arming a key again replaces its pending timer, so a component holds at
 * most one timer per purpose (per instance and VRRP timer, per uplink group round, …). A key armed
 * again while pending, or from its own callback (an advert timer), reuses its timer (restart).
 */
export class KeyedTimers<Key> {
  private readonly entries = new Map<Key, KeyedEntry>();

  constructor(private readonly timers: Timers) {}

  arm(key: Key, delayMs: number, callback: () => void, options?: TimerOptions): void {
    const unref = options?.unref ?? false;
    const existing = this.entries.get(key);
    if (existing?.handle.restart && existing.unref === unref) {
      existing.callback = callback;
      existing.pending = true;
      existing.handle.restart(delayMs);
      return;
    }
    existing?.handle.cancel();
    const entry: KeyedEntry = { handle: { cancel: () => undefined }, callback, pending: true, unref };
    entry.handle = this.timers.after(delayMs, () => this.fire(key, entry), options);
    this.entries.set(key, entry);
  }

  private fire(key: Key, entry: KeyedEntry): void {
    entry.pending = false;
    try {
      entry.callback();
    } finally {
      // Not armed again from its own callback: the key is free.
      if (!entry.pending && this.entries.get(key) === entry) this.entries.delete(key);
    }
  }

  cancel(key: Key): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.handle.cancel();
    this.entries.delete(key);
  }

  /** Cancels every key the predicate accepts (e.g. all timers of one instance). */
  cancelWhere(predicate: (key: Key) => boolean): void {
    for (const key of [...this.entries.keys()]) if (predicate(key)) this.cancel(key);
  }

  cancelAll(): void {
    for (const entry of this.entries.values()) entry.handle.cancel();
    this.entries.clear();
  }

  has(key: Key): boolean {
    return this.entries.get(key)?.pending === true;
  }

  size(): number {
    let pending = 0;
    for (const entry of this.entries.values()) if (entry.pending) pending++;
    return pending;
  }
}
