// `encap TYPE …` on a route line or a next hop, as keepalived 2.2.7 reads it (vrrp_iproute.c
// parse_encap and its helpers):
//   encap ip  [id N] [dst ADDR4] [src ADDR4] [tos DS] [ttl 0-255] [flags 0-65535]   (dst or id)
//   encap ip6 [id N] [dst ADDR6] [src ADDR6] [tc DS] [hoplimit 0-255] [flags 0-65535] (dst or id)
//   encap mpls LABEL[/LABEL]          (at most 2 labels, each 0..2^20-1)
//   encap ila LOCATOR                 (4 groups of 1-4 hex digits: 2001:db8:1:2)
// The ip/ip6 options are read in pairs until a word that is not one of them, which goes back to
// the route line. Without dst or id keepalived reports it and installs the route anyway, and so
// does vrrpd. Another malformed encapsulation skips the line: keepalived then drops the route, or
// installs it with an encapsulation the kernel refuses (an empty MPLS label stack), or — an
// unknown type followed by more words — skips a word and may refuse the file
// (docs/config-reference.md).

import type { ConfigWord } from '../language/block-tree.js';
import type { RouteEncapSpec } from '../model/types.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import { addressFamily } from './address.js';
import { parseDsfield } from './rule-route-values.js';
import type { BuildContext } from './scalars.js';
import type { WordReader } from './word-reader.js';

const MAX_MPLS_LABELS = 2;
const MPLS_LABEL_MAX = 0xfffff;
const U64_MAX = (1n << 64n) - 1n;

function decimal(text: string, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** keepalived's parse_mpls_address: labels separated by '/', strtoul base 0 each. */
export function parseMplsLabels(text: string): number[] | null {
  const parts = text.split('/');
  if (parts.length > MAX_MPLS_LABELS) return null;
  const labels: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) value = parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9]\d*$/.test(part)) value = Number(part);
    else return null;
    if (value > MPLS_LABEL_MAX) return null;
    labels.push(value);
  }
  return labels;
}

/** An ILA locator: 4 groups of 1–4 hex digits separated by ':' (iproute2's get_addr64). */
export function parseIlaLocator(text: string): string | null {
  const groups = text.split(':');
  if (groups.length !== 4 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.toLowerCase()).join(':');
}

/**
 * Reads what follows `encap` (the reader stands on it). Reports a malformed encapsulation and
 * marks the line bad (reader.ok false); returns the encapsulation otherwise.
 */
export function readEncap(
  reader: WordReader,
  encapWord: ConfigWord,
  ctx: BuildContext,
): RouteEncapSpec | null {
  const typeWord = reader.value(encapWord);
  if (!typeWord) return null;
  const { fail } = reader;
  switch (typeWord.text) {
    case 'mpls': {
      const address = reader.value(typeWord);
      if (!address) return null;
      const labels = parseMplsLabels(address.text);
      if (!labels) {
        fail(
          address,
          `invalid mpls address ${address.text} for encapsulation`,
          'LABEL[/LABEL], each 0-1048575',
        );
        return null;
      }
      return { type: 'mpls', labels };
    }
    case 'ila': {
      const word = reader.value(typeWord);
      if (!word) return null;
      const locator = parseIlaLocator(word.text);
      if (!locator) {
        fail(
          word,
          `invalid locator ${word.text} for ila encapsulation`,
          '4 groups of hex digits, e.g. 2001:db8:1:2',
        );
        return null;
      }
      return { type: 'ila', locator };
    }
    case 'ip':
    case 'ip6':
      return readIpEncap(reader, typeWord, typeWord.text, ctx);
    default:
      fail(typeWord, `Unknown encap type - ${typeWord.text}`, 'ip, ip6, mpls or ila');
      return null;
  }
}

function readIpEncap(
  reader: WordReader,
  typeWord: ConfigWord,
  type: 'ip' | 'ip6',
  ctx: BuildContext,
): RouteEncapSpec | null {
  const family = type === 'ip' ? 'ipv4' : 'ipv6';
  const dsWord = type === 'ip' ? 'tos' : 'tc';
  const ttlWord = type === 'ip' ? 'ttl' : 'hoplimit';
  const encap: RouteEncapSpec = {
    type,
    id: null,
    dst: null,
    src: null,
    dsfield: null,
    ttl: null,
    flags: null,
  };
  const { fail } = reader;
  const label = `${type} encapsulation`;
  for (let option = reader.peekNext(); option; option = reader.peekNext()) {
    const known = ['id', 'dst', 'src', dsWord, ttlWord, 'flags'];
    // keepalived reads pairs while two words are left; a lone last word goes back to the route.
    if (!known.includes(option.text) || !reader.peekAfterNext()) break;
    reader.next();
    const value = reader.next() as ConfigWord;
    if (option.text === 'id') {
      if (!/^\d+$/.test(value.text) || BigInt(value.text) > U64_MAX)
        return bad(fail, value, `${label}: id ${value.text} is invalid`);
      encap.id = BigInt(value.text).toString();
    } else if (option.text === 'dst' || option.text === 'src') {
      const found = addressFamily(value.text);
      if (found !== family)
        return bad(
          fail,
          value,
          `${label}: ${option.text} ${value.text} is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`,
        );
      encap[option.text] = family === 'ipv6' ? value.text.toLowerCase() : value.text;
    } else if (option.text === dsWord) {
      const ds = parseDsfield(value, `${label} ${dsWord}`, ctx);
      if (ds === null) {
        reader.ok = false;
        return null;
      }
      encap.dsfield = ds;
    } else if (option.text === ttlWord) {
      const ttl = decimal(value.text, 255);
      if (ttl === null) return bad(fail, value, `${label}: ${ttlWord} ${value.text} is not valid (0-255)`);
      encap.ttl = ttl;
    } else {
      const flags = decimal(value.text, 0xffff);
      if (flags === null) return bad(fail, value, `${label}: flags ${value.text} is not valid (0-65535)`);
      encap.flags = flags;
    }
  }
  if (encap.dst === null && encap.id === null) {
    // keepalived reports it and installs the route anyway; the kernel then uses id 0 and dst 0.
    ctx.sink.report(
      DiagnosticCodes.adjusted,
      typeWord.source,
      `address or id missing for ${type} encapsulation: the route is installed with id 0 and an unspecified dst, as keepalived installs it`,
      'add dst ADDR or id N',
      KEEPALIVED_REPORTS,
    );
  }
  return encap;
}

function bad(fail: WordReader['fail'], word: ConfigWord, message: string): null {
  fail(word, message);
  return null;
}
