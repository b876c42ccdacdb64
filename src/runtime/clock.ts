// The shell's one clock. The pure core never reads time: the shell passes `now()` into it.
// Monotonic time drives the protocol (timers, intervals, rates); wall time is only for what
// people read (log stamps, "since" columns, state files).

import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Monotonic milliseconds (integer), unaffected by wall-clock steps. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for times shown to people. */
  wallNow(): number;
}

export const systemClock: Clock = {
  now: () => Math.round(performance.now()),
  wallNow: () => Date.now(),
};
