// IPv6 address text <-> bytes (RFC 4291 §2.2 text forms). Like address.ts: parsing configured or
// received text returns null instead of throwing, and only the *ToBytes form throws RangeError.
//
// Text is canonical the way glibc's inet_ntop(3) writes it, which is RFC 5952 (lower case, no
// leading zeros, the longest run of two or more zero groups shortened to "::", the first such
// run on a tie) plus inet_ntop's dotted tail for ::ffff:a.b.c.d and ::a.b.c.d. The native socket
// reports received addresses with inet_ntop, so an address decoded here from an advert and the
// same address reported by the kernel compare equal as strings.

export const IPV6_LENGTH = 16;

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DOTTED_TAIL = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Up to 8 hex groups (and maybe a dotted IPv4 tail) of one side of "::", as 16-bit words. */
function parseGroups(text: string, allowDottedTail: boolean): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowDottedTail && i === parts.length - 1 && part.includes('.')) {
      const m = DOTTED_TAIL.exec(part);
      if (!m) return null;
      const octets = m.slice(1, 5).map(Number);
      // inet_pton rejects leading zeros in the dotted tail as it does in plain IPv4.
      if (m.slice(1, 5).some((o) => o.length > 1 && o.startsWith('0'))) return null;
      if (octets.some((o) => o > 255)) return null;
      words.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      continue;
    }
    if (!HEX_GROUP.test(part)) return null;
    words.push(parseInt(part, 16));
  }
  return words;
}

/**
 * Parses IPv6 text into its 16 bytes, or null. Accepts every RFC 4291 §2.2 form ("::", a dotted
 * IPv4 tail, upper case). A zone ("fe80::1%eth0") is not an address and is rejected.
 */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > 45) return null;
  const doubleColon = text.indexOf('::');
  let words: number[];
  if (doubleColon === -1) {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return null;
    words = all;
  } else {
    if (text.indexOf('::', doubleColon + 1) !== -1) return null;
    const head = parseGroups(text.slice(0, doubleColon), false);
    const tail = parseGroups(text.slice(doubleColon + 2), true);
    // "::" stands for at least one zero group.
    if (!head || !tail || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes = new Uint8Array(IPV6_LENGTH);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = words[i]! >> 8;
    bytes[2 * i + 1] = words[i]! & 0xff;
  }
  return bytes;
}

export function isIpv6(text: string): boolean {
  return parseIpv6(text) !== null;
}

export function ipv6ToBytes(text: string): Buffer {
  const bytes = parseIpv6(text);
  if (!bytes) throw new RangeError(`not an IPv6 address: ${text}`);
  return Buffer.from(bytes);
}

/**
 * Texts of recently seen addresses by their hex: adverts carry the same few VIPs every second.
 * Bounded and cleared when full, so a flood of spoofed addresses cannot grow it.
 */
const recentTexts = new Map<string, string>();
const RECENT_TEXTS_MAX = 1024;

function formatWords(words: readonly number[]): string {
  // Longest run of two or more zero words; the first one on a tie (RFC 5952 §4.2.3).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  // inet_ntop's IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) forms.
  const dotted =
    bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))
      ? `${words[6]! >> 8}.${words[6]! & 0xff}.${words[7]! >> 8}.${words[7]! & 0xff}`
      : null;
  let text = '';
  const end = dotted ? 6 : 8;
  for (let i = 0; i < end; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += words[i]!.toString(16);
  }
  if (dotted) text += (text.endsWith(':') ? '' : ':') + dotted;
  return text;
}

/** Canonical text of the 16 bytes at `offset` (see the header comment). */
export function ipv6FromBytes(buf: Uint8Array, offset = 0): string {
  if (offset < 0 || offset + IPV6_LENGTH > buf.length) {
    throw new RangeError(`no IPv6 address at offset ${offset} of a ${buf.length}-byte buffer`);
  }
  let key = '';
  for (let i = 0; i < IPV6_LENGTH; i++) key += buf[offset + i]!.toString(16).padStart(2, '0');
  let text = recentTexts.get(key);
  if (text === undefined) {
    const words: number[] = [];
    for (let i = 0; i < 8; i++) words.push((buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!);
    text = formatWords(words);
    if (recentTexts.size >= RECENT_TEXTS_MAX) recentTexts.clear();
    recentTexts.set(key, text);
  }
  return text;
}

/**
 * The canonical text of an address written any valid way ("2001:DB8:0:0::1" → "2001:db8::1"),
 * or null. Configured VIPs and peers must go through this before they are compared with
 * addresses decoded from adverts or reported by the kernel.
 */
export function canonicalIpv6(text: string): string | null {
  const bytes = parseIpv6(text);
  return bytes ? ipv6FromBytes(bytes) : null;
}

/** fe80::/10, link-local unicast (RFC 4291 §2.5.6): what VRRP adverts are sent from (RFC 5798 §5.1.2.1). */
export function isLinkLocalIpv6(text: string): boolean {
  const bytes = parseIpv6(text);
  return bytes !== null && bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80;
}

/** ff00::/8 (RFC 4291 §2.7). */
export function isMulticastIpv6(text: string): boolean {
  const bytes = parseIpv6(text);
  return bytes !== null && bytes[0] === 0xff;
}

/** Multicast with link-local scope, ffX2::/16 (RFC 4291 §2.7): where ff02::12 and ff02::1 live. */
export function isLinkScopeMulticastIpv6(text: string): boolean {
  const bytes = parseIpv6(text);
  return bytes !== null && bytes[0] === 0xff && (bytes[1]! & 0x0f) === 2;
}
