// VRRP advertisement codec: version 2 (RFC 3768 §5.1) and version 3 (RFC 5798 §5.1), IPv4.
// encode() never sees wire input; decode() never throws: every failure is a typed DecodeError.

import { ipv4FromBytes, ipv4ToBytes } from './address.js';
import { finishChecksum, internetChecksum, sumWords } from './checksum.js';
import { DropReason, type DecodeResult, type PseudoHeader, type VrrpAdvert } from './types.js';

export const VRRP_PROTOCOL = 112;
export const VRRP_MULTICAST_GROUP4 = '224.0.0.18';
export const ADVERT_TYPE = 1;
/** Fixed part before the address list (both versions). */
export const VRRP_HEADER_LENGTH = 8;
/** RFC 3768 §5.3.10: eight bytes of authentication data follow the addresses in v2. */
export const V2_AUTH_DATA_LENGTH = 8;
const IPV4_LENGTH = 4;

function fail(reason: (typeof DropReason)[keyof typeof DropReason], detail: string): DecodeResult<never> {
  return { ok: false, reason, detail };
}

/** Length in bytes of an advert carrying `count` IPv4 addresses. */
export function advertLength(version: 2 | 3, count: number): number {
  return VRRP_HEADER_LENGTH + count * IPV4_LENGTH + (version === 2 ? V2_AUTH_DATA_LENGTH : 0);
}

/** RFC 5798 §5.2.8: the v3 checksum covers an IPv4 pseudo-header (src, dst, 0, 112, length). */
function pseudoHeaderSum(pseudo: PseudoHeader, length: number): number {
  const header = Buffer.alloc(12);
  ipv4ToBytes(pseudo.source).copy(header, 0);
  ipv4ToBytes(pseudo.destination).copy(header, 4);
  header[9] = VRRP_PROTOCOL;
  header.writeUInt16BE(length, 10);
  return sumWords(header);
}

function checksumOf(buf: Buffer, version: 2 | 3, pseudo?: PseudoHeader): number {
  if (version === 3) {
    if (!pseudo) throw new Error('VRRPv3 checksum needs the IP source and destination');
    return finishChecksum(sumWords(buf, pseudoHeaderSum(pseudo, buf.length)));
  }
  return internetChecksum(buf);
}

/** Encodes an advert. For v3 pass the IP source/destination it will be sent with. */
export function encodeAdvert(advert: VrrpAdvert, pseudo?: PseudoHeader): Buffer {
  const { version } = advert;
  const buf = Buffer.alloc(advertLength(version, advert.addresses.length));
  buf[0] = (version << 4) | (advert.type & 0x0f);
  buf[1] = advert.vrid;
  buf[2] = advert.priority;
  buf[3] = advert.addresses.length;
  if (version === 2) {
    buf[4] = advert.authType;
    buf[5] = Math.round(advert.advertIntervalCs / 100);
  } else {
    buf.writeUInt16BE(advert.advertIntervalCs & 0x0fff, 4);
  }
  advert.addresses.forEach((address, i) =>
    ipv4ToBytes(address).copy(buf, VRRP_HEADER_LENGTH + i * IPV4_LENGTH),
  );
  if (version === 2) {
    const authOffset = VRRP_HEADER_LENGTH + advert.addresses.length * IPV4_LENGTH;
    advert.authData.copy(buf, authOffset, 0, Math.min(V2_AUTH_DATA_LENGTH, advert.authData.length));
  }
  buf.writeUInt16BE(checksumOf(buf, version, pseudo), 6);
  return buf;
}

/**
 * Decodes the VRRP part of a packet (the bytes after the IP header), checking the steps of the
 * ladder that need nothing but the bytes: version, length, checksum, type. Steps that need the
 * receiving instance (VRID, auth, interval, addresses) live in validate.ts.
 */
export function decodeAdvert(buf: Buffer, pseudo?: PseudoHeader): DecodeResult<VrrpAdvert> {
  if (buf.length < VRRP_HEADER_LENGTH) {
    return fail(
      DropReason.length,
      `advert is ${buf.length} bytes, shorter than the ${VRRP_HEADER_LENGTH}-byte header`,
    );
  }
  const version = buf[0]! >> 4;
  if (version !== 2 && version !== 3)
    return fail(DropReason.version, `VRRP version ${version} is not 2 or 3`);
  const count = buf[3]!;
  const expected = advertLength(version, count);
  if (buf.length < expected) {
    return fail(DropReason.length, `advert is ${buf.length} bytes but ${count} addresses need ${expected}`);
  }
  // Trailing bytes beyond the declared addresses are tolerated (some stacks pad); checksum the declared part.
  const body = buf.subarray(0, expected);
  if (version === 3 && !pseudo)
    return fail(DropReason.checksum, 'VRRPv3 checksum cannot be checked without IP addresses');
  const computed = checksumOf(body, version, pseudo);
  if (computed !== 0) {
    return fail(
      DropReason.checksum,
      `checksum 0x${buf.readUInt16BE(6).toString(16).padStart(4, '0')} is wrong`,
    );
  }
  const type = buf[0]! & 0x0f;
  if (type !== ADVERT_TYPE) return fail(DropReason.type, `VRRP type ${type} is not ADVERTISEMENT (1)`);
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) addresses.push(ipv4FromBytes(buf, VRRP_HEADER_LENGTH + i * IPV4_LENGTH));
  const authOffset = VRRP_HEADER_LENGTH + count * IPV4_LENGTH;
  return {
    ok: true,
    value: {
      version,
      type,
      vrid: buf[1]!,
      priority: buf[2]!,
      advertIntervalCs: version === 2 ? buf[5]! * 100 : buf.readUInt16BE(4) & 0x0fff,
      addresses,
      authType: version === 2 ? buf[4]! : 0,
      authData:
        version === 2
          ? Buffer.from(buf.subarray(authOffset, authOffset + V2_AUTH_DATA_LENGTH))
          : Buffer.alloc(0),
    },
  };
}

/** keepalived's PASS auth data: the password's bytes, zero-padded/truncated to eight. */
export function simpleAuthData(password: string): Buffer {
  const data = Buffer.alloc(V2_AUTH_DATA_LENGTH);
  Buffer.from(password, 'latin1').copy(data, 0, 0, V2_AUTH_DATA_LENGTH);
  return data;
}
