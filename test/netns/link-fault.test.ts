// Carrier loss on the master's interface (`ip link set eth0 down` in r1): keepalived semantics are
// FAULT on the master, takeover by the backup after Master_Down_Interval (the faulted master
// cannot tell anyone it is leaving), and on link up the old master leaves FAULT, waits as
// BACKUP and preempts back. Checked from the client and from both daemons' status.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, holdsAddress, instanceStatus, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import type { RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, transitionRecords } from './observe.js';
import { startUnicastPairLab, teardownPairLab } from './pair.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('link down on the master: FAULT, takeover, recovery', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let r1: RunningDaemon;
  let r2: RunningDaemon;

  beforeAll(async () => {
    ({ segment, daemons, r1, r2 } = await startUnicastPairLab());
  });

  afterAll(() => teardownPairLab(segment, daemons));

  it('link down: r1 goes FAULT at once and drops the VIP; r2 takes over and the client follows', async () => {
    const { lab } = segment;
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r1', 'eth0'));
    const downAt = Date.now();
    await lab.linkDown('r1', 'eth0');
    expect(await waitForState(r1, 'FAULT', 1500)).not.toBeNull();
    const r1Status = await instanceStatus(r1);
    expect(r1Status?.lastTransitionReason).toBe('fault');
    expect(r1Status?.masterAddress).toBeNull();
    expect(r1Status?.counters.releasedMaster).toBe(1);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(false);
    // No priority-0 advert could leave a downed link: r2 waits a full Master_Down_Interval (≈3.6 s).
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    const elapsed = Date.now() - downAt;
    expect(elapsed).toBeGreaterThan(2500);
    expect(elapsed).toBeLessThan(7000);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    // Still FAULT while the link stays down.
    expect((await instanceStatus(r1))?.state).toBe('FAULT');
  });

  it('link up: r1 leaves FAULT as BACKUP, then preempts back', async () => {
    const { lab } = segment;
    await lab.linkUp('r1', 'eth0');
    expect(await waitForState(r1, 'BACKUP', 2000)).not.toBeNull();
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect(transitionRecords(r1).map((t) => `${t.from}>${t.to}`)).toEqual([
      'INIT>BACKUP',
      'BACKUP>MASTER',
      'MASTER>FAULT',
      'FAULT>BACKUP',
      'BACKUP>MASTER',
    ]);
    const r1Status = await instanceStatus(r1);
    expect(r1Status?.counters.becameMaster).toBe(2);
    expect(r1Status?.effectivePriority).toBe(200);
    expect((await instanceStatus(r2))?.masterAddress).toBe('192.0.2.1');
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(false);
    expect(await clientNeighbourFollows(lab, 'r1', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
  });
});
