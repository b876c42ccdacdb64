// Reload (SIGHUP) keeps the state of instances whose identity did not change: no transition, only
// the kernel differences applied; instances that go away release mastership first.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instanceBlock, Lab, VIP, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const SECOND_VIP = '192.0.2.253';

const configA = (vips?: string[]) => instanceBlock({ priority: 150, ...(vips ? { vips } : {}) });

async function electedPair(): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(configA());
  await b.start(instanceBlock({ priority: 100 }));
  await lab.advance(4000);
  expect(a.state()).toBe('MASTER');
  return { lab, a, b };
}

/** Number of addresses in a v2 advert (VRRP byte 3 after a 20-byte IP header). */
function addressCount(lab: Lab, from: string): number {
  const last = lab.segment.sent.filter((p) => p.from === from).at(-1)!;
  return last.raw[23]!;
}

describe('reload', () => {
  it('an unchanged configuration causes no transition, no kernel work and no gap in the adverts', async () => {
    const { lab, a, b } = await electedPair();
    const operations = a.netlink.operations.length;
    const transitions = [a.transitions.length, b.transitions.length];
    const advertsBefore = lab.advertsFrom(A).length;
    await a.reload(configA());
    await b.reload(instanceBlock({ priority: 100 }));
    await lab.advance(5000);
    expect([a.transitions.length, b.transitions.length]).toEqual(transitions);
    expect(a.netlink.operations).toHaveLength(operations);
    expect(a.state()).toBe('MASTER');
    const after = lab.advertsFrom(A).slice(advertsBefore - 1);
    expect(after.slice(1).map((advert, i) => advert.at - after[i]!.at)).toEqual(new Array(5).fill(1000));
    expect(a.logsWith('msg', 'configuration reloaded')).toHaveLength(1);
  });

  it('adding a VIP while MASTER adds it through netlink and advertises it, with no transition', async () => {
    const { lab, a, b } = await electedPair();
    const transitions = a.transitions.length;
    await a.reload(configA([`${VIP}/24`, `${SECOND_VIP}/24`]));
    await lab.advance(2000);
    expect(a.addressOps(SECOND_VIP)).toEqual(['addAddress']);
    expect(a.hasAddress(SECOND_VIP)).toBe(true);
    expect(a.addressOps(VIP)).toEqual(['addAddress']);
    expect(a.transitions).toHaveLength(transitions);
    expect(addressCount(lab, A)).toBe(2);
    // The backup still follows the master (keepalived ≥ 2.3.3 accepts a differing address list).
    expect(b.state()).toBe('BACKUP');
    expect(b.counters()!.drops).toMatchObject({ address_mismatch: 2 });
  });

  it('removing a VIP while MASTER removes it through netlink, with no transition', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(configA([`${VIP}/24`, `${SECOND_VIP}/24`]));
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    const transitions = a.transitions.length;
    await a.reload(configA());
    await lab.advance(1000);
    expect(a.addressOps(SECOND_VIP)).toEqual(['addAddress', 'removeAddress']);
    expect(a.hasAddress(SECOND_VIP)).toBe(false);
    expect(a.hasAddress(VIP)).toBe(true);
    expect(a.transitions).toHaveLength(transitions);
    expect(addressCount(lab, A)).toBe(1);
    // The removal was ours: the kernel's notification of it must not look like sabotage.
    a.emitAddressRemoved(SECOND_VIP);
    await lab.advance(100);
    expect(a.state()).toBe('MASTER');
  });

  it('an instance removed by reload releases mastership (priority 0, VIP gone) and the peer takes over', async () => {
    const { lab, a, b } = await electedPair();
    const other = instanceBlock({ name: 'VI_2', vrid: 60, priority: 100, vips: ['192.0.2.60/24'] });
    const advertsBefore = lab.advertsFrom(A).length;
    await a.reload(other);
    lab.flush();
    expect(a.hasAddress(VIP)).toBe(false);
    expect(
      lab
        .advertsFrom(A)
        .slice(advertsBefore)
        .map((advert) => [advert.vrid, advert.priority]),
    ).toEqual([[51, 0]]);
    await lab.advance(1000);
    expect(b.state()).toBe('MASTER');
    expect(a.daemon.instances().map((i) => i.instance.config.name)).toEqual(['VI_2']);
    // Nothing of VI_1 keeps running on A: no more VRID 51 adverts from it.
    await lab.advance(10_000);
    expect(lab.advertsFrom(A).filter((advert) => advert.vrid === 51)).toHaveLength(
      lab.advertsFrom(A).slice(0, advertsBefore).length + 1,
    );
  });

  it('removing a whole sync group releases every member, not just the first one', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const group = `
vrrp_sync_group G1 {
  group {
    LAN
    WAN
  }
}
`;
    const keep = instanceBlock({ name: 'KEEP', vrid: 53, vips: ['192.0.2.53/24'] });
    const members =
      instanceBlock({ name: 'LAN', vrid: 51, priority: 150 }) +
      instanceBlock({ name: 'WAN', vrid: 52, priority: 150, vips: [`${SECOND_VIP}/24`] });
    await a.start(group + members + keep);
    await lab.advance(4000);
    expect([a.state('LAN'), a.state('WAN'), a.state('KEEP')]).toEqual(['MASTER', 'MASTER', 'MASTER']);
    const sentBefore = lab.segment.sent.length;
    await a.reload(keep);
    lab.flush();
    expect(a.hasAddress(VIP)).toBe(false);
    expect(a.hasAddress(SECOND_VIP)).toBe(false);
    const releases = lab.adverts.slice(sentBefore).filter((advert) => advert.priority === 0);
    expect(releases.map((advert) => advert.vrid).sort()).toEqual([51, 52]);
    expect(a.logsWith('msg', 'state machine error')).toEqual([]);
    expect(a.state('KEEP')).toBe('MASTER');
  });

  it('a sync group reshaped by reload keeps running while the reload waits on the kernel', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const group = (second: string) =>
      `vrrp_sync_group G1 {\n  group {\n    LAN\n    ${second}\n  }\n}\n` +
      instanceBlock({ name: 'LAN', vrid: 51, priority: 150 }) +
      instanceBlock({ name: second, vrid: 52, priority: 150, vips: [`${SECOND_VIP}/24`] });
    await a.start(group('WAN'));
    await lab.advance(4000);
    expect([a.state('LAN'), a.state('WAN')]).toEqual(['MASTER', 'MASTER']);
    // The kernel answers slowly: the reload sits between "G1 is now LAN + NEW" and "NEW exists"
    // for 2.5 s, long enough for LAN's advert timer to fire twice.
    const list = a.netlink.addresses.list;
    a.netlink.addresses.list = async (ifindex) => {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return list(ifindex);
    };
    const lanAdverts = () => lab.adverts.filter((advert) => advert.from === A && advert.vrid === 51);
    const before = lanAdverts().length;
    const reloading = a.reload(group('NEW'));
    await lab.advance(3000);
    await reloading;
    expect(a.logsWith('msg', 'state machine error')).toEqual([]);
    expect(lanAdverts().length - before).toBeGreaterThanOrEqual(3);
    expect(a.state('LAN')).toBe('MASTER');
    expect(a.hasAddress(SECOND_VIP)).toBe(false);
  });

  it('changing no_track on a held VIP by reload takes effect for a later external deletion', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(configA([`${VIP}/24 no_track`]));
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    await a.reload(configA([`${VIP}/24`]));
    await lab.advance(100);
    a.deleteAddressExternally(VIP);
    await lab.advance(100);
    // Tracked now: the instance gives mastership up (and, alone on the segment, takes it back).
    expect(a.transitions.map((t) => `${t.from}->${t.to}`).slice(2)).toEqual([
      'MASTER->FAULT',
      'FAULT->BACKUP',
    ]);
  });

  it('repeated reloads leak no timers, transports or listeners', async () => {
    const { lab, a } = await electedPair();
    const timersBefore = vi.getTimerCount();
    for (let i = 0; i < 20; i++) {
      await a.reload(i % 2 === 0 ? configA([`${VIP}/24`, `${SECOND_VIP}/24`]) : configA());
      await lab.advance(50);
    }
    expect(vi.getTimerCount()).toBe(timersBefore);
    expect(a.transports).toHaveLength(1);
    expect(a.transitions).toHaveLength(2);
    // One listener each: one kernel event is handled once (one warning, not twenty).
    a.events.emit({ kind: 'overrun' });
    expect(
      a.logLines.filter((l) => String(l.msg).startsWith('netlink notifications were lost')),
    ).toHaveLength(1);
  });
});
