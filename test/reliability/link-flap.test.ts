// The master's interface flapped 20 times in a few seconds (issue 9): every down is a FAULT and
// every up a return to BACKUP, with kernel work (VIP removal, re-adds, GARP on a link that may be
// down again) racing the next event. The daemons must survive it and settle into a consistent
// pair: one MASTER (r1, which has the higher priority and preempts), the VIP there exactly once
// and nowhere else, bookkeeping that adds up, the client served.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, instanceStatus, waitFor, type RunningDaemon } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import type { RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, sleep, transitionRecords } from '../netns/observe.js';
import { startUnicastPairLab, teardownPairLab } from '../netns/pair.js';
import { addressCount, bookkeepingProblems } from './consistency.js';

const skip = requireRoot();
const VIP = '192.0.2.254';
const FLAPS = 20;

describe.skipIf(skip !== undefined)(`the master's link flapped ${FLAPS} times`, () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let r1: RunningDaemon;
  let r2: RunningDaemon;

  beforeAll(async () => {
    ({ segment, daemons, r1, r2 } = await startUnicastPairLab());
  });

  afterAll(() => teardownPairLab(segment, daemons));

  it('no crash; ends with one MASTER holding the VIP once, the backup without it', async () => {
    const { lab } = segment;
    // The client talks to the VIP first, so it has a neighbour entry for gratuitous ARPs to update.
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    const startedAt = Date.now();
    for (let i = 0; i < FLAPS; i++) {
      await lab.linkDown('r1', 'eth0');
      await sleep(40 + (i % 3) * 30);
      await lab.linkUp('r1', 'eth0');
      await sleep(60 + (i % 4) * 25);
    }
    const flappingMs = Date.now() - startedAt;
    expect(flappingMs).toBeLessThan(8000);
    expect(r1.exited()).toBe(false);
    expect(r2.exited()).toBe(false);
    // r1 saw the downs: at least one FAULT (netlink may merge very short flaps, never all of them).
    expect(transitionRecords(r1).filter((t) => t.to === 'FAULT').length).toBeGreaterThan(0);

    // Settle: back from FAULT to BACKUP, then preemption (r1 200 > r2 100), bounded.
    const settled = await waitFor(
      async () => {
        const [one, two] = await Promise.all([instanceStatus(r1), instanceStatus(r2)]);
        return one?.state === 'MASTER' && two?.state === 'BACKUP';
      },
      15_000,
      100,
    );
    expect(settled, JSON.stringify([transitionRecords(r1), transitionRecords(r2)])).toBe(true);
    // Kernel work queued during the flaps must have drained into the right end state.
    expect(await waitFor(async () => (await addressCount(lab, 'r2', 'eth0', VIP)) === 0, 3000)).toBe(true);
    expect(await waitFor(async () => (await addressCount(lab, 'r1', 'eth0', VIP)) === 1, 3000)).toBe(true);
    expect(await bookkeepingProblems(r1)).toEqual([]);
    expect(await bookkeepingProblems(r2)).toEqual([]);
    expect(await clientNeighbourFollows(lab, 'r1', VIP, 3000)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    // And it stays that way: no transition in the next two advert intervals.
    const transitions = [transitionRecords(r1).length, transitionRecords(r2).length];
    await sleep(2500);
    expect([transitionRecords(r1).length, transitionRecords(r2).length]).toEqual(transitions);
  }, 45_000);
});
