// The multipath parts of a route line as keepalived 2.2.7 reads them (vrrp_iproute.c):
//   … via A or B …                      deprecated; A and B become two next hops
//   … nexthop via [inet|inet6] ADDR [dev IF] [weight 1..256] [onlink] [encap …] [realms R] nexthop …   (last on the line)
// The kernel spreads flows over the next hops (ECMP), it does not fail over between them.

import type { ConfigWord } from '../language/block-tree.js';
import type { AddressFamily, RouteNexthopSpec } from '../model/types.js';
import { addressFamily } from './address.js';
import type { BuildContext } from './scalars.js';
import { parseInteger, parseInterfaceName } from './scalars.js';
import type { WordReader } from './word-reader.js';
import { readEncap } from './route-encap.js';
import { parseRealms } from './rule-route-values.js';

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
      case 'encap': {
        const encap = readEncap(reader, word, ctx);
        if (encap) current.encap = encap;
        break;
      }
      case 'realms': {
        const next = reader.value(word);
        if (!next) break;
        const realms = keep(parseRealms(next, `${label} nexthop`, ctx));
        if (realms === null) break;
        if (family === 'ipv6') fail(word, 'realms are only supported for IPv4');
        family = 'ipv4';
        current.realms = realms;
        break;
      }
      case 'as': {
        // keepalived 2.2.7 reads the word (and `to`), says it is not supported and drops the route.
        if (reader.peekNext()?.text === 'to') reader.next();
        reader.next();
        fail(word, "'as [to]' (nat) not supported", 'keepalived 2.2.7 drops the route too');
        return { nexthops, family };
      }
      default:
        fail(word, `route has trailing nonsense after nexthops - '${word.text}'`);
        return { nexthops, family };
    }
  }
  return { nexthops, family };
}
