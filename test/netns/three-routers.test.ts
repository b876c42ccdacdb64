// Three routers (priorities 200/150/50, unicast to both peers): when the master dies, the next
// priority wins — its shorter Skew_Time makes its Master_Down_Timer expire first and its first
// advert holds the lowest one in BACKUP. Checked from the client and from the three daemons.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitForState,
  waitFor,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';
import { clientNeighbourFollows, transitionRecords } from './observe.js';

const skip = requireRoot();
const VIP = '192.0.2.254';
const ADDRESSES = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];

describe.skipIf(skip !== undefined)('three routers: 200 / 150 / 50', () => {
  const fixture = useSegmentLab({ routers: 3, dist: ['src'] });
  let routers: RunningDaemon[];
  const config = (index: number, priority: number) =>
    keepalivedConfig([
      {
        priority,
        unicastSrc: ADDRESSES[index],
        unicastPeers: ADDRESSES.filter((_, i) => i !== index),
        authPass: 'secret1',
      },
    ]);

  beforeAll(async () => {
    // r1 first, so the start-up election is not a race between three daemons starting at once.
    routers = [fixture.daemons.start('vrrpd', 'r1', config(0, 200))];
    if ((await waitForState(routers[0]!, 'MASTER', 8000)) === null) throw new Error('r1 never became MASTER');
    routers.push(
      fixture.daemons.start('vrrpd', 'r2', config(1, 150)),
      fixture.daemons.start('vrrpd', 'r3', config(2, 50)),
    );
  });

  it('the 200 router stays MASTER; both others follow it as BACKUP', async () => {
    const [r1, r2, r3] = routers as [RunningDaemon, RunningDaemon, RunningDaemon];
    const { lab } = fixture.segment;
    for (const backup of [r2, r3]) {
      expect(await waitForState(backup, 'BACKUP', 3000)).not.toBeNull();
      expect(
        await waitFor(async () => (await instanceStatus(backup))?.masterAddress === '192.0.2.1', 2000),
      ).toBe(true);
    }
    expect((await instanceStatus(r1))?.state).toBe('MASTER');
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r1', 'eth0'));
  });

  it('kill -9 of the master: the 150 router wins, the 50 router stays BACKUP', async () => {
    const [r1, r2, r3] = routers as [RunningDaemon, RunningDaemon, RunningDaemon];
    const { lab } = fixture.segment;
    await fixture.daemons.stop(r1, 'SIGKILL');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    // r3 hears r2's first advert before its own, longer, timer runs out (Master_Down_Interval
    // ≈3.80 s for priority 50 vs ≈3.41 s for 150: a 390 ms margin, wide enough for a busy machine).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const r3Status = await instanceStatus(r3);
    expect(r3Status?.state).toBe('BACKUP');
    expect(r3Status?.masterAddress).toBe('192.0.2.2');
    expect(r3Status?.counters.becameMaster).toBe(0);
    expect(transitionRecords(r3).map((t) => t.to)).toEqual(['BACKUP']);
    expect((await instanceStatus(r2))?.counters.becameMaster).toBe(1);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r3', 'eth0', VIP)).toBe(false);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
  });
});
