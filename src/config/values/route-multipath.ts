// The multipath parts of a route line as keepalived 2.2.7 reads them (vrrp_iproute.c):
//   … via A or B …                      deprecated; A and B become two next hops
//   … nexthop via [inet|inet6] ADDR [dev IF] [weight 1..256] [onlink] nexthop …   (last on the line)
// The kernel spreads flows over the next hops (ECMP), it does not fail over between them.

import type { ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily, RouteNexthopSpec } from '../model/types.js';
import { addressFamily } from './address.js';
import type { BuildContext } from './scalars.js';
import { parseInteger, parseInterfaceName } from './scalars.js';
import type { WordReader } from './word-reader.js';

/** Next-hop options keepalived knows that vrrpd does not apply. */
const REFUSED_NEXTHOP_WORDS = new Set(['encap', 'realms', 'as']);

export interface ParsedNexthops {
  nexthops: Array<RouteNexthopSpec & { word: ConfigWord | null }>;
  family: AddressFamily | null;
}

/**
 * Reads `nexthop …` groups until the end of the line (`first` is the first `nexthop`). A word that
 * is neither an option nor `nexthop` is keepalived's "trailing nonsense after nexthops": the route
 * is dropped.
 */
export function readNexthops(reader: WordReader, label: string, ctx: BuildContext): ParsedNexthops {
  const nexthops: ParsedNexthops['nexthops'] = [];
  let family: AddressFamily | null = null;
  let current: (typeof nexthops)[number] | null = null;
  const { fail, keep } = reader;
  for (let word = reader.peekNext(); word; word = reader.peekNext()) {
    if (word.text === 'nexthop') {
      reader.next();
      current = { via: null, dev: null, weight: null, onlink: false, word: null };
      nexthops.push(current);
      continue;
    }
    if (!current) break;
    reader.next();
    switch (word.text) {
      case 'via': {
        let next = reader.value(word);
        if (next && (next.text === 'inet' || next.text === 'inet6')) {
          const forced: AddressFamily = next.text === 'inet' ? 'ipv4' : 'ipv6';
          if (family && family !== forced) fail(next, 'IPv4/6 mismatch for nexthop');
          family = forced;
          next = reader.value(next);
        }
        if (!next) break;
        const found = addressFamily(next.text);
        if (!found) {
          fail(next, `invalid nexthop address '${next.text}'`);
        } else if (family && found !== family) {
          fail(next, `nexthop address ${next.text}: address family mismatch for next hop`);
        } else {
          family = found;
          current.via = found === 'ipv6' ? next.text.toLowerCase() : next.text;
          current.word = next;
        }
        break;
      }
      case 'dev': {
        const next = reader.value(word);
        if (next) current.dev = keep(parseInterfaceName(next, `${label} nexthop dev`, ctx));
        break;
      }
      case 'weight': {
        const next = reader.value(word);
        if (next)
          current.weight = keep(parseInteger(next, `${label} nexthop weight`, { min: 1, max: 256 }, ctx));
        break;
      }
      case 'onlink':
        current.onlink = true;
        break;
      default:
        if (REFUSED_NEXTHOP_WORDS.has(word.text)) {
          ctx.sink.report(
            DiagnosticCodes.unsupported,
            word.source,
            `${label}: nexthop '${word.text}' is not supported by vrrpd`,
            'next hops take via, dev, weight and onlink',
          );
          reader.ok = false;
        } else {
          fail(word, `route has trailing nonsense after nexthops - '${word.text}'`);
        }
        return { nexthops, family };
    }
  }
  return { nexthops, family };
}
