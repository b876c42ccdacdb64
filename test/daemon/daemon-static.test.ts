// static_ipaddress / static_routes / static_rules and track_group through the daemon, on the
// deterministic lab: installed at start whatever the state, kept across a reload that keeps them,
// re-added when deleted (unless no_track), removed at stop; a track_group's instances go FAULT
// while the entry's interface is down. Multipath virtual routes reach the kernel as next hops.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ETH0_INDEX, instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const ETH1_INDEX = 3;

const STATICS = `
track_group TG {
  group {
    VI_1
  }
}
static_ipaddress {
  198.51.100.10/24 dev eth1 track_group TG
  203.0.113.10/24 no_track
}
static_routes {
  203.0.113.128/25 via 198.51.100.1 dev eth1
  192.0.2.128/25 append nexthop via 192.0.2.2 weight 2 nexthop via 192.0.2.3
}
static_rules {
  from 198.51.100.10 table 100 priority 100
}
`;

describe('static entries', () => {
  it('installed at start (BACKUP too), restored when deleted unless no_track, removed at stop', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    a.addLink('eth1', ETH1_INDEX);
    await a.start(STATICS + instanceBlock({ priority: 100 }));
    expect(a.state()).not.toBe('MASTER');
    const has = (address: string, ifindex: number) =>
      [...a.netlink.addressTable.values()].some((x) => x.address === address && x.ifindex === ifindex);
    expect(has('198.51.100.10', ETH1_INDEX)).toBe(true);
    // Without dev: keepalived's default interface, eth0.
    expect(has('203.0.113.10', ETH0_INDEX)).toBe(true);
    const routes = [...a.netlink.routeTable.values()];
    expect(routes.find((r) => r.destination === '203.0.113.128')).toMatchObject({
      gateway: '198.51.100.1',
      ifindex: ETH1_INDEX,
      protocol: 18,
    });
    expect(routes.find((r) => r.destination === '192.0.2.128')?.nexthops).toEqual([
      { gateway: '192.0.2.2', ifindex: 0, weight: 2, onlink: false },
      { gateway: '192.0.2.3', ifindex: 0, weight: 1, onlink: false },
    ]);
    expect(a.netlink.operations.find((o) => o.op === 'addRoute')).toBeDefined();
    expect([...a.netlink.ruleTable.values()]).toMatchObject([{ priority: 100, table: 100 }]);

    // Someone deletes both static addresses: the tracked one comes back.
    for (const [address, ifindex] of [
      ['198.51.100.10', ETH1_INDEX],
      ['203.0.113.10', ETH0_INDEX],
    ] as const) {
      const key = [...a.netlink.addressTable.keys()].find((k) => k.includes(`/${address}/`))!;
      const entry = a.netlink.addressTable.get(key)!;
      a.netlink.addressTable.delete(key);
      a.events.emit({ kind: 'address', address: { ...entry, ifindex }, removed: true });
    }
    await lab.advance(10);
    expect(has('198.51.100.10', ETH1_INDEX)).toBe(true);
    expect(has('203.0.113.10', ETH0_INDEX)).toBe(false);
    expect(a.logLines.some((l) => l.code === 'VRRPD_STATIC_RESTORED')).toBe(true);

    const stopped = a.daemon.stop();
    await lab.advance(3000);
    await stopped;
    expect(has('198.51.100.10', ETH1_INDEX)).toBe(false);
    expect(a.netlink.routeTable.size).toBe(0);
    expect(a.netlink.ruleTable.size).toBe(0);
  });

  it("track_group: the group's instance tracks the entry's interface (FAULT while it is down)", async () => {
    const lab = new Lab();
    const a = lab.router(A);
    a.addLink('eth1', ETH1_INDEX);
    await a.start(STATICS + instanceBlock({ priority: 100 }));
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    a.linkEvent(false, 'eth1');
    await lab.advance(10);
    expect(a.state()).toBe('FAULT');
    a.linkEvent(true, 'eth1');
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
  });

  it('a virtual route written with "or" is one route with two next hops on the route\'s device', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(
      instanceBlock({
        priority: 100,
        extra: '  virtual_routes {\n    198.51.100.0/24 via 192.0.2.2 or 192.0.2.3 dev eth0\n  }',
      }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    const route = [...a.netlink.routeTable.values()].find((r) => r.destination === '198.51.100.0');
    expect(route?.nexthops).toEqual([
      { gateway: '192.0.2.2', ifindex: ETH0_INDEX, weight: 1, onlink: false },
      { gateway: '192.0.2.3', ifindex: ETH0_INDEX, weight: 1, onlink: false },
    ]);
    expect(route?.ifindex).toBeUndefined();
  });
});
