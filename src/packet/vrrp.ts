// VRRP advertisement codec: version 2 (RFC 3768 §5.1) and version 3 (RFC 5798 §5.1), over IPv4
// and over IPv6. encode() never sees wire input (it throws RangeError on a programming error such
// as VRID 0); decode() never throws: every failure is a typed DecodeError.
//
// Over IPv6 the addresses are 16 bytes and the checksum always covers the IPv6 pseudo-header
// (RFC 5798 §5.2.8, RFC 8200 §8.1). keepalived 2.2.7 also runs VRRPv2 over IPv6 when an instance
// says `version 2` (outside vrrp_strict): the v2 header, no authentication data, and the kernel's
// IPV6_CHECKSUM over the pseudo-header (captured: test/fixtures/keepalived/v2-ipv6-multicast.hex).

import { ipv4FromBytes, writeIpv4 } from './address.js';
import { IPV6_LENGTH, ipv6FromBytes, ipv6ToBytes } from './address6.js';
import { encodeBytes } from './byte-text.js';
import { finishChecksum, sumWords } from './checksum.js';
import { readU16, writeU16 } from './bytes.js';
import { pseudoHeaderSum4, pseudoHeaderSum6 } from './pseudo-header.js';
import {
  DropReason,
  type AddressFamily,
  type DecodeResult,
  type DropReasonCode,
  type PseudoHeader,
  type VrrpAdvert,
  type VrrpVersion,
} from './types.js';

export const VRRP_PROTOCOL = 112;
export const VRRP_MULTICAST_GROUP4 = '224.0.0.18';
/** RFC 5798 §5.1.2.2: the IPv6 VRRP group, link-local scope. */
export const VRRP_MULTICAST_GROUP6 = 'ff02::12';
/** RFC 3768 §5.2.3 / RFC 5798 §5.1.1.3, §5.1.2.3: sent, and checked, with TTL / hop limit 255. */
export const VRRP_TTL = 255;
export const ADVERT_TYPE = 1;
/** Fixed part before the address list (both versions). */
export const VRRP_HEADER_LENGTH = 8;
/** RFC 3768 §5.3.10: eight bytes of authentication data follow the addresses in v2 over IPv4. */
export const V2_AUTH_DATA_LENGTH = 8;
/** RFC 3768 §5.3.7: the v2 interval is one byte of seconds. */
export const V2_MAX_ADVERT_INTERVAL_S = 255;
/** RFC 5798 §5.2.7: the v3 interval is a 12-bit count of centiseconds. */
export const V3_MAX_ADVERT_INTERVAL_CS = 0x0fff;
const IPV4_LENGTH = 4;

/** What differs between the two families: address size, auth data, the pseudo-header. */
interface FamilyCodec {
  family: AddressFamily;
  addressLength: number;
  /** Bytes of v2 authentication data after the addresses. */
  v2AuthDataLength: number;
  writeAddress(address: string, buf: Buffer, offset: number): void;
  readAddress(buf: Buffer, offset: number): string;
  /** Unfolded pseudo-header sum, or null if the addresses are not of this family. */
  pseudoSum(pseudo: PseudoHeader, length: number): number | null;
  /** Whether the checksum of this version covers the pseudo-header. */
  usesPseudoHeader(version: VrrpVersion): boolean;
}

const IPV4_CODEC: FamilyCodec = {
  family: 'ipv4',
  addressLength: IPV4_LENGTH,
  v2AuthDataLength: V2_AUTH_DATA_LENGTH,
  writeAddress: (address, buf, offset) => writeIpv4(address, buf, offset),
  readAddress: (buf, offset) => ipv4FromBytes(buf, offset),
  // RFC 5798 §5.2.8: the UDP-style pseudo-header (RFC 768).
  pseudoSum: (pseudo, length) => pseudoHeaderSum4(pseudo, VRRP_PROTOCOL, length),
  // RFC 3768 §5.3.8: the v2 checksum covers the VRRP message only.
  usesPseudoHeader: (version) => version === 3,
};

const IPV6_CODEC: FamilyCodec = {
  family: 'ipv6',
  addressLength: IPV6_LENGTH,
  v2AuthDataLength: 0,
  writeAddress: (address, buf, offset) => void ipv6ToBytes(address).copy(buf, offset),
  readAddress: (buf, offset) => ipv6FromBytes(buf, offset),
  pseudoSum: (pseudo, length) => pseudoHeaderSum6(pseudo, VRRP_PROTOCOL, length),
  // RFC 8200 §8.1: upper-layer checksums over IPv6 include the pseudo-header, v2 as well.
  usesPseudoHeader: () => true,
};

function codecOf(family: AddressFamily): FamilyCodec {
  return family === 'ipv6' ? IPV6_CODEC : IPV4_CODEC;
}

