// static_* entries as keepalived orders them (plans), run against the fake rtnetlink; keepalived's
// route defaults; and the RTA_MULTIPATH codec without a kernel.

import { describe, expect, it } from 'vitest';
import { FakeKernelNetlink } from '../../src/kernel/netlink-fake.js';
import { decodeMultipath, encodeMultipath, orRouteNexthops } from '../../src/kernel/route-nexthops.js';
import {
  applyStaticPlan,
  keepalivedRouteDefaults,
  reloadPlan,
  shutdownPlan,
  startupPlan,
  type StaticEntries,
  type StaticStep,
} from '../../src/kernel/static-entries.js';

const ENTRIES: StaticEntries = {
  addresses: [{ ifindex: 2, address: '192.0.2.50', prefixLength: 24 }],
  routes: [
    {
      spec: {
        destination: '198.51.100.0',
        prefixLength: 24,
        nexthops: orRouteNexthops('192.0.2.2', '192.0.2.3'),
      },
      mode: 'prepend',
    },
  ],
  rules: [{ table: 100, priority: 100, from: { address: '192.0.2.0', prefixLength: 24 } }],
};

const summary = (steps: readonly StaticStep[]) => steps.map((s) => `${s.op} ${s.kind}`);

describe('static entries plans (keepalived vrrp_daemon.c order)', () => {
  it('start-up clears leftovers addresses-first, then adds addresses, routes, rules', () => {
    expect(summary(startupPlan(ENTRIES))).toEqual([
      'remove address',
      'remove route',
      'remove rule',
      'add address',
      'add route',
      'add rule',
    ]);
  });

  it('stop removes rules, routes, addresses', () => {
    expect(summary(shutdownPlan(ENTRIES))).toEqual(['remove rule', 'remove route', 'remove address']);
  });

  it('reload touches only what changed', () => {
    const next: StaticEntries = {
      ...ENTRIES,
      routes: [
        { spec: { destination: '198.51.100.0', prefixLength: 24, gateway: '192.0.2.2' }, mode: 'prepend' },
      ],
    };
    const plan = reloadPlan(ENTRIES, next);
    expect(summary(plan)).toEqual(['remove route', 'add route']);
    expect(plan[1]).toMatchObject({ spec: { gateway: '192.0.2.2' } });
    expect(reloadPlan(ENTRIES, ENTRIES)).toEqual([]);
  });

  it('runs a plan against the adapters, recording outcomes and failures without stopping', async () => {
    const kernel = new FakeKernelNetlink();
    const results = await applyStaticPlan(kernel, startupPlan(ENTRIES));
    expect(results.map((r) => r.outcome)).toEqual(['absent', 'absent', 'absent', 'added', 'added', 'added']);
    const [route] = await kernel.routes.list();
    expect(route?.nexthops?.map((n) => n.gateway)).toEqual(['192.0.2.2', '192.0.2.3']);

    const refusing = {
      ...kernel,
      routes: {
        ...kernel.routes,
        add: () => Promise.reject(new Error('add route: kernel refused (EINVAL)')),
      },
    };
    const broken = await applyStaticPlan(refusing, [
      { op: 'add', kind: 'route', spec: { destination: '203.0.113.0', prefixLength: 24 }, mode: 'prepend' },
      ...shutdownPlan(ENTRIES),
    ]);
    expect(broken.map((r) => r.outcome)).toEqual(['failed', 'removed', 'removed', 'removed']);
    expect(broken[0]?.error).toMatch(/EINVAL/);
  });
});

describe('keepalived route defaults', () => {
  const spec = {
    destination: '198.51.100.0',
    prefixLength: 24,
    protocol: 'static' as const,
    scope: 'link' as const,
  };

  it('protocol keepalived and scope universe unless the line says otherwise', () => {
    expect(
      keepalivedRouteDefaults(
        { destination: '0.0.0.0', prefixLength: 0 },
        { noTrack: false, protocolGiven: false, scopeGiven: false },
      ),
    ).toEqual({ destination: '0.0.0.0', prefixLength: 0, protocol: 'keepalived', scope: 'global' });
    expect(
      keepalivedRouteDefaults(spec, { noTrack: false, protocolGiven: true, scopeGiven: true }),
    ).toMatchObject({
      protocol: 'keepalived', // a tracked route is always keepalived's
      scope: 'link',
    });
    expect(
      keepalivedRouteDefaults(spec, { noTrack: true, protocolGiven: true, scopeGiven: false }),
    ).toMatchObject({
      protocol: 'static',
      scope: 'global',
    });
  });
});

describe('RTA_MULTIPATH codec', () => {
  it('round-trips next hops, gateway-less ones included', () => {
    const nexthops = [
      { gateway: '192.0.2.2', ifindex: 3, weight: 1, onlink: false },
      { gateway: '192.0.2.3', ifindex: 0, weight: 256, onlink: true },
      { ifindex: 4, weight: 2, onlink: false },
    ];
    const encoded = encodeMultipath(nexthops);
    expect(encoded.length).toBe(16 + 16 + 8);
    expect(decodeMultipath(encoded)).toEqual(nexthops);
    expect(decodeMultipath(encoded.subarray(0, 20))).toEqual([nexthops[0]]);
  });

  it('refuses what the kernel would', () => {
    expect(() => encodeMultipath([])).toThrow(RangeError);
    expect(() => encodeMultipath([{}])).toThrow(/gateway or a device/);
    expect(() => encodeMultipath([{ gateway: '192.0.2.2', weight: 0 }])).toThrow(/1\.\.256/);
    expect(() => encodeMultipath([{ gateway: 'gateway.example' }])).toThrow(/not an IP address/);
  });

  it('carries IPv6 next hops (multipath default routes of IPv6 uplink groups)', () => {
    const nexthops = [
      { gateway: '2001:db8:1::1', ifindex: 3, weight: 2, onlink: false },
      { gateway: 'fe80::2', ifindex: 4, weight: 1, onlink: false },
    ];
    expect(decodeMultipath(encodeMultipath(nexthops))).toEqual(nexthops);
  });

  it('puts the `or` device on both next hops when given', () => {
    expect(orRouteNexthops('192.0.2.2', '192.0.2.3', 5)).toEqual([
      { gateway: '192.0.2.2', ifindex: 5 },
      { gateway: '192.0.2.3', ifindex: 5 },
    ]);
  });
});
