// The VMAC pieces without a kernel: names and MACs as keepalived makes them, the netlink
// attributes of a macvlan, and the sysctl policy (set, refcount per base, restore) on an
// in-memory /proc/sys.

import { describe, expect, it } from 'vitest';
import {
  attribute,
  nested,
  parseAttributes,
  readCString,
  readU32,
  u32,
} from '../../src/kernel/netlink-attributes.js';
import { procSysctls, SysctlJournal, type SysctlFiles } from '../../src/kernel/sysctl.js';
import {
  chooseVmacName,
  isValidInterfaceName,
  vmacAddress,
  vmacNameCandidates,
} from '../../src/kernel/vmac-plan.js';
import { findAdoptableVmac, macvlanFrom, macvlanLinkInfo, type MacvlanLink } from '../../src/kernel/vmac.js';
import { VmacSysctls } from '../../src/kernel/vmac-sysctls.js';

function take<T>(generator: Generator<T>, count: number): T[] {
  const out: T[] = [];
  for (const value of generator) {
    out.push(value);
    if (out.length === count) break;
  }
  return out;
}

/** /proc/sys as a map of paths to values, with a log of writes. */
function memoryProcSys(initial: Record<string, number>) {
  const values = new Map(Object.entries(initial).map(([k, v]) => [`/proc/sys/${k}`, String(v)]));
  const writes: string[] = [];
  const files: SysctlFiles = {
    async readFile(path) {
      const value = values.get(path);
      if (value === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return `${value}\n`;
    },
    async writeFile(path, data) {
      if (!values.has(path)) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      values.set(path, data.trim());
      writes.push(`${path.slice('/proc/sys/'.length)}=${data.trim()}`);
    },
    async readdir(path) {
      const prefix = `${path}/`;
      const names = new Set<string>();
      for (const key of values.keys())
        if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]!);
      return [...names];
    },
  };
  const get = (key: string) => Number(values.get(`/proc/sys/${key}`));
  const remove = (ifname: string) => {
    for (const key of [...values.keys()]) if (key.includes(`/conf/${ifname}/`)) values.delete(key);
  };
  return {
    files,
    writes,
    get,
    remove,
    set: (key: string, v: number) => values.set(`/proc/sys/${key}`, String(v)),
  };
}

function conf(ifname: string, values: Record<string, number>, family = 'ipv4'): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([p, v]) => [`net/${family}/conf/${ifname}/${p}`, v]));
}

describe('VMAC names and MACs (keepalived create_vmac_name)', () => {
  it('uses 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6, or the configured one', () => {
    expect(vmacAddress(51, 'ipv4')).toBe('00:00:5e:00:01:33');
    expect(vmacAddress(255, 'ipv6')).toBe('00:00:5e:00:02:ff');
    expect(vmacAddress(7, 'ipv4', '02:AB:cd:0:1:2')).toBe('02:ab:cd:00:01:02');
    expect(vmacAddress(7, 'ipv4', '02:ab:cd:00:01')).toBe('02:ab:cd:00:01:07');
    expect(vmacAddress(7, 'ipv4', '02:ab:cd:00:01:')).toBe('02:ab:cd:00:01:07');
    expect(() => vmacAddress(7, 'ipv4', '02:ab:cd')).toThrow(RangeError);
    expect(() => vmacAddress(0, 'ipv4')).toThrow(RangeError);
  });

  it('tries PREFIX.VRID then PREFIX1.VRID…, and for IPv6 PREFIX6.VRID second, skipping 6 later', () => {
    expect(take(vmacNameCandidates('vrrp', 51, 'ipv4'), 4)).toEqual([
      'vrrp.51',
      'vrrp1.51',
      'vrrp2.51',
      'vrrp3.51',
    ]);
    expect(take(vmacNameCandidates('vrrp', 51, 'ipv6'), 8)).toEqual([
      'vrrp.51',
      'vrrp6.51',
      'vrrp1.51',
      'vrrp2.51',
      'vrrp3.51',
      'vrrp4.51',
      'vrrp5.51',
      'vrrp7.51',
    ]);
  });

  it('cuts a long vmac_prefix so the name fits in 15 characters', () => {
    expect(take(vmacNameCandidates('averyveryverylongprefix', 200, 'ipv4'), 2)).toEqual([
      'averyveryve.200',
      'averyveryv1.200',
    ]);
    for (const name of take(vmacNameCandidates('x'.repeat(40), 255, 'ipv6'), 30)) {
      expect(isValidInterfaceName(name)).toBe(true);
    }
  });

  it('chooses the first free name, and gives up after a bound', () => {
    const taken = new Set(['vrrp.51', 'vrrp1.51']);
    expect(chooseVmacName('vrrp', 51, 'ipv4', (n) => taken.has(n))).toBe('vrrp2.51');
    expect(chooseVmacName('vrrp', 51, 'ipv4', () => true, 5)).toBeNull();
  });

  it('validates names as Linux does', () => {
    expect(['vrrp.51', 'a', 'x'.repeat(15)].every(isValidInterfaceName)).toBe(true);
    expect(['', '.', '..', 'a/b', 'a:b', 'a b', 'x'.repeat(16)].some(isValidInterfaceName)).toBe(false);
  });
});