function fail(reason: DropReasonCode, detail: string): DecodeResult<never> {
  return { ok: false, reason, detail };
}

/** Length in bytes of an advert carrying `count` addresses of `family`. */
export function advertLength(version: VrrpVersion, count: number, family: AddressFamily = 'ipv4'): number {
  const codec = codecOf(family);
  return VRRP_HEADER_LENGTH + count * codec.addressLength + (version === 2 ? codec.v2AuthDataLength : 0);
}

/** v2 carries whole seconds; the nearest whole second of a centisecond interval. */
export function v2IntervalSeconds(advertIntervalCs: number): number {
  return Math.round(advertIntervalCs / 100);
}

function requireRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${value} is outside ${min}..${max}`);
  }
}

function encodeFor(codec: FamilyCodec, advert: VrrpAdvert, pseudo: PseudoHeader | undefined): Buffer {
  const { version } = advert;
  if (version !== 2 && version !== 3) throw new RangeError(`VRRP version ${String(version)} is not 2 or 3`);
  requireRange('type', advert.type, 0, 15);
  // RFC 3768 §5.3.3 / RFC 5798 §5.2.3: VRID 1-255 (0 is not a valid virtual router).
  requireRange('VRID', advert.vrid, 1, 255);
  requireRange('priority', advert.priority, 0, 255);
  requireRange('address count', advert.addresses.length, 0, 255);
  const count = advert.addresses.length;
  const buf = Buffer.alloc(advertLength(version, count, codec.family));
  buf[0] = (version << 4) | advert.type;
  buf[1] = advert.vrid;
  buf[2] = advert.priority;
  buf[3] = count;
  if (version === 2) {
    requireRange('auth type', advert.authType, 0, 255);
    const seconds = v2IntervalSeconds(advert.advertIntervalCs);
    requireRange('v2 advert interval (s)', seconds, 1, V2_MAX_ADVERT_INTERVAL_S);
    buf[4] = advert.authType;
    buf[5] = seconds;
  } else {
    // The top four bits are reserved and MUST be zero (RFC 5798 §5.2.6).
    requireRange('v3 advert interval (cs)', advert.advertIntervalCs, 1, V3_MAX_ADVERT_INTERVAL_CS);
    writeU16(buf, advert.advertIntervalCs, 4);
  }
  advert.addresses.forEach((address, i) =>
    codec.writeAddress(address, buf, VRRP_HEADER_LENGTH + i * codec.addressLength),
  );
  if (version === 2 && codec.v2AuthDataLength > 0) {
    const authOffset = VRRP_HEADER_LENGTH + count * codec.addressLength;
    advert.authData.copy(buf, authOffset, 0, Math.min(codec.v2AuthDataLength, advert.authData.length));
  }
  let initial = 0;
  if (codec.usesPseudoHeader(version)) {
    if (!pseudo) throw new RangeError(`VRRPv${version} checksum needs the IP source and destination`);
    const sum = codec.pseudoSum(pseudo, buf.length);
    if (sum === null) {
      throw new RangeError(`pseudo-header addresses are not ${codec.family}: ${JSON.stringify(pseudo)}`);
    }
    initial = sum;
  }
  writeU16(buf, finishChecksum(sumWords(buf, initial)), 6);
  return buf;
}

/** Encodes an advert for IPv4. For v3 pass the IP source/destination it will be sent with. */
export function encodeAdvert(advert: VrrpAdvert, pseudo?: PseudoHeader): Buffer {
  return encodeFor(IPV4_CODEC, advert, pseudo);
}

/**
 * Encodes an advert for IPv6 (16-byte addresses), checksummed over the pseudo-header of the
 * source and destination it will be sent with: the interface's link-local address (or the
 * configured unicast_src_ip) and ff02::12 or the unicast peer.
 */
export function encodeAdvert6(advert: VrrpAdvert, pseudo: PseudoHeader): Buffer {
  return encodeFor(IPV6_CODEC, advert, pseudo);
}

function decodeFor(
  codec: FamilyCodec,
  buf: Buffer,
  pseudo: PseudoHeader | undefined,
): DecodeResult<VrrpAdvert> {
  if (buf.length === 0) return fail(DropReason.length, 'advert is empty');
  const version = buf[0]! >> 4;
  if (version !== 2 && version !== 3)
    return fail(DropReason.version, `VRRP version ${version} is not 2 or 3`);
  if (buf.length < VRRP_HEADER_LENGTH) {
    return fail(
      DropReason.length,
      `advert is ${buf.length} bytes, shorter than the ${VRRP_HEADER_LENGTH}-byte header`,
    );
  }
  const count = buf[3]!;
  const expected = advertLength(version, count, codec.family);
  if (buf.length < expected) {
    return fail(DropReason.length, `advert is ${buf.length} bytes but ${count} addresses need ${expected}`);
  }
  let initial = 0;
  if (codec.usesPseudoHeader(version)) {
    const sum = pseudo ? codec.pseudoSum(pseudo, expected) : null;
    if (sum === null) {
      return fail(DropReason.checksum, `VRRPv${version} checksum cannot be checked without IP addresses`);
    }
    initial = sum;
  }
  if (finishChecksum(sumWords(buf, initial, 0, expected)) !== 0) {
    return fail(
      DropReason.checksum,
      `checksum 0x${buf.readUInt16BE(6).toString(16).padStart(4, '0')} is wrong`,
    );
  }
  const type = buf[0]! & 0x0f;
  if (type !== ADVERT_TYPE) return fail(DropReason.type, `VRRP type ${type} is not ADVERTISEMENT (1)`);
  const addresses: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    addresses[i] = codec.readAddress(buf, VRRP_HEADER_LENGTH + i * codec.addressLength);
  }
  const authOffset = VRRP_HEADER_LENGTH + count * codec.addressLength;
  return {
    ok: true,
    value: {
      version,
      type,
      vrid: buf[1]!,
      priority: buf[2]!,
      advertIntervalCs: version === 2 ? buf[5]! * 100 : readU16(buf, 4) & V3_MAX_ADVERT_INTERVAL_CS,
      addresses,
      authType: version === 2 ? buf[4]! : 0,
      // A copy, not a view: receive buffers may be reused by the socket layer.
      authData:
        version === 2 && codec.v2AuthDataLength > 0
          ? Buffer.from(buf.subarray(authOffset, authOffset + codec.v2AuthDataLength))
          : Buffer.alloc(0),
    },
  };
}

/**
 * Decodes the VRRP part of an IPv4 packet (the bytes after the IP header), checking the steps of
 * the RFC 3768 §7.1 ladder that need nothing but the bytes, in its order: version, length,
 * checksum, then type (RFC 3768 §5.3.2: unknown types are discarded). Steps that need the
 * receiving instance (VRID, owner, auth, interval, addresses) live in validate.ts.
 *
 * The advert's length is given by its address count; bytes beyond it are ignored and not
 * checksummed (no known sender pads, and zero padding would not change a v2 sum anyway).
 */
/** Whether two adverts encode to the same bytes (for the same source and destination). */
export function sameAdvert(a: VrrpAdvert, b: VrrpAdvert): boolean {
  if (
    a.version !== b.version ||
    a.type !== b.type ||
    a.vrid !== b.vrid ||
    a.priority !== b.priority ||
    a.advertIntervalCs !== b.advertIntervalCs ||
    a.authType !== b.authType ||
    a.addresses.length !== b.addresses.length ||
    !a.authData.equals(b.authData)
  ) {
    return false;
  }
  return a.addresses.every((address, i) => address === b.addresses[i]);
}

export function decodeAdvert(buf: Buffer, pseudo?: PseudoHeader): DecodeResult<VrrpAdvert> {
  return decodeFor(IPV4_CODEC, buf, pseudo);
}

/**
 * Decodes a VRRP message received over IPv6 (what follows the IPv6 header), the same steps as
 * decodeAdvert with 16-byte addresses and the IPv6 pseudo-header in the checksum. The socket
 * does not ask the kernel to check the checksum (no IPV6_CHECKSUM) so that a bad one is counted
 * and logged here as `checksum`, like IPv4's, instead of vanishing in the kernel.
 */
export function decodeAdvert6(buf: Buffer, pseudo: PseudoHeader): DecodeResult<VrrpAdvert> {
  return decodeFor(IPV6_CODEC, buf, pseudo);
}

/**
 * keepalived's PASS auth data: the password's bytes as written in the config file (raw bytes kept,
 * see byte-text.ts), zero-padded or truncated to eight bytes (RFC 3768 §5.3.10).
 */
export function simpleAuthData(password: string): Buffer {
  let field = authFields.get(password);
  if (!field) {
    field = Buffer.alloc(V2_AUTH_DATA_LENGTH);
    encodeBytes(password).copy(field, 0, 0, V2_AUTH_DATA_LENGTH);
    if (authFields.size >= AUTH_FIELDS_MAX) authFields.clear();
    authFields.set(password, field);
  }
  // A copy: the caller owns what it gets.
  return Buffer.from(field);
}

/**
 * The 8-byte field of each password in use: every advert sent or received needs it, and encoding
 * the text each time (raw-byte characters included) was a tenth of the idle daemon's allocations
 * (issue 15). Bounded: passwords come from the configuration only.
 */
const authFields = new Map<string, Buffer>();
const AUTH_FIELDS_MAX = 256;
