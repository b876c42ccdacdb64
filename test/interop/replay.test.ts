// keepalived's captured adverts (test/fixtures/keepalived/) replayed at a running vrrpd from
// another namespace, then broken one rule at a time: vrrpd must accept the real thing and say,
// in its counters and its log, exactly what it dropped and why. The same broken packets are fed
// to keepalived once, to prove the interop suites' "no complaints in keepalived's log" check
// really sees keepalived's complaints.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceCounters } from '../../src/control/status-types.js';
import { DaemonSet, instanceStatus, keepalivedConfig, waitFor, type RunningDaemon } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { loadFixture } from '../packet/keepalived-fixtures.js';
import {
  withAdvertInterval,
  withAuthType,
  withBrokenChecksum,
  withPassword,
  withTtl,
  withVrid,
} from './bad-adverts.js';
import { startInjector, type PacketInjector } from './injector-client.js';
import { keepalivedComplaints } from './keepalived-complaints.js';
import { waitForRouterState } from './router-view.js';

const skip = requireRoot();

/** The fixtures' addresses: keepalived ran as 192.0.2.1 (our r1) talking to 192.0.2.2 (our r2). */
const FIXTURE_SOURCE = '192.0.2.1';
const RECEIVER = '192.0.2.2';
const MULTICAST_GROUP = '224.0.0.18';

const unicastReceiverConfig = keepalivedConfig([
  {
    vrid: 51,
    priority: 100,
    unicastSrc: RECEIVER,
    unicastPeers: [FIXTURE_SOURCE],
    authPass: 'secret1',
    vips: ['192.0.2.254/24'],
  },
]);

const multicastReceiverConfig = keepalivedConfig([
  { vrid: 51, priority: 100, vips: ['192.0.2.254/24', '192.0.2.253/24'] },
]);

async function countersOf(daemon: RunningDaemon): Promise<InstanceCounters | null> {
  return (await instanceStatus(daemon))?.counters ?? null;
}

/** Waits (bounded) until the counters satisfy `check`; returns the last counters seen. */
async function waitForCounters(
  daemon: RunningDaemon,
  check: (counters: InstanceCounters) => boolean,
  timeoutMs = 3000,
): Promise<InstanceCounters | null> {
  let last: InstanceCounters | null = null;
  await waitFor(
    async () => {
      last = await countersOf(daemon);
      return last !== null && check(last);
    },
    timeoutMs,
    20,
  );
  return last;
}

function dropRecords(daemon: RunningDaemon): Array<Record<string, unknown>> {
  return daemon.records().filter((r) => r.event === 'drop');
}

