// Gratuitous ARP from a router moves a client's neighbour entry for the VIP to the router's MAC
// with the client's default sysctls — the failover mechanism the later scenarios rely on — and
// shows why: Linux updates an existing entry from a GARP but, with arp_accept=0, does not
// create one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

describe.skipIf(skip !== undefined)(
  `gratuitous ARP on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let segment: RouterSegment;
    let agentR1: JsonLinesChild;

    const waitForNeighbour = async (ip: string, mac: string | null): Promise<string | null> => {
      let seen: string | null = null;
      for (let attempt = 0; attempt < 40; attempt++) {
        seen = await segment.lab.neighbourMac('c1', ip);
        if (seen === mac) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return seen;
    };

    beforeAll(async () => {
      segment = await createRouterSegment();
      agentR1 = await startKernelAgent(segment.lab, 'r1');
    });

    afterAll(async () => {
      await segment?.lab.teardown();
    });

    it("replaces the old master's MAC in the client's existing entry, with default sysctls", async () => {
      const { lab, vip } = segment;
      const { stdout } = await lab.exec('c1', ['sysctl', '-n', 'net.ipv4.conf.eth0.arp_accept']);
      expect(stdout.trim()).toBe('0');

      // r2 is master first: the client talks to the VIP and learns r2's MAC.
      await lab.ip('r2', ['addr', 'add', `${vip}/24`, 'dev', 'eth0']);
      expect(await lab.pingOnce('c1', vip)).toBe(true);
      const r2Mac = await lab.macOf('r2', 'eth0');
      expect(await lab.neighbourMac('c1', vip)).toBe(r2Mac);

      // Failover: r2 loses the VIP, r1 takes it and announces it.
      await lab.ip('r2', ['addr', 'del', `${vip}/24`, 'dev', 'eth0']);
      await lab.ip('r1', ['addr', 'add', `${vip}/24`, 'dev', 'eth0']);
      const result = await agentR1.request<{ ok: boolean; bytes: number }>('garp.send', {
        ifname: 'eth0',
        vip,
      });
      expect(result).toEqual({ ok: true, bytes: 42 });

      const r1Mac = await lab.macOf('r1', 'eth0');
      expect(await waitForNeighbour(vip, r1Mac)).toBe(r1Mac);
      // And traffic to the VIP now reaches r1 without any flush on the client.
      expect(await lab.pingOnce('c1', vip)).toBe(true);
    });

    it('creates no entry on a client that never talked to the address, unless arp_accept=1', async () => {
      const { lab } = segment;
      const other = '192.0.2.253';
      await lab.ip('r1', ['addr', 'add', `${other}/24`, 'dev', 'eth0']);
      expect(await agentR1.request('garp.send', { ifname: 'eth0', vip: other })).toMatchObject({ ok: true });
      // Positive control sent after it: r2 announces the VIP and the client's known entry follows,
      // so the client has processed the earlier frame too.
      const agentR2 = await startKernelAgent(lab, 'r2');
      await agentR2.request('garp.send', { ifname: 'eth0', vip: segment.vip });
      const r2Mac = await lab.macOf('r2', 'eth0');
      expect(await waitForNeighbour(segment.vip, r2Mac)).toBe(r2Mac);
      expect(await lab.neighbourMac('c1', other)).toBeNull();

      await lab.exec('c1', ['sysctl', '-qw', 'net.ipv4.conf.eth0.arp_accept=1']);
      await agentR1.request('garp.send', { ifname: 'eth0', vip: other });
      const r1Mac = await lab.macOf('r1', 'eth0');
      expect(await waitForNeighbour(other, r1Mac)).toBe(r1Mac);
    });

    it('returns failures as values (unknown interface)', async () => {
      expect(await agentR1.request('garp.send', { ifname: 'nosuch0', vip: segment.vip })).toEqual({
        ok: false,
        code: 'ENODEV',
      });
    });
  },
);
