// Big-endian writes for the send path. Buffer.writeUInt16BE(value, offset) checks its offset
// through a wrapper that allocates an argument array on every call in node 20: at one advert per
// instance per second that was a tenth of what an idle daemon allocated (issue 15). Callers pass
// values already in range (header fields, checksums).

export function writeU16(target: Uint8Array, value: number, offset: number): void {
  target[offset] = (value >>> 8) & 0xff;
  target[offset + 1] = value & 0xff;
}
