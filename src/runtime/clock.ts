// The shell's one clock. The pure core never reads time: the shell passes `now()` into it.
// Monotonic time drives the protocol (timers, intervals, rates); wall time is only for what
// people read (log stamps, "since" columns, state files).

// process.hrtime, not performance.now(): the same monotonic clock, without loading node:perf_hooks
// at start-up (issue 15). Counted from the module's load so the numbers stay small.
const [originSeconds, originNanos] = process.hrtime();

export interface Clock {
  /** Monotonic milliseconds (integer), unaffected by wall-clock steps. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for times shown to people. */
  wallNow(): number;
}

/**
 * A monotonic time from elsewhere in the process (the addon's uv_hrtime, in ms) on systemClock's
 * scale, unrounded.
 */
export function fromMonotonicMs(ms: number): number {
  return ms - (originSeconds * 1000 + originNanos / 1e6);
}

export const systemClock: Clock = {
  now: () => {
    const [seconds, nanos] = process.hrtime();
    return Math.round((seconds - originSeconds) * 1000 + (nanos - originNanos) / 1e6);
  },
  wallNow: () => Date.now(),
};
