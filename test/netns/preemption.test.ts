// Preemption knobs on a real kernel: a returning higher-priority router configured `nopreempt`
// leaves the running master alone; with `preempt_delay` it takes over, but only once the delay
// has run out. Checked from the client (who answers the VIP) and from both daemons' status.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitForState,
  type RunningDaemon,
  type VrrpInstanceOptions,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';
import { clientNeighbourFollows, statesDuring, transitionRecords } from './observe.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('preemption: nopreempt and preempt_delay', () => {
  const fixture = useSegmentLab({ dist: ['src'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (self: string, peer: string, priority: number, extra: Partial<VrrpInstanceOptions> = {}) =>
    keepalivedConfig([{ priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1', ...extra }]);

  beforeAll(async () => {
    // The lower-priority router starts alone and becomes MASTER; r1 "returns" later.
    r2 = fixture.daemons.start('vrrpd', 'r2', config('192.0.2.2', '192.0.2.1', 100));
  });

  it('nopreempt: the returning higher-priority router stays BACKUP behind the running master', async () => {
    const { lab } = fixture.segment;
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    r1 = fixture.daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200, { nopreempt: true }));
    expect(await waitForState(r1, 'BACKUP', 3000)).not.toBeNull();
    // r1's own Master_Down_Interval is 3 s + (256-200)/256 s ≈ 3.2 s: watch well past it.
    const [r1States, r2States] = await statesDuring([r1, r2], 4500);
    expect(r1States).toEqual(['BACKUP']);
    expect(r2States).toEqual(['MASTER']);
    expect(transitionRecords(r1).map((t) => t.to)).toEqual(['BACKUP']);
    const r1Status = await instanceStatus(r1);
    expect(r1Status?.counters.becameMaster).toBe(0);
    expect(r1Status?.masterAddress).toBe('192.0.2.2');
    expect(r1Status?.counters.advertsRx).toBeGreaterThan(2);
    expect((await instanceStatus(r2))?.counters.becameMaster).toBe(1);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(false);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r2', 'eth0'));
  });

  it('preempt_delay: the returning router preempts only after the delay', async () => {
    const { lab } = fixture.segment;
    expect(await fixture.daemons.stop(r1, 'SIGTERM')).toBe(0);
    expect((await instanceStatus(r2))?.state).toBe('MASTER');
    // Without the delay r1 would preempt one Master_Down_Interval (≈3.2 s) after starting;
    // with 6 s it must wait at least 6 s, and not much more than 6 s + 3.2 s.
    const startedAt = Date.now();
    r1 = fixture.daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200, { preemptDelay: 6 }));
    expect(await waitForState(r1, 'BACKUP', 3000)).not.toBeNull();
    expect(await waitForState(r1, 'MASTER', 14_000)).not.toBeNull();
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(6000);
    expect(elapsed).toBeLessThan(13_000);
    expect(transitionRecords(r1).map((t) => `${t.to}:${t.reason}`)).toEqual([
      'BACKUP:startup',
      'MASTER:preempt',
    ]);
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect((await instanceStatus(r2))?.masterAddress).toBe('192.0.2.1');
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(false);
    expect(await clientNeighbourFollows(lab, 'r1', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
  });
});
