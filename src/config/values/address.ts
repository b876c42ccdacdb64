// Address and prefix text as it appears in keepalived.conf: `192.0.2.1`, `192.0.2.0/24`,
// `2001:db8::1/64`. Validation only (the packet codec's parsers, inet_pton's rules); values stay as
// written so the dump shows what the user wrote, except IPv6 which is lower-cased for comparisons.

import { addressFamilyOf } from '../../packet/ip-address.js';
import type { AddressFamily } from '../model/types.js';

export function addressFamily(text: string): AddressFamily | null {
  return addressFamilyOf(text);
}

export function maxPrefix(family: AddressFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

export function familyLabel(family: AddressFamily): string {
  return family === 'ipv4' ? 'IPv4' : 'IPv6';
}

export type PrefixParse =
  | { ok: true; address: string; prefix: number | null; family: AddressFamily }
  | { ok: false; message: string };

/** `ADDR` or `ADDR/LEN`; prefix is null when absent so callers can apply their own default. */
export function parseAddressWithPrefix(text: string): PrefixParse {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const family = addressFamily(addressText);
  if (!family) return { ok: false, message: `'${addressText}' is not a valid IPv4 or IPv6 address` };
  const address = family === 'ipv6' ? addressText.toLowerCase() : addressText;
  if (slash === -1) return { ok: true, address, prefix: null, family };
  const prefixText = text.slice(slash + 1);
  const limit = maxPrefix(family);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > limit) {
    return {
      ok: false,
      message: `prefix length '${prefixText}' in '${text}' is not valid for ${familyLabel(family)} (0-${limit})`,
    };
  }
  return { ok: true, address, prefix: Number(prefixText), family };
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8. */
export function isMulticast(address: string, family: AddressFamily): boolean {
  if (family === 'ipv6') return address.toLowerCase().startsWith('ff');
  const firstOctet = Number(address.split('.')[0]);
  return firstOctet >= 224 && firstOctet <= 239;
}

/** RFC 5798 §5.1.2.2: the IPv6 multicast group must be link-local scope (ffX2::). */
export function isLinkLocalMulticast6(address: string): boolean {
  return /^ff[0-9a-f]2:/i.test(address);
}

/**
 * keepalived reads unicast_src_ip, mcast_src_ip and unicast_peer addresses with inet_stosockaddr,
 * which cuts the text at the first '-' (a range) or, failing that, the first '/' (a mask) and uses
 * the address before it: `192.0.2.5-7` is one peer, 192.0.2.5. Returns that address and what was
 * cut off (null when nothing was).
 */
export function stripMaskOrRange(text: string): { address: string; cut: string | null } {
  const at = text.includes('-') ? text.indexOf('-') : text.indexOf('/');
  return at === -1 ? { address: text, cut: null } : { address: text.slice(0, at), cut: text.slice(at) };
}