describe('macvlan netlink attributes', () => {
  it('builds IFLA_LINKINFO { kind "macvlan", data { mode } } and reads it back', () => {
    const info = parseAttributes(macvlanLinkInfo('private'));
    expect(readCString(info.get(1)!)).toBe('macvlan');
    expect(readU32(parseAttributes(info.get(2)!).get(1)!)).toBe(1);
    expect(readU32(parseAttributes(parseAttributes(macvlanLinkInfo('bridge')).get(2)!).get(1)!)).toBe(4);
  });

  it('pads attributes to 4 bytes and survives truncated input', () => {
    const buf = Buffer.concat([attribute(3, Buffer.from('abcde')), nested(4, [attribute(1, u32(9))])]);
    expect(buf.length).toBe(12 + 12);
    const parsed = parseAttributes(buf);
    expect(parsed.get(3)!.toString()).toBe('abcde');
    expect(parseAttributes(buf.subarray(0, 7)).size).toBe(0);
  });

  it('turns link messages into macvlans (and ignores other kinds)', () => {
    const message = {
      kind: 'link' as const,
      data: { index: 7, flags: { up: true as const } },
      attrs: {
        ifname: 'vrrp.51',
        address: Buffer.from('00005e000133', 'hex'),
        link: u32(3),
        linkinfo: macvlanLinkInfo('private'),
      },
    };
    const link = macvlanFrom(message);
    expect(link).toEqual({
      ifindex: 7,
      name: 'vrrp.51',
      mac: '00:00:5e:00:01:33',
      mode: 'private',
      baseIfindex: 3,
      up: true,
    });
    const veth = { ...message, attrs: { ...message.attrs, linkinfo: attribute(1, Buffer.from('veth\0')) } };
    expect(macvlanFrom(veth)).toBeNull();
    expect(findAdoptableVmac([link!], { baseIfindex: 3, mac: '00:00:5e:00:01:33' })).toBe(link);
    expect(findAdoptableVmac([link!], { baseIfindex: 4, mac: '00:00:5e:00:01:33' })).toBeUndefined();
    const bridged: MacvlanLink = { ...link!, mode: 'bridge' };
    expect(findAdoptableVmac([bridged], { baseIfindex: 3, mac: '00:00:5e:00:01:33' })).toBeUndefined();
    expect(findAdoptableVmac([bridged], { baseIfindex: 3, mac: '00:00:5e:00:01:33', mode: 'bridge' })).toBe(
      bridged,
    );
  });
});

describe('sysctl journal', () => {
  it('restores what it changed, unless someone changed it since, newest first', async () => {
    const proc = memoryProcSys({ 'net/a': 1, 'net/b': 0, 'net/c': 5 });
    const journal = new SysctlJournal(procSysctls(proc.files));
    await journal.set('net/a', 2);
    await journal.set('net/b', 0); // already 0: nothing to restore
    await journal.set('net/c', 1);
    await journal.set('net/a', 3);
    expect(journal.changed()).toEqual([
      { key: 'net/a', original: 1, written: 3 },
      { key: 'net/c', original: 5, written: 1 },
    ]);
    proc.set('net/c', 9); // an administrator's change wins
    const report = await journal.restore();
    expect(report).toEqual({ restored: ['net/a'], keptTheirs: ['net/c'], failed: [] });
    expect([proc.get('net/a'), proc.get('net/c')]).toEqual([1, 9]);
    await expect(journal.set('net/missing', 1)).rejects.toThrow(/does not exist/);
  });
});

