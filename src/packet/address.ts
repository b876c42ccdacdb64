// IPv4 address text <-> bytes. Kept tiny and strict: the codec must never throw on wire input,
// so parsing of *configured* addresses (which may be wrong) returns null instead of throwing.

// One to three digits, no leading zero (like inet_pton, which keepalived uses): "010" is
// ambiguous (octal under inet_aton) so it is rejected rather than guessed.
const OCTET = '(0|[1-9]\\d{0,2})';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

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

/**
 * Texts of recently seen addresses, by their 32-bit value: the receive path reads two or more per
 * packet, nearly always the same few (peers, VIPs, 224.0.0.18), and building the text costs more
 * than looking it up. Bounded and cleared when full, so spoofed sources cannot grow it.
 */
const recentAddressTexts = new Map<number, string>();
const RECENT_ADDRESS_TEXTS_MAX = 1024;

export function ipv4FromBytes(buf: Uint8Array, offset = 0): string {
  if (offset < 0 || offset + 4 > buf.length) {
    return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  }
  const value =
    ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
  let text = recentAddressTexts.get(value);
  if (text === undefined) {
    text = `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
    if (recentAddressTexts.size >= RECENT_ADDRESS_TEXTS_MAX) recentAddressTexts.clear();
    recentAddressTexts.set(value, text);
  }
  return text;
}

/** Unsigned 32-bit value of an address, for RFC 3768 §6.4.3's "primary IP address is higher" comparison. */
export function ipv4ToNumber(text: string): number {
  const octets = ipv4ToBytes(text);
  return octets.readUInt32BE(0);
}

/** 224.0.0.0/4 (RFC 5771): VRRP's 224.0.0.18 and any other group. */
export function isMulticastIpv4(text: string): boolean {
  const octets = parseIpv4(text);
  return octets !== null && octets[0]! >= 224 && octets[0]! <= 239;
}
