// IPv4 address text <-> bytes. Kept tiny and strict: the codec must never throw on wire input,
// so parsing of *configured* addresses (which may be wrong) returns null instead of throwing.

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number[] | null {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== null;
}

export function ipv4ToBytes(text: string): Buffer {
  const octets = parseIpv4(text);
  if (!octets) throw new RangeError(`not an IPv4 address: ${text}`);
  return Buffer.from(octets);
}

export function ipv4FromBytes(buf: Uint8Array, offset = 0): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** Unsigned 32-bit value of an address, for RFC 3768 §6.4.3's "primary IP address is higher" comparison. */
export function ipv4ToNumber(text: string): number {
  const octets = ipv4ToBytes(text);
  return octets.readUInt32BE(0);
}
