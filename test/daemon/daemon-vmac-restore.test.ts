// A VMAC or ipvlan the kernel deletes (keepalived vrrp_if.c recreate_vmac_thread), on the fake
// kernel: the base interface deleted (the kernel takes its macvlans and ipvlans with it) puts the
// instance in FAULT; when the base comes back, under a new ifindex, the link is made again with
// its name, MAC and address, the advert socket reopens on it, and the instance recovers with its
// VIP on it. A VMAC or ipvlan deleted alone is made again at once.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ETH0_INDEX, ethLink, instanceBlock, Lab, type TestRouter } from './harness.js';
import { VIP } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const VMAC_MAC = '00:00:5e:00:01:33';
const A_IPVLAN = '192.0.2.11';
const B_IPVLAN = '192.0.2.12';

function linkOf(router: TestRouter, name: string) {
  return router.netlink.linkList.find((l) => l.name === name);
}

/** What the kernel does on `ip link del NAME`: the links stacked on it go first, then it. */
function deleteLink(router: TestRouter, name: string): void {
  const { netlink } = router;
  const link = linkOf(router, name);
  if (!link) throw new Error(`no link ${name}`);
  const stacked = [...netlink.macvlans.values(), ...netlink.ipvlanLinks.values()].filter(
    (s) => s.baseIfindex === link.ifindex,
  );
  for (const s of stacked) deleteLink(router, s.name);
  netlink.linkList = netlink.linkList.filter((l) => l !== link);
  netlink.macvlans.delete(name);
  netlink.ipvlanLinks.delete(name);
  for (const [key, address] of netlink.addressTable)
    if (address.ifindex === link.ifindex) netlink.addressTable.delete(key);
  router.events.emit({ kind: 'link', link, removed: true });
}

/** The base comes back (a veth or VLAN re-added) under a new ifindex, with its address. */
function addBase(router: TestRouter, ifindex: number): void {
  const link = ethLink(true, 'eth0', ifindex);
  router.netlink.linkList.push(link);
  router.netlink.addressTable.set(`${ifindex}/${router.address}/24`, {
    ifindex,
    address: router.address,
    prefixLength: 24,
    scope: 0,
    secondary: false,
  });
  router.events.emit({ kind: 'link', link, removed: false });
}

async function pair(extraA: string, extraB: string) {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(instanceBlock({ priority: 150, extra: extraA }));
  await b.start(instanceBlock({ priority: 100, extra: extraB }));
  await lab.advance(4000);
  return { lab, a, b };
}

const creates = (router: TestRouter, op: 'createVmac' | 'createIpvlan') =>
  router.netlink.operations.filter((o) => o.op === op).map((o) => o.spec);

