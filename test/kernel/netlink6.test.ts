// The rtnetlink adapters for IPv6 against a real kernel: VIPs with and without DAD (nodad as
// keepalived adds them, tentative and dadfailed when DAD runs), the link-local lookup, IPv6 address
// events, and inet6 routes and rules. They run in a kernel-agent child inside a throw-away
// namespace `n` (veth eth0 to a peer namespace `p`); every change is checked with iproute2's JSON.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterfaceAddress } from '../../src/kernel/addresses.js';
import type { KernelRoute } from '../../src/kernel/routes.js';
import type { KernelRule } from '../../src/kernel/rules.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  nodad?: boolean;
  tentative?: boolean;
  dadfailed?: boolean;
  deprecated?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip !== undefined)(
  `IPv6 netlink adapters on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;
    let ifindex: number;

    const ipJson = async <T>(args: string[]): Promise<T> => {
      const { stdout } = await lab.ip('n', ['-j', ...args]);
      return JSON.parse(stdout || '[]') as T;
    };
    const inet6OnEth0 = async (): Promise<IpAddrInfo[]> => {
      const [link] = await ipJson<Array<{ addr_info: IpAddrInfo[] }>>(['-6', 'addr', 'show', 'dev', 'eth0']);
      return (link?.addr_info ?? []).filter((a) => a.family === 'inet6');
    };
    const listed = (): Promise<InterfaceAddress[]> =>
      agent.request<InterfaceAddress[]>('addresses.list', { ifindex, family: 'ipv6' });
    /** Polls the adapter's listing until `predicate` holds for `address` (bounded). */
    const waitForListed = async (address: string, predicate: (a: InterfaceAddress) => boolean) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const found = (await listed()).find((a) => a.address === address);
        if (found && predicate(found)) return found;
        await sleep(100);
      }
      throw new Error(`${address} never reached the expected state within 5 s`);
    };

    beforeAll(async () => {
      await lab.addNamespace('n');
      await lab.addNamespace('p');
      await lab.addVethPair('n', 'eth0', 'p', 'eth0');
      await lab.ip('n', ['addr', 'add', '2001:db8::1/64', 'dev', 'eth0', 'nodad']);
      await lab.ip('p', ['addr', 'add', '2001:db8::2/64', 'dev', 'eth0', 'nodad']);
      ifindex = await lab.ifindexOf('n', 'eth0');
      agent = await startKernelAgent(lab, 'n');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    describe('addresses', () => {
      it('adds an IPv6 VIP with nodad (usable at once, as keepalived does), idempotently', async () => {
        const spec = { ifindex, address: '2001:DB8::254', prefixLength: 64 };
        expect(await agent.request('addresses.add', spec)).toBe('added');
        expect(await agent.request('addresses.add', spec)).toBe('exists');
        const found = (await inet6OnEth0()).find((a) => a.local === '2001:db8::254');
        expect(found).toMatchObject({ prefixlen: 64, scope: 'global', nodad: true });
        expect(found?.tentative).toBeUndefined();
        expect((await listed()).find((a) => a.address === '2001:db8::254')).toEqual({
          ifindex,
          address: '2001:db8::254',
          prefixLength: 64,
          scope: 0,
          secondary: false,
          tentative: false,
          dadFailed: false,
          noDad: true,
          deprecated: false,
        });
        // IPv4 callers are not shown IPv6 addresses unless they ask.
        const ipv4Only = await agent.request<InterfaceAddress[]>('addresses.list', { ifindex });
        expect(ipv4Only.filter((a) => a.address.includes(':'))).toEqual([]);
      });

      it('with DAD (keepalived `-nodad`): tentative first, then usable; dadfailed when the peer has it', async () => {
        await lab.ip('p', ['addr', 'add', '2001:db8::77/64', 'dev', 'eth0', 'nodad']);
        const fresh = { ifindex, address: '2001:db8::78', prefixLength: 64, noDad: false };
        const taken = { ifindex, address: '2001:db8::77', prefixLength: 64, noDad: false };
        expect(await agent.request('addresses.add', fresh)).toBe('added');
        expect(await agent.request('addresses.add', taken)).toBe('added');
        // DAD waits at least RetransTimer (1 s) before declaring an address unique.
        const right = (await listed()).find((a) => a.address === '2001:db8::78');
        expect(right).toMatchObject({ tentative: true, dadFailed: false, noDad: false });
        expect((await inet6OnEth0()).find((a) => a.local === '2001:db8::78')?.tentative).toBe(true);

        await waitForListed('2001:db8::78', (a) => !a.tentative);
        const failed = await waitForListed('2001:db8::77', (a) => a.dadFailed === true);
        expect(failed.tentative).toBe(true);
        expect((await inet6OnEth0()).find((a) => a.local === '2001:db8::77')?.dadfailed).toBe(true);
        for (const spec of [fresh, taken])
          expect(await agent.request('addresses.remove', spec)).toBe('removed');
      });

      it('finds the usable link-local address, the one iproute2 shows', async () => {
        // The link-local may still be in DAD (tentative, about a second) when this test starts.
        let linkLocal = (await inet6OnEth0()).filter((a) => a.scope === 'link' && !a.tentative);
        for (let attempt = 0; attempt < 50 && linkLocal.length !== 1; attempt++) {
          await sleep(100);
          linkLocal = (await inet6OnEth0()).filter((a) => a.scope === 'link' && !a.tentative);
        }
        expect(linkLocal).toHaveLength(1);
        let found: string | null = null;
        for (let attempt = 0; attempt < 50 && !found; attempt++) {
          found = await agent.request<string | null>('addresses.linkLocal', { ifindex });
          if (!found) await sleep(100);
        }
        expect(found).toBe(linkLocal[0]!.local);
      });

      it('marks a VIP deprecated with preferred_lft 0, and removes idempotently', async () => {
        const spec = { ifindex, address: '2001:db8::253', prefixLength: 64, preferredLifetime: 0 };
        expect(await agent.request('addresses.add', spec)).toBe('added');
        expect((await inet6OnEth0()).find((a) => a.local === '2001:db8::253')?.deprecated).toBe(true);
        expect((await listed()).find((a) => a.address === '2001:db8::253')?.deprecated).toBe(true);
        for (const address of ['2001:db8::253', '2001:db8::254']) {
          const remove = { ifindex, address, prefixLength: 64 };
          expect(await agent.request('addresses.remove', remove)).toBe('removed');
          expect(await agent.request('addresses.remove', remove)).toBe('absent');
        }
        await expect(
          agent.request('addresses.add', {
            ifindex,
            address: '2001:db8::9',
            prefixLength: 64,
            broadcast: '::1',
          }),
        ).rejects.toThrow(/no broadcast/);
      });

      it('notifies IPv6 address changes when asked to, DAD failure included', async () => {
        await agent.request('events.watch', { ipv6: true });
        await lab.ip('n', ['addr', 'add', '2001:db8::252/64', 'dev', 'eth0', 'nodad']);
        await lab.ip('n', ['addr', 'del', '2001:db8::252/64', 'dev', 'eth0']);
        const removed = await agent.waitForEvent(
          (e) =>
            e.event === 'kernel' &&
            e.kind === 'address' &&
            e.removed === true &&
            (e.address as { address?: string }).address === '2001:db8::252',
          3000,
        );
        expect(removed.address).toMatchObject({ prefixLength: 64, ifindex, noDad: true });

        await agent.request('addresses.add', {
          ifindex,
          address: '2001:db8::77',
          prefixLength: 64,
          noDad: false,
        });
        const failed = await agent.waitForEvent(
          (e) =>
            e.event === 'kernel' &&
            e.kind === 'address' &&
            (e.address as { address?: string; dadFailed?: boolean }).address === '2001:db8::77' &&
            (e.address as { dadFailed?: boolean }).dadFailed === true,
          5000,
        );
        expect(failed.removed).toBe(false);
        await agent.request('addresses.remove', { ifindex, address: '2001:db8::77', prefixLength: 64 });
      });
    });

    describe('routes and rules (inet6)', () => {
      interface IpRoute {
        dst: string;
        gateway?: string;
        dev?: string;
        metric?: number;
      }
      const routesOf = (table: number) => ipJson<IpRoute[]>(['-6', 'route', 'show', 'table', String(table)]);

      it('adds, lists and removes IPv6 routes, a default via a link-local gateway included', async () => {
        const table = 100;
        const gatewayRoute = {
          destination: '2001:db8:100::',
          prefixLength: 64,
          gateway: '2001:db8::2',
          table,
        };
        const peerLinkLocal = await lab.ip('p', ['-6', '-j', 'addr', 'show', 'dev', 'eth0', 'scope', 'link']);
        const [peer] = JSON.parse(peerLinkLocal.stdout) as Array<{ addr_info: Array<{ local?: string }> }>;
        const gateway = peer!.addr_info.map((a) => a.local).find(Boolean)!;
        const defaultRoute = { destination: '::', prefixLength: 0, gateway, ifindex, metric: 10, table };
        for (const spec of [gatewayRoute, defaultRoute]) {
          expect(await agent.request('routes.add', spec)).toBe('added');
        }
        expect(await agent.request('routes.add', gatewayRoute)).toBe('exists');

        const routes = new Map((await routesOf(table)).map((r) => [r.dst, r]));
        expect(routes.get('2001:db8:100::/64')).toMatchObject({ gateway: '2001:db8::2', dev: 'eth0' });
        expect(routes.get('default')).toMatchObject({ gateway, dev: 'eth0', metric: 10 });

        const listed = await agent.request<KernelRoute[]>('routes.list', { table, family: 'ipv6' });
        expect(listed).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              destination: '2001:db8:100::',
              prefixLength: 64,
              gateway: '2001:db8::2',
            }),
            expect.objectContaining({ destination: '::', prefixLength: 0, gateway, ifindex, metric: 10 }),
          ]),
        );
        // The IPv4 listing of the same table knows nothing of them.
        expect(await agent.request<KernelRoute[]>('routes.list', { table })).toEqual([]);

        for (const spec of [gatewayRoute, defaultRoute]) {
          expect(await agent.request('routes.remove', spec)).toBe('removed');
          expect(await agent.request('routes.remove', spec)).toBe('absent');
        }
        expect(await routesOf(table)).toEqual([]);
      });

      it('adds, lists and removes IPv6 rules, with and without an address', async () => {
        const specs = [
          { priority: 2000, from: { address: '2001:db8::', prefixLength: 64 }, table: 200 },
          { priority: 2001, fwmark: 0x20, fwmask: 0xff, family: 'ipv6', table: 201 },
        ];
        for (const spec of specs) expect(await agent.request('rules.add', spec)).toBe('added');
        expect(await agent.request('rules.add', specs[0]!)).toBe('exists');

        const rules = await ipJson<
          Array<{ priority: number; src?: string; srclen?: number; fwmark?: string }>
        >(['-6', 'rule', 'show']);
        const byPriority = new Map(rules.map((r) => [r.priority, r]));
        expect(byPriority.get(2000)).toMatchObject({ src: '2001:db8::', srclen: 64 });
        expect(byPriority.get(2001)).toMatchObject({ fwmark: '0x20', fwmask: '0xff' });
        const ipv4Rules = await ipJson<Array<{ priority: number }>>(['-4', 'rule', 'show']);
        expect(ipv4Rules.filter((r) => r.priority >= 2000 && r.priority <= 2001)).toEqual([]);

        const listed = await agent.request<KernelRule[]>('rules.list', { family: 'ipv6' });
        expect(listed.filter((r) => r.priority! >= 2000 && r.priority! <= 2001)).toEqual(
          specs.map((spec) => ({ ...spec, family: 'ipv6', action: 1 })),
        );
        for (const spec of specs) {
          expect(await agent.request('rules.remove', spec)).toBe('removed');
          expect(await agent.request('rules.remove', spec)).toBe('absent');
        }
      });
    });
  },
);
