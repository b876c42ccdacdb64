// IPv6 fixed header codec (RFC 8200 §3). VRRP itself never sees one: an IPv6 raw socket delivers
// only the payload, with the header's facts as ancillary data. It is needed where whole frames
// are built by hand (the unsolicited Neighbor Advertisement, sent through AF_PACKET) and to read
// captured packets (test fixtures). No extension headers: neither of those carries any.

import { ipv6FromBytes, ipv6ToBytes } from './address6.js';

export const IPV6_HEADER_LENGTH = 40;
export const IPV6_VERSION = 6;

export interface Ipv6Header {
  trafficClass: number;
  /** 20 bits; Linux fills it in for its own sockets (auto flow labels), so captures vary. */
  flowLabel: number;
  /** Bytes after this header. */
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  source: string;
  destination: string;
}

function requireRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`IPv6 ${name} ${value} is outside 0..${max}`);
  }
}

/** Builds the 40-byte header. Throws RangeError on out-of-range fields (never wire input). */
export function encodeIpv6Header(header: Ipv6Header): Buffer {
  requireRange('traffic class', header.trafficClass, 0xff);
  requireRange('flow label', header.flowLabel, 0xfffff);
  requireRange('payload length', header.payloadLength, 0xffff);
  requireRange('next header', header.nextHeader, 0xff);
  requireRange('hop limit', header.hopLimit, 0xff);
  const buf = Buffer.alloc(IPV6_HEADER_LENGTH);
  buf.writeUInt32BE(((IPV6_VERSION << 28) | (header.trafficClass << 20) | header.flowLabel) >>> 0, 0);
  buf.writeUInt16BE(header.payloadLength, 4);
  buf[6] = header.nextHeader;
  buf[7] = header.hopLimit;
  ipv6ToBytes(header.source).copy(buf, 8);
  ipv6ToBytes(header.destination).copy(buf, 24);
  return buf;
}

export type Ipv6HeaderResult = { ok: true; value: Ipv6Header } | { ok: false; detail: string };

/** Reads the header at `offset`. Never throws. */
export function decodeIpv6Header(buf: Buffer, offset = 0): Ipv6HeaderResult {
  if (buf.length < offset + IPV6_HEADER_LENGTH) {
    return { ok: false, detail: `${buf.length - offset} bytes is shorter than an IPv6 header (40)` };
  }
  const first = buf.readUInt32BE(offset);
  const version = first >>> 28;
  if (version !== IPV6_VERSION) return { ok: false, detail: `IP version ${version} is not 6` };
  return {
    ok: true,
    value: {
      trafficClass: (first >>> 20) & 0xff,
      flowLabel: first & 0xfffff,
      payloadLength: buf.readUInt16BE(offset + 4),
      nextHeader: buf[offset + 6]!,
      hopLimit: buf[offset + 7]!,
      source: ipv6FromBytes(buf, offset + 8),
      destination: ipv6FromBytes(buf, offset + 24),
    },
  };
}
