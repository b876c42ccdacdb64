// `vrrpctl` as an operator runs it on each router (the compiled CLI inside the router's namespace,
// talking to that router's daemon): `status --json` follows a real failover and preemption and
// always matches the published schema; `stats`; `garp` repairs a client's poisoned neighbour
// entry; `reload` reports accepted / rejected with the offending file:line.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateStatsSnapshot, validateStatusSnapshot } from '../../src/control/status-validate.js';
import type { InstanceStatus, StatsSnapshot, StatusSnapshot } from '../../src/control/status-types.js';
import { DaemonSet, waitFor, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import type { RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, sleep } from './observe.js';
import { startUnicastPairLab, teardownPairLab, unicastConfig as config } from './pair.js';
import { vrrpctl, vrrpctlJson } from './vrrpctl.js';

const skip = requireRoot();
const VIP = '192.0.2.254';
const BOGUS_MAC = '02:00:00:00:00:01';

describe.skipIf(skip !== undefined)('vrrpctl against running daemons', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let r1: RunningDaemon;
  let r2: RunningDaemon;

  /** `vrrpctl status --json` on the router, schema-checked, reduced to VI_1. */
  async function statusOf(daemon: RunningDaemon): Promise<InstanceStatus> {
    const snapshot = await vrrpctlJson(segment.lab, daemon, ['status']);
    expect(validateStatusSnapshot(snapshot)).toEqual([]);
    const instance = (snapshot as StatusSnapshot).instances.find((i) => i.name === 'VI_1');
    if (!instance) throw new Error(`no VI_1 in ${daemon.role}'s status`);
    return instance;
  }

  beforeAll(async () => {
    ({ segment, daemons, r1, r2 } = await startUnicastPairLab());
  });

  afterAll(() => teardownPairLab(segment, daemons));

  it('status --json tracks a real failover and the preemption back, on both routers', async () => {
    const before1 = await statusOf(r1);
    const before2 = await statusOf(r2);
    expect(before1).toMatchObject({ state: 'MASTER', masterAddress: '192.0.2.1', priority: 200, vrid: 51 });
    expect(before2).toMatchObject({ state: 'BACKUP', masterAddress: '192.0.2.1', priority: 100 });
    expect(before1.vips).toEqual(['192.0.2.254/24']);
    expect(before1.masterDownInterval).toBeCloseTo(3 + (256 - 200) / 256, 2);
    expect(before2.masterDownInterval).toBeCloseTo(3 + (256 - 100) / 256, 2);
    expect(before2.counters.advertsRx).toBeGreaterThan(0);
    expect(await segment.lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await segment.lab.neighbourMac('c1', VIP)).toBe(await segment.lab.macOf('r1', 'eth0'));

    await daemons.stop(r1, 'SIGKILL');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    const after2 = await statusOf(r2);
    expect(after2.state).toBe('MASTER');
    expect(after2.masterAddress).toBe('192.0.2.2');
    expect(after2.counters.becameMaster).toBe(before2.counters.becameMaster + 1);
    expect(after2.lastTransitionReason).toBe('master_down_timer');
    expect(Date.parse(after2.lastTransition)).toBeGreaterThan(Date.parse(before2.lastTransition));
    expect(await clientNeighbourFollows(segment.lab, 'r2', VIP)).toBe(true);

    r1 = daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200));
    expect(await waitForState(r1, 'MASTER', 8000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    const back1 = await statusOf(r1);
    const back2 = await statusOf(r2);
    expect(back1).toMatchObject({
      state: 'MASTER',
      masterAddress: '192.0.2.1',
      lastTransitionReason: 'preempt',
    });
    expect(back1.counters.becameMaster).toBe(1);
    expect(back2).toMatchObject({
      state: 'BACKUP',
      masterAddress: '192.0.2.1',
      lastTransitionReason: 'higher_priority_advert',
    });
    expect(back2.counters.releasedMaster).toBe(before2.counters.releasedMaster + 1);
  });

  it('stats: counters as JSON (schema-checked) and as a table', async () => {
    const stats = (await vrrpctlJson(segment.lab, r2, ['stats'])) as StatsSnapshot;
    expect(validateStatsSnapshot(stats)).toEqual([]);
    const [entry] = stats.instances;
    expect(entry).toMatchObject({ name: 'VI_1', interface: 'eth0', vrid: 51 });
    expect(entry!.counters.advertsRx).toBeGreaterThan(0);
    expect(entry!.counters.advertsTx).toBeGreaterThan(0);
    expect(entry!.counters.becameMaster).toBe((await statusOf(r2)).counters.becameMaster);
    const table = await vrrpctl(segment.lab, r1, ['stats']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('VI_1');
  });

  it('garp: a client neighbour entry poisoned with a bogus MAC is corrected to the master', async () => {
    const { lab } = segment;
    const masterMac = await lab.macOf('r1', 'eth0');
    await lab.ip('c1', ['neigh', 'replace', VIP, 'lladdr', BOGUS_MAC, 'dev', 'eth0', 'nud', 'stale']);
    // Linux ignores ARP updates to an entry changed less than locktime (1 s) ago.
    await sleep(1200);
    expect(await lab.neighbourMac('c1', VIP)).toBe(BOGUS_MAC);
    const result = await vrrpctl(lab, r1, ['garp', 'VI_1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gratuitous ARP sent for VI_1');
    expect(await waitFor(async () => (await lab.neighbourMac('c1', VIP)) === masterMac, 2000)).toBe(true);
    // A BACKUP has no addresses to announce: refused, with the reason.
    const refused = await vrrpctl(lab, r2, ['garp', 'VI_1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('BACKUP');
  });

  it('reload: accepted for a valid file, rejected with file:line for a broken one', async () => {
    const accepted = await vrrpctl(segment.lab, r1, ['reload']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('accepted');

    const good = daemons.readConfig(r1);
    daemons.rewriteConfig(r1, good.replace('  advert_int 1', '  advert_int 1\n  virtual_router_id 300'));
    const brokenLine = good.split('\n').findIndex((line) => line === '  advert_int 1') + 2;
    const rejected = await vrrpctl(segment.lab, r1, ['reload']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('reload rejected');
    expect(rejected.stderr).toContain(`${r1.configPath}:${brokenLine}: error:`);
    const still = await statusOf(r1);
    expect(still).toMatchObject({ state: 'MASTER', vrid: 51, priority: 200 });
    daemons.rewriteConfig(r1, good);
  });
});
