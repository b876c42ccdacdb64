import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import { decodeIpv4Header, encodeIpv4Header, splitIpv4Packet } from '../../src/packet/ipv4.js';
import { loadFixture, type Ipv4AdvertFixture } from './keepalived-fixtures.js';

/**
 * IP header fields of each captured keepalived packet, read off the hex by hand (the AH ones,
 * protocol 51, are rebuilt byte for byte in ipsec-ah.test.ts).
 */
const CAPTURED_HEADERS: Record<Exclude<Ipv4AdvertFixture, `v2-ah-${string}`>, object> = {
  'v2-unicast-pass': { totalLength: 40, identification: 1, checksum: 0x36a1, destination: '192.0.2.2' },
  'v2-priority0-shutdown': { totalLength: 40, checksum: 0x36a0, destination: '192.0.2.2' },
  'v2-multicast-noauth': { totalLength: 44, identification: 1, checksum: 0x188d, destination: '224.0.0.18' },
  'v3-multicast': { totalLength: 32, identification: 1, checksum: 0x1899, destination: '224.0.0.18' },
  'v3-unicast': { totalLength: 32, identification: 1, checksum: 0x36a9, destination: '192.0.2.2' },
};

/** A header with IHL `words` (options zero-filled, i.e. End of Option List), checksum set. */
function headerWithOptions(words: number, totalLength: number): Buffer {
  const header = Buffer.alloc(words * 4);
  header[0] = 0x40 | words;
  header.writeUInt16BE(totalLength, 2);
  header[8] = 255;
  header[9] = 112;
  Buffer.from([192, 0, 2, 1, 224, 0, 0, 18]).copy(header, 12);
  header.writeUInt16BE(internetChecksum(header), 10);
  return header;
}

describe('IPv4 header of captured keepalived packets', () => {
  for (const [name, expected] of Object.entries(CAPTURED_HEADERS)) {
    it(`decodes ${name}`, () => {
      const result = decodeIpv4Header(loadFixture(name as Ipv4AdvertFixture));
      expect(result).toEqual({
        ok: true,
        value: {
          version: 4,
          headerLength: 20,
          tos: 0xc0,
          identification: expect.any(Number),
          ttl: 255,
          protocol: 112,
          source: '192.0.2.1',
          ...expected,
        },
      });
    });

    it(`re-encodes ${name}'s header byte for byte`, () => {
      const packet = loadFixture(name as Ipv4AdvertFixture);
      const decoded = decodeIpv4Header(packet);
      if (!decoded.ok) throw new Error(decoded.detail);
      const ip = decoded.value;
      const header = encodeIpv4Header({
        source: ip.source,
        destination: ip.destination,
        ttl: 255,
        tos: 0xc0,
        protocol: 112,
        payloadLength: ip.totalLength - 20,
        identification: ip.identification,
      });
      expect(header.toString('hex')).toBe(packet.subarray(0, 20).toString('hex'));
    });
  }

  it('splits a packet into header and VRRP payload', () => {
    const packet = loadFixture('v2-multicast-noauth');
    const split = splitIpv4Packet(packet);
    if (!split.ok) throw new Error(split.detail);
    expect(split.value.ip.source).toBe('192.0.2.1');
    expect(split.value.payload.toString('hex')).toBe(packet.subarray(20).toString('hex'));
  });
});

describe('decodeIpv4Header errors (ip_header)', () => {
  const good = loadFixture('v2-unicast-pass');
  const mutate = (edit: (b: Buffer) => void): Buffer => {
    const copy = Buffer.from(good);
    edit(copy);
    return copy;
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['shorter than 20 bytes', good.subarray(0, 19), /19 bytes, shorter than an IPv4 header/],
    ['IP version 6', mutate((b) => (b[0] = 0x65)), /IP version 6 is not 4/],
    ['IHL 4 (16 bytes)', mutate((b) => (b[0] = 0x44)), /header length 16 is below the minimum 20/],
    ['IHL beyond the buffer', mutate((b) => (b[0] = 0x4f)), /header length 60 exceeds the 40-byte packet/],
    ['total length below the header', mutate((b) => b.writeUInt16BE(19, 2)), /total length 19 is shorter/],
    ['wrong header checksum', mutate((b) => (b[8] = 64)), /IP header checksum 0x36a1 is wrong/],
  ];
  for (const [what, packet, detail] of cases) {
    it(`rejects ${what}`, () => {
      const result = decodeIpv4Header(packet);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe('ip_header');
      expect(result.detail).toMatch(detail);
    });
  }
});

describe('splitIpv4Packet', () => {
  it('accepts header options and returns the payload after them', () => {
    const payload = Buffer.from('deadbeef', 'hex');
    const header = headerWithOptions(6, 24 + payload.length);
    const split = splitIpv4Packet(Buffer.concat([header, payload]));
    if (!split.ok) throw new Error(split.detail);
    expect(split.value.ip.headerLength).toBe(24);
    expect(split.value.payload.toString('hex')).toBe('deadbeef');
  });

  it('reports a packet shorter than its total length as truncated (length)', () => {
    const packet = loadFixture('v2-unicast-pass');
    const result = splitIpv4Packet(packet.subarray(0, packet.length - 1));
    expect(result).toEqual({
      ok: false,
      reason: 'length',
      detail: 'IP packet truncated: 39 of 40 bytes from 192.0.2.1',
    });
  });

  it('drops bytes beyond the total length (link-layer padding)', () => {
    const packet = loadFixture('v3-multicast');
    const split = splitIpv4Packet(Buffer.concat([packet, Buffer.alloc(14)]));
    if (!split.ok) throw new Error(split.detail);
    expect(split.value.payload.length).toBe(12);
  });
});

describe('encodeIpv4Header', () => {
  const fields = {
    source: '192.0.2.1',
    destination: '224.0.0.18',
    ttl: 255,
    tos: 0xc0,
    protocol: 112,
    payloadLength: 12,
    identification: 0x1234,
  };

  it('produces a 20-byte header that decodes to the same fields with a valid checksum', () => {
    const header = encodeIpv4Header(fields);
    expect(header.length).toBe(20);
    expect(internetChecksum(header)).toBe(0);
    const decoded = decodeIpv4Header(Buffer.concat([header, Buffer.alloc(12)]));
    expect(decoded.ok && decoded.value).toMatchObject({
      source: '192.0.2.1',
      destination: '224.0.0.18',
      ttl: 255,
      tos: 0xc0,
      protocol: 112,
      totalLength: 32,
      identification: 0x1234,
    });
    // No DF, no fragment offset: like keepalived.
    expect(header.readUInt16BE(6)).toBe(0);
  });

  it('writes the same header into the start of a packet buffer, whatever the buffer held', () => {
    const packet = Buffer.alloc(32, 0xff);
    expect(encodeIpv4Header(fields, packet)).toBe(packet);
    expect(packet.subarray(0, 20).equals(encodeIpv4Header(fields))).toBe(true);
    expect(packet.subarray(20).equals(Buffer.alloc(12, 0xff))).toBe(true);
  });

  it('throws RangeError on out-of-range fields (they come from config, not the wire)', () => {
    expect(() => encodeIpv4Header({ ...fields, ttl: 256 })).toThrow(RangeError);
    expect(() => encodeIpv4Header({ ...fields, identification: -1 })).toThrow(RangeError);
    expect(() => encodeIpv4Header({ ...fields, payloadLength: 65516 })).toThrow(RangeError);
    expect(() => encodeIpv4Header({ ...fields, source: '192.0.2' })).toThrow(RangeError);
  });
});
