// RFC 1071 Internet checksum: one's-complement sum of 16-bit big-endian words.

/**
 * Adds `buf[start..end)` into a running 32-bit one's-complement accumulator (not yet folded).
 * The range lets the receive path sum part of a packet without allocating a subarray view.
 */
export function sumWords(buf: Uint8Array, initial = 0, start = 0, end = buf.length): number {
  let sum = initial;
  const evenEnd = start + ((end - start) & ~1);
  for (let i = start; i < evenEnd; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if ((end - start) & 1) sum += buf[end - 1]! << 8;
  return sum;
}

/** Folds carries and complements: the value to put in a checksum field. */
export function finishChecksum(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + (folded >>> 16);
  return ~folded & 0xffff;
}

export function internetChecksum(buf: Uint8Array, initial = 0, start = 0, end = buf.length): number {
  return finishChecksum(sumWords(buf, initial, start, end));
}
