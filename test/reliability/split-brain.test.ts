// Split brain and its end (issue 9; keepalived issue #166): the master is cut from the segment
// (its carrier stays up, so it stays MASTER) until the backup also becomes MASTER and the client
// follows the backup's gratuitous ARP. When the link heals, exactly one MASTER must remain within
// one advert interval, and the winner — which never stopped being MASTER — must send gratuitous
// ARP again, or the client keeps sending to the loser until its neighbour entry expires.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DaemonSet,
  holdsAddress,
  instanceStatus,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import type { RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, recordsWithMessage, transitionRecords } from '../netns/observe.js';
import { startUnicastPairLab, teardownPairLab } from '../netns/pair.js';

const skip = requireRoot();
const VIP = '192.0.2.254';
const ADVERT_INTERVAL_MS = 1000;
/** Status polling, the control socket round trip and scheduling: well under an interval. */
const SLACK_MS = 500;

describe.skipIf(skip !== undefined)('split brain: both MASTER while cut, one MASTER after healing', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let r1: RunningDaemon;
  let r2: RunningDaemon;

  beforeAll(async () => {
    ({ segment, daemons, r1, r2 } = await startUnicastPairLab());
  });

  afterAll(() => teardownPairLab(segment, daemons));

  it('cut: the backup becomes MASTER too, and the client follows it', async () => {
    const { lab } = segment;
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r1', 'eth0'));
    await lab.cut('r1');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    expect((await instanceStatus(r1))?.state).toBe('MASTER');
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
  });

  it('heal: exactly one MASTER within one advert interval; the winner re-announces the VIP', async () => {
    const { lab } = segment;
    const r1Transitions = transitionRecords(r1).length;
    const healedAt = Date.now();
    await lab.heal('r1');
    let masters: string[] = [];
    const resolved = await waitFor(
      async () => {
        const states = await Promise.all([instanceStatus(r1), instanceStatus(r2)]);
        masters = ['r1', 'r2'].filter((_, i) => states[i]?.state === 'MASTER');
        return states[0]?.state === 'MASTER' && states[1]?.state === 'BACKUP';
      },
      ADVERT_INTERVAL_MS + SLACK_MS,
      10,
    );
    const tookMs = Date.now() - healedAt;
    expect(resolved, `masters after ${tookMs} ms: ${masters.join(', ')}`).toBe(true);
    expect(tookMs).toBeLessThanOrEqual(ADVERT_INTERVAL_MS + SLACK_MS);
    // The higher priority won without ever leaving MASTER; the loser stepped down.
    expect(transitionRecords(r1)).toHaveLength(r1Transitions);
    expect(transitionRecords(r2).at(-1)).toMatchObject({ from: 'MASTER', to: 'BACKUP' });
    expect(await waitFor(async () => !(await holdsAddress(lab, 'r2', 'eth0', VIP)), 1000)).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    // The winner heard the lower-priority master and answered with an advert and gratuitous ARP:
    // the client's entry moves back to r1 without being flushed and without the client asking.
    // (Twice if r2's own timer advert reached r1 before r1's advert reached r2.)
    expect(
      recordsWithMessage(r1, 'received lower priority (100) advert from 192.0.2.2').length,
    ).toBeGreaterThanOrEqual(1);
    expect(await clientNeighbourFollows(lab, 'r1', VIP, 2000)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
  });
});
