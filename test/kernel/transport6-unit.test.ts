// The IPv6 transport's logic without a kernel (FakeNativeOps): the socket it asks for, what each
// send hands the socket, the metadata it passes on, and every failure reported as a value.

import { describe, expect, it } from 'vitest';
import { FakeNativeOps } from '../../src/kernel/native-fake.js';
import type { TransportError } from '../../src/kernel/transport.js';
import { openAdvertTransport6, type AdvertTransport6Options } from '../../src/kernel/transport6.js';
import type { Ipv6PacketInfo } from '../../src/packet/types.js';

const LINK_LOCAL = 'fe80::c0ff:fe00:201';
const base: AdvertTransport6Options = {
  ifname: 'eth0',
  ifindex: 3,
  sourceAddress: LINK_LOCAL,
  joinMulticast: true,
};

function open(overrides: Partial<AdvertTransport6Options> = {}) {
  const native = new FakeNativeOps({ interfaces: { eth0: { index: 3, mac: '02:00:c0:00:02:01' } } });
  const transport = openAdvertTransport6({ ...base, ...overrides }, native);
  const errors: TransportError[] = [];
  const packets: Array<[Buffer, Ipv6PacketInfo]> = [];
  transport.onError((error) => errors.push(error));
  transport.onPacket((message, info) => packets.push([message, info]));
  return { native, transport, errors, packets, socket: native.ipv6Sockets[0]! };
}

describe('IPv6 advert transport (fake native socket)', () => {
  it('asks for a socket on the interface that joins ff02::12 with hop limit 255 and class 0xc0', () => {
    const { native } = open();
    expect(native.callsOf('openIpv6VrrpSocket')).toEqual([
      {
        op: 'openIpv6VrrpSocket',
        options: {
          ifname: 'eth0',
          ifindex: 3,
          multicastGroup: 'ff02::12',
          hopLimit: 255,
          trafficClass: 0xc0,
        },
      },
    ]);
  });

  it('joins no group for unicast-only instances, and another group when configured', () => {
    expect(open({ joinMulticast: false }).socket.options.multicastGroup).toBeNull();
    expect(open({ multicastGroup: 'ff02::1:12' }).socket.options.multicastGroup).toBe('ff02::1:12');
  });

  it('sends the message as given, from the source address with the configured hop limit', () => {
    const { native, transport, errors } = open({ hopLimit: 64 });
    const payload = Buffer.from('3133960300641a3a', 'hex');
    transport.send(payload, 'ff02::12');
    transport.send(payload, '2001:db8::2', '2001:db8::1');
    expect(native.callsOf('ipv6Send')).toEqual([
      { op: 'ipv6Send', ifindex: 3, payload, destination: 'ff02::12', source: LINK_LOCAL, hopLimit: 64 },
      {
        op: 'ipv6Send',
        ifindex: 3,
        payload,
        destination: '2001:db8::2',
        source: '2001:db8::1',
        hopLimit: 64,
      },
    ]);
    expect(errors).toEqual([]);
  });

  it('passes each received message on with the socket’s metadata', () => {
    const { socket, packets } = open();
    socket.deliver(Buffer.from('31'), { source: 'fe80::2', destination: 'ff02::12', hopLimit: 255 });
    // Another group (someone else joined it on this host): the socket never passes it on.
    socket.deliver(Buffer.from('32'), { source: 'fe80::2', destination: 'ff02::1:12' });
    expect(packets).toEqual([
      [Buffer.from('31'), { source: 'fe80::2', destination: 'ff02::12', hopLimit: 255, ifindex: 3 }],
    ]);
  });

  it('reports failed sends, bad addresses and a closed transport as values', () => {
    const { native, transport, errors } = open();
    native.failNext('ipv6Send', 'ENETUNREACH');
    transport.send(Buffer.alloc(8), '2001:db8::2');
    transport.send(Buffer.alloc(8), '192.0.2.2');
    transport.send(Buffer.alloc(8), 'ff02::12', 'not-an-address');
    transport.close();
    transport.send(Buffer.alloc(8), 'ff02::12');
    expect(
      errors.map((e) => [e.kind, e.dest, (e.error as { code?: string }).code ?? e.error.message]),
    ).toEqual([
      ['send', '2001:db8::2', 'ENETUNREACH'],
      ['send', '192.0.2.2', 'destination 192.0.2.2 is not IPv6'],
      ['send', 'ff02::12', 'source not-an-address is not IPv6'],
      ['send', 'ff02::12', 'transport on eth0 is closed'],
    ]);
    expect(native.callsOf('ipv6Close')).toHaveLength(1);
    transport.close();
    expect(native.callsOf('ipv6Close')).toHaveLength(1);
  });

  it('reports receive errors, closes itself on a poll failure, and survives a throwing handler', () => {
    const { native, transport, errors, socket } = open();
    transport.onPacket(() => {
      throw new Error('handler bug');
    });
    socket.deliver(Buffer.from('31'), { source: 'fe80::2' });
    socket.reportError('ENOBUFS');
    socket.reportError('EBADF', 'uv_poll');
    expect(errors.map((e) => e.kind)).toEqual(['handler', 'receive', 'closed']);
    expect(errors[0]?.error.message).toBe('handler bug');
    expect(native.callsOf('ipv6Close')).toHaveLength(1);
  });

  it('refuses to open without an IPv6 source or with a non-multicast group, and names the interface', () => {
    expect(() => open({ sourceAddress: '192.0.2.1' })).toThrow(/not IPv6: 192\.0\.2\.1/);
    expect(() => open({ multicastGroup: '2001:db8::12' })).toThrow(/not IPv6 multicast/);
    const native = new FakeNativeOps({ interfaces: { eth0: { index: 3, mac: '02:00:c0:00:02:01' } } });
    native.failNext('openIpv6VrrpSocket', 'EPERM');
    expect(() => openAdvertTransport6(base, native)).toThrow(
      /cannot open the IPv6 VRRP socket on eth0: .*EPERM/,
    );
  });
});
