// use_ipvlan on the fake kernel: the L2 ipvlan made before any advert (on the backup too), with
// the instance's address on it and IPv6 off on it; adverts sent and received on it from that
// address; the virtual addresses and their GARPs on eth0, where keepalived 2.2.7 keeps them (on
// the ipvlan only with use_vmac too); failover; an IPv4 ipvlan without an address in FAULT for
// good; removed at stop and when a reload drops the instance; one a killed run left adopted.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ETH0_INDEX, instanceBlock, Lab, VIP, type TestRouter } from './harness.js';
import { statusSnapshot } from '../../src/daemon/status.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
/** Each router's ipvlan address (use_ipvlan ADDR): the adverts' source. */
const A_IPVLAN = '192.0.2.11';
const B_IPVLAN = '192.0.2.12';

function ipvlanIndex(router: TestRouter, name = 'vrrp.51'): number {
  const link = router.netlink.linkList.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name}: ${router.netlink.linkList.map((l) => l.name).join(' ')}`);
  return link.ifindex;
}

async function pair(
  extraA = `  use_ipvlan ${A_IPVLAN}/24`,
  extraB = `  use_ipvlan ${B_IPVLAN}/24`,
): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(instanceBlock({ priority: 150, extra: extraA }));
  await b.start(instanceBlock({ priority: 100, extra: extraB }));
  await lab.advance(4000);
  return { lab, a, b };
}

describe('use_ipvlan', () => {
  it('creates vrrp.51 (L2, bridge) on eth0 at start on both routers, with its address, IPv6 off', async () => {
    const { a, b } = await pair();
    for (const [router, address] of [
      [a, A_IPVLAN],
      [b, B_IPVLAN],
    ] as const) {
      expect(router.netlink.operations.filter((o) => o.op === 'createIpvlan').map((o) => o.spec)).toEqual([
        { name: 'vrrp.51', baseIfindex: ETH0_INDEX, kind: 'bridge' },
      ]);
      expect(router.hasAddress(address, ipvlanIndex(router))).toBe(true);
      expect(router.sysctls.values.get('net/ipv6/conf/vrrp.51/disable_ipv6')).toBe(1);
      // keepalived sets none of the VMAC's ARP sysctls for an ipvlan.
      expect(router.sysctls.values.get('net/ipv4/conf/eth0/arp_ignore')).toBe(0);
      expect(router.daemon.ipvlanList()).toEqual([
        { instance: 'VI_1', name: 'vrrp.51', base: 'eth0', kind: 'bridge', address: `${address}/24` },
      ]);
      expect(router.daemon.vmacList()).toEqual([]);
    }
    expect(statusSnapshot(a.daemon).instances[0]?.ipvlans).toEqual([
      { name: 'vrrp.51', base: 'eth0', kind: 'bridge', address: `${A_IPVLAN}/24` },
    ]);
  });

  it('adverts go out of and come in on the ipvlan, from its address; the VIP and GARPs stay on eth0', async () => {
    const { lab, a, b } = await pair();
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.transportOptions.map((o) => [o.ifname, o.sourceAddress])).toEqual([['vrrp.51', A_IPVLAN]]);
    expect(b.transportOptions.map((o) => [o.ifname, o.sourceAddress])).toEqual([['vrrp.51', B_IPVLAN]]);
    expect(b.counters()?.advertsRx ?? 0).toBeGreaterThan(0);
    await lab.advance(2000);
    expect(lab.advertsFrom(A_IPVLAN).length).toBeGreaterThan(2);
    expect(lab.advertsFrom(A)).toEqual([]);
    expect(statusSnapshot(b.daemon).instances[0]?.masterAddress).toBe(A_IPVLAN);
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(true);
    expect(a.hasAddress(VIP, ipvlanIndex(a))).toBe(false);
    expect(a.garps.length).toBeGreaterThan(0);
    expect(a.garps.every((g) => g.ifname === 'eth0' && g.vip === VIP)).toBe(true);
  });

  it('fails over: the base going down is a FAULT, the backup takes the VIP', async () => {
    const { lab, a, b } = await pair();
    a.linkEvent(false);
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    expect(b.hasAddress(VIP, ETH0_INDEX)).toBe(true);
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(false);
    a.linkEvent(true);
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
  });

  it('is removed at stop, after the VIP went; its address goes with it', async () => {
    const { a } = await pair();
    const index = ipvlanIndex(a);
    await a.daemon.stop({ immediate: true });
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
    expect(a.netlink.operations.filter((o) => o.op === 'removeIpvlan').map((o) => o.spec)).toEqual([
      { name: 'vrrp.51' },
    ]);
    expect(a.hasAddress(A_IPVLAN, index)).toBe(false);
    const ops = a.netlink.operations.map((o) => o.op);
    expect(ops.lastIndexOf('removeAddress')).toBeLessThan(ops.lastIndexOf('removeIpvlan'));
    expect(a.daemon.ipvlanList()).toEqual([]);
  });

  it('a reload that drops the instance removes its ipvlan; a kept one keeps it and its state', async () => {
    const { lab, a } = await pair();
    await a.reload(instanceBlock({ priority: 150, extra: `  use_ipvlan ${A_IPVLAN}/24\n  preempt_delay 1` }));
    await lab.advance(100);
    expect(a.state()).toBe('MASTER');
    expect(a.netlink.operations.filter((o) => o.op === 'createIpvlan')).toHaveLength(1);
    await a.reload(instanceBlock({ name: 'VI_2', vrid: 52, priority: 150 }));
    await lab.advance(100);
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
    expect(a.daemon.ipvlanList()).toEqual([]);
  });

  it('a configured name and kind', async () => {
    const { a } = await pair(
      `  use_ipvlan ipv51 ${A_IPVLAN}/24 private`,
      `  use_ipvlan ipv51 ${B_IPVLAN}/24 private`,
    );
    expect(a.netlink.operations.filter((o) => o.op === 'createIpvlan').map((o) => o.spec)).toEqual([
      { name: 'ipv51', baseIfindex: ETH0_INDEX, kind: 'private' },
    ]);
    expect(a.transportOptions.map((o) => o.ifname)).toEqual(['ipv51']);
  });

  it('IPv4 without an address: the ipvlan is made but the instance stays in FAULT, so the peer is MASTER', async () => {
    const { lab, a, b } = await pair('  use_ipvlan', `  use_ipvlan ${B_IPVLAN}/24`);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    expect(a.netlink.operations.filter((o) => o.op === 'createIpvlan')).toHaveLength(1);
    // Nothing clears it: not the link going down and up again.
    a.linkEvent(false);
    await lab.advance(1000);
    a.linkEvent(true);
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(false);
  });

  it('with use_vmac too: the VIP on the ipvlan (keepalived’s VMAC flag), no macvlan', async () => {
    const { a } = await pair(
      `  use_vmac\n  use_ipvlan ${A_IPVLAN}/24`,
      `  use_vmac\n  use_ipvlan ${B_IPVLAN}/24`,
    );
    expect(a.state()).toBe('MASTER');
    expect(a.netlink.operations.filter((o) => o.op === 'createVmac')).toEqual([]);
    expect(a.hasAddress(VIP, ipvlanIndex(a))).toBe(true);
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(false);
    expect(a.garps.every((g) => g.ifname === 'vrrp.51')).toBe(true);
  });

  it('IPv6 without an address: FAULT until the ipvlan has its link-local address, then sends from it there', async () => {
    const lab = new Lab();
    const a = lab.router(A, { linkLocal: 'fe80::1' });
    await a.start(instanceBlock({ priority: 150, vips: ['2001:db8::254/64'], extra: '  use_ipvlan' }));
    await lab.advance(1000);
    // eth0's link-local address is not the ipvlan's: keepalived sends from the ipvlan's own.
    expect(a.state()).toBe('FAULT');
    expect(a.sysctls.values.get('net/ipv6/conf/vrrp.51/disable_ipv6')).toBe(0);
    const entry = {
      ifindex: ipvlanIndex(a),
      address: 'fe80::2',
      prefixLength: 64,
      scope: 253,
      secondary: false,
    };
    a.netlink.addressTable.set(`${entry.ifindex}/fe80::2/64`, entry);
    a.events.emit({ kind: 'address', address: entry, removed: false });
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    expect(a.transports6).toHaveLength(1);
    expect(a.transport6Options.map((o) => [o.ifname, o.sourceAddress])).toEqual([['vrrp.51', 'fe80::2']]);
    expect(a.hasAddress('2001:db8::254', ETH0_INDEX)).toBe(true);
  });

  it('adopts an L2 bridge ipvlan holding the address that a killed run left on eth0', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    a.netlink.linkList.push({ ...a.netlink.linkList[0]!, ifindex: 9, name: 'vrrp.51' });
    a.netlink.ipvlanLinks.set('vrrp.51', {
      ifindex: 9,
      name: 'vrrp.51',
      mode: 0,
      kind: 'bridge',
      baseIfindex: ETH0_INDEX,
      up: true,
    });
    a.netlink.addressTable.set(`9/${A_IPVLAN}/24`, {
      ifindex: 9,
      address: A_IPVLAN,
      prefixLength: 24,
      scope: 0,
      secondary: false,
    });
    a.sysctls.addInterface('vrrp.51');
    await a.start(instanceBlock({ priority: 150, extra: `  use_ipvlan ${A_IPVLAN}/24` }));
    await lab.advance(4000);
    expect(a.netlink.operations.filter((o) => o.op === 'createIpvlan')).toEqual([]);
    expect(a.logsWith('how', 'adopted')).toHaveLength(1);
    expect(a.transportOptions.map((o) => o.ifname)).toEqual(['vrrp.51']);
    expect(a.state()).toBe('MASTER');
  });
});