describe('a VMAC the kernel deleted is made again', () => {
  it('base deleted: FAULT; base back under a new ifindex: the VMAC again, the VIP on it, MASTER', async () => {
    const { lab, a, b } = await pair('  use_vmac', '  use_vmac');
    expect(a.state()).toBe('MASTER');
    const old = linkOf(a, 'vrrp.51')!.ifindex;
    deleteLink(a, 'eth0');
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    expect(linkOf(a, 'vrrp.51')).toBeUndefined();
    expect(a.logsWith('code', 'VRRPD_VMAC_LOST')).toHaveLength(1);
    // Nothing to make it on yet.
    expect(creates(a, 'createVmac')).toHaveLength(1);
    // The kernel does not reuse the VMAC's old index soon: another link holds it meanwhile.
    a.netlink.linkList.push(ethLink(true, 'dummy0', old));

    addBase(a, 7);
    await lab.advance(4000);
    expect(creates(a, 'createVmac')).toEqual([
      { name: 'vrrp.51', baseIfindex: ETH0_INDEX, mac: VMAC_MAC, mode: 'private' },
      { name: 'vrrp.51', baseIfindex: 7, mac: VMAC_MAC, mode: 'private' },
    ]);
    expect(a.logsWith('code', 'VRRPD_VMAC_RESTORED')).toHaveLength(1);
    const vmac = linkOf(a, 'vrrp.51');
    expect(vmac?.mac).toBe(VMAC_MAC);
    expect(vmac?.ifindex).not.toBe(old);
    // keepalived's sysctls again on the new VMAC and the new base.
    expect(a.sysctls.values.get('net/ipv4/conf/vrrp.51/arp_ignore')).toBe(1);
    expect(a.sysctls.values.get('net/ipv4/conf/eth0/arp_announce')).toBe(2);
    // The advert socket reopened on the new VMAC; a preempts back and holds the VIP there.
    expect(a.transportOptions.at(-1)).toMatchObject({ ifname: 'vrrp.51', ifindex: vmac?.ifindex });
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.hasAddress(VIP, vmac!.ifindex)).toBe(true);
    expect(a.daemon.vmacList()).toEqual([{ instance: 'VI_1', name: 'vrrp.51', base: 'eth0', mac: VMAC_MAC }]);
  });

  it('the VMAC deleted alone: made again at once, the master keeps its role with its VIP back', async () => {
    const { lab, a, b } = await pair('  use_vmac', '  use_vmac');
    deleteLink(a, 'vrrp.51');
    await lab.advance(4000);
    const vmac = linkOf(a, 'vrrp.51');
    expect(creates(a, 'createVmac')).toHaveLength(2);
    expect(creates(a, 'createVmac').at(-1)).toEqual({
      name: 'vrrp.51',
      baseIfindex: ETH0_INDEX,
      mac: VMAC_MAC,
      mode: 'private',
    });
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.hasAddress(VIP, vmac!.ifindex)).toBe(true);
  });

  it('dont_track_primary: no FAULT for the VMAC either, but it is still made again', async () => {
    const { lab, a } = await pair('  use_vmac\n  dont_track_primary', '  use_vmac');
    deleteLink(a, 'vrrp.51');
    await lab.advance(100);
    expect(a.state()).toBe('MASTER');
    expect(linkOf(a, 'vrrp.51')).toBeDefined();
  });

  it('a stop removes the VMAC and does not make it again', async () => {
    const { lab, a } = await pair('  use_vmac', '  use_vmac');
    await a.daemon.stop({ immediate: true });
    await lab.advance(100);
    expect(a.netlink.linkList.map((l) => l.name)).toEqual(['eth0']);
    expect(creates(a, 'createVmac')).toHaveLength(1);
  });
});

describe('an ipvlan the kernel deleted is made again', () => {
  it('base deleted and back: the ipvlan again with its address; deleted alone: made again', async () => {
    const { lab, a, b } = await pair(`  use_ipvlan ${A_IPVLAN}/24`, `  use_ipvlan ${B_IPVLAN}/24`);
    expect(a.state()).toBe('MASTER');
    deleteLink(a, 'eth0');
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    addBase(a, 7);
    await lab.advance(4000);
    expect(creates(a, 'createIpvlan').at(-1)).toEqual({ name: 'vrrp.51', baseIfindex: 7, kind: 'bridge' });
    let ipvlan = linkOf(a, 'vrrp.51');
    expect(a.hasAddress(A_IPVLAN, ipvlan!.ifindex)).toBe(true);
    expect(a.state()).toBe('MASTER');
    expect(a.hasAddress(VIP, 7)).toBe(true);

    deleteLink(a, 'vrrp.51');
    await lab.advance(4000);
    ipvlan = linkOf(a, 'vrrp.51');
    expect(creates(a, 'createIpvlan')).toHaveLength(3);
    expect(a.hasAddress(A_IPVLAN, ipvlan!.ifindex)).toBe(true);
    expect(a.state()).toBe('MASTER');
    expect(a.logsWith('code', 'VRRPD_VMAC_RESTORED')).toHaveLength(2);
  });

  it('the ipvlan set down by hand is a FAULT of its own; up again, the instance recovers', async () => {
    const { lab, a, b } = await pair(`  use_ipvlan ${A_IPVLAN}/24`, `  use_ipvlan ${B_IPVLAN}/24`);
    a.linkEvent(false, 'vrrp.51');
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    expect(b.state()).toBe('MASTER');
    a.linkEvent(true, 'vrrp.51');
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    expect(creates(a, 'createIpvlan')).toHaveLength(1);
  });
});
