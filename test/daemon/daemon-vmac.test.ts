// use_vmac on the fake kernel (docs/design/ka-features.md §3): the VMAC made before any advert,
// the VIP and its GARPs on it, adverts sent from it and received on the base, keepalived's
// sysctls set and given back, link down of the base → FAULT, the VMAC removed at stop and when a
// reload drops the instance, vmac_xmit_base, IPv6's MAC, and a VMAC left by a killed run adopted.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ETH0_INDEX, ethLink, instanceBlock, Lab, MemorySysctls, VIP, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const VMAC_MAC = '00:00:5e:00:01:33';

function vmacIndex(router: TestRouter, name = 'vrrp.51'): number {
  const link = router.netlink.linkList.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name}: ${router.netlink.linkList.map((l) => l.name).join(' ')}`);
  return link.ifindex;
}

async function pair(extra = '  use_vmac'): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(instanceBlock({ priority: 150, extra }));
  await b.start(instanceBlock({ priority: 100, extra }));
  await lab.advance(4000);
  return { lab, a, b };
}

describe('use_vmac', () => {
  it('creates vrrp.51 (private macvlan, 00:00:5e:00:01:33) on eth0 at start, on the backup too', async () => {
    const { a, b } = await pair();
    for (const router of [a, b]) {
      expect(router.netlink.operations.filter((o) => o.op === 'createVmac').map((o) => o.spec)).toEqual([
        { name: 'vrrp.51', baseIfindex: ETH0_INDEX, mac: VMAC_MAC, mode: 'private' },
      ]);
      expect(router.netlink.linkList.find((l) => l.name === 'vrrp.51')?.mac).toBe(VMAC_MAC);
      expect(router.daemon.vmacList()).toEqual([
        { instance: 'VI_1', name: 'vrrp.51', base: 'eth0', mac: VMAC_MAC },
      ]);
    }
  });

  it('the master holds the VIP on its VMAC, GARPs from it, and sends adverts through it', async () => {
    const { lab, a, b } = await pair();
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.hasAddress(VIP, vmacIndex(a))).toBe(true);
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(false);
    expect(b.hasAddress(VIP, vmacIndex(b))).toBe(false);
    expect(a.garps.length).toBeGreaterThan(0);
    expect(a.garps.every((g) => g.ifname === 'vrrp.51' && g.vip === VIP)).toBe(true);
    // The advert socket is on the VMAC (joined there: a peer's adverts from the same virtual MAC
    // reach only the VMAC), sending from eth0's address.
    expect(a.transportOptions.map((o) => [o.ifname, o.joinMulticast, o.sourceAddress])).toEqual([
      ['vrrp.51', true, A],
    ]);
    expect(b.transportOptions.map((o) => o.ifname)).toEqual(['vrrp.51']);
    // The backup hears the master through its VMAC's socket.
    expect(b.counters()?.advertsRx ?? 0).toBeGreaterThan(0);
    const sent = vi.spyOn(a.transports[0]!, 'sendIpPacket');
    await lab.advance(2000);
    expect(sent).toHaveBeenCalled();
    expect(lab.advertsFrom(A).length).toBeGreaterThan(2);
  });

  it('sets keepalived’s sysctls (and arp_announce 2 on the base), and gives them back at stop', async () => {
    const { a } = await pair();
    const v = (key: string) => a.sysctls.values.get(key);
    expect(v('net/ipv4/conf/vrrp.51/arp_ignore')).toBe(1);
    expect(v('net/ipv4/conf/vrrp.51/accept_local')).toBe(1);
    expect(v('net/ipv4/conf/vrrp.51/rp_filter')).toBe(0);
    expect(v('net/ipv6/conf/vrrp.51/disable_ipv6')).toBe(1);
    expect(v('net/ipv4/conf/eth0/arp_ignore')).toBe(1);
    expect(v('net/ipv4/conf/eth0/arp_filter')).toBe(1);
    expect(v('net/ipv4/conf/eth0/arp_announce')).toBe(2);
    // all.rp_filter was 1: raised on default and eth0 first, so nothing is loosened, then 0.
    expect(v('net/ipv4/conf/all/rp_filter')).toBe(0);
    expect(v('net/ipv4/conf/eth0/rp_filter')).toBe(1);
    await a.daemon.stop({ immediate: true });
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
    expect(a.netlink.operations.filter((o) => o.op === 'removeVmac').map((o) => o.spec)).toEqual([
      { name: 'vrrp.51' },
    ]);
    // The VIP went before its interface did.
    const ops = a.netlink.operations.map((o) => o.op);
    expect(ops.lastIndexOf('removeAddress')).toBeLessThan(ops.lastIndexOf('removeVmac'));
    // Every key back to what it was (the VMAC's went with it).
    expect(a.sysctls.snapshot()).toEqual(new MemorySysctls().snapshot());
  });

  it('the base going down is a FAULT as without VMAC: the backup takes over on its own VMAC', async () => {
    const { lab, a, b } = await pair();
    a.linkEvent(false);
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    expect(b.hasAddress(VIP, vmacIndex(b))).toBe(true);
    expect(b.garps.every((g) => g.ifname === 'vrrp.51')).toBe(true);
    expect(a.hasAddress(VIP, vmacIndex(a))).toBe(false);
  });

  it('a reload that drops the instance removes its VMAC; one that brings it back recreates it', async () => {
    const { lab, a } = await pair();
    await a.reload(instanceBlock({ name: 'VI_2', vrid: 52, priority: 150 }));
    await lab.advance(100);
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
    expect(a.daemon.vmacList()).toEqual([]);
    expect(a.sysctls.values.get('net/ipv4/conf/eth0/arp_ignore')).toBe(0);
    await a.reload(instanceBlock({ priority: 150, extra: '  use_vmac' }));
    await lab.advance(4000);
    expect(a.daemon.vmacList().map((v) => v.name)).toEqual(['vrrp.51']);
    expect(a.state()).toBe('MASTER');
    expect(a.hasAddress(VIP, vmacIndex(a))).toBe(true);
  });

  it('a kept instance keeps its VMAC and state across a reload', async () => {
    const { lab, a } = await pair();
    await a.reload(instanceBlock({ priority: 150, extra: '  use_vmac\n  preempt_delay 1' }));
    await lab.advance(100);
    expect(a.state()).toBe('MASTER');
    expect(a.netlink.operations.filter((o) => o.op === 'createVmac')).toHaveLength(1);
    expect(a.hasAddress(VIP, vmacIndex(a))).toBe(true);
  });

  it('vmac_xmit_base: the VIP on the VMAC, adverts from eth0 (one socket)', async () => {
    const { a } = await pair('  use_vmac vm51\n  vmac_xmit_base');
    expect(a.state()).toBe('MASTER');
    expect(a.hasAddress(VIP, vmacIndex(a, 'vm51'))).toBe(true);
    expect(a.transportOptions.map((o) => o.ifname)).toEqual(['eth0']);
    expect(a.garps.every((g) => g.ifname === 'vm51')).toBe(true);
  });

  it('a configured MAC, five octets: the VRID is the sixth', async () => {
    const { a } = await pair('  use_vmac 02:00:5e:10:20');
    expect(a.netlink.linkList.find((l) => l.name === 'vrrp.51')?.mac).toBe('02:00:5e:10:20:33');
  });

  it('adopts a private macvlan with the right MAC that a killed run left on eth0', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    a.netlink.linkList.push({ ...a.netlink.linkList[0]!, ifindex: 9, name: 'vrrp.51', mac: VMAC_MAC });
    a.netlink.macvlans.set('vrrp.51', {
      ifindex: 9,
      name: 'vrrp.51',
      mac: VMAC_MAC,
      mode: 'private',
      baseIfindex: ETH0_INDEX,
      up: true,
    });
    a.sysctls.addInterface('vrrp.51');
    await a.start(instanceBlock({ priority: 150, extra: '  use_vmac' }));
    await lab.advance(4000);
    expect(a.netlink.operations.filter((o) => o.op === 'createVmac')).toEqual([]);
    expect(a.hasAddress(VIP, 9)).toBe(true);
    expect(a.logsWith('how', 'adopted')).toHaveLength(1);
  });

  it('an IPv6 instance gets 00:00:5e:00:02:VRID and no IPv4 sysctls', async () => {
    const lab = new Lab();
    const a = lab.router(A, { linkLocal: 'fe80::1' });
    await a.start(instanceBlock({ priority: 150, vips: ['2001:db8::254/64'], extra: '  use_vmac' }));
    await lab.advance(4000);
    expect(a.netlink.linkList.find((l) => l.name === 'vrrp.51')?.mac).toBe('00:00:5e:00:02:33');
    expect(a.sysctls.values.get('net/ipv4/conf/eth0/arp_ignore')).toBe(0);
    expect(a.state()).toBe('MASTER');
    expect(a.hasAddress('2001:db8::254', vmacIndex(a))).toBe(true);
    expect(a.neighborAdverts.length).toBeGreaterThan(0);
    expect(a.neighborAdverts.every((n) => n.ifname === 'vrrp.51')).toBe(true);
    // The base's link-local address is put on the VMAC too (keepalived does), so the advert socket
    // can be there with it as its source.
    expect(a.hasAddress('fe80::1', vmacIndex(a))).toBe(true);
    expect(a.transports6).toHaveLength(1);
    const sent = vi.spyOn(a.transports6[0]!, 'send');
    await lab.advance(2000);
    expect(sent).toHaveBeenCalled();
  });
});

describe('disable_local_igmp', () => {
  const KEY = 'net/ipv4/igmp_link_local_mcast_reports';
  const config = (globals: string) =>
    `global_defs {\n${globals}\n}\n${instanceBlock({ priority: 150, extra: '  use_vmac' })}`;

  /** A router whose kernel has the key at 1 (the kernel's default), started with `globals`. */
  async function started(lab: Lab, address: string, globals: string): Promise<TestRouter> {
    const router = lab.router(address);
    router.sysctls.values.set(KEY, 1);
    await router.start(config(globals));
    return router;
  }

  it('sets igmp_link_local_mcast_reports to 0 at start and gives back 1 at stop, as keepalived', async () => {
    const a = await started(new Lab(), A, '  disable_local_igmp');
    expect(a.sysctls.values.get(KEY)).toBe(0);
    // A reload without it changes nothing (keepalived acts at start and stop only).
    await a.reload(config(''));
    expect(a.sysctls.values.get(KEY)).toBe(0);
    await a.daemon.stop({ immediate: true });
    expect(a.sysctls.values.get(KEY)).toBe(1);
  });

  it('leaves it alone when not configured, and an administrator’s later change wins at stop', async () => {
    const lab = new Lab();
    const untouched = await started(lab, A, '');
    expect(untouched.sysctls.values.get(KEY)).toBe(1);
    await untouched.daemon.stop({ immediate: true });

    const b = await started(lab, B, '  disable_local_igmp');
    b.sysctls.values.set(KEY, 2);
    await b.daemon.stop({ immediate: true });
    expect(b.sysctls.values.get(KEY)).toBe(2);
  });
});

describe('use_vmac_addr', () => {
  const OTHER_VIP = '198.51.100.254';
  const ETH1_INDEX = 7;

  async function withEth1(priority: number, address: string, lab: Lab): Promise<TestRouter> {
    const router = lab.router(address);
    router.netlink.linkList.push(ethLink(true, 'eth1', ETH1_INDEX));
    router.sysctls.addInterface('eth1');
    await router.start(
      instanceBlock({
        priority,
        vips: [`${VIP}/24`, `${OTHER_VIP}/24 dev eth1`],
        extra: '  use_vmac_addr',
      }),
    );
    return router;
  }

  it('puts an address on another interface on its own VMAC (vrrp.51 on eth1), the instance’s own stays on eth0', async () => {
    const lab = new Lab();
    const a = await withEth1(150, A, lab);
    const b = await withEth1(100, B, lab);
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    for (const router of [a, b]) {
      expect(router.netlink.operations.filter((o) => o.op === 'createVmac').map((o) => o.spec)).toEqual([
        { name: 'vrrp.51', baseIfindex: ETH1_INDEX, mac: VMAC_MAC, mode: 'private' },
      ]);
      expect(router.daemon.vmacList()).toEqual([
        { instance: 'VI_1', name: 'vrrp.51', base: 'eth1', mac: VMAC_MAC },
      ]);
    }
    // The adverts stay on eth0 (no use_vmac): one socket, there.
    expect(a.transportOptions.map((o) => o.ifname)).toEqual(['eth0']);
    expect(a.hasAddress(VIP, ETH0_INDEX)).toBe(true);
    expect(a.hasAddress(OTHER_VIP, vmacIndex(a))).toBe(true);
    expect(a.hasAddress(OTHER_VIP, ETH1_INDEX)).toBe(false);
    expect(b.hasAddress(OTHER_VIP, vmacIndex(b))).toBe(false);
    // Its gratuitous ARPs leave from the VMAC, the other address's from eth0.
    expect(a.garps.filter((g) => g.vip === OTHER_VIP).every((g) => g.ifname === 'vrrp.51')).toBe(true);
    expect(a.garps.filter((g) => g.vip === VIP).every((g) => g.ifname === 'eth0')).toBe(true);
    expect(a.garps.some((g) => g.vip === OTHER_VIP)).toBe(true);
    await a.daemon.stop({ immediate: true });
    expect(a.netlink.linkList.map((l) => l.name).sort()).toEqual(['eth0', 'eth1']);
  });
});

describe('use_vmac on one virtual_ipaddress line', () => {
  it('that address alone lives on vrrp.51 (on eth0); the others and the adverts stay on eth0', async () => {
    const lab = new Lab();
    const routers: TestRouter[] = [];
    for (const [address, priority] of [
      [A, 150],
      [B, 100],
    ] as const) {
      const router = lab.router(address);
      await router.start(instanceBlock({ priority, vips: ['192.0.2.254/24 use_vmac', '192.0.2.253/24'] }));
      routers.push(router);
    }
    await lab.advance(4000);
    const [a, b] = routers as [TestRouter, TestRouter];
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.daemon.vmacList()).toEqual([{ instance: 'VI_1', name: 'vrrp.51', base: 'eth0', mac: VMAC_MAC }]);
    expect(a.transportOptions.map((o) => o.ifname)).toEqual(['eth0']);
    expect(a.hasAddress('192.0.2.254', vmacIndex(a))).toBe(true);
    expect(a.hasAddress('192.0.2.254', ETH0_INDEX)).toBe(false);
    expect(a.hasAddress('192.0.2.253', ETH0_INDEX)).toBe(true);
    expect(b.hasAddress('192.0.2.254', vmacIndex(b))).toBe(false);
    const from = (vip: string) => [...new Set(a.garps.filter((g) => g.vip === vip).map((g) => g.ifname))];
    expect(from('192.0.2.254')).toEqual(['vrrp.51']);
    expect(from('192.0.2.253')).toEqual(['eth0']);
    await a.daemon.stop({ immediate: true });
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
  });
});

describe('use_vmac and the make-before-break release', () => {
  it('the releasing master’s VMAC answers no ARP (arp_ignore 8) until its addresses are gone', async () => {
    const { lab, a, b } = await pair();
    const key = 'net/ipv4/conf/vrrp.51/arp_ignore';
    expect(a.sysctls.values.get(key)).toBe(1);
    let stopped = false;
    void a.daemon.stop().then(() => {
      stopped = true;
    });
    await lab.advance(1);
    expect(a.transitions.at(-1)).toMatchObject({ from: 'MASTER', to: 'INIT' });
    expect(a.hasAddress(VIP, vmacIndex(a))).toBe(true);
    expect(a.sysctls.values.get(key)).toBe(8);
    const quietWrites = () => a.sysctls.writes.filter((w) => w.startsWith(`${key}=`));
    await lab.advance(3000);
    expect(b.state()).toBe('MASTER');
    expect(stopped).toBe(true);
    // Given back once the addresses went (then the VMAC itself went with the stop).
    expect(quietWrites().slice(-2)).toEqual([`${key}=8`, `${key}=1`]);
  });

  it('a master that preempts or is preempted keeps answering ARP (nothing to release)', async () => {
    const { lab, a, b } = await pair();
    await a.reload(instanceBlock({ priority: 50, extra: '  use_vmac' }));
    await lab.advance(4000);
    expect(b.state()).toBe('MASTER');
    for (const router of [a, b])
      expect(router.sysctls.writes.filter((w) => w.includes('vrrp.51/arp_ignore=8'))).toEqual([]);
  });
});
