// The rtnetlink adapters against a real kernel. They run in a kernel-agent child inside a
// throw-away namespace `n` (veth eth0 to a peer namespace `p`), and every change is checked
// with iproute2's JSON output from the same namespace.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';
import { LinkStateTracker } from '../../src/kernel/link-state.js';
import type { LinkInfo } from '../../src/kernel/links.js';
import type { InterfaceAddress } from '../../src/kernel/addresses.js';
import type { KernelRoute } from '../../src/kernel/routes.js';
import type { KernelRule } from '../../src/kernel/rules.js';

const skip = requireRoot();

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: string;
  secondary?: boolean;
  label?: string;
}

describe.skipIf(skip !== undefined)(
  `netlink adapters on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;
    let ifindex: number;

    const ipJson = async <T>(args: string[]): Promise<T> => {
      const { stdout } = await lab.ip('n', ['-j', ...args]);
      return JSON.parse(stdout || '[]') as T;
    };
    const addressesOnEth0 = async (): Promise<IpAddrInfo[]> => {
      const [link] = await ipJson<Array<{ addr_info: IpAddrInfo[] }>>(['addr', 'show', 'dev', 'eth0']);
      return (link?.addr_info ?? []).filter((a) => a.family === 'inet');
    };

    beforeAll(async () => {
      await lab.addNamespace('n');
      await lab.addNamespace('p');
      await lab.addVethPair('n', 'eth0', 'p', 'eth0');
      await lab.addAddress('n', 'eth0', '192.0.2.1/24');
      await lab.addAddress('p', 'eth0', '192.0.2.2/24');
      ifindex = await lab.ifindexOf('n', 'eth0');
      agent = await startKernelAgent(lab, 'n');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    describe('addresses', () => {
      const vip = { address: '192.0.2.254', prefixLength: 24 };

      it('adds a VIP with label and broadcast, idempotently', async () => {
        const spec = { ifindex, ...vip, label: 'eth0:vip', broadcast: '192.0.2.255' };
        expect(await agent.request('addresses.add', spec)).toBe('added');
        expect(await agent.request('addresses.add', spec)).toBe('exists');
        const found = (await addressesOnEth0()).find((a) => a.local === vip.address);
        expect(found).toMatchObject({
          prefixlen: 24,
          broadcast: '192.0.2.255',
          scope: 'global',
          label: 'eth0:vip',
          secondary: true,
        });
      });

      it('lists the interface addresses it finds at start-up', async () => {
        const listed = await agent.request<InterfaceAddress[]>('addresses.list', { ifindex });
        expect(listed).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ address: '192.0.2.1', prefixLength: 24, secondary: false, ifindex }),
            expect.objectContaining({
              address: '192.0.2.254',
              prefixLength: 24,
              secondary: true,
              label: 'eth0:vip',
              broadcast: '192.0.2.255',
            }),
          ]),
        );
        expect(listed.every((a) => a.ifindex === ifindex)).toBe(true);
      });

      it('honours scope and removes idempotently', async () => {
        const scoped = { ifindex, address: '192.0.2.253', prefixLength: 32, scope: 'link' };
        expect(await agent.request('addresses.add', scoped)).toBe('added');
        expect((await addressesOnEth0()).find((a) => a.local === '192.0.2.253')?.scope).toBe('link');

        for (const spec of [scoped, { ifindex, ...vip }]) {
          expect(await agent.request('addresses.remove', spec)).toBe('removed');
          expect(await agent.request('addresses.remove', spec)).toBe('absent');
        }
        const left = (await addressesOnEth0()).map((a) => a.local);
        expect(left).toEqual(['192.0.2.1']);
      });

      it('reports kernel refusals with the errno name', async () => {
        await expect(
          agent.request('addresses.add', { ifindex: 999, address: '192.0.2.250', prefixLength: 24 }),
        ).rejects.toThrow(/ENODEV/);
      });
    });

    describe('routes', () => {
      interface IpRoute {
        dst: string;
        gateway?: string;
        metric?: number;
        protocol?: string;
        scope?: string;
        type?: string;
        flags: string[];
        prefsrc?: string;
      }
      const routesOf = (table: number) => ipJson<IpRoute[]>(['route', 'show', 'table', String(table)]);

      it('adds, detects duplicates, replaces and removes a gateway route in a table', async () => {
        const spec = {
          destination: '198.51.100.0',
          prefixLength: 24,
          gateway: '192.0.2.2',
          ifindex,
          table: 100,
          metric: 50,
          protocol: 'static',
        };
        expect(await agent.request('routes.add', spec)).toBe('added');
        expect(await agent.request('routes.add', spec)).toBe('exists');
        expect(await routesOf(100)).toEqual([
          expect.objectContaining({
            dst: '198.51.100.0/24',
            gateway: '192.0.2.2',
            metric: 50,
            protocol: 'static',
          }),
        ]);

        await agent.request('routes.replace', { ...spec, gateway: '192.0.2.3' });
        const replaced = await routesOf(100);
        expect(replaced).toHaveLength(1);
        expect(replaced[0]?.gateway).toBe('192.0.2.3');

        const listed = await agent.request<KernelRoute[]>('routes.list', { table: 100 });
        expect(listed).toEqual([
          expect.objectContaining({
            destination: '198.51.100.0',
            prefixLength: 24,
            gateway: '192.0.2.3',
            ifindex,
            table: 100,
            metric: 50,
            protocol: 4,
            type: 1,
          }),
        ]);

        // The gateway is part of the match: the old one no longer names the route.
        expect(await agent.request('routes.remove', spec)).toBe('absent');
        expect(await routesOf(100)).toHaveLength(1);
        // Fields left out are wildcards, as with `ip route del 198.51.100.0/24 table 100`.
        const byKeyOnly = {
          destination: spec.destination,
          prefixLength: spec.prefixLength,
          table: spec.table,
        };
        expect(await agent.request('routes.remove', byKeyOnly)).toBe('removed');
        expect(await routesOf(100)).toEqual([]);
      });

      it('writes blackhole, onlink, link-scope, preferred-source and default routes', async () => {
        const table = 1000; // above 255: carried in RTA_TABLE only
        const specs = [
          { destination: '203.0.113.0', prefixLength: 24, type: 'blackhole', table },
          {
            destination: '203.0.113.128',
            prefixLength: 25,
            gateway: '198.51.100.1',
            ifindex,
            onlink: true,
            table,
          },
          { destination: '198.51.100.64', prefixLength: 26, ifindex, source: '192.0.2.1', table },
          { destination: '0.0.0.0', prefixLength: 0, gateway: '192.0.2.2', ifindex, metric: 10, table },
        ];
        for (const spec of specs) expect(await agent.request('routes.add', spec)).toBe('added');

        const routes = await routesOf(table);
        const byDst = new Map(routes.map((r) => [r.dst, r]));
        expect(byDst.get('203.0.113.0/24')?.type).toBe('blackhole');
        expect(byDst.get('203.0.113.128/25')).toMatchObject({ gateway: '198.51.100.1', flags: ['onlink'] });
        expect(byDst.get('198.51.100.64/26')).toMatchObject({ scope: 'link', prefsrc: '192.0.2.1' });
        expect(byDst.get('default')).toMatchObject({ gateway: '192.0.2.2', metric: 10 });

        const listed = await agent.request<KernelRoute[]>('routes.list', { table });
        expect(listed.find((r) => r.prefixLength === 25)?.onlink).toBe(true);
        expect(listed.find((r) => r.destination === '203.0.113.0')?.type).toBe(6);

        for (const spec of specs) expect(await agent.request('routes.remove', spec)).toBe('removed');
        expect(await routesOf(table)).toEqual([]);
      });
    });

    describe('rules', () => {
      interface IpRule {
        priority: number;
        src?: string;
        srclen?: number;
        dst?: string;
        dstlen?: number;
        table: string | number;
        fwmark?: string;
        fwmask?: string;
        iif?: string;
        oif?: string;
      }
      const specs = [
        { priority: 1000, from: { address: '192.0.2.0', prefixLength: 24 }, table: 100 },
        { priority: 1001, to: { address: '198.51.100.0', prefixLength: 24 }, table: 101 },
        { priority: 1002, fwmark: 0x10, fwmask: 0xff, table: 102 },
        { priority: 1003, iif: 'eth0', table: 103 },
        { priority: 1004, oif: 'eth0', table: 1004 },
      ];

      it('adds policy rules that iproute2 shows field for field, idempotently', async () => {
        for (const spec of specs) expect(await agent.request('rules.add', spec)).toBe('added');
        expect(await agent.request('rules.add', specs[0]!)).toBe('exists');

        const rules = await ipJson<IpRule[]>(['rule', 'show']);
        const byPriority = new Map(rules.map((r) => [r.priority, r]));
        expect(byPriority.get(1000)).toMatchObject({ src: '192.0.2.0', srclen: 24 });
        expect(byPriority.get(1001)).toMatchObject({ dst: '198.51.100.0', dstlen: 24 });
        expect(byPriority.get(1002)).toMatchObject({ fwmark: '0x10', fwmask: '0xff' });
        expect(byPriority.get(1003)).toMatchObject({ iif: 'eth0' });
        expect(byPriority.get(1004)).toMatchObject({ oif: 'eth0' });
        expect(specs.map((s) => String(byPriority.get(s.priority)?.table))).toEqual([
          '100',
          '101',
          '102',
          '103',
          '1004',
        ]);

        const listed = await agent.request<KernelRule[]>('rules.list');
        expect(listed.filter((r) => r.priority! >= 1000 && r.priority! <= 1004)).toEqual(
          specs.map((spec) => ({ ...spec, action: 1 })),
        );
      });

      it('removes rules, then reports them absent', async () => {
        for (const spec of specs) {
          expect(await agent.request('rules.remove', spec)).toBe('removed');
          expect(await agent.request('rules.remove', spec)).toBe('absent');
        }
        const priorities = (await ipJson<IpRule[]>(['rule', 'show'])).map((r) => r.priority);
        expect(priorities.filter((p) => p >= 1000 && p <= 1004)).toEqual([]);
      });
    });

    describe('links and events', () => {
      it('lists interfaces with index, MAC and state', async () => {
        const links = await agent.request<LinkInfo[]>('links.list');
        const eth0 = links.find((l) => l.name === 'eth0');
        expect(eth0).toEqual({
          ifindex,
          name: 'eth0',
          mac: await lab.macOf('n', 'eth0'),
          adminUp: true,
          running: true,
          lowerUp: true,
          operState: 'up',
        });
        expect(await agent.request('links.byName', { name: 'eth0' })).toEqual(eth0);
        expect(links.find((l) => l.name === 'lo')?.mac).toBe('00:00:00:00:00:00');
      });

      it('notifies address deletions and link up/down (carrier and admin)', async () => {
        await agent.request('events.watch');
        const kernelEvents = () => agent.eventsOf('kernel');
        const linkEventsFrom = (start: number) =>
          kernelEvents()
            .slice(start)
            .filter((e) => e.kind === 'link' && (e.link as unknown as LinkInfo).name === 'eth0')
            .map((e) => e.link as unknown as LinkInfo);

        // Someone else adds and deletes an address (e.g. an operator removing our VIP).
        await lab.ip('n', ['addr', 'add', '192.0.2.254/24', 'dev', 'eth0']);
        await lab.ip('n', ['addr', 'del', '192.0.2.254/24', 'dev', 'eth0']);
        const deleted = await agent.waitForEvent(
          (e) => e.event === 'kernel' && e.kind === 'address' && e.removed === true,
          3000,
        );
        expect(deleted.address).toMatchObject({ address: '192.0.2.254', prefixLength: 24, ifindex });
        expect(
          kernelEvents().some(
            (e) =>
              e.kind === 'address' &&
              e.removed === false &&
              (e.address as { address?: string }).address === '192.0.2.254',
          ),
        ).toBe(true);

        const tracker = new LinkStateTracker();
        tracker.seed(await agent.request<LinkInfo[]>('links.list'));
        const transitions = (links: LinkInfo[]) =>
          links.map((link) => tracker.update(link, false)).filter((t) => t !== undefined);

        // Carrier loss: the peer end goes down, eth0 stays admin UP but stops RUNNING.
        let start = kernelEvents().length;
        await lab.linkDown('p', 'eth0');
        await agent.waitForEvent(() => linkEventsFrom(start).some((l) => !l.running), 3000);
        expect(linkEventsFrom(start).find((l) => !l.running)).toMatchObject({
          adminUp: true,
          running: false,
        });
        expect(transitions(linkEventsFrom(start))).toEqual([{ ifindex, name: 'eth0', usable: false }]);

        start = kernelEvents().length;
        await lab.linkUp('p', 'eth0');
        await agent.waitForEvent(() => linkEventsFrom(start).some((l) => l.running), 3000);
        expect(transitions(linkEventsFrom(start))).toEqual([{ ifindex, name: 'eth0', usable: true }]);

        // Administrative down on our side.
        start = kernelEvents().length;
        await lab.linkDown('n', 'eth0');
        await agent.waitForEvent(() => linkEventsFrom(start).some((l) => !l.adminUp), 3000);
        expect(transitions(linkEventsFrom(start))).toEqual([{ ifindex, name: 'eth0', usable: false }]);
        await lab.linkUp('n', 'eth0');
      });
    });
  },
);
