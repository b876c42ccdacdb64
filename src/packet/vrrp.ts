// VRRP advertisement codec: version 2 (RFC 3768 §5.1) and version 3 (RFC 5798 §5.1), IPv4.
// encode() never sees wire input (it throws RangeError on a programming error such as VRID 0);
// decode() never throws: every failure is a typed DecodeError.

import { ipv4FromBytes, ipv4ToBytes, parseIpv4 } from './address.js';
import { finishChecksum, sumWords } from './checksum.js';
import {
  DropReason,
  type DecodeResult,
  type DropReasonCode,
  type PseudoHeader,
  type VrrpAdvert,
  type VrrpVersion,
} from './types.js';

export const VRRP_PROTOCOL = 112;
export const VRRP_MULTICAST_GROUP4 = '224.0.0.18';
/** RFC 3768 §5.2.3 / RFC 5798 §5.1.1.3: adverts are sent, and must arrive, with TTL 255. */
export const VRRP_TTL = 255;
export const ADVERT_TYPE = 1;
/** Fixed part before the address list (both versions). */
export const VRRP_HEADER_LENGTH = 8;
/** RFC 3768 §5.3.10: eight bytes of authentication data follow the addresses in v2. */
export const V2_AUTH_DATA_LENGTH = 8;
/** RFC 5798 §5.2.7: the v3 interval is a 12-bit count of centiseconds. */
export const V3_MAX_ADVERT_INTERVAL_CS = 0x0fff;
const IPV4_LENGTH = 4;

function fail(reason: DropReasonCode, detail: string): DecodeResult<never> {
  return { ok: false, reason, detail };
}

/** Length in bytes of an advert carrying `count` IPv4 addresses. */
export function advertLength(version: VrrpVersion, count: number): number {
  return VRRP_HEADER_LENGTH + count * IPV4_LENGTH + (version === 2 ? V2_AUTH_DATA_LENGTH : 0);
}

/** v2 carries whole seconds; the nearest whole second of a centisecond interval. */
export function v2IntervalSeconds(advertIntervalCs: number): number {
  return Math.round(advertIntervalCs / 100);
}

/**
 * RFC 5798 §5.2.8: the v3 checksum also covers an IPv4 pseudo-header (source, destination, zero,
 * protocol 112, VRRP length) — the same construction as UDP's (RFC 768). Summed arithmetically so
 * the receive path allocates no buffer. Returns null if an address is not IPv4 text.
 */
function pseudoHeaderSum(pseudo: PseudoHeader, length: number): number | null {
  const source = parseIpv4(pseudo.source);
  const destination = parseIpv4(pseudo.destination);
  if (!source || !destination) return null;
  const [s0, s1, s2, s3] = source as [number, number, number, number];
  const [d0, d1, d2, d3] = destination as [number, number, number, number];
  return ((s0 << 8) | s1) + ((s2 << 8) | s3) + ((d0 << 8) | d1) + ((d2 << 8) | d3) + VRRP_PROTOCOL + length;
}

function requireRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${value} is outside ${min}..${max}`);
  }
}

/** Encodes an advert. For v3 pass the IP source/destination it will be sent with. */
export function encodeAdvert(advert: VrrpAdvert, pseudo?: PseudoHeader): Buffer {
  const { version } = advert;
  if (version !== 2 && version !== 3) throw new RangeError(`VRRP version ${String(version)} is not 2 or 3`);
  requireRange('type', advert.type, 0, 15);
  // RFC 3768 §5.3.3 / RFC 5798 §5.2.3: VRID 1-255 (0 is not a valid virtual router).
  requireRange('VRID', advert.vrid, 1, 255);
  requireRange('priority', advert.priority, 0, 255);
  requireRange('address count', advert.addresses.length, 0, 255);
  const buf = Buffer.alloc(advertLength(version, advert.addresses.length));
  buf[0] = (version << 4) | advert.type;
  buf[1] = advert.vrid;
  buf[2] = advert.priority;
  buf[3] = advert.addresses.length;
  if (version === 2) {
    requireRange('auth type', advert.authType, 0, 255);
    const seconds = v2IntervalSeconds(advert.advertIntervalCs);
    requireRange('v2 advert interval (s)', seconds, 1, 255);
    buf[4] = advert.authType;
    buf[5] = seconds;
  } else {
    // The top four bits are reserved and MUST be zero (RFC 5798 §5.2.6).
    requireRange('v3 advert interval (cs)', advert.advertIntervalCs, 1, V3_MAX_ADVERT_INTERVAL_CS);
    buf.writeUInt16BE(advert.advertIntervalCs, 4);
  }
  advert.addresses.forEach((address, i) =>
    ipv4ToBytes(address).copy(buf, VRRP_HEADER_LENGTH + i * IPV4_LENGTH),
  );
  let initial = 0;
  if (version === 2) {
    const authOffset = VRRP_HEADER_LENGTH + advert.addresses.length * IPV4_LENGTH;
    advert.authData.copy(buf, authOffset, 0, Math.min(V2_AUTH_DATA_LENGTH, advert.authData.length));
  } else {
    if (!pseudo) throw new RangeError('VRRPv3 checksum needs the IP source and destination');
    const sum = pseudoHeaderSum(pseudo, buf.length);
    if (sum === null) throw new RangeError(`pseudo-header addresses are not IPv4: ${JSON.stringify(pseudo)}`);
    initial = sum;
  }
  buf.writeUInt16BE(finishChecksum(sumWords(buf, initial)), 6);
  return buf;
}

/**
 * Decodes the VRRP part of a packet (the bytes after the IP header), checking the steps of the
 * RFC 3768 §7.1 ladder that need nothing but the bytes, in its order: version, length, checksum,
 * then type (RFC 3768 §5.3.2: unknown types are discarded). Steps that need the receiving
 * instance (VRID, owner, auth, interval, addresses) live in validate.ts.
 *
 * The advert's length is given by its address count; bytes beyond it are ignored and not
 * checksummed (no known sender pads, and zero padding would not change a v2 sum anyway).
 */
export function decodeAdvert(buf: Buffer, pseudo?: PseudoHeader): DecodeResult<VrrpAdvert> {
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
  const expected = advertLength(version, count);
  if (buf.length < expected) {
    return fail(DropReason.length, `advert is ${buf.length} bytes but ${count} addresses need ${expected}`);
  }
  let initial = 0;
  if (version === 3) {
    const sum = pseudo ? pseudoHeaderSum(pseudo, expected) : null;
    if (sum === null)
      return fail(DropReason.checksum, 'VRRPv3 checksum cannot be checked without IP addresses');
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
  for (let i = 0; i < count; i++) addresses[i] = ipv4FromBytes(buf, VRRP_HEADER_LENGTH + i * IPV4_LENGTH);
  const authOffset = VRRP_HEADER_LENGTH + count * IPV4_LENGTH;
  return {
    ok: true,
    value: {
      version,
      type,
      vrid: buf[1]!,
      priority: buf[2]!,
      advertIntervalCs: version === 2 ? buf[5]! * 100 : buf.readUInt16BE(4) & V3_MAX_ADVERT_INTERVAL_CS,
      addresses,
      authType: version === 2 ? buf[4]! : 0,
      // A copy, not a view: receive buffers may be reused by the socket layer.
      authData:
        version === 2
          ? Buffer.from(buf.subarray(authOffset, authOffset + V2_AUTH_DATA_LENGTH))
          : Buffer.alloc(0),
    },
  };
}

/**
 * keepalived's PASS auth data: the password's bytes (as written in the config file, UTF-8),
 * zero-padded or truncated to eight bytes (RFC 3768 §5.3.10).
 */
export function simpleAuthData(password: string): Buffer {
  const data = Buffer.alloc(V2_AUTH_DATA_LENGTH);
  Buffer.from(password, 'utf8').copy(data, 0, 0, V2_AUTH_DATA_LENGTH);
  return data;
}
