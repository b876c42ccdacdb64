// The round scheduler on a manual clock: one round at a time, the next one `interval` after the
// previous one started, and a round asked for while one is in flight runs right after it.

import { describe, expect, it } from 'vitest';
import { RoundScheduler } from '../../../src/daemon/uplinks/round-scheduler.js';
import { ManualTimers } from '../../../src/runtime/manual-timers.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function harness(roundMs: number) {
  const timers = new ManualTimers();
  const starts: number[] = [];
  let finish: (() => void) | null = null;
  const scheduler = new RoundScheduler({
    timers,
    clock: timers,
    nextRoundAt: (startedAt: number) => startedAt + 1000,
    run: () => {
      starts.push(timers.now());
      return new Promise<void>((resolve) => {
        finish = resolve;
        timers.after(roundMs, () => resolve());
      });
    },
  });
  return { timers, starts, scheduler, finishNow: () => finish?.() };
}

describe('RoundScheduler', () => {
  it('starts a round at once when asked, then one every interval from the previous start', async () => {
    const { timers, starts, scheduler } = harness(300);
    scheduler.requestNow();
    await timers.advanceAsync(3500, settle);
    expect(starts).toEqual([0, 1000, 2000, 3000]);
    await scheduler.stop();
  });

  it('a round longer than the interval is followed by the next one at once, never overlapping', async () => {
    const { timers, starts, scheduler } = harness(1500);
    scheduler.requestNow();
    await timers.advanceAsync(4000, settle);
    expect(starts).toEqual([0, 1500, 3000]);
    // stop() waits for the round in flight (3000 + 1500), and nothing starts after it.
    const stopped = scheduler.stop();
    await timers.advanceAsync(2000, settle);
    await stopped;
    expect(starts).toEqual([0, 1500, 3000]);
  });

  it('a round asked for during a round runs right after it; stop ends scheduling', async () => {
    const { timers, starts, scheduler } = harness(300);
    scheduler.requestNow();
    await timers.advanceAsync(100, settle);
    scheduler.requestNow();
    await timers.advanceAsync(400, settle);
    expect(starts).toEqual([0, 300]);
    const stopped = scheduler.stop();
    await timers.advanceAsync(5000, settle);
    await stopped;
    expect(starts).toEqual([0, 300]);
    expect(timers.size()).toBe(0);
  });
});