describe('VMAC sysctl policy', () => {
  const start = () =>
    memoryProcSys({
      'net/ipv4/conf/all/rp_filter': 2,
      'net/ipv4/conf/default/rp_filter': 1,
      ...conf('lo', { rp_filter: 0 }),
      ...conf('eth0', { rp_filter: 0, arp_ignore: 2, arp_filter: 0, arp_announce: 0 }),
      ...conf('eth1', { rp_filter: 2, arp_ignore: 0, arp_filter: 0, arp_announce: 0 }),
      ...conf('vrrp.51', { rp_filter: 1, arp_ignore: 0, accept_local: 0, promote_secondaries: 0 }),
      ...conf('vrrp.51', { disable_ipv6: 0 }, 'ipv6'),
      ...conf('vrrp.52', { rp_filter: 2, arp_ignore: 0, accept_local: 0, promote_secondaries: 0 }),
      ...conf('vrrp.52', { disable_ipv6: 0 }, 'ipv6'),
    });

  it('sets the VMAC’s and its base’s values and raises rp_filter before clearing all', async () => {
    const proc = start();
    const policy = new VmacSysctls(procSysctls(proc.files));
    const notices = await policy.attach('vrrp.51', 'eth0', { disableIpv6: true });
    expect(proc.writes).toEqual([
      'net/ipv4/conf/default/rp_filter=2',
      'net/ipv4/conf/eth0/rp_filter=2',
      'net/ipv4/conf/lo/rp_filter=2',
      'net/ipv4/conf/all/rp_filter=0',
      'net/ipv4/conf/vrrp.51/arp_ignore=1',
      'net/ipv4/conf/vrrp.51/accept_local=1',
      'net/ipv4/conf/vrrp.51/rp_filter=0',
      'net/ipv4/conf/vrrp.51/promote_secondaries=1',
      'net/ipv6/conf/vrrp.51/disable_ipv6=1',
      'net/ipv4/conf/eth0/arp_ignore=1',
      'net/ipv4/conf/eth0/arp_filter=1',
      'net/ipv4/conf/eth0/arp_announce=2',
    ]);
    expect(notices).toContain('set net/ipv4/conf/all/rp_filter from 2 to 0');
  });

  it('counts VMACs per base: the base is restored when its last VMAC goes; the rest at shutdown', async () => {
    const proc = start();
    const policy = new VmacSysctls(procSysctls(proc.files), { baseArpAnnounce: false });
    await policy.attach('vrrp.51', 'eth0', { disableIpv6: true });
    proc.writes.length = 0;
    await policy.attach('vrrp.52', 'eth0', { disableIpv6: false });
    expect(proc.writes.filter((w) => w.includes('eth0') || w.includes('all'))).toEqual([]);
    expect(proc.writes).not.toContain('net/ipv6/conf/vrrp.52/disable_ipv6=1');

    proc.remove('vrrp.51');
    expect(await policy.detach('vrrp.51', 'eth0')).toBeNull();
    expect(proc.get('net/ipv4/conf/eth0/arp_ignore')).toBe(1);
    proc.remove('vrrp.52');
    const report = await policy.detach('vrrp.52', 'eth0');
    expect(report?.restored.sort()).toEqual([
      'net/ipv4/conf/eth0/arp_filter',
      'net/ipv4/conf/eth0/arp_ignore',
    ]);
    expect([proc.get('net/ipv4/conf/eth0/arp_ignore'), proc.get('net/ipv4/conf/eth0/arp_filter')]).toEqual([
      2, 0,
    ]);
    expect(proc.get('net/ipv4/conf/eth0/arp_announce')).toBe(0);

    const rest = await policy.restoreAll();
    expect(rest.failed).toEqual([]);
    expect([
      proc.get('net/ipv4/conf/all/rp_filter'),
      proc.get('net/ipv4/conf/default/rp_filter'),
      proc.get('net/ipv4/conf/eth0/rp_filter'),
      proc.get('net/ipv4/conf/lo/rp_filter'),
      proc.get('net/ipv4/conf/eth1/rp_filter'),
    ]).toEqual([2, 1, 0, 0, 2]);
  });

  it('does nothing to rp_filter when all is already 0, and reports failures instead of throwing', async () => {
    const proc = memoryProcSys({
      'net/ipv4/conf/all/rp_filter': 0,
      ...conf('eth0', { rp_filter: 1, arp_ignore: 1, arp_filter: 1, arp_announce: 2 }),
    });
    const policy = new VmacSysctls(procSysctls(proc.files));
    const notices = await policy.attach('vrrp.9', 'eth0', { disableIpv6: true });
    expect(proc.writes).toEqual([]);
    expect(notices).toHaveLength(5); // the VMAC's four ipv4 keys and disable_ipv6 do not exist here
    expect(notices.every((n) => n.startsWith('cannot set net/ipv'))).toBe(true);
  });
});
