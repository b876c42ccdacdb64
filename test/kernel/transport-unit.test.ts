// The IPv4 transport's logic without a kernel (FakeNativeOps): the socket it asks for, the IPv4
// header it writes, what each callback receives, and every failure reported as a value instead
// of thrown.

import { describe, expect, it } from 'vitest';
import { FakeNativeOps } from '../../src/kernel/native-fake.js';
import { decodeIpv4Header } from '../../src/packet/ipv4.js';
import {
  openAdvertTransport,
  type AdvertTransportOptions,
  type TransportError,
} from '../../src/kernel/transport.js';

const base: AdvertTransportOptions = {
  ifname: 'eth0',
  ifindex: 3,
  sourceAddress: '192.0.2.1',
  joinMulticast: true,
};

function fakeNative(): FakeNativeOps {
  return new FakeNativeOps({ interfaces: { eth0: { index: 3, mac: '02:00:c0:00:02:01' } } });
}

function open(overrides: Partial<AdvertTransportOptions> = {}) {
  const native = fakeNative();
  const transport = openAdvertTransport({ ...base, ...overrides }, native);
  const errors: TransportError[] = [];
  transport.onError((error) => errors.push(error));
  return { native, transport, errors, socket: native.ipv4Sockets[0]! };
}

describe('IPv4 advert transport (fake native socket)', () => {
  it('asks for protocol 112 on the interface, joined to 224.0.0.18, multicast TTL 255', () => {
    const { native } = open();
    expect(native.callsOf('openIpv4VrrpSocket')).toEqual([
      {
        op: 'openIpv4VrrpSocket',
        options: {
          ifname: 'eth0',
          ifindex: 3,
          protocol: 112,
          multicastGroups: ['224.0.0.18'],
          multicastTtl: 255,
        },
      },
    ]);
  });

  it('joins no group for unicast-only instances, and the configured groups otherwise', () => {
    expect(open({ joinMulticast: false }).socket.options.multicastGroups).toBeNull();
    const groups = ['224.0.0.18', '224.0.0.19'];
    expect(open({ multicastGroups: groups }).socket.options.multicastGroups).toEqual(groups);
  });

  it('writes a valid IPv4 header: TTL 255, TOS 0xC0, protocol 112, our source', () => {
    const { native, transport, errors } = open();
    const payload = Buffer.from('2133640101010000c00002fe', 'hex');
    transport.send(payload, '224.0.0.18');
    transport.send(payload, '192.0.2.2', '192.0.2.11', 64);
    expect(errors).toEqual([]);
    const sends = native.callsOf('ipv4Send');
    expect(sends.map((s) => s.destination)).toEqual(['224.0.0.18', '192.0.2.2']);
    const [first, second] = sends.map((s) => s.packet);
    const header = decodeIpv4Header(first!);
    expect(header.ok && header.value).toMatchObject({
      headerLength: 20,
      totalLength: 32,
      tos: 0xc0,
      ttl: 255,
      protocol: 112,
      source: '192.0.2.1',
      destination: '224.0.0.18',
    });
    expect(first!.subarray(20).equals(payload)).toBe(true);
    const overridden = decodeIpv4Header(second!);
    expect(overridden.ok && overridden.value).toMatchObject({ source: '192.0.2.11', ttl: 64 });
  });

  it('opens protocol 51 for auth_type AH and sends caller-built packets unchanged', () => {
    const { native, transport, errors, socket } = open({ protocol: 51 });
    expect(socket.options.protocol).toBe(51);
    const packet = Buffer.from('45c0004000010000ff3318b6c0000201e0000012', 'hex');
    transport.sendIpPacket(packet, '224.0.0.18');
    transport.sendIpPacket(packet, 'bogus');
    transport.close();
    transport.sendIpPacket(packet, '224.0.0.18');
    expect(native.callsOf('ipv4Send')).toEqual([
      { op: 'ipv4Send', ifindex: 3, packet, destination: '224.0.0.18' },
    ]);
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      ['send', 'destination is not IPv4: bogus'],
      ['send', 'transport on eth0 is closed'],
    ]);
  });

  it('reports bad destinations and failed sends as errors, never throwing', () => {
    const { native, transport, errors } = open();
    expect(() => transport.send(Buffer.alloc(8), 'not-an-address')).not.toThrow();
    native.failNext('ipv4Send', 'ENETDOWN');
    transport.send(Buffer.alloc(8), '192.0.2.2');
    expect(errors.map((e) => [e.kind, e.dest, e.error.message])).toEqual([
      ['send', 'not-an-address', 'destination is not IPv4: not-an-address'],
      ['send', '192.0.2.2', 'sendmsg (ifindex 3 to 192.0.2.2): fake ENETDOWN'],
    ]);
  });

  it('hands each callback the packet with its source and the interface', () => {
    const { transport, socket } = open();
    const seen: Array<{ raw: Buffer; source: string; ifindex?: number }> = [];
    transport.onPacket((raw, meta) => seen.push({ raw, ...meta }));
    socket.deliver(Buffer.from('45c00020', 'hex'), '192.0.2.2');
    expect(seen).toEqual([{ raw: Buffer.from('45c00020', 'hex'), source: '192.0.2.2', ifindex: 3 }]);
  });

  it('contains exceptions from packet callbacks and receive errors', () => {
    const { transport, errors, socket } = open();
    const delivered: string[] = [];
    transport.onPacket(() => {
      throw new Error('handler bug');
    });
    transport.onPacket((_raw, meta) => delivered.push(meta.source));
    expect(() => socket.deliver(Buffer.alloc(20), '192.0.2.9')).not.toThrow();
    expect(() => socket.reportError('ENOBUFS')).not.toThrow();
    expect(delivered).toEqual(['192.0.2.9']);
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      ['handler', 'handler bug'],
      ['receive', 'recvmsg (ifindex 3): fake ENOBUFS'],
    ]);
  });

  it('a poll failure closes the socket and is reported once; its own close is not; sends after close are errors', () => {
    const failed = open();
    failed.socket.reportError('EBADF', 'uv_poll');
    failed.socket.reportError('EBADF', 'uv_poll');
    expect(failed.errors.map((e) => e.kind)).toEqual(['closed']);
    expect(failed.socket.closed).toBe(true);

    const { native, transport, errors, socket } = open();
    transport.close();
    transport.close();
    expect(socket.closed).toBe(true);
    expect(native.callsOf('ipv4Close')).toHaveLength(1);
    transport.send(Buffer.alloc(8), '192.0.2.2');
    expect(errors.map((e) => e.kind)).toEqual(['send']);
    expect(native.callsOf('ipv4Send')).toEqual([]);
  });

  it('fails to open with the interface named; rejects a source that is not IPv4', () => {
    const native = fakeNative();
    native.failNext('openIpv4VrrpSocket', 'EPERM');
    expect(() => openAdvertTransport(base, native)).toThrow(
      /cannot open the VRRP raw socket on eth0: .*EPERM/,
    );
    expect(() => openAdvertTransport({ ...base, ifindex: 9 }, fakeNative())).toThrow(/ENODEV/);
    expect(() => openAdvertTransport({ ...base, sourceAddress: 'eth0' }, fakeNative())).toThrow(RangeError);
  });
});
