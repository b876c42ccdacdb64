// The receive path under hostile input: every invalid packet is counted under its reason, none
// changes the state, and the log stays bounded. Plus the counters' monotonicity across `stats --clear`.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import { statsSnapshot, statusSnapshot } from '../../src/daemon/status.js';
import { simpleAuthData } from '../../src/packet/vrrp.js';
import { advertFor, craftPacket, instanceBlock, Lab, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const AUTH = '  authentication {\n    auth_type PASS\n    auth_pass secret1\n  }';

async function electedPair(): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(instanceBlock({ priority: 150, extra: AUTH }));
  await b.start(instanceBlock({ priority: 100, extra: AUTH }));
  await lab.advance(4000);
  expect(a.state()).toBe('MASTER');
  expect(b.state()).toBe('BACKUP');
  return { lab, a, b };
}

/** 200 spoofed senders on the segment. */
const peer = (i: number) => `192.0.2.${10 + (i % 200)}`;

function badPacket(kind: number, i: number): { raw: Buffer; source: string } {
  const source = peer(i);
  switch (kind) {
    case 0: {
      // A flipped bit in the VRRP checksum.
      const raw = craftPacket(advertFor(), { source });
      raw[27] = raw[27]! ^ 0x01;
      return { raw, source };
    }
    case 1:
      return { raw: craftPacket(advertFor({ vrid: 99 }), { source }), source };
    case 2:
      return { raw: craftPacket(advertFor(), { source, ttl: 64 }), source };
    default:
      return { raw: craftPacket(advertFor({ authData: simpleAuthData('wrong!!') }), { source }), source };
  }
}

const sum = (drops: Record<string, number>) => Object.values(drops).reduce((total, n) => total + n, 0);

describe('receive path under a flood of invalid packets', () => {
  it('10,000 bad packets: no transition, every one counted by reason, a bounded number of log lines', async () => {
    const { lab, a, b } = await electedPair();
    const transitions = [a.transitions.length, b.transitions.length];
    const logLinesBefore = b.logLines.length;
    const before = structuredClone(b.counters()!);
    // 2,500 of each kind, interleaved, spread over 2 s while the election keeps running.
    for (let i = 0; i < 10_000; i++) {
      const { raw, source } = badPacket(i % 4, i);
      b.inject(raw, source);
      if (i % 500 === 499) await lab.advance(100, 50);
    }
    await lab.advance(3000);
    expect([a.transitions.length, b.transitions.length]).toEqual(transitions);
    expect(b.state()).toBe('BACKUP');
    expect(a.state()).toBe('MASTER');

    const after = b.counters()!;
    expect(after.drops).toEqual({ checksum: 2500, unknown_vrid: 2500, ip_ttl: 2500, auth_password: 2500 });
    expect(sum(after.drops) - sum(before.drops)).toBe(10_000);
    // The master's real adverts were still accepted throughout.
    expect(after.advertsRx).toBe(lab.advertsFrom(A).length);
    const status = statusSnapshot(b.daemon);
    expect(validateStatusSnapshot(JSON.parse(JSON.stringify(status)))).toEqual([]);
    expect(status.instances[0]!.counters.drops).toEqual(after.drops);

    // At most 5 lines per reason per minute (drop-log.ts), however many senders.
    const dropLines = b.logLines.slice(logLinesBefore).filter((l) => l.event === 'drop');
    expect(dropLines.length).toBeGreaterThanOrEqual(4);
    expect(dropLines.length).toBeLessThanOrEqual(20);
    expect(new Set(dropLines.map((l) => l.reason))).toEqual(
      new Set(['checksum', 'unknown_vrid', 'ip_ttl', 'auth_password']),
    );
    expect(b.logLines.length - logLinesBefore).toBeLessThan(40);

    // A minute later the next bad packet brings one summary of what was not logged.
    await lab.advance(60_000, 100);
    b.inject(badPacket(0, 1).raw, peer(1));
    const summaries = b.logLines.filter((l) => l.event === 'drops_suppressed');
    expect(summaries).toHaveLength(1);
    const loggedChecksum = dropLines.filter((l) => l.reason === 'checksum').length;
    expect(summaries[0]).toMatchObject({ reason: 'checksum', count: 2500 - loggedChecksum });
  });

  it('a packet from a sender with a persistent address mismatch is logged once, not on every advert', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, vips: ['192.0.2.254/24', '192.0.2.253/24'] }));
    await b.start(instanceBlock({ priority: 100 }));
    await lab.advance(3 * 60_000, 100);
    expect(b.state()).toBe('BACKUP');
    expect(b.counters()!.drops.address_mismatch).toBeGreaterThan(170);
    const warnings = b.logLines.filter((l) => l.event === 'advert_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ reason: 'address_mismatch', peer: A });
  });

  it('stats --clear moves a baseline; status counters stay monotonic', async () => {
    const { lab, b } = await electedPair();
    for (let i = 0; i < 40; i++) b.inject(badPacket(i % 4, i).raw, peer(i));
    const statusBefore = statusSnapshot(b.daemon).instances[0]!.counters;
    const firstPeriod = b.daemon.stats(true);
    expect(firstPeriod.instances[0]!.counters).toEqual(statusBefore);
    const clearedAt = Date.now();

    const right = b.daemon.stats(false);
    expect(right.since).toBe(clearedAt);
    expect(right.instances[0]!.counters).toMatchObject({ advertsRx: 0, advertsTx: 0, drops: {} });

    await lab.advance(3000);
    b.inject(badPacket(2, 0).raw, peer(0));
    const later = b.daemon.stats(false).instances[0]!.counters;
    const statusAfter = statusSnapshot(b.daemon).instances[0]!.counters;
    expect(later.advertsRx).toBe(3);
    expect(later.drops).toEqual({ ip_ttl: 1 });
    // status is never reset: the cleared period is still in it.
    expect(statusAfter.advertsRx).toBe(statusBefore.advertsRx + 3);
    expect(statusAfter.drops.ip_ttl).toBe(statusBefore.drops.ip_ttl! + 1);
    for (const [reason, count] of Object.entries(statusBefore.drops)) {
      expect(statusAfter.drops[reason]).toBeGreaterThanOrEqual(count);
    }
    const stats = statsSnapshot(b.daemon, false);
    expect(stats.since).toBe(new Date(clearedAt).toISOString());
    expect(stats.instances[0]).toMatchObject({ name: 'VI_1', interface: 'eth0', vrid: 51 });
  });
});

