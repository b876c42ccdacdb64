// The transport's logic without a kernel: socket options, the IPv4 header it writes, copy
// semantics on receive, and every failure path reported as a value instead of thrown.

import { EventEmitter } from 'node:events';
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { decodeIpv4Header } from '../../src/packet/ipv4.js';
import {
  openAdvertTransport,
  type RawSocket,
  type RawSocketModule,
  type TransportError,
} from '../../src/kernel/transport.js';

interface SentPacket {
  packet: Buffer;
  address: string;
}

class FakeRawSocket extends EventEmitter implements RawSocket {
  readonly options: Array<[number, number, number | string]> = [];
  readonly sent: SentPacket[] = [];
  closed = false;
  failOption?: number;
  nextSendError?: Error;

  setOption(level: number, option: number, value: number | Buffer, length?: number): void {
    if (option === this.failOption) throw new Error('Protocol not available');
    this.options.push([
      level,
      option,
      typeof value === 'number' ? value : value.subarray(0, length).toString('hex'),
    ]);
  }

  send(
    buffer: Buffer,
    offset: number,
    length: number,
    address: string,
    after: (e: Error | null, n: number) => void,
  ) {
    this.sent.push({ packet: Buffer.from(buffer.subarray(offset, offset + length)), address });
    const error = this.nextSendError ?? null;
    this.nextSendError = undefined;
    after(error, error ? 0 : length);
    return this;
  }

  close() {
    this.closed = true;
    this.emit('close');
    return this;
  }
}

function fakeModule(socket: FakeRawSocket): RawSocketModule & { created: unknown[] } {
  const created: unknown[] = [];
  return {
    created,
    AddressFamily: { IPv4: 1 },
    createSocket(options) {
      created.push(options);
      return socket;
    },
  };
}

const base = { ifname: 'eth0', ifindex: 3, sourceAddress: '192.0.2.1', joinMulticast: true };

function openWithFake(overrides: Partial<typeof base & { protocol: number }> = {}) {
  const socket = new FakeRawSocket();
  const module = fakeModule(socket);
  const transport = openAdvertTransport({ ...base, ...overrides }, module);
  const errors: TransportError[] = [];
  transport.onError((error) => errors.push(error));
  return { socket, module, transport, errors };
}

