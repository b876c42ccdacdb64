// The same pair without unicast_peer: adverts go to 224.0.0.18 (RFC 3768 §5.2.2), which the
// client on the segment can see, and election and failover work as with unicast. Checked from
// the client (a capture, the VIP, its neighbour entry) and from both daemons' status.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';
import { clientNeighbourFollows, transitionRecords } from './observe.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('vrrpd pair on a real kernel (multicast)', () => {
  const fixture = useSegmentLab({ dist: ['src'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (priority: number) => keepalivedConfig([{ priority, authPass: 'secret1' }]);

  beforeAll(async () => {
    r1 = fixture.daemons.start('vrrpd', 'r1', config(200));
    r2 = fixture.daemons.start('vrrpd', 'r2', config(100));
  });

  it('elects the higher priority; its adverts reach the fixture.segment on 224.0.0.18', async () => {
    const { lab } = fixture.segment;
    expect(await waitForState(r1, 'MASTER', 8000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
    // Started together, the two may race at start-up; r2 settles behind r1's multicast adverts.
    expect(await waitFor(async () => (await instanceStatus(r2))?.masterAddress === '192.0.2.1', 2000)).toBe(
      true,
    );
    expect((await instanceStatus(r2))?.counters.advertsRx).toBeGreaterThan(0);
    // A bystander sees them: multicast floods the bridge (unicast adverts would not reach c1).
    const capture = await lab.exec(
      'c1',
      ['timeout', '4', 'tcpdump', '-n', '-l', '-i', 'eth0', '-c', '2', 'ip proto 112'],
      { check: false, timeoutMs: 6000 },
    );
    expect(capture.stdout).toMatch(/192\.0\.2\.1 > 224\.0\.0\.18: VRRPv2, Advertisement, vrid 51, prio 200/);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(false);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r1', 'eth0'));
  });

  it('kill -9 of the master: the backup takes over after about Master_Down_Interval', async () => {
    const { lab } = fixture.segment;
    const killedAt = Date.now();
    await fixture.daemons.stop(r1, 'SIGKILL');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    const elapsed = Date.now() - killedAt;
    expect(elapsed).toBeGreaterThan(2500);
    expect(elapsed).toBeLessThan(6500);
    expect(transitionRecords(r2).at(-1)).toMatchObject({
      from: 'BACKUP',
      to: 'MASTER',
      reason: 'master_down_timer',
    });
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
  });
});
