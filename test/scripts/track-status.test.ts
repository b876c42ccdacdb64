import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  initialTrackCounters,
  recordTrackResult,
  type TrackCounters,
} from '../../src/scripts/track-status.js';

function replay(initFail: boolean, results: boolean[], rise: number, fall: number): TrackCounters[] {
  const states: TrackCounters[] = [];
  let counters = initialTrackCounters(initFail);
  for (const success of results) {
    counters = recordTrackResult(counters, success, { rise, fall });
    states.push(counters);
  }
  return states;
}

describe('vrrp_script rise/fall', () => {
  it('starts INIT and lets the first result decide (one success or one failure is enough)', () => {
    expect(initialTrackCounters(false).status).toBe('INIT');
    expect(replay(false, [true], 3, 3)[0].status).toBe('OK');
    expect(replay(false, [false], 3, 3)[0].status).toBe('FAIL');
  });

  it('init_fail starts FAIL and needs rise successes', () => {
    expect(initialTrackCounters(true).status).toBe('FAIL');
    expect(replay(true, [true, true, true], 3, 2).map((state) => state.status)).toEqual([
      'FAIL',
      'FAIL',
      'OK',
    ]);
  });

  it('goes OK → FAIL only after fall consecutive failures; a success in between resets the count', () => {
    const statuses = replay(false, [true, false, false, true, false, false, false], 2, 3).map(
      (state) => state.status,
    );
    expect(statuses).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'FAIL']);
  });

  it('goes FAIL → OK only after rise consecutive successes', () => {
    const states = replay(false, [false, true, false, true, true], 2, 1);
    expect(states.map((state) => state.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'FAIL', 'OK']);
    expect(states[4]).toEqual({ status: 'OK', consecutiveSuccesses: 2, consecutiveFailures: 0 });
  });

  it('treats rise/fall below 1 as 1', () => {
    expect(replay(true, [true], 0, 0)[0].status).toBe('OK');
  });

  it('property: the status changes only after rise (or fall) identical consecutive results', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (initFail, results, rise, fall) => {
          let previous = initialTrackCounters(initFail);
          for (const success of results) {
            const next = recordTrackResult(previous, success, { rise, fall });
            if (next.status !== previous.status && previous.status !== 'INIT') {
              if (next.status === 'OK') expect(next.consecutiveSuccesses).toBe(rise);
              else expect(next.consecutiveFailures).toBe(fall);
            }
            if (success) expect(next.consecutiveFailures).toBe(0);
            else expect(next.consecutiveSuccesses).toBe(0);
            // OK never follows a failure, FAIL never follows a success.
            if (next.status !== previous.status) expect(next.status).toBe(success ? 'OK' : 'FAIL');
            previous = next;
          }
        },
      ),
    );
  });
});