describe('advert transport (fake raw socket)', () => {
  it('opens protocol 112 bound to the interface, header-included, joined, without loopback', () => {
    const { socket, module } = openWithFake();
    expect(module.created).toEqual([{ protocol: 112, addressFamily: 1, bufferSize: 4096 }]);
    // struct ip_mreqn: 224.0.0.18, any local address, ifindex 3 as a host-order int.
    const mreqn = 'e0000012' + '00000000' + (endianness() === 'LE' ? '03000000' : '00000003');
    expect(socket.options).toEqual([
      [1, 25, Buffer.from('eth0\0').toString('hex')], // SOL_SOCKET SO_BINDTODEVICE
      [0, 3, 1], // IP_HDRINCL
      [0, 32, mreqn], // IP_MULTICAST_IF
      [0, 34, 0], // IP_MULTICAST_LOOP off
      [0, 33, 255], // IP_MULTICAST_TTL
      [0, 35, mreqn], // IP_ADD_MEMBERSHIP
    ]);
  });

  it('does not join the group for unicast-only instances', () => {
    const { socket } = openWithFake({ joinMulticast: false });
    expect(socket.options.map(([, option]) => option)).not.toContain(35);
  });

  it('writes a valid IPv4 header: TTL 255, TOS 0xC0, protocol 112, our source', () => {
    const { socket, transport, errors } = openWithFake();
    const payload = Buffer.from('2133640101010000c00002fe', 'hex');
    transport.send(payload, '224.0.0.18');
    transport.send(payload, '192.0.2.2', '192.0.2.11');
    expect(errors).toEqual([]);
    expect(socket.sent.map((s) => s.address)).toEqual(['224.0.0.18', '192.0.2.2']);
    const [first, second] = socket.sent.map((s) => s.packet);
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
    expect(overridden.ok && overridden.value.source).toBe('192.0.2.11');
  });

  it('opens protocol 51 for auth_type AH and sends caller-built packets unchanged', () => {
    const { socket, module, transport, errors } = openWithFake({ protocol: 51 });
    expect(module.created).toEqual([{ protocol: 51, addressFamily: 1, bufferSize: 4096 }]);
    const packet = Buffer.from('45c0004000010000ff3318b6c0000201e0000012', 'hex');
    transport.sendIpPacket(packet, '224.0.0.18');
    transport.sendIpPacket(packet, 'bogus');
    transport.close();
    transport.sendIpPacket(packet, '224.0.0.18');
    expect(socket.sent).toEqual([{ packet, address: '224.0.0.18' }]);
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      ['send', 'destination is not IPv4: bogus'],
      ['send', 'transport on eth0 is closed'],
    ]);
  });

  it('reports bad destinations and failed sends as errors, never throwing', () => {
    const { socket, transport, errors } = openWithFake();
    expect(() => transport.send(Buffer.alloc(8), 'not-an-address')).not.toThrow();
    socket.nextSendError = new Error('Network is down');
    transport.send(Buffer.alloc(8), '192.0.2.2');
    expect(errors.map((e) => [e.kind, e.dest, e.error.message])).toEqual([
      ['send', 'not-an-address', 'destination is not IPv4: not-an-address'],
      ['send', '192.0.2.2', 'Network is down'],
    ]);
  });

  it('hands each callback its own copy of the packet, with source and ifindex', () => {
    const { socket, transport } = openWithFake();
    const seen: Array<{ raw: Buffer; source: string; ifindex?: number }> = [];
    transport.onPacket((raw, meta) => seen.push({ raw, ...meta }));
    const shared = Buffer.from('45c00020', 'hex');
    socket.emit('message', shared, '192.0.2.2');
    shared.fill(0); // raw-socket reuses its receive buffer for the next packet
    expect(seen).toEqual([{ raw: Buffer.from('45c00020', 'hex'), source: '192.0.2.2', ifindex: 3 }]);
  });

  it('contains exceptions from packet callbacks and receive errors', () => {
    const { socket, transport, errors } = openWithFake();
    const delivered: string[] = [];
    transport.onPacket(() => {
      throw new Error('handler bug');
    });
    transport.onPacket((_raw, meta) => delivered.push(meta.source));
    expect(() => socket.emit('message', Buffer.alloc(20), '192.0.2.9')).not.toThrow();
    expect(() => socket.emit('error', new Error('No buffer space available'))).not.toThrow();
    expect(delivered).toEqual(['192.0.2.9']);
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      ['handler', 'handler bug'],
      ['receive', 'No buffer space available'],
    ]);
  });

  it('reports an unexpected close once, but not its own close; sends after close are errors', () => {
    const unexpected = openWithFake();
    unexpected.socket.emit('close');
    expect(unexpected.errors.map((e) => e.kind)).toEqual(['closed']);

    const { socket, transport, errors } = openWithFake();
    transport.close();
    transport.close();
    expect(socket.closed).toBe(true);
    transport.send(Buffer.alloc(8), '192.0.2.2');
    expect(errors.map((e) => e.kind)).toEqual(['send']);
    expect(socket.sent).toEqual([]);
  });

  it('fails to open with the interface named, closing the half-configured socket', () => {
    const socket = new FakeRawSocket();
    socket.failOption = 35;
    expect(() => openAdvertTransport(base, fakeModule(socket))).toThrow(/eth0: Protocol not available/);
    expect(socket.closed).toBe(true);
    expect(() =>
      openAdvertTransport({ ...base, sourceAddress: 'eth0' }, fakeModule(new FakeRawSocket())),
    ).toThrow(RangeError);
  });
});
