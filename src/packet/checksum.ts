// RFC 1071 Internet checksum: one's-complement sum of 16-bit big-endian words.

/** Adds `buf` into a running 32-bit one's-complement accumulator (not yet folded). */
export function sumWords(buf: Uint8Array, initial = 0): number {
  let sum = initial;
  const evenLength = buf.length & ~1;
  for (let i = 0; i < evenLength; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (buf.length & 1) sum += buf[buf.length - 1]! << 8;
  return sum;
}

/** Folds carries and complements: the value to put in a checksum field. */
export function finishChecksum(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + (folded >>> 16);
  return ~folded & 0xffff;
}

export function internetChecksum(buf: Uint8Array, initial = 0): number {
  return finishChecksum(sumWords(buf, initial));
}
