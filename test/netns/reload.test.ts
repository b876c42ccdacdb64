// SIGHUP on a real kernel: an unchanged configuration changes nothing; changed virtual addresses
// are diffed in the kernel while the instance stays MASTER; a priority lowered below the peer's
// hands mastership over; a broken file is rejected (its errors logged with file:line) and the
// running configuration keeps running. Checked from the client, the kernel and both daemons.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';
import {
  clientNeighbourFollows,
  recordsWithMessage,
  statesDuring,
  transitionRecords,
  waitForMessage,
} from './observe.js';
import { startPair } from './pair.js';

const skip = requireRoot();
const RELOADED = 'configuration reloaded';

describe.skipIf(skip !== undefined)('SIGHUP reload on a running pair', () => {
  const fixture = useSegmentLab({ dist: ['src'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (self: string, peer: string, priority: number, vips: string[]) =>
    keepalivedConfig([{ priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1', vips }]);
  const firstVips = ['192.0.2.254/24', '192.0.2.253/24'];
  const secondVips = ['192.0.2.254/24', '192.0.2.252/24'];
  let reloadsOfR1 = 0;
  let reloadsOfR2 = 0;

  /** Sends SIGHUP and waits for the daemon to report the reload done. */
  async function hup(daemon: RunningDaemon): Promise<void> {
    const expected = daemon === r1 ? ++reloadsOfR1 : ++reloadsOfR2;
    process.kill(daemon.pid, 'SIGHUP');
    if (!(await waitForMessage(daemon, RELOADED, 3000, expected))) {
      throw new Error(`${daemon.role} did not finish reload #${expected}`);
    }
  }

  beforeAll(async () => {
    [r1, r2] = await startPair(
      fixture.daemons,
      { role: 'r1', config: config('192.0.2.1', '192.0.2.2', 200, firstVips) },
      { role: 'r2', config: config('192.0.2.2', '192.0.2.1', 100, firstVips), masterAddress: '192.0.2.1' },
    );
  });

  it('unchanged configuration: no transition on either router, adverts keep flowing', async () => {
    const before = [await instanceStatus(r1), await instanceStatus(r2)];
    const recordsBefore = [transitionRecords(r1).length, transitionRecords(r2).length];
    await hup(r1);
    await hup(r2);
    // Long enough for r2's Master_Down_Interval (≈3.6 s) to expire if r1 had stopped advertising.
    const [r1States, r2States] = await statesDuring([r1, r2], 4000);
    expect(r1States).toEqual(['MASTER']);
    expect(r2States).toEqual(['BACKUP']);
    const after = [await instanceStatus(r1), await instanceStatus(r2)];
    expect([transitionRecords(r1).length, transitionRecords(r2).length]).toEqual(recordsBefore);
    for (const [index, status] of after.entries()) {
      expect(status?.counters.becameMaster).toBe(before[index]?.counters.becameMaster);
      expect(status?.lastTransition).toBe(before[index]?.lastTransition);
      expect(status?.lastTransitionReason).toBe(before[index]?.lastTransitionReason);
    }
    expect(after[1]!.counters.advertsRx).toBeGreaterThan(before[1]!.counters.advertsRx + 2);
    expect(recordsWithMessage(r1, RELOADED).at(-1)).toMatchObject({ kept: 1, added: 0, removed: 0 });
    expect(await fixture.segment.lab.pingOnce('c1', '192.0.2.254', 1000)).toBe(true);
  });

  it('a VIP added and one removed while MASTER: the kernel addresses follow, no transition', async () => {
    const { lab } = fixture.segment;
    const before = await instanceStatus(r1);
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.253')).toBe(true);
    fixture.daemons.rewriteConfig(r1, config('192.0.2.1', '192.0.2.2', 200, secondVips));
    fixture.daemons.rewriteConfig(r2, config('192.0.2.2', '192.0.2.1', 100, secondVips));
    await hup(r1);
    await hup(r2);
    expect(await waitForMessage(r1, 'virtual addresses updated by reload', 2000)).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.254')).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.252')).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.253')).toBe(false);
    for (const address of ['192.0.2.252', '192.0.2.253', '192.0.2.254']) {
      expect(await holdsAddress(lab, 'r2', 'eth0', address)).toBe(false);
    }
    const after = await instanceStatus(r1);
    expect(after?.state).toBe('MASTER');
    expect(after?.vips).toEqual(secondVips);
    expect(after?.counters.becameMaster).toBe(before?.counters.becameMaster);
    expect(after?.lastTransition).toBe(before?.lastTransition);
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
    expect(await lab.pingOnce('c1', '192.0.2.252', 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', '192.0.2.252')).toBe(await lab.macOf('r1', 'eth0'));
    expect(await lab.pingOnce('c1', '192.0.2.253', 500)).toBe(false);
  });

  it('priority lowered below the peer: the peer takes over and the VIPs move', async () => {
    const { lab } = fixture.segment;
    const handedAt = Date.now();
    fixture.daemons.rewriteConfig(r1, config('192.0.2.1', '192.0.2.2', 50, secondVips));
    await hup(r1);
    const r1Status = await instanceStatus(r1);
    expect(r1Status?.priority).toBe(50);
    // r2 (preempt) ignores the lower-priority adverts and its Master_Down_Timer (≈3.6 s) expires.
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    expect(Date.now() - handedAt).toBeLessThan(7000);
    expect(await waitForState(r1, 'BACKUP', 2000)).not.toBeNull();
    expect(transitionRecords(r1).at(-1)).toMatchObject({ from: 'MASTER', to: 'BACKUP' });
    expect((await instanceStatus(r1))?.masterAddress).toBe('192.0.2.2');
    for (const address of ['192.0.2.254', '192.0.2.252']) {
      expect(await holdsAddress(lab, 'r2', 'eth0', address)).toBe(true);
      expect(await holdsAddress(lab, 'r1', 'eth0', address)).toBe(false);
    }
    expect(await clientNeighbourFollows(lab, 'r2', '192.0.2.254')).toBe(true);
    expect(await lab.pingOnce('c1', '192.0.2.254', 1000)).toBe(true);
  });

  it('a broken configuration is rejected with file:line and the running one keeps running', async () => {
    const good = fixture.daemons.readConfig(r1);
    const lines = good.split('\n');
    // Something vrrpd (like keepalived) cannot run; a bad priority would only be warned about
    // and ignored, as keepalived ignores it.
    const priorityLine = lines.findIndex((line) => line.trim().startsWith('virtual_router_id ')) + 1;
    expect(priorityLine).toBeGreaterThan(0);
    lines[priorityLine - 1] = '  virtual_router_id 300';
    fixture.daemons.rewriteConfig(r1, lines.join('\n'));
    const recordsBefore = r1.records().length;
    process.kill(r1.pid, 'SIGHUP');
    expect(await waitForMessage(r1, 'new configuration rejected', 3000)).toBe(true);
    const newRecords = r1.records().slice(recordsBefore);
    const located = newRecords.find(
      (r) => r.event === 'config' && r.file === r1.configPath && r.line === priorityLine,
    );
    expect(located, JSON.stringify(newRecords)).toBeDefined();
    expect(String(located?.msg)).toContain(`${r1.configPath}:${priorityLine}: error:`);
    expect(newRecords.some((r) => r.msg === RELOADED)).toBe(false);
    // The previous configuration (priority 50, BACKUP behind r2) is still the one running.
    const [r1States, r2States] = await statesDuring([r1, r2], 1500);
    expect(r1States).toEqual(['BACKUP']);
    expect(r2States).toEqual(['MASTER']);
    expect(r1.exited()).toBe(false);
    const r1Status = await instanceStatus(r1);
    expect(r1Status?.priority).toBe(50);
    expect(r1Status?.vips).toEqual(secondVips);
    expect(await fixture.segment.lab.pingOnce('c1', '192.0.2.254', 1000)).toBe(true);
  });
});
