// When probe rounds run: one at a time, each at the time the caller names after the previous one
// started (its earliest due gateway; or at once when someone asked for a round while one was in
// flight: becoming master, a reload). It
// only schedules; what a round does is the `run` callback, and what its results mean is the
// policy's business. Timers come from the runtime's timer service, so tests can drive it by hand.

import type { TimerHandle, Timers } from '../../runtime/timers.js';
import type { Clock } from '../../runtime/clock.js';

export interface RoundSchedulerOptions {
  timers: Timers;
  clock: Clock;
  /** When the next round starts, given when the previous one started (asked after each round). */
  nextRoundAt: (startedAt: number) => number;
  /** One round; never rejects (the caller logs its own failures). */
  run: () => Promise<void>;
}

export class RoundScheduler {
  private timer: TimerHandle | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: RoundSchedulerOptions) {}

  /** Runs a round as soon as possible: now, or right after the one in flight. */
  requestNow(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.arm(0);
  }

  /** Stops scheduling; resolves when the round in flight (if any) has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    return this.inFlight ?? Promise.resolve();
  }

  /** The round in flight, if any. */
  current(): Promise<void> | null {
    return this.inFlight;
  }

  private arm(delayMs: number): void {
    this.timer?.cancel();
    this.timer = this.options.timers.after(delayMs, () => this.startRound(), { unref: true });
  }

  private startRound(): void {
    this.timer = null;
    if (this.stopped || this.inFlight) return;
    const startedAt = this.options.clock.now();
    this.inFlight = this.options.run().finally(() => {
      this.inFlight = null;
      if (this.stopped) return;
      const wait = this.again
        ? 0
        : Math.max(0, this.options.nextRoundAt(startedAt) - this.options.clock.now());
      this.again = false;
      this.arm(wait);
    });
  }
}
