// VMAC interfaces (src/kernel/vmac.ts, vmac-sysctls.ts) on a real kernel, driven through the
// kernel agent inside lab namespaces and checked with iproute2 and sysctl from the same namespace:
//  - a macvlan with the virtual MAC, private mode (keepalived's) or bridge on request, no EUI-64
//    link-local, up; the sysctls keepalived sets are set, and restored on the way out;
//  - two routers with VMACs on one segment: the client's ARP entry for the VIP is the virtual MAC,
//    announced by a GARP from the VMAC, and it stays the virtual MAC across a failover while the
//    switch moves the MAC to the new master's port.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';
import { chooseVmacName, vmacAddress } from '../../src/kernel/vmac-plan.js';
import { findAdoptableVmac, type CreatedVmac, type MacvlanLink } from '../../src/kernel/vmac.js';
import type { RestoreReport } from '../../src/kernel/sysctl.js';

const skip = requireRoot();

interface IpLinkDetails {
  ifindex: number;
  link?: string;
  address: string;
  flags: string[];
  linkinfo?: { info_kind: string; info_data?: { mode?: string } };
  inet6_addr_gen_mode?: string;
}

describe.skipIf(skip !== undefined)(
  `VMAC interfaces on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    describe('one router: create, sysctls set and restored, remove', () => {
      const lab = new Lab();
      let agent: JsonLinesChild;
      let baseIfindex: number;

      const sysctl = async (name: string): Promise<string> =>
        (await lab.exec('n', ['sysctl', '-n', name])).stdout.trim();
      const setSysctl = (name: string, value: number) => lab.exec('n', ['sysctl', '-qw', `${name}=${value}`]);
      const details = async (ifname: string): Promise<IpLinkDetails> => {
        const { stdout } = await lab.ip('n', ['-d', '-j', 'link', 'show', 'dev', ifname]);
        return (JSON.parse(stdout) as IpLinkDetails[])[0]!;
      };
      // sysctl(8) names use '/' inside an interface name written with '.': net.ipv4.conf.vrrp/51.x
      const conf = (ifname: string, parameter: string, family = 'ipv4') =>
        `net.${family}.conf.${ifname.replace('.', '/')}.${parameter}`;

      beforeAll(async () => {
        await lab.addNamespace('n');
        await lab.addNamespace('p');
        await lab.addVethPair('n', 'eth0', 'p', 'eth0');
        await lab.addAddress('n', 'eth0', '192.0.2.1/24');
        baseIfindex = await lab.ifindexOf('n', 'eth0');
        // Values keepalived has to change, so restoring them is visible.
        await setSysctl('net.ipv4.conf.all.rp_filter', 2);
        await setSysctl('net.ipv4.conf.default.rp_filter', 1);
        await setSysctl('net.ipv4.conf.eth0.rp_filter', 0);
        await setSysctl('net.ipv4.conf.eth0.arp_ignore', 2);
        await setSysctl('net.ipv4.conf.eth0.arp_filter', 0);
        agent = await startKernelAgent(lab, 'n');
      });

      afterAll(async () => {
        await lab.teardown();
      });

      it('creates vrrp.51: macvlan, private mode, MAC 00:00:5e:00:01:33 on eth0, no link-local, up', async () => {
        const name = chooseVmacName('vrrp', 51, 'ipv4', () => false)!;
        expect(name).toBe('vrrp.51');
        const created = await agent.request<CreatedVmac>('vmac.create', {
          name,
          baseIfindex,
          mac: vmacAddress(51, 'ipv4'),
        });
        expect(created.warnings).toEqual([]);
        const link = await details('vrrp.51');
        expect(link).toMatchObject({
          ifindex: created.ifindex,
          link: 'eth0',
          address: '00:00:5e:00:01:33',
          linkinfo: { info_kind: 'macvlan', info_data: { mode: 'private' } },
          inet6_addr_gen_mode: 'none',
        });
        expect(link.flags).toContain('UP');
        const { stdout } = await lab.ip('n', ['-j', '-6', 'addr', 'show', 'dev', 'vrrp.51']);
        const addresses = (JSON.parse(stdout || '[]') as Array<{ addr_info?: unknown[] }>).flatMap(
          (l) => l.addr_info ?? [],
        );
        expect(addresses).toEqual([]);
      });

      it('sets keepalived’s sysctls on the VMAC and its base, and clears all.rp_filter safely', async () => {
        const notices = await agent.request<string[]>('vmacSysctls.attach', {
          vmac: 'vrrp.51',
          base: 'eth0',
          disableIpv6: true,
        });
        expect(notices).toEqual(
          expect.arrayContaining([
            'set net/ipv4/conf/default/rp_filter from 1 to 2',
            'set net/ipv4/conf/eth0/rp_filter from 0 to 2',
            'set net/ipv4/conf/all/rp_filter from 2 to 0',
            'set net/ipv4/conf/eth0/arp_ignore from 2 to 1',
            'set net/ipv4/conf/eth0/arp_filter from 0 to 1',
            'set net/ipv4/conf/eth0/arp_announce from 0 to 2',
          ]),
        );
        expect(notices.filter((n) => n.startsWith('cannot'))).toEqual([]);
        for (const [parameter, value] of [
          ['arp_ignore', '1'],
          ['accept_local', '1'],
          ['rp_filter', '0'],
          ['promote_secondaries', '1'],
        ]) {
          expect(await sysctl(conf('vrrp.51', parameter!))).toBe(value);
        }
        expect(await sysctl(conf('vrrp.51', 'disable_ipv6', 'ipv6'))).toBe('1');
        expect(await sysctl('net.ipv4.conf.eth0.arp_ignore')).toBe('1');
        expect(await sysctl('net.ipv4.conf.eth0.arp_filter')).toBe('1');
        expect(await sysctl('net.ipv4.conf.eth0.arp_announce')).toBe('2');
        expect(await sysctl('net.ipv4.conf.all.rp_filter')).toBe('0');
        // Nothing's effective filter got looser: every interface now carries all's old value.
        expect(await sysctl('net.ipv4.conf.eth0.rp_filter')).toBe('2');
        expect(await sysctl('net.ipv4.conf.default.rp_filter')).toBe('2');
      });

      it('adds an IPv6-family VMAC in bridge mode beside it, refuses a duplicate, lists both', async () => {
        const name = chooseVmacName('vrrp', 51, 'ipv6', (n) => n === 'vrrp.51')!;
        expect(name).toBe('vrrp6.51');
        await agent.request('vmac.create', {
          name,
          baseIfindex,
          mac: vmacAddress(51, 'ipv6'),
          mode: 'bridge',
        });
        expect(await details(name)).toMatchObject({
          address: '00:00:5e:00:02:33',
          linkinfo: { info_kind: 'macvlan', info_data: { mode: 'bridge' } },
        });
        await agent.request('vmacSysctls.attach', { vmac: name, base: 'eth0', disableIpv6: false });
        await expect(
          agent.request('vmac.create', { name: 'vrrp.51', baseIfindex, mac: vmacAddress(51, 'ipv4') }),
        ).rejects.toThrow(/EEXIST/);

        const links = await agent.request<MacvlanLink[]>('vmac.list');
        expect(links.map((l) => [l.name, l.mode, l.mac, l.baseIfindex, l.up])).toEqual([
          ['vrrp.51', 'private', '00:00:5e:00:01:33', baseIfindex, true],
          ['vrrp6.51', 'bridge', '00:00:5e:00:02:33', baseIfindex, true],
        ]);
        // What a restarted daemon adopts instead of creating anew (keepalived's rule).
        expect(findAdoptableVmac(links, { baseIfindex, mac: '00:00:5E:00:01:33' })?.name).toBe('vrrp.51');
        expect(findAdoptableVmac(links, { baseIfindex, mac: '00:00:5e:00:02:33' })).toBeUndefined();
      });

      it('restores the base’s arp settings when its last VMAC goes, the rest at shutdown', async () => {
        expect(await agent.request('vmac.remove', { name: 'vrrp6.51' })).toBe('removed');
        expect(await agent.request('vmacSysctls.detach', { vmac: 'vrrp6.51', base: 'eth0' })).toBeNull();
        expect(await sysctl('net.ipv4.conf.eth0.arp_ignore')).toBe('1');

        expect(await agent.request('vmac.remove', { name: 'vrrp.51' })).toBe('removed');
        const base = await agent.request<RestoreReport>('vmacSysctls.detach', {
          vmac: 'vrrp.51',
          base: 'eth0',
        });
        expect(base.restored.sort()).toEqual([
          'net/ipv4/conf/eth0/arp_announce',
          'net/ipv4/conf/eth0/arp_filter',
          'net/ipv4/conf/eth0/arp_ignore',
        ]);
        expect(await sysctl('net.ipv4.conf.eth0.arp_ignore')).toBe('2');
        expect(await sysctl('net.ipv4.conf.eth0.arp_filter')).toBe('0');
        expect(await sysctl('net.ipv4.conf.eth0.arp_announce')).toBe('0');

        const rest = await agent.request<RestoreReport>('vmacSysctls.restoreAll');
        expect(rest.failed).toEqual([]);
        expect(await sysctl('net.ipv4.conf.all.rp_filter')).toBe('2');
        expect(await sysctl('net.ipv4.conf.default.rp_filter')).toBe('1');
        expect(await sysctl('net.ipv4.conf.eth0.rp_filter')).toBe('0');
        expect(await agent.request<MacvlanLink[]>('vmac.list')).toEqual([]);
        expect(await agent.request('vmac.remove', { name: 'vrrp.51' })).toBe('absent');
      });
    });

    describe('two routers with VMACs: the client’s ARP entry stays the virtual MAC across failover', () => {
      let segment: RouterSegment;
      const agents = new Map<string, JsonLinesChild>();
      const VMAC = 'vrrp.51';
      const VIRTUAL_MAC = vmacAddress(51, 'ipv4');
      const vmacIfindex = new Map<string, number>();

      const waitForNeighbour = async (mac: string): Promise<string | null> => {
        let seen: string | null = null;
        for (let attempt = 0; attempt < 40 && seen !== mac; attempt++) {
          seen = await segment.lab.neighbourMac('c1', segment.vip);
          if (seen !== mac) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return seen;
      };
      /** The switch port the bridge forwards the virtual MAC to. */
      const portOfVirtualMac = async (): Promise<string | undefined> => {
        const { stdout } = await segment.lab.exec('sw', ['bridge', '-j', 'fdb', 'show', 'br', 'br0']);
        const entries = JSON.parse(stdout || '[]') as Array<{
          mac: string;
          ifname?: string;
          flags?: string[];
        }>;
        return entries.find((e) => e.mac === VIRTUAL_MAC && !(e.flags ?? []).includes('self'))?.ifname;
      };
      const takeOver = async (role: string) => {
        const agent = agents.get(role)!;
        const spec = { ifindex: vmacIfindex.get(role)!, address: segment.vip, prefixLength: 24 };
        expect(await agent.request('addresses.add', spec)).toBe('added');
        expect(await agent.request('garp.send', { ifname: VMAC, vip: segment.vip })).toEqual({
          ok: true,
          bytes: 42,
        });
      };
      const release = async (role: string) => {
        const spec = { ifindex: vmacIfindex.get(role)!, address: segment.vip, prefixLength: 24 };
        expect(await agents.get(role)!.request('addresses.remove', spec)).toBe('removed');
      };

      beforeAll(async () => {
        segment = await createRouterSegment();
        for (const role of segment.routers) {
          const agent = await startKernelAgent(segment.lab, role);
          agents.set(role, agent);
          const baseIfindex = await segment.lab.ifindexOf(role, 'eth0');
          const created = await agent.request<CreatedVmac>('vmac.create', {
            name: VMAC,
            baseIfindex,
            mac: VIRTUAL_MAC,
          });
          vmacIfindex.set(role, created.ifindex);
          await agent.request('vmacSysctls.attach', { vmac: VMAC, base: 'eth0', disableIpv6: true });
        }
      }, 30_000);

      afterAll(async () => {
        for (const agent of agents.values())
          await agent.request('vmacSysctls.restoreAll').catch(() => undefined);
        await segment?.lab.teardown();
      });

      it('r1 holds the VIP on its VMAC: the client resolves it to the virtual MAC', async () => {
        await takeOver('r1');
        expect(await segment.lab.pingOnce('c1', segment.vip)).toBe(true);
        expect(await segment.lab.neighbourMac('c1', segment.vip)).toBe(VIRTUAL_MAC);
        expect(await portOfVirtualMac()).toBe('r1');
      });

      it('the GARP from the VMAC carries the virtual MAC as its sender', async () => {
        // A stale, wrong entry: only a GARP whose sender is the virtual MAC can put it back.
        await segment.lab.ip('c1', [
          'neigh',
          'replace',
          segment.vip,
          'lladdr',
          '02:00:00:00:00:99',
          'dev',
          'eth0',
          'nud',
          'stale',
        ]);
        expect(
          await agents.get('r1')!.request('garp.send', { ifname: VMAC, vip: segment.vip }),
        ).toMatchObject({
          ok: true,
        });
        expect(await waitForNeighbour(VIRTUAL_MAC)).toBe(VIRTUAL_MAC);
      });

      it('failover to r2: same MAC for the client, the switch follows the GARP to r2’s port', async () => {
        await release('r1');
        await takeOver('r2');
        expect(await segment.lab.pingOnce('c1', segment.vip)).toBe(true);
        expect(await segment.lab.neighbourMac('c1', segment.vip)).toBe(VIRTUAL_MAC);
        expect(await portOfVirtualMac()).toBe('r2');
        // r1 keeps its VMAC while backup, as keepalived does, without taking the traffic back.
        const links = await agents.get('r1')!.request<MacvlanLink[]>('vmac.list');
        expect(links.map((l) => l.name)).toEqual([VMAC]);
        expect(await segment.lab.pingOnce('c1', segment.vip)).toBe(true);
        expect(await portOfVirtualMac()).toBe('r2');
      });

      it('and back to r1', async () => {
        await release('r2');
        await takeOver('r1');
        expect(await segment.lab.pingOnce('c1', segment.vip)).toBe(true);
        expect(await segment.lab.neighbourMac('c1', segment.vip)).toBe(VIRTUAL_MAC);
        expect(await portOfVirtualMac()).toBe('r1');
      });
    });
  },
);
