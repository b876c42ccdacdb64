// Pseudo-header sums for checksums that cover the enclosing IP addresses: VRRPv3 over IPv4
// (RFC 5798 §5.2.8, UDP's construction from RFC 768), and anything over IPv6 (RFC 8200 §8.1:
// source, destination, 32-bit upper-layer length, three zero bytes, next header) — VRRP over
// IPv6 and ICMPv6 (RFC 4443 §2.3). Returned unfolded, to seed sumWords() over the message.
// Summed arithmetically so the receive path allocates no buffer.

import { parseIpv4 } from './address.js';
import { parseIpv6 } from './address6.js';
import type { PseudoHeader } from './types.js';

/** IPv4: source, destination, zero, protocol, length. Null if an address is not IPv4 text. */
export function pseudoHeaderSum4(pseudo: PseudoHeader, protocol: number, length: number): number | null {
  const source = parseIpv4(pseudo.source);
  const destination = parseIpv4(pseudo.destination);
  if (!source || !destination) return null;
  const [s0, s1, s2, s3] = source as [number, number, number, number];
  const [d0, d1, d2, d3] = destination as [number, number, number, number];
  return ((s0 << 8) | s1) + ((s2 << 8) | s3) + ((d0 << 8) | d1) + ((d2 << 8) | d3) + protocol + length;
}

/**
 * Word sums of recently seen IPv6 address texts: parsing the text is most of the cost, and a
 * router sees the same few sources and destinations. Bounded and cleared when full.
 */
const addressSums = new Map<string, number>();
const ADDRESS_SUMS_MAX = 1024;

function ipv6WordSum(text: string): number | null {
  let sum = addressSums.get(text);
  if (sum !== undefined) return sum;
  const bytes = parseIpv6(text);
  if (!bytes) return null;
  sum = 0;
  for (let i = 0; i < 16; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (addressSums.size >= ADDRESS_SUMS_MAX) addressSums.clear();
  addressSums.set(text, sum);
  return sum;
}

/** IPv6 (RFC 8200 §8.1). Null if an address is not IPv6 text. */
export function pseudoHeaderSum6(pseudo: PseudoHeader, nextHeader: number, length: number): number | null {
  const source = ipv6WordSum(pseudo.source);
  const destination = ipv6WordSum(pseudo.destination);
  if (source === null || destination === null) return null;
  // The 32-bit length contributes its two 16-bit halves.
  return source + destination + (length >>> 16) + (length & 0xffff) + nextHeader;
}
