// Raw netlink attributes (struct nlattr / rtattr: u16 length, u16 type, payload, padded to 4
// bytes; netlink(7)) for the nested attributes the `netlink` package hands over as plain Buffers:
// IFLA_LINKINFO (macvlan creation), IFLA_AF_SPEC, RTA_MULTIPATH's rtnexthop entries. Integers are
// in host byte order, as netlink wants. Pure; parse never throws on malformed input.

import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';
const HEADER = 4;

/** NLA_ALIGN: attributes start on 4-byte boundaries. */
export function align4(length: number): number {
  return (length + 3) & ~3;
}

export function u8(value: number): Buffer {
  return Buffer.from([value & 0xff]);
}

export function u16(value: number): Buffer {
  const buf = Buffer.alloc(2);
  if (LITTLE_ENDIAN) buf.writeUInt16LE(value);
  else buf.writeUInt16BE(value);
  return buf;
}

export function u32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  if (LITTLE_ENDIAN) buf.writeUInt32LE(value >>> 0);
  else buf.writeUInt32BE(value >>> 0);
  return buf;
}

export function i32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  if (LITTLE_ENDIAN) buf.writeInt32LE(value);
  else buf.writeInt32BE(value);
  return buf;
}

export function readU16(buf: Buffer, offset = 0): number {
  return LITTLE_ENDIAN ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

export function readU32(buf: Buffer, offset = 0): number {
  return LITTLE_ENDIAN ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

export function readI32(buf: Buffer, offset = 0): number {
  return LITTLE_ENDIAN ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

/** A NUL-terminated string payload (IFLA_INFO_KIND and friends). */
export function cString(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.alloc(1)]);
}

/** One attribute, padded; the length field counts the header and payload, not the padding. */
export function attribute(type: number, payload: Buffer): Buffer {
  const buf = Buffer.alloc(align4(HEADER + payload.length));
  const length = HEADER + payload.length;
  if (LITTLE_ENDIAN) {
    buf.writeUInt16LE(length, 0);
    buf.writeUInt16LE(type, 2);
  } else {
    buf.writeUInt16BE(length, 0);
    buf.writeUInt16BE(type, 2);
  }
  payload.copy(buf, HEADER);
  return buf;
}

/** An attribute whose payload is other attributes. */
export function nested(type: number, children: readonly Buffer[]): Buffer {
  return attribute(type, Buffer.concat(children));
}

/** Attributes of a payload, by type (the last one wins on duplicates; NLA_F_NESTED masked). */
export function parseAttributes(payload: Buffer): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  let offset = 0;
  while (offset + HEADER <= payload.length) {
    const length = readU16(payload, offset);
    if (length < HEADER || offset + length > payload.length) break;
    const type = readU16(payload, offset + 2) & 0x3fff;
    found.set(type, payload.subarray(offset + HEADER, offset + length));
    offset += align4(length);
  }
  return found;
}

/** The text of a NUL-terminated string attribute. */
export function readCString(payload: Buffer): string {
  const end = payload.indexOf(0);
  return payload.subarray(0, end < 0 ? payload.length : end).toString('utf8');
}
