// Either family's address text, for code that serves both (the state machine compares primary
// addresses, the daemon picks encoders by family): which family a text is, and the unsigned
// comparison RFC 3768 §6.4.3 / RFC 5798 §6.4.3 use to break priority ties.

import { parseIpv4 } from './address.js';
import { canonicalIpv6, parseIpv6 } from './address6.js';
import type { AddressFamily } from './types.js';

export function addressFamilyOf(text: string): AddressFamily | null {
  if (parseIpv4(text)) return 'ipv4';
  if (parseIpv6(text)) return 'ipv6';
  return null;
}

/** The address's bytes in network order (4 or 16), or null when it is neither family. */
export function addressBytes(text: string): Uint8Array | null {
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from(v4);
  return parseIpv6(text);
}

/**
 * Compares two addresses of one family as unsigned numbers (RFC 3768 §6.4.3 "primary IP address
 * is higher"; RFC 5798 §6.4.3 for IPv6): negative, zero or positive. Throws on text that is not an
 * address or on mixed families — the caller's configuration guarantees neither happens.
 */
export function compareAddresses(a: string, b: string): number {
  const x = addressBytes(a);
  const y = addressBytes(b);
  if (!x || !y || x.length !== y.length) throw new RangeError(`cannot compare addresses ${a} and ${b}`);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** IPv6 in canonical text (what sockets and decoders report); IPv4 unchanged. */
export function canonicalAddress(text: string): string {
  return addressFamilyOf(text) === 'ipv6' ? (canonicalIpv6(text) ?? text) : text;
}
