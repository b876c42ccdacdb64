// IPsec Authentication Header for VRRPv2 over IPv4, as keepalived implements `auth_type AH`
// (RFC 2338 §5.3.6.3 names AH; the header is RFC 2402 §2, the ICV HMAC-MD5-96 of RFC 2403).
// There is no security association: keepalived's own conventions, which this file follows byte
// for byte (checked against captures in test/fixtures/keepalived/v2-ah-*.hex):
//  - the key is the 8 zero-padded auth_pass bytes (never longer, never sent);
//  - SPI = the sender's IPv4 address; the sequence number is the instance's counter;
//  - the ICV is HMAC-MD5 over IP header ‖ AH ‖ VRRP, truncated to 12 bytes, with the IP TOS,
//    flags/fragment offset and header checksum zeroed, the ICV field zeroed, and the TTL zeroed
//    only by *unicast* instances (routers may decrement it; multicast ones hash TTL 255);
//  - the VRRP part carries auth type 2 and eight zero auth-data bytes.
// Pure: no I/O. encode*() throws RangeError on programming errors; read/verify never throw.

import { nodeCrypto } from './lazy-crypto.js';
import { ipv4FromBytes, ipv4ToBytes } from './address.js';
import { TOS_INTERNETWORK_CONTROL, encodeIpv4Header, IPV4_MIN_HEADER_LENGTH } from './ipv4.js';
import { DropReason, type DecodeResult } from './types.js';
import { V2_AUTH_DATA_LENGTH, VRRP_PROTOCOL, VRRP_TTL, simpleAuthData } from './vrrp.js';

/** IPPROTO_AH: the IP protocol of keepalived's AH adverts (and of the socket that receives them). */
export const IPSEC_AH_PROTOCOL = 51;
/** next header, payload length, reserved, SPI, sequence number, 12-byte ICV. */
export const AH_HEADER_LENGTH = 24;
/** HMAC-MD5-96 (RFC 2403 §3): the first 96 bits of the MD5 HMAC. */
export const AH_ICV_LENGTH = 12;
/** RFC 2402 §2.2: AH length in 32-bit words minus 2 = (24 / 4) - 2. */
export const AH_PAYLOAD_LENGTH = 4;
const ICV_OFFSET = 12;
/** Largest sequence number keepalived increments past (vrrp.c: "cycled" above 0xFFFFFFFD). */
export const AH_SEQUENCE_LIMIT = 0xfffffffd;

/** The HMAC key: keepalived's 8 auth bytes (auth_pass, UTF-8, zero-padded or truncated to 8). */
export function ahKey(password: string): Buffer {
  return simpleAuthData(password);
}

export interface AhHeader {
  nextHeader: number;
  /** The AH length field (4 for keepalived's 24-byte header). */
  payloadLength: number;
  /** As on the wire; keepalived puts the sender's IPv4 address here. */
  spi: string;
  sequence: number;
  icv: Buffer;
}

export interface AhPacketFields {
  source: string;
  destination: string;
  /** keepalived's per-instance IP id counter (1, 2, 3…): the ICV covers it, so never 0. */
  identification: number;
  /** 255, or unicast_ttl for unicast peers. */
  ttl?: number;
  tos?: number;
  /** A unicast instance zeroes the TTL in the ICV (it may change on the way). */
  unicast: boolean;
  sequence: number;
  /** ahKey(auth_pass). */
  key: Buffer;
  /** The encoded VRRPv2 advert (auth type 2, zero auth data: see vrrpPartForAh). */
  vrrp: Buffer;
}

/**
 * Zeroes, in a copy of `ipHeader ‖ AH`, what keepalived leaves out of the ICV. The copy is what
 * gets hashed; `ipHeaderLength` may exceed 20 (options are hashed as received).
 */
function mutableFieldsZeroed(headers: Buffer, ipHeaderLength: number, unicast: boolean): Buffer {
  const copy = Buffer.from(headers);
  copy[1] = 0; // TOS
  copy.writeUInt16BE(0, 6); // flags + fragment offset
  copy.writeUInt16BE(0, 10); // header checksum (the kernel fills it after the ICV is made)
  if (unicast) copy[8] = 0; // TTL
  copy.fill(0, ipHeaderLength + ICV_OFFSET, ipHeaderLength + ICV_OFFSET + AH_ICV_LENGTH);
  return copy;
}