describe('unicast_peer min_ttl/max_ttl (keepalived per-peer TTL window)', () => {
  const unicast = (peers: string) => `  unicast_src_ip ${B}\n  unicast_peer {\n${peers}\n  }`;

  it('accepts a peer inside its window, drops it outside (ip_ttl) and non-peers (unicast_source)', async () => {
    const lab = new Lab();
    const b = lab.router(B);
    await b.start(
      instanceBlock({
        priority: 100,
        extra: `${AUTH}\n${unicast(`    ${A} min_ttl 60 max_ttl 64\n    192.0.2.3`)}`,
      }),
    );
    const packet = (source: string, ttl: number, priority = 200) =>
      craftPacket(advertFor({ priority }), { source, destination: B, ttl });
    b.inject(packet(A, 64), A);
    b.inject(packet(A, 63), A);
    b.inject(packet(A, 255), A);
    b.inject(packet(A, 59), A);
    // Not a peer: check_unicast_src is on because a window is written.
    b.inject(packet('192.0.2.9', 255), '192.0.2.9');
    await lab.advance(10);
    const counters = b.counters()!;
    expect(counters.advertsRx).toBe(2);
    expect(counters.drops).toMatchObject({ ip_ttl: 2, unicast_source: 1 });
  });
});

describe('one VRID, two unicast instances with disjoint peers (keepalived allows it)', () => {
  const unicast = (name: string, peerAddress: string, vip: string) =>
    `vrrp_instance ${name} {\n  interface eth0\n  virtual_router_id 51\n  priority 100\n  unicast_peer {\n    ${peerAddress}\n  }\n${AUTH}\n  virtual_ipaddress {\n    ${vip}/24\n  }\n}\n`;

  it('each advert goes to the instance that lists its sender; the other instance never hears it', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(unicast('VI_A', B, '192.0.2.254') + unicast('VI_B', '192.0.2.3', '192.0.2.253'));
    // B keeps VI_A's master role (priority 200) for 5 s; nobody speaks for VI_B.
    for (let i = 0; i < 5; i++) {
      a.inject(craftPacket(advertFor({ priority: 200 }), { source: B, destination: A }), B);
      await lab.advance(1000);
    }
    expect(a.state('VI_A')).toBe('BACKUP');
    expect(a.counters('VI_A')!.advertsRx).toBe(5);
    expect(a.state('VI_B')).toBe('MASTER');
    expect(a.counters('VI_B')!.advertsRx).toBe(0);
    // A sender neither lists is nobody's: counted as unknown, no instance moves.
    a.inject(craftPacket(advertFor({ priority: 250 }), { source: '192.0.2.9', destination: A }), '192.0.2.9');
    expect(a.counters('VI_B')!.drops).toMatchObject({ unknown_vrid: 1 });
    expect(a.state('VI_B')).toBe('MASTER');
  });
});
