// The ICMP prober's matching logic against a scripted fake raw socket: replies are matched by
// identifier, sequence, source and payload cookie; ICMP errors end a probe early; timeouts and
// send failures are values. (The real socket, SO_MARK and policy routing are exercised by the
// namespace test.)

import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import {
  openIcmpProber,
  SO_MARK,
  type IcmpRawSocket,
  type IcmpRawSocketModule,
  type IcmpProber,
} from '../../src/kernel/icmp-prober.js';
import { ICMP_PROTOCOL } from '../../src/packet/icmp-echo.js';

type Behaviour = 'reply' | 'silent' | 'unreachable' | 'sendError' | 'strays';

function packet(source: string, icmp: Buffer, destination = '198.51.100.14'): Buffer {
  const header = encodeIpv4Header({
    source,
    destination,
    ttl: 64,
    tos: 0,
    protocol: ICMP_PROTOCOL,
    payloadLength: icmp.length,
    identification: 0,
  });
  return Buffer.concat([header, icmp]);
}

function withChecksum(icmp: Buffer): Buffer {
  icmp.writeUInt16BE(0, 2);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  return icmp;
}

class FakeSocket extends EventEmitter implements IcmpRawSocket {
  readonly options: Array<[number, number, number]> = [];
  behaviour: Behaviour = 'reply';
  closed = false;

  setOption(level: number, option: number, value: number): void {
    this.options.push([level, option, value]);
  }

  send(
    buffer: Buffer,
    _offset: number,
    _length: number,
    address: string,
    before: () => void,
    after: (error: Error | null, bytes: number) => void,
  ): void {
    const request = Buffer.from(buffer);
    setImmediate(() => {
      if (this.behaviour === 'sendError') {
        after(new Error('No route to host'), 0);
        return;
      }
      before();
      after(null, request.length);
      const reply = (mutate: (icmp: Buffer) => void, source = address): void => {
        const icmp = Buffer.from(request);
        icmp[0] = 0;
        mutate(icmp);
        this.emit('message', packet(source, withChecksum(icmp)), source);
      };
      setTimeout(() => {
        if (this.behaviour === 'reply') reply(() => undefined);
        if (this.behaviour === 'strays') {
          reply((icmp) => icmp.writeUInt16BE((icmp.readUInt16BE(4) + 1) & 0xffff, 4)); // other identifier
          reply((icmp) => (icmp[8] = (icmp[8] as number) ^ 0xff)); // wrong cookie
          reply(() => undefined, '203.0.113.99'); // wrong source
        }
        if (this.behaviour === 'unreachable') {
          const quoted = packet('198.51.100.14', request, address).subarray(0, 28);
          const error = withChecksum(Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), quoted]));
          this.emit('message', packet('198.51.100.1', error), '198.51.100.1');
        }
      }, 5);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

function fakeModule(socket: FakeSocket): IcmpRawSocketModule {
  return { createSocket: () => socket, AddressFamily: { IPv4: 1 } };
}

describe('ICMP prober', () => {
  const probers: IcmpProber[] = [];
  afterEach(() => {
    for (const prober of probers.splice(0)) prober.close();
  });
  const open = (socket: FakeSocket, fwmark?: number): IcmpProber => {
    const prober = openIcmpProber(fwmark === undefined ? {} : { fwmark }, fakeModule(socket));
    probers.push(prober);
    return prober;
  };

  it('sets SO_MARK and measures replies', async () => {
    const socket = new FakeSocket();
    const prober = open(socket, 0x76720001);
    expect(socket.options).toEqual([[1, SO_MARK, 0x76720001]]);
    const results = await prober.echo('203.0.113.10', 3, 1000);
    expect(results.map((r) => r.outcome)).toEqual(['reply', 'reply', 'reply']);
    for (const result of results) expect(result.rttMs).toBeGreaterThan(0);
  });

  it('ignores replies with another identifier, cookie or source, and times out', async () => {
    const socket = new FakeSocket();
    socket.behaviour = 'strays';
    const results = await open(socket).echo('203.0.113.10', 1, 100);
    expect(results).toEqual([{ outcome: 'timeout', rttMs: null }]);
  });

  it('ends a probe early on an ICMP error quoting it', async () => {
    const socket = new FakeSocket();
    socket.behaviour = 'unreachable';
    const [result] = await open(socket).echo('203.0.113.10', 1, 5000);
    expect(result).toEqual({
      outcome: 'unreachable',
      rttMs: null,
      detail: 'ICMP type 3 code 0 from 198.51.100.1',
    });
  });

  it('reports send errors, bad addresses and a closed socket as values', async () => {
    const socket = new FakeSocket();
    socket.behaviour = 'sendError';
    const prober = open(socket);
    expect(await prober.echo('203.0.113.10', 1, 1000)).toEqual([
      { outcome: 'sendError', rttMs: null, detail: 'No route to host' },
    ]);
    expect((await prober.echo('check.example', 1, 1000))[0]?.outcome).toBe('sendError');
    socket.behaviour = 'silent';
    const waiting = prober.echo('203.0.113.10', 2, 60_000);
    socket.emit('error', new Error('poll failed'));
    socket.close();
    expect((await waiting).map((r) => r.outcome)).toEqual(['closed', 'closed']);
    expect(prober.isOpen()).toBe(false);
  });

  it('gives every open prober its own identifier', () => {
    const a = open(new FakeSocket());
    const b = open(new FakeSocket());
    expect(a.identifier).not.toBe(b.identifier);
  });
});
