// IPv4 address text <-> bytes. Kept tiny and strict: the codec must never throw on wire input,
// so parsing of *configured* addresses (which may be wrong) returns null instead of throwing.

// One to three digits, no leading zero (like inet_pton, which keepalived uses): "010" is
// ambiguous (octal under inet_aton) so it is rejected rather than guessed.
const OCTET = '(0|[1-9]\\d{0,2})';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Values of recently parsed address texts (-1: not an address). Every advert sent parses its source
 * and destination (issue 15: the regular expression and its arrays were a sixth of what the daemon
 * allocated while idle); the texts are the same few. Bounded and cleared when full.
 */
const recentAddressValues = new Map<string, number>();
const RECENT_ADDRESS_VALUES_MAX = 1024;

/** The address's unsigned 32-bit value, or -1 when the text is not a dotted quad. */
function ipv4Value(text: string): number {
  let value = recentAddressValues.get(text);
  if (value === undefined) {
    const m = DOTTED_QUAD.exec(text);
    const octets = m ? m.slice(1, 5).map(Number) : null;
    value =
      octets && octets.every((o) => o <= 255)
        ? ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0
        : -1;
    if (recentAddressValues.size >= RECENT_ADDRESS_VALUES_MAX) recentAddressValues.clear();
    recentAddressValues.set(text, value);
  }
  return value;
}

export function parseIpv4(text: string): number[] | null {
  const value = ipv4Value(text);
  return value < 0 ? null : [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

export function isIpv4(text: string): boolean {
  return ipv4Value(text) >= 0;
}

export function ipv4ToBytes(text: string): Buffer {
  const bytes = Buffer.alloc(4);
  writeIpv4(text, bytes, 0);
  return bytes;
}

/** Writes the address's four bytes at `offset` (no allocation); throws when it is not IPv4. */
export function writeIpv4(text: string, target: Buffer, offset: number): void {
  const value = ipv4Value(text);
  if (value < 0) throw new RangeError(`not an IPv4 address: ${text}`);
  // By hand: Buffer's write methods allocate an argument array per call in node 20.
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
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
  const value = ipv4Value(text);
  if (value < 0) throw new RangeError(`not an IPv4 address: ${text}`);
  return value;
}

/** 224.0.0.0/4 (RFC 5771): VRRP's 224.0.0.18 and any other group. */
export function isMulticastIpv4(text: string): boolean {
  const value = ipv4Value(text);
  return value >= 0 && value >>> 28 === 0xe;
}