describe.skipIf(skip !== undefined)('keepalived adverts replayed at a running vrrpd', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let injector: PacketInjector;
  let vrrpd: RunningDaemon;
  const captured = loadFixture('v2-unicast-pass');

  beforeAll(async () => {
    requireBuiltDist(['src', 'test/lab', 'test/interop']);
    segment = await createRouterSegment();
    daemons = new DaemonSet(segment.lab);
    // r1 runs no daemon: it only plays back what keepalived sent as 192.0.2.1.
    injector = await startInjector(segment.lab, 'r1');
    vrrpd = daemons.start('vrrpd', 'r2', unicastReceiverConfig);
    expect(await waitForRouterState(vrrpd, 'BACKUP', 5000)).not.toBeNull();
  });

  afterAll(async () => {
    injector?.close();
    await daemons?.cleanup();
    await segment?.lab.teardown();
  });

  it('accepts the captured unicast PASS advert: counted, its sender becomes the master, no drop', async () => {
    await injector.send(captured, RECEIVER);
    const counters = await waitForCounters(vrrpd, (c) => c.advertsRx === 1);
    expect(counters?.advertsRx).toBe(1);
    expect(counters?.drops).toEqual({});
    const status = await instanceStatus(vrrpd);
    expect(status?.state).toBe('BACKUP');
    expect(status?.masterAddress).toBe(FIXTURE_SOURCE);
    expect(dropRecords(vrrpd)).toEqual([]);
  });

  it('drops each broken variant for exactly its reason: counted every time, logged once per reason', async () => {
    // A fresh valid advert first keeps vrrpd BACKUP (priority 150 > 100) during the test.
    await injector.send(captured, RECEIVER);
    const broken: Array<[reason: string, packet: Buffer]> = [
      ['auth_password', withPassword(captured, 'wrong')],
      ['auth_type', withAuthType(captured, 0)],
      ['unknown_vrid', withVrid(captured, 52)],
      ['ip_ttl', withTtl(captured, 64)],
      ['checksum', withBrokenChecksum(captured)],
    ];
    for (const [, packet] of broken) await injector.send(packet, RECEIVER, 2);

    const expectedDrops = Object.fromEntries(broken.map(([reason]) => [reason, 2]));
    const counters = await waitForCounters(
      vrrpd,
      (c) => Object.values(c.drops).reduce((a, b) => a + b, 0) >= 10,
    );
    expect(counters?.drops).toEqual(expectedDrops);
    expect(counters?.advertsRx).toBe(2);
    expect((await instanceStatus(vrrpd))?.state).toBe('BACKUP');

    // The log says what and why, once per (reason, peer): a flood does not flood the journal.
    const records = dropRecords(vrrpd);
    expect(records.map((r) => r.reason).sort()).toEqual(broken.map(([reason]) => reason).sort());
    for (const record of records) {
      expect(record.peer).toBe(FIXTURE_SOURCE);
      expect(record.interface).toBe('eth0');
      // A packet for an unknown VRID belongs to no instance.
      expect(record.instance).toBe(record.reason === 'unknown_vrid' ? null : 'VI_1');
    }
    const messageOf = (reason: string) => String(records.find((r) => r.reason === reason)?.msg);
    expect(messageOf('ip_ttl')).toMatch(/TTL 64 from 192\.0\.2\.1/);
    expect(messageOf('unknown_vrid')).toMatch(/VRID 52/);
    expect(messageOf('auth_password')).toMatch(/password mismatch from 192\.0\.2\.1/);
  });

  it('the captured priority-0 advert makes it take over after Skew_Time, not Master_Down_Interval', async () => {
    await injector.send(captured, RECEIVER);
    expect(await waitForCounters(vrrpd, (c) => c.advertsRx === 3)).not.toBeNull();
    const sentAt = Date.now();
    await injector.send(loadFixture('v2-priority0-shutdown'), RECEIVER);
    expect(await waitForRouterState(vrrpd, 'MASTER', 3000)).not.toBeNull();
    const took = Date.now() - sentAt;
    // Skew_Time for priority 100: 609 ms; Master_Down_Interval would be 3609 ms.
    expect(took).toBeGreaterThan(450);
    expect(took).toBeLessThan(1500);
    const counters = await countersOf(vrrpd);
    expect(counters?.priorityZeroRx).toBe(1);
    expect(counters?.advertsRx).toBe(4);
  });

  it('accepts the captured multicast advert (two VIPs, no auth) and drops it with TTL 64', async () => {
    await daemons.stop(vrrpd);
    vrrpd = daemons.start('vrrpd', 'r2', multicastReceiverConfig);
    expect(await waitForRouterState(vrrpd, 'BACKUP', 5000)).not.toBeNull();
    await injector.useMulticastInterface(await segment.lab.ifindexOf('r1', 'eth0'));
    const multicast = loadFixture('v2-multicast-noauth');
    await injector.send(multicast, MULTICAST_GROUP);
    await injector.send(withTtl(multicast, 64), MULTICAST_GROUP);
    const counters = await waitForCounters(vrrpd, (c) => c.advertsRx === 1 && c.drops.ip_ttl === 1);
    expect(counters?.advertsRx).toBe(1);
    expect(counters?.drops).toEqual({ ip_ttl: 1 });
    const status = await instanceStatus(vrrpd);
    expect(status?.state).toBe('BACKUP');
    expect(status?.masterAddress).toBe(FIXTURE_SOURCE);
    expect(dropRecords(vrrpd).map((r) => r.reason)).toEqual(['ip_ttl']);
  });

  it.skipIf(requireKeepalived() !== undefined)(
    'keepalived complains in its log about the same broken packets (so the interop check can see it)',
    async () => {
      await daemons.stop(vrrpd);
      const keepalived = daemons.start('keepalived', 'r2', unicastReceiverConfig);
      expect(await waitForRouterState(keepalived, 'BACKUP', 5000)).not.toBeNull();
      await injector.send(captured, RECEIVER);
      // Its own valid advert raises no complaint...
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(keepalivedComplaints(keepalived.logs)).toEqual([]);
      // ...each broken one does.
      await injector.send(withPassword(captured, 'wrong'), RECEIVER);
      await injector.send(withBrokenChecksum(captured), RECEIVER);
      await injector.send(withAdvertInterval(captured, 2), RECEIVER);
      await injector.send(withAuthType(captured, 0), RECEIVER);
      // keepalived 2.2.7 checks a unicast advert's TTL only when unicast_peer sets min_ttl/max_ttl
      // (vrrpd wants 255 by default), so the TTL-64 packet is not among its complaints.
      const expected = ['auth_password', 'checksum', 'advert_interval', 'auth_type'];
      await waitFor(() => keepalivedComplaints(keepalived.logs).length >= expected.length, 3000, 20);
      const kinds = keepalivedComplaints(keepalived.logs).map((c) => c.kind);
      expect(kinds, keepalived.logs.join('\n')).toEqual(expected);

      // Multicast adverts must arrive with TTL 255, and there keepalived does complain.
      await daemons.stop(keepalived);
      const multicastKeepalived = daemons.start('keepalived', 'r2', multicastReceiverConfig);
      expect(await waitForRouterState(multicastKeepalived, 'BACKUP', 5000)).not.toBeNull();
      await injector.send(withTtl(loadFixture('v2-multicast-noauth'), 64), MULTICAST_GROUP);
      await waitFor(() => keepalivedComplaints(multicastKeepalived.logs).length > 0, 3000, 20);
      expect(keepalivedComplaints(multicastKeepalived.logs).map((c) => c.kind)).toEqual(['ttl']);
    },
  );
});
