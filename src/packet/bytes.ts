// Big-endian reads and writes for the advert path. Buffer.writeUInt16BE(value, offset) checks its offset
// through a wrapper that allocates an argument array on every call in node 20: at one advert per
// instance per second that was a tenth of what an idle daemon allocated (issue 15). Callers pass
// values already in range (header fields, checksums).

export function writeU16(target: Uint8Array, value: number, offset: number): void {
  target[offset] = (value >>> 8) & 0xff;
  target[offset + 1] = value & 0xff;
}

/** The caller has checked that offset + 2 is within the buffer (the decoders check lengths first). */
export function readU16(source: Uint8Array, offset: number): number {
  return (source[offset]! << 8) | source[offset + 1]!;
}
