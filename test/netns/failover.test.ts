// Two vrrpd routers on one LAN (test/lab topology): election, crash, graceful stop, preemption,
// each checked from the client's side (does the VIP answer, whose MAC does the client hold) and
// from the daemons' status.

import { beforeAll, describe, expect, it } from 'vitest';
import { holdsAddress, keepalivedConfig, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';

const skip = requireRoot();

describe.skipIf(skip !== undefined)('vrrpd pair on a real kernel (unicast)', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/lab'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (self: string, peer: string, priority: number) =>
    keepalivedConfig([{ priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1' }]);

  beforeAll(async () => {
    r1 = fixture.daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200));
    r2 = fixture.daemons.start('vrrpd', 'r2', config('192.0.2.2', '192.0.2.1', 100));
  });

  it('elects the higher priority, which holds the VIP and answers the client', async () => {
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
    const { lab } = fixture.segment;
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.254')).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', '192.0.2.254')).toBe(false);
    expect(await lab.pingOnce('c1', '192.0.2.254', 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', '192.0.2.254')).toBe(await lab.macOf('r1', 'eth0'));
  });

  it('kill -9 of the master: the backup takes over after about Master_Down_Interval and the client follows', async () => {
    const { lab } = fixture.segment;
    const killedAt = Date.now();
    await fixture.daemons.stop(r1, 'SIGKILL');
    const took = await waitForState(r2, 'MASTER', 8000);
    expect(took).not.toBeNull();
    // Master_Down_Interval for priority 100, advert_int 1: 3 s + (256-100)/256 s = 3.61 s.
    const elapsed = Date.now() - killedAt;
    expect(elapsed).toBeGreaterThan(2500);
    expect(elapsed).toBeLessThan(6000);
    // The killed daemon could not clean up: its VIP is still configured in r1's namespace, which is
    // what a crash leaves. The client must nevertheless reach r2 through the GARP it sent.
    expect(await holdsAddress(lab, 'r2', 'eth0', '192.0.2.254')).toBe(true);
    expect(await lab.neighbourMac('c1', '192.0.2.254')).toBe(await lab.macOf('r2', 'eth0'));
  });

  it('the restarted master removes its stale VIP first, then preempts back', async () => {
    const { lab } = fixture.segment;
    r1 = fixture.daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200));
    expect(await waitForState(r1, 'BACKUP', 3000)).not.toBeNull();
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.254')).toBe(false);
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect(await lab.neighbourMac('c1', '192.0.2.254')).toBe(await lab.macOf('r1', 'eth0'));
  });

  it('SIGTERM of the master: priority 0, VIP released, exit 0, takeover after about Skew_Time', async () => {
    const { lab } = fixture.segment;
    const stoppedAt = Date.now();
    const exit = await fixture.daemons.stop(r1, 'SIGTERM');
    expect(exit).toBe(0);
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.254')).toBe(false);
    expect(await waitForState(r2, 'MASTER', 3000)).not.toBeNull();
    // Skew_Time for priority 100 is 0.61 s; well under a Master_Down_Interval.
    expect(Date.now() - stoppedAt).toBeLessThan(2500);
    expect(await lab.pingOnce('c1', '192.0.2.254', 1000)).toBe(true);
  });
});
