// A virtual clock and timer service for tests of the shell: time moves only when the test says
// so, and timers fire in due order (ties in arming order), so a run is the same every time.

import type { Clock } from './clock.js';
import type { TimerHandle, Timers } from './timers.js';

interface Pending {
  due: number;
  seq: number;
  callback: () => void;
  periodMs: number | null;
  cancelled: boolean;
}

export class ManualTimers implements Timers, Clock {
  private time: number;
  private seq = 0;
  private readonly pending: Pending[] = [];

  constructor(
    startMs = 0,
    private readonly wallOffsetMs = 1_700_000_000_000,
  ) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return this.wallOffsetMs + this.time;
  }

  after(delayMs: number, callback: () => void): TimerHandle {
    return this.add(Math.max(0, delayMs), callback, null);
  }

  every(periodMs: number, callback: () => void): TimerHandle {
    return this.add(Math.max(1, periodMs), callback, Math.max(1, periodMs));
  }

  private add(delayMs: number, callback: () => void, periodMs: number | null): TimerHandle {
    const entry: Pending = {
      due: this.time + delayMs,
      seq: this.seq++,
      callback,
      periodMs,
      cancelled: false,
    };
    this.pending.push(entry);
    let current = entry;
    return {
      cancel: () => {
        current.cancelled = true;
      },
      // As cancel() then a new timer for the same callback: ties keep arming order.
      restart: (nextMs) => {
        current.cancelled = true;
        current = { ...current, due: this.time + Math.max(0, nextMs), seq: this.seq++, cancelled: false };
        this.pending.push(current);
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (bounded). */
  advance(ms: number, maxFirings = 100_000): void {
    const target = this.time + Math.max(0, ms);
    for (let fired = 0; fired < maxFirings && this.fireNext(target); fired++);
    this.time = target;
    this.compact();
  }

  /**
   * Like advance(), awaiting `settle` after each firing, so the promises a timer's work settles
   * run before the next timer fires (code under test that awaits between timers).
   */
  async advanceAsync(ms: number, settle: () => Promise<void>, maxFirings = 100_000): Promise<void> {
    const target = this.time + Math.max(0, ms);
    for (let fired = 0; fired < maxFirings && this.fireNext(target); fired++) await settle();
    this.time = target;
    this.compact();
    await settle();
  }

  /** Fires the earliest timer due at or before `limit`; false when there is none. */
  private fireNext(limit: number): boolean {
    const next = this.nextDue(limit);
    if (!next) return false;
    this.time = next.due;
    if (next.periodMs === null) next.cancelled = true;
    else next.due += next.periodMs;
    next.callback();
    return true;
  }

  /** Timers still armed. */
  size(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  private nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const entry of this.pending) {
      if (entry.cancelled || entry.due > limit) continue;
      if (!best || entry.due < best.due || (entry.due === best.due && entry.seq < best.seq)) best = entry;
    }
    return best;
  }

  private compact(): void {
    for (let i = this.pending.length - 1; i >= 0; i--)
      if (this.pending[i]!.cancelled) this.pending.splice(i, 1);
  }
}
