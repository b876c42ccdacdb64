// IPv4 header codec (RFC 791 §3.1). A raw IPPROTO_VRRP socket hands us the whole IP packet, and
// the validation ladder needs the TTL, addresses and length from its header. We build our own
// header only when sending with IP_HDRINCL (to choose the source address, as keepalived does).

import { ipv4FromBytes, writeIpv4 } from './address.js';
import { internetChecksum } from './checksum.js';
import { readU16, writeU16 } from './bytes.js';
import { DropReason, type DecodeResult, type Ipv4Header } from './types.js';

/** IHL 5: a header without options. */
export const IPV4_MIN_HEADER_LENGTH = 20;
/** Maximum of the 16-bit total-length field. */
export const IPV4_MAX_PACKET_LENGTH = 0xffff;
/**
 * DSCP CS6 / precedence "internetwork control": what keepalived puts in its VRRP packets
 * (seen in the captured fixtures), and the class routing protocols use.
 */
export const TOS_INTERNETWORK_CONTROL = 0xc0;

function fail(detail: string): DecodeResult<never> {
  return { ok: false, reason: DropReason.ipHeader, detail };
}

/**
 * Decodes and checks the IPv4 header at the start of `buf`: version 4, a header length of at
 * least 20 bytes that fits in the buffer, a total length covering the header, and a valid
 * header checksum. Options are allowed and skipped. Never throws.
 */
export function decodeIpv4Header(buf: Buffer): DecodeResult<Ipv4Header> {
  if (buf.length < IPV4_MIN_HEADER_LENGTH) {
    return fail(`packet is ${buf.length} bytes, shorter than an IPv4 header (${IPV4_MIN_HEADER_LENGTH})`);
  }
  const version = buf[0]! >> 4;
  if (version !== 4) return fail(`IP version ${version} is not 4`);
  const headerLength = (buf[0]! & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    return fail(`IP header length ${headerLength} is below the minimum ${IPV4_MIN_HEADER_LENGTH}`);
  }
  if (headerLength > buf.length) {
    return fail(`IP header length ${headerLength} exceeds the ${buf.length}-byte packet`);
  }
  const totalLength = readU16(buf, 2);
  if (totalLength < headerLength) {
    return fail(`IP total length ${totalLength} is shorter than its ${headerLength}-byte header`);
  }
  const checksum = readU16(buf, 10);
  if (internetChecksum(buf, 0, 0, headerLength) !== 0) {
    return fail(`IP header checksum 0x${checksum.toString(16).padStart(4, '0')} is wrong`);
  }
  return {
    ok: true,
    value: {
      version,
      headerLength,
      tos: buf[1]!,
      totalLength,
      identification: readU16(buf, 4),
      ttl: buf[8]!,
      protocol: buf[9]!,
      checksum,
      source: ipv4FromBytes(buf, 12),
      destination: ipv4FromBytes(buf, 16),
    },
  };
}

export interface Ipv4Packet {
  ip: Ipv4Header;
  /** The bytes the header's total length says follow it: a view into the input, not a copy. */
  payload: Buffer;
}

/**
 * Splits a raw IP packet into its decoded header and payload. A packet shorter than its total
 * length is truncated (`length`); bytes beyond the total length (link padding) are dropped.
 */
export function splitIpv4Packet(buf: Buffer): DecodeResult<Ipv4Packet> {
  const decoded = decodeIpv4Header(buf);
  if (!decoded.ok) return decoded;
  const ip = decoded.value;
  if (buf.length < ip.totalLength) {
    return {
      ok: false,
      reason: DropReason.length,
      detail: `IP packet truncated: ${buf.length} of ${ip.totalLength} bytes from ${ip.source}`,
    };
  }
  return { ok: true, value: { ip, payload: buf.subarray(ip.headerLength, ip.totalLength) } };
}

export interface Ipv4HeaderFields {
  source: string;
  destination: string;
  ttl: number;
  tos: number;
  protocol: number;
  /** Length of what follows the header; total length = 20 + payloadLength. */
  payloadLength: number;
  identification: number;
}

function requireRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`IPv4 ${name} ${value} is outside 0..${max}`);
  }
}

/**
 * Builds a 20-byte IPv4 header (no options, flags and fragment offset zero — like keepalived's
 * VRRP packets, which are never fragmented) with its checksum filled in. Throws RangeError on
 * out-of-range fields: callers pass configuration, never wire input. Given `header` (the start of
 * a packet's buffer, whatever it held), the header is written into its first 20 bytes.
 */
export function encodeIpv4Header(
  fields: Ipv4HeaderFields,
  header: Buffer = Buffer.alloc(IPV4_MIN_HEADER_LENGTH),
): Buffer {
  requireRange('TTL', fields.ttl, 0xff);
  requireRange('TOS', fields.tos, 0xff);
  requireRange('protocol', fields.protocol, 0xff);
  requireRange('identification', fields.identification, 0xffff);
  requireRange('payload length', fields.payloadLength, IPV4_MAX_PACKET_LENGTH - IPV4_MIN_HEADER_LENGTH);
  header[0] = 0x45; // version 4, IHL 5
  header[1] = fields.tos;
  writeU16(header, IPV4_MIN_HEADER_LENGTH + fields.payloadLength, 2);
  writeU16(header, fields.identification, 4);
  writeU16(header, 0, 6); // flags, fragment offset
  header[8] = fields.ttl;
  header[9] = fields.protocol;
  writeU16(header, 0, 10); // the checksum, while it is computed
  writeIpv4(fields.source, header, 12);
  writeIpv4(fields.destination, header, 16);
  writeU16(header, internetChecksum(header, 0, 0, IPV4_MIN_HEADER_LENGTH), 10);
  return header;
}
