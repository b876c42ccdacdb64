// The shell's one timer service: every delayed or periodic piece of shell work (VRRP timers,
// GARP pacing, uplink rounds, tracker polls, script timeouts) is armed through a `Timers`, so a
// test can drive the whole shell with one manual clock (see manual-timers.ts) and so nothing
// keeps the process alive by accident (`unref` where the caller says so).

export interface TimerHandle {
  cancel(): void;
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
    const handle = setTimeout(callback, Math.max(0, delayMs));
    if (options?.unref) handle.unref();
    return { cancel: () => clearTimeout(handle) };
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

/**
 * Timers addressed by key: arming a key again replaces its pending timer, so a component holds at
 * most one timer per purpose (per instance and VRRP timer, per uplink group round, …).
 */
export class KeyedTimers<Key> {
  private readonly pending = new Map<Key, TimerHandle>();

  constructor(private readonly timers: Timers) {}

  arm(key: Key, delayMs: number, callback: () => void, options?: TimerOptions): void {
    this.cancel(key);
    const handle = this.timers.after(
      delayMs,
      () => {
        if (this.pending.get(key) === handle) this.pending.delete(key);
        callback();
      },
      options,
    );
    this.pending.set(key, handle);
  }

  cancel(key: Key): void {
    this.pending.get(key)?.cancel();
    this.pending.delete(key);
  }

  /** Cancels every key the predicate accepts (e.g. all timers of one instance). */
  cancelWhere(predicate: (key: Key) => boolean): void {
    for (const key of [...this.pending.keys()]) if (predicate(key)) this.cancel(key);
  }

  cancelAll(): void {
    for (const handle of this.pending.values()) handle.cancel();
    this.pending.clear();
  }

  has(key: Key): boolean {
    return this.pending.has(key);
  }

  size(): number {
    return this.pending.size;
  }
}
