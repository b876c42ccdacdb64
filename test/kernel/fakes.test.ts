// The in-memory fakes offered to daemon tests behave like the adapters they stand in for.

import { describe, expect, it } from 'vitest';
import { FakeKernelEvents, FakeKernelNetlink } from '../../src/kernel/netlink-fake.js';
import { FakeSegment } from '../../src/kernel/transport-fake.js';
import type { KernelEvent } from '../../src/kernel/netlink-events.js';
import { splitIpv4Packet } from '../../src/packet/ipv4.js';

describe('FakeSegment', () => {
  it('delivers on flush(): multicast to joined peers, unicast to the addressee, never to the sender', () => {
    const segment = new FakeSegment();
    const r1 = segment.attach({ sourceAddress: '192.0.2.1', joinMulticast: true });
    const r2 = segment.attach({ sourceAddress: '192.0.2.2', joinMulticast: true });
    const r3 = segment.attach({ sourceAddress: '192.0.2.3', joinMulticast: false });
    const heard: Record<string, string[]> = { r1: [], r2: [], r3: [] };
    r1.onPacket((_raw, meta) => heard.r1!.push(meta.source));
    r2.onPacket((_raw, meta) => heard.r2!.push(meta.source));
    r3.onPacket((raw, meta) => {
      const split = splitIpv4Packet(raw);
      heard.r3!.push(`${meta.source} ttl=${split.ok ? split.value.ip.ttl : '?'}`);
    });

    r1.send(Buffer.from('21330a01'), '224.0.0.18');
    r1.send(Buffer.from('21330a01'), '192.0.2.3');
    expect(heard).toEqual({ r1: [], r2: [], r3: [] });
    expect(segment.flush()).toBe(2);
    expect(heard).toEqual({ r1: [], r2: ['192.0.2.1'], r3: ['192.0.2.1 ttl=255'] });

    segment.setIsolated(r2, true);
    r1.send(Buffer.from('21330a01'), '224.0.0.18');
    r2.send(Buffer.from('21330a01'), '224.0.0.18');
    expect(segment.flush()).toBe(0);
    expect(segment.sent).toHaveLength(4);
  });
});

describe('FakeSegment (IPv6)', () => {
  it('delivers messages with their Ipv6PacketInfo; families never mix', () => {
    const segment = new FakeSegment();
    const r1 = segment.attach6({ sourceAddress: 'FE80::1', joinMulticast: true, ifindex: 4 });
    const r2 = segment.attach6({ sourceAddress: 'fe80::2', joinMulticast: true, ifindex: 5 });
    const routed = segment.attach6({ sourceAddress: '2001:db8::9', joinMulticast: false, hopLimit: 64 });
    const v4 = segment.attach({ sourceAddress: '192.0.2.3', joinMulticast: true });
    const heard: unknown[] = [];
    r2.onPacket((message, info) => heard.push([message.toString('hex'), info]));
    r1.onPacket((_message, info) => heard.push(['r1', info.source, info.hopLimit]));
    v4.onPacket(() => heard.push('v4 heard an IPv6 packet'));

    r1.send(Buffer.from('3133', 'hex'), 'ff02::12');
    routed.send(Buffer.from('3134', 'hex'), 'fe80::1');
    r1.send(Buffer.from('3135', 'hex'), '192.0.2.3');
    expect(segment.flush()).toBe(2);
    expect(heard).toEqual([
      ['3133', { source: 'fe80::1', destination: 'ff02::12', hopLimit: 255, ifindex: 5 }],
      ['r1', '2001:db8::9', 64],
    ]);
    expect(segment.sent.map((p) => [p.family, p.dest, p.message[1]])).toEqual([
      ['ipv6', 'ff02::12', 0x33],
      ['ipv6', 'fe80::1', 0x34],
    ]);
  });
});

describe('FakeKernelNetlink', () => {
  it('keeps IPv6 addresses apart unless asked, canonical, with nodad and link-local lookup', async () => {
    const kernel = new FakeKernelNetlink();
    await kernel.addresses.add({ ifindex: 2, address: '192.0.2.1', prefixLength: 24 });
    await kernel.addresses.add({ ifindex: 2, address: 'FE80::C0FF:FE00:201', prefixLength: 64 });
    expect(await kernel.addresses.add({ ifindex: 2, address: 'fe80::c0ff:fe00:201', prefixLength: 64 })).toBe(
      'exists',
    );
    expect((await kernel.addresses.list(2)).map((a) => a.address)).toEqual(['192.0.2.1']);
    expect(await kernel.addresses.list(2, 'ipv6')).toEqual([
      expect.objectContaining({ address: 'fe80::c0ff:fe00:201', noDad: true, tentative: false }),
    ]);
    expect(await kernel.addresses.list(undefined, 'all')).toHaveLength(2);
    expect(await kernel.addresses.linkLocalAddress(2)).toBe('fe80::c0ff:fe00:201');
    kernel.addressTable.get('2/fe80::c0ff:fe00:201/64')!.tentative = true;
    expect(await kernel.addresses.linkLocalAddress(2)).toBeNull();
  });

  it('keeps the kernel outcomes and logs operations in order', async () => {
    const kernel = new FakeKernelNetlink();
    const vip = { ifindex: 2, address: '192.0.2.254', prefixLength: 24 };
    expect(await kernel.addresses.add(vip)).toBe('added');
    expect(await kernel.addresses.add(vip)).toBe('exists');
    expect(await kernel.addresses.list(2)).toEqual([expect.objectContaining({ address: '192.0.2.254' })]);
    expect(await kernel.addresses.remove(vip)).toBe('removed');
    expect(await kernel.addresses.remove(vip)).toBe('absent');

    const route = { destination: '0.0.0.0', prefixLength: 0, gateway: '198.51.100.1', table: 101 };
    expect(await kernel.routes.add(route)).toBe('added');
    expect(await kernel.routes.add(route)).toBe('exists');
    await kernel.routes.replace({ ...route, gateway: '198.51.100.9' });
    expect((await kernel.routes.list(101)).map((r) => r.gateway)).toEqual(['198.51.100.9']);

    const rule = { priority: 100, from: { address: '198.51.100.2', prefixLength: 32 }, table: 101 };
    expect(await kernel.rules.add(rule)).toBe('added');
    expect(await kernel.rules.remove(rule)).toBe('removed');
    expect(kernel.operations.map((o) => o.op)).toEqual([
      'addAddress',
      'addAddress',
      'removeAddress',
      'removeAddress',
      'addRoute',
      'addRoute',
      'replaceRoute',
      'addRule',
      'removeRule',
    ]);
  });

  it('FakeKernelEvents delivers what the test emits until closed', () => {
    const events = new FakeKernelEvents();
    const seen: KernelEvent[] = [];
    events.onEvent((event) => seen.push(event));
    events.emit({ kind: 'overrun' });
    events.close();
    events.emit({ kind: 'overrun' });
    expect(seen).toEqual([{ kind: 'overrun' }]);
  });
});