/** The 12-byte ICV of a whole IPv4+AH+VRRP packet (its own ICV field is ignored). */
export function computeAhIcv(packet: Buffer, ipHeaderLength: number, key: Buffer, unicast: boolean): Buffer {
  const headersEnd = ipHeaderLength + AH_HEADER_LENGTH;
  const hmac = nodeCrypto().createHmac('md5', key);
  hmac.update(mutableFieldsZeroed(packet.subarray(0, headersEnd), ipHeaderLength, unicast));
  hmac.update(packet.subarray(headersEnd));
  return hmac.digest().subarray(0, AH_ICV_LENGTH);
}

function requireRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`AH ${name} ${value} is outside 0..${max}`);
  }
}

/**
 * The whole IPv4 packet keepalived sends for an AH instance: IP header (protocol 51, TOS 0xC0),
 * AH header with the ICV filled in, then the VRRP advert. Send it with IP_HDRINCL as it is; the
 * kernel only adds the header checksum.
 */
export function encodeAhPacket(fields: AhPacketFields): Buffer {
  requireRange('sequence number', fields.sequence, 0xffffffff);
  if (fields.identification === 0) throw new RangeError('AH adverts need a non-zero IP identification');
  if (fields.key.length === 0) throw new RangeError('AH needs a key');
  const ip = encodeIpv4Header({
    source: fields.source,
    destination: fields.destination,
    ttl: fields.ttl ?? VRRP_TTL,
    tos: fields.tos ?? TOS_INTERNETWORK_CONTROL,
    protocol: IPSEC_AH_PROTOCOL,
    payloadLength: AH_HEADER_LENGTH + fields.vrrp.length,
    identification: fields.identification,
  });
  const ah = Buffer.alloc(AH_HEADER_LENGTH);
  ah[0] = VRRP_PROTOCOL;
  ah[1] = AH_PAYLOAD_LENGTH;
  ipv4ToBytes(fields.source).copy(ah, 4);
  ah.writeUInt32BE(fields.sequence, 8);
  const packet = Buffer.concat([ip, ah, fields.vrrp]);
  computeAhIcv(packet, IPV4_MIN_HEADER_LENGTH, fields.key, fields.unicast).copy(
    packet,
    IPV4_MIN_HEADER_LENGTH + ICV_OFFSET,
  );
  return packet;
}

/**
 * Reads the AH header at the start of an IP payload and returns it with the VRRP bytes after it.
 * Refuses (`ah_header`) what keepalived's AH never is: too short, another next header, or a
 * length field other than 4 (keepalived does not check that field; it always sends 4).
 */
export function readAhHeader(payload: Buffer): DecodeResult<{ header: AhHeader; vrrp: Buffer }> {
  if (payload.length < AH_HEADER_LENGTH) {
    return {
      ok: false,
      reason: DropReason.ahHeader,
      detail: `AH packet is ${payload.length} bytes after the IP header, shorter than the ${AH_HEADER_LENGTH}-byte AH header`,
    };
  }
  const nextHeader = payload[0]!;
  if (nextHeader !== VRRP_PROTOCOL) {
    return {
      ok: false,
      reason: DropReason.ahHeader,
      detail: `AH next header ${nextHeader} is not VRRP (112)`,
    };
  }
  const payloadLength = payload[1]!;
  if (payloadLength !== AH_PAYLOAD_LENGTH) {
    return {
      ok: false,
      reason: DropReason.ahHeader,
      detail: `AH length field ${payloadLength} is not ${AH_PAYLOAD_LENGTH} (HMAC-MD5-96)`,
    };
  }
  return {
    ok: true,
    value: {
      header: {
        nextHeader,
        payloadLength,
        spi: ipv4FromBytes(payload, 4),
        sequence: payload.readUInt32BE(8),
        icv: Buffer.from(payload.subarray(ICV_OFFSET, ICV_OFFSET + AH_ICV_LENGTH)),
      },
      vrrp: payload.subarray(AH_HEADER_LENGTH),
    },
  };
}

/** Constant-time comparison of the packet's ICV with the one it should carry. */
export function ahIcvMatches(packet: Buffer, ipHeaderLength: number, key: Buffer, unicast: boolean): boolean {
  if (packet.length < ipHeaderLength + AH_HEADER_LENGTH) return false;
  const expected = computeAhIcv(packet, ipHeaderLength, key, unicast);
  const start = ipHeaderLength + ICV_OFFSET;
  let difference = 0;
  for (let i = 0; i < AH_ICV_LENGTH; i++) difference |= expected[i]! ^ packet[start + i]!;
  return difference === 0;
}

/** The auth data of the VRRP part of an AH advert: eight zero bytes (the password is never sent). */
export function ahVrrpAuthData(): Buffer {
  return Buffer.alloc(V2_AUTH_DATA_LENGTH);
}
