// A VIP deleted by hand on the master (`ip addr del` by an operator or another tool), handled as
// the README's "Behaviour worth knowing" table documents: logged; the instance resigns (priority-0
// advert, FAULT then BACKUP) so the peer takes over at once; as the higher priority it then wins
// the next election and re-adds the address. With `no_track` on the address it only logs.

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
import {
  clientNeighbourFollows,
  recordsWithMessage,
  sleep,
  transitionRecords,
  waitForMessage,
} from '../netns/observe.js';
import { startPair } from '../netns/pair.js';
import { bookkeepingProblems } from './consistency.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('a VIP deleted by hand on the master', () => {
  const fixture = useSegmentLab({ dist: ['src'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (self: string, peer: string, priority: number, vip = `${VIP}/24`) =>
    keepalivedConfig([
      { priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1', vips: [vip] },
    ]);

  beforeAll(async () => {
    [r1, r2] = await startPair(
      fixture.daemons,
      { role: 'r1', config: config('192.0.2.1', '192.0.2.2', 200) },
      { role: 'r2', config: config('192.0.2.2', '192.0.2.1', 100), masterAddress: '192.0.2.1' },
    );
  });

  it('is detected and logged; the master resigns, the peer takes over at once, then r1 wins again', async () => {
    const { lab } = fixture.segment;
    // The client talks to the VIP first, so it has a neighbour entry for gratuitous ARPs to update.
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    const before = transitionRecords(r1).length;
    const deletedAt = Date.now();
    await lab.ip('r1', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);

    expect(await waitForMessage(r1, 'virtual address removed by someone else while MASTER', 2000)).toBe(true);
    expect(recordsWithMessage(r1, 'virtual address removed by someone else')[0]).toMatchObject({
      instance: 'VI_1',
      vip: VIP,
    });
    // Priority 0 from r1: r2 takes over after Skew_Time (0.61 s), not Master_Down_Interval.
    expect(await waitForState(r2, 'MASTER', 3000)).not.toBeNull();
    expect(Date.now() - deletedAt).toBeLessThan(2500);
    expect(
      transitionRecords(r1)
        .slice(before, before + 2)
        .map((t) => `${t.from}>${t.to}`),
    ).toEqual(['MASTER>FAULT', 'FAULT>BACKUP']);
    expect((await instanceStatus(r1))?.counters.priorityZeroTx).toBeGreaterThanOrEqual(1);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP, 2000)).toBe(true);

    // r1 has the higher priority and preempts: it becomes MASTER again and re-adds the address.
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect(await waitFor(() => holdsAddress(lab, 'r1', 'eth0', VIP), 2000)).toBe(true);
    expect(await waitFor(async () => !(await holdsAddress(lab, 'r2', 'eth0', VIP)), 2000)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r1', VIP, 2000)).toBe(true);
    expect(await bookkeepingProblems(r1)).toEqual([]);
    expect(await bookkeepingProblems(r2)).toEqual([]);
  });

  it('with no_track on the address: only logged, r1 stays MASTER, nothing re-adds it', async () => {
    const { lab } = fixture.segment;
    fixture.daemons.rewriteConfig(r1, config('192.0.2.1', '192.0.2.2', 200, `${VIP}/24 no_track`));
    const reloads = recordsWithMessage(r1, 'configuration reloaded').length;
    process.kill(r1.pid, 'SIGHUP');
    expect(await waitForMessage(r1, 'configuration reloaded', 3000, reloads + 1)).toBe(true);
    const transitions = [transitionRecords(r1).length, transitionRecords(r2).length];

    await lab.ip('r1', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    expect(await waitForMessage(r1, 'no_track: staying MASTER', 2000)).toBe(true);
    await sleep(3000);
    expect([transitionRecords(r1).length, transitionRecords(r2).length]).toEqual(transitions);
    expect((await instanceStatus(r1))?.state).toBe('MASTER');
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(false);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(false);
  });
});
