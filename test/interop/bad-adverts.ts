// Variants of a captured keepalived advert (a whole IPv4 packet, IHL 5, VRRPv2) that each break
// exactly one rule of the receive ladder (RFC 3768 §7.1), with every other field left valid:
// checksums are recomputed unless the checksum itself is what is being broken.

import { internetChecksum } from '../../src/packet/checksum.js';
import { simpleAuthData } from '../../src/packet/vrrp.js';

const IP_HEADER_LENGTH = 20;
const TTL_OFFSET = 8;
const IP_CHECKSUM_OFFSET = 10;
/** Offsets inside the VRRPv2 message (RFC 3768 §5.1). */
const VRID_OFFSET = 1;
const AUTH_TYPE_OFFSET = 4;
const ADVERT_INTERVAL_OFFSET = 5;
const VRRP_CHECKSUM_OFFSET = 6;

function headerLengthOf(packet: Buffer): number {
  const length = (packet[0]! & 0x0f) * 4;
  if (length !== IP_HEADER_LENGTH) throw new Error(`expected a 20-byte IP header, got ${length}`);
  return length;
}

function fixIpChecksum(packet: Buffer): Buffer {
  packet.writeUInt16BE(0, IP_CHECKSUM_OFFSET);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, IP_HEADER_LENGTH)), IP_CHECKSUM_OFFSET);
  return packet;
}

function fixVrrpChecksum(packet: Buffer): Buffer {
  const vrrp = packet.subarray(headerLengthOf(packet));
  vrrp.writeUInt16BE(0, VRRP_CHECKSUM_OFFSET);
  vrrp.writeUInt16BE(internetChecksum(vrrp), VRRP_CHECKSUM_OFFSET);
  return packet;
}

/** The same packet with another IP TTL (RFC 3768 §7.1 step 1 wants 255). */
export function withTtl(original: Buffer, ttl: number): Buffer {
  const packet = Buffer.from(original);
  packet[TTL_OFFSET] = ttl;
  return fixIpChecksum(packet);
}

/** The same advert for another virtual router. */
export function withVrid(original: Buffer, vrid: number): Buffer {
  const packet = Buffer.from(original);
  packet[headerLengthOf(packet) + VRID_OFFSET] = vrid;
  return fixVrrpChecksum(packet);
}

/** The same PASS advert carrying another password (8 bytes, zero-padded like keepalived's). */
export function withPassword(original: Buffer, password: string): Buffer {
  const packet = Buffer.from(original);
  const offset = headerLengthOf(packet);
  const addressCount = packet[offset + 3]!;
  simpleAuthData(password).copy(packet, offset + 8 + addressCount * 4);
  return fixVrrpChecksum(packet);
}

/** The same advert with another auth type (0 none, 1 PASS). */
export function withAuthType(original: Buffer, authType: number): Buffer {
  const packet = Buffer.from(original);
  packet[headerLengthOf(packet) + AUTH_TYPE_OFFSET] = authType;
  return fixVrrpChecksum(packet);
}

/** The same VRRPv2 advert announcing another advertisement interval (whole seconds). */
export function withAdvertInterval(original: Buffer, seconds: number): Buffer {
  const packet = Buffer.from(original);
  packet[headerLengthOf(packet) + ADVERT_INTERVAL_OFFSET] = seconds;
  return fixVrrpChecksum(packet);
}

/** The same advert with a VRRP checksum that is off by one. */
export function withBrokenChecksum(original: Buffer): Buffer {
  const packet = Buffer.from(original);
  const at = headerLengthOf(packet) + VRRP_CHECKSUM_OFFSET;
  packet.writeUInt16BE((packet.readUInt16BE(at) + 1) & 0xffff, at);
  return packet;
}
