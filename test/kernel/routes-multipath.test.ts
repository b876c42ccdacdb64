// Routes with several next hops on a real kernel (src/kernel/routes.ts + route-nexthops.ts), the
// way keepalived installs `via A or B` and `nexthop …` lines, checked with `ip -j route` in the
// same namespace; and static entries applied at start-up as keepalived orders them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';
import { orRouteNexthops } from '../../src/kernel/route-nexthops.js';
import { keepalivedRouteDefaults } from '../../src/kernel/static-entries.js';
import type { KernelRoute, RouteSpec } from '../../src/kernel/routes.js';

const skip = requireRoot();

interface IpNexthop {
  gateway?: string;
  dev?: string;
  weight?: number;
  flags: string[];
}
interface IpRoute {
  dst: string;
  protocol?: string;
  scope?: string;
  metric?: number;
  gateway?: string;
  nexthops?: IpNexthop[];
}

describe.skipIf(skip !== undefined)(
  `multipath routes on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;
    let eth0: number;
    let eth1: number;

    const routes = async (table = 'main'): Promise<IpRoute[]> => {
      const { stdout } = await lab.ip('n', ['-j', 'route', 'show', 'table', table]);
      return (JSON.parse(stdout || '[]') as IpRoute[]).filter((r) => !r.dst.startsWith('192.0.2.'));
    };
    /** A virtual_routes line as keepalived would install it (protocol keepalived, scope universe). */
    const asKeepalived = (spec: RouteSpec) =>
      keepalivedRouteDefaults(spec, { noTrack: false, protocolGiven: false, scopeGiven: false });

    beforeAll(async () => {
      await lab.addNamespace('n');
      await lab.addNamespace('p');
      await lab.addNamespace('q');
      await lab.addVethPair('n', 'eth0', 'p', 'eth0');
      await lab.addVethPair('n', 'eth1', 'q', 'eth0');
      await lab.addAddress('n', 'eth0', '192.0.2.1/25');
      await lab.addAddress('n', 'eth1', '192.0.2.129/25');
      eth0 = await lab.ifindexOf('n', 'eth0');
      eth1 = await lab.ifindexOf('n', 'eth1');
      agent = await startKernelAgent(lab, 'n');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('`via A or B`: one route, two next hops of weight 1, the kernel finding their devices', async () => {
      const spec = asKeepalived({
        destination: '198.51.100.0',
        prefixLength: 24,
        nexthops: orRouteNexthops('192.0.2.2', '192.0.2.130'),
      });
      expect(await agent.request('routes.add', { ...spec, mode: 'prepend' })).toBe('added');
      expect(await routes()).toEqual([
        expect.objectContaining({
          dst: '198.51.100.0/24',
          protocol: 'keepalived',
          nexthops: [
            expect.objectContaining({ gateway: '192.0.2.2', dev: 'eth0', weight: 1 }),
            expect.objectContaining({ gateway: '192.0.2.130', dev: 'eth1', weight: 1 }),
          ],
        }),
      ]);
      const listed = await agent.request<KernelRoute[]>('routes.list', { table: 254 });
      expect(listed.find((r) => r.destination === '198.51.100.0')).toMatchObject({
        protocol: 18,
        scope: 0,
        nexthops: [
          { gateway: '192.0.2.2', ifindex: eth0, weight: 1, onlink: false },
          { gateway: '192.0.2.130', ifindex: eth1, weight: 1, onlink: false },
        ],
      });
      expect(await agent.request('routes.remove', spec)).toBe('removed');
      expect(await routes()).toEqual([]);
    });

    it('`via A or B dev IF`: installed with the device on both next hops (keepalived’s is refused)', async () => {
      const spec = asKeepalived({
        destination: '203.0.113.0',
        prefixLength: 25,
        nexthops: orRouteNexthops('192.0.2.2', '192.0.2.3', eth0),
      });
      expect(await agent.request('routes.add', spec)).toBe('added');
      const [route] = await routes();
      expect(route?.nexthops?.map((n) => [n.gateway, n.dev])).toEqual([
        ['192.0.2.2', 'eth0'],
        ['192.0.2.3', 'eth0'],
      ]);
      expect(await agent.request('routes.add', spec)).toBe('exists');
      expect(await agent.request('routes.remove', spec)).toBe('removed');
    });

    it('`nexthop` lines: weights and onlink per next hop, in a table with a metric', async () => {
      const spec = asKeepalived({
        destination: '203.0.113.128',
        prefixLength: 25,
        table: 100,
        metric: 7,
        nexthops: [
          { gateway: '192.0.2.2', ifindex: eth0, weight: 2 },
          { gateway: '198.51.100.9', ifindex: eth1, weight: 256, onlink: true },
        ],
      });
      expect(await agent.request('routes.add', spec)).toBe('added');
      const [route] = await routes('100');
      expect(route).toMatchObject({ dst: '203.0.113.128/25', metric: 7, protocol: 'keepalived' });
      expect(route?.nexthops).toEqual([
        expect.objectContaining({ gateway: '192.0.2.2', dev: 'eth0', weight: 2 }),
        expect.objectContaining({ gateway: '198.51.100.9', dev: 'eth1', weight: 256, flags: ['onlink'] }),
      ]);
      expect(await agent.request('routes.remove', spec)).toBe('removed');
    });

    it('prepend (keepalived’s default) and append add beside an existing route; exclusive refuses', async () => {
      const first = asKeepalived({ destination: '198.51.100.0', prefixLength: 24, gateway: '192.0.2.2' });
      const second = asKeepalived({ destination: '198.51.100.0', prefixLength: 24, gateway: '192.0.2.3' });
      const third = asKeepalived({ destination: '198.51.100.0', prefixLength: 24, gateway: '192.0.2.4' });
      expect(await agent.request('routes.add', first)).toBe('added');
      expect(await agent.request('routes.add', second)).toBe('exists');
      expect(await agent.request('routes.add', { ...second, mode: 'prepend' })).toBe('added');
      expect(await agent.request('routes.add', { ...third, mode: 'append' })).toBe('added');
      expect((await routes()).map((r) => r.gateway)).toEqual(['192.0.2.3', '192.0.2.2', '192.0.2.4']);
      for (const spec of [first, second, third])
        expect(await agent.request('routes.remove', spec)).toBe('removed');
    });

    it('refuses a gateway or device beside next hops (the kernel would say EINVAL)', async () => {
      await expect(
        agent.request('routes.add', {
          destination: '198.51.100.0',
          prefixLength: 24,
          ifindex: eth0,
          nexthops: orRouteNexthops('192.0.2.2', '192.0.2.3'),
        }),
      ).rejects.toThrow(/takes its gateways and devices from them/);
    });
  },
);
