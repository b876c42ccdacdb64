// IPv6 address text <-> 16 bytes (RFC 4291 §2.2 text forms, RFC 5952 canonical output), for the
// uplink module's IPv6 routes, probes and DNS answers. Parsing configured text returns null
// instead of throwing; formatting wire bytes never throws.

import { isIPv6 } from 'node:net';

export function isIpv6(text: string): boolean {
  return isIPv6(text);
}

/** 16 bytes, or null when `text` is not an IPv6 address (an embedded IPv4 tail is accepted). */
export function parseIpv6(text: string): Buffer | null {
  if (!isIPv6(text)) return null;
  let source = text.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (tail?.[1]) {
    const octets = tail[1].split('.').map(Number);
    source = `${source.slice(0, -tail[1].length)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head = '', rest] = source.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  if (all.length !== 8) return null;
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

export function ipv6ToBytes(text: string): Buffer {
  const bytes = parseIpv6(text);
  if (!bytes) throw new RangeError(`not an IPv6 address: ${text}`);
  return bytes;
}

/** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups as `::`. */
export function ipv6FromBytes(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++)
    groups.push(((bytes[offset + i * 2] ?? 0) << 8) | (bytes[offset + i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

/** The canonical text of an IPv6 address (for comparing what users wrote with what the kernel says). */
export function canonicalIpv6(text: string): string | null {
  const bytes = parseIpv6(text);
  return bytes ? ipv6FromBytes(bytes) : null;
}
