// The ICMP echo codec of the uplink prober (RFC 792): echo requests with a valid checksum, echo
// replies and ICMP errors quoting one of our requests recognised, and damaged or unrelated
// packets ignored with a reason instead of throwing.

import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import {
  decodeIcmpPacket,
  encodeEchoRequest,
  ICMP_ECHO_REPLY,
  ICMP_PROTOCOL,
} from '../../src/packet/icmp-echo.js';
import { encodeIpv4Header } from '../../src/packet/ipv4.js';

function ipv4Packet(source: string, destination: string, payload: Buffer): Buffer {
  const header = encodeIpv4Header({
    source,
    destination,
    ttl: 64,
    tos: 0,
    protocol: ICMP_PROTOCOL,
    payloadLength: payload.length,
    identification: 1,
  });
  return Buffer.concat([header, payload]);
}

function asReply(request: Buffer): Buffer {
  const reply = Buffer.from(request);
  reply[0] = ICMP_ECHO_REPLY;
  reply.writeUInt16BE(0, 2);
  reply.writeUInt16BE(internetChecksum(reply), 2);
  return reply;
}

describe('ICMP echo codec', () => {
  const payload = Buffer.from('0123456789abcdef');

  it('encodes an echo request with a valid checksum', () => {
    const request = encodeEchoRequest({ identifier: 0xbeef, sequence: 7, payload });
    expect(request.subarray(0, 2)).toEqual(Buffer.from([8, 0]));
    expect(request.readUInt16BE(4)).toBe(0xbeef);
    expect(request.readUInt16BE(6)).toBe(7);
    expect(internetChecksum(request)).toBe(0);
  });

  it('recognises the echo reply to a request', () => {
    const request = encodeEchoRequest({ identifier: 0x1234, sequence: 65535, payload });
    const decoded = decodeIcmpPacket(ipv4Packet('203.0.113.10', '198.51.100.14', asReply(request)));
    expect(decoded).toEqual({
      kind: 'echoReply',
      source: '203.0.113.10',
      identifier: 0x1234,
      sequence: 65535,
      payload,
    });
  });

  it('recognises an ICMP error quoting one of our requests', () => {
    const request = encodeEchoRequest({ identifier: 0x4242, sequence: 3, payload });
    const original = ipv4Packet('198.51.100.14', '203.0.113.10', request);
    const error = Buffer.concat([Buffer.from([3, 1, 0, 0, 0, 0, 0, 0]), original.subarray(0, 28)]);
    error.writeUInt16BE(internetChecksum(error), 2);
    expect(decodeIcmpPacket(ipv4Packet('198.51.100.1', '198.51.100.14', error))).toEqual({
      kind: 'error',
      source: '198.51.100.1',
      icmpType: 3,
      code: 1,
      destination: '203.0.113.10',
      identifier: 0x4242,
      sequence: 3,
    });
  });

  it('ignores damaged or unrelated packets without throwing', () => {
    const request = encodeEchoRequest({ identifier: 1, sequence: 1, payload });
    const corrupt = asReply(request);
    corrupt[9] = (corrupt[9] as number) ^ 0xff;
    expect(decodeIcmpPacket(ipv4Packet('203.0.113.10', '198.51.100.14', corrupt))).toMatchObject({
      kind: 'ignored',
      reason: 'ICMP checksum is wrong',
    });
    expect(decodeIcmpPacket(Buffer.alloc(10))).toMatchObject({ kind: 'ignored' });
    expect(decodeIcmpPacket(ipv4Packet('203.0.113.10', '198.51.100.14', request))).toMatchObject({
      kind: 'ignored',
    });
    expect(decodeIcmpPacket(ipv4Packet('203.0.113.10', '198.51.100.14', Buffer.from([0, 0])))).toMatchObject({
      kind: 'ignored',
    });
  });
});
