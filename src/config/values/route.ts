// One line of virtual_routes or static_routes, in `ip route` syntax as keepalived takes it:
//   [TYPE] [to] PREFIX|default [src ADDR] [via|gw ADDR [or ADDR]] [dev|oif IF] [table N] [metric N]
//   [scope S] [protocol P] [onlink] [no_track] [inet|inet6] [add|prepend|append]
//   [tos, metrics, realms, pref, expires: route-attributes.ts]
// TYPE is an RTN_* name: unicast, local, broadcast, anycast, multicast, blackhole, unreachable,
// prohibit, throw, nat.
//   [encap ip|ip6|mpls|ila …: route-encap.ts]
//   [track_group NAME (static_routes)] [nexthop via ADDR [dev IF] [weight N] [onlink] [encap …] …]
// virtual_routes are applied when the instance becomes MASTER and removed when it leaves MASTER;
// static_routes at start-up and stop.

import { addressFamily, familyLabel, maxPrefix, parseAddressWithPrefix } from './address.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { AddressFamily, RouteSpec, RouteType } from '../model/types.js';
import { readRouteAttribute, ROUTE_ATTRIBUTE_WORDS, type RouteAttributeState } from './route-attributes.js';
import { ROUTE_TYPE_NAMES, routeTypeOf } from './rule-route-values.js';
import { parseProtocol, parseTable, parseUint32 } from './route-values.js';
import { didYouMean } from '../report/suggest.js';
import { WordReader } from './word-reader.js';
import { readNexthops, type ParsedNexthops } from './route-multipath.js';
import { readEncap } from './route-encap.js';
import type { BuildContext } from './scalars.js';
import { parseInterfaceName } from './scalars.js';
import { isValidScope, SCOPES } from './vip.js';

export const ROUTE_OPTIONS = [
  'to',
  'src',
  'via',
  'gw',
  'dev',
  'oif',
  'table',
  'metric',
  'priority',
  'preference',
  'scope',
  'protocol',
  'proto',
  'onlink',
  'no_track',
  'inet',
  'inet6',
  ...Object.keys(ROUTE_TYPE_NAMES),
  ...ROUTE_ATTRIBUTE_WORDS,
  'or',
  'nexthop',
  'encap',
  'vrf',
  'add',
  'prepend',
  'append',
] as const;

/** `ip route` words keepalived knows that vrrpd does not apply, with the reason. */
export const REFUSED_ROUTE_WORDS: readonly string[] = [];

/**
 * Words keepalived 2.2.7 itself refuses on a route line ("unknown route keyword", the route is
 * dropped): `weight` and `lock` outside a next hop or a metric.
 */
export const KEEPALIVED_REFUSED_ROUTE_WORDS: readonly string[] = ['weight', 'lock'];

/** The types whose routes go nowhere: the kernel takes no gateway or device for them. */
const NO_NEXTHOP_TYPES = new Set<RouteType>(['blackhole', 'unreachable', 'prohibit', 'throw']);

/** The RouteType a type word (`unreachable`, `brd`, `7`) names; null if it names none we know. */
function routeTypeName(text: string): RouteType | null {
  const number = routeTypeOf(text);
  if (number === null) return null;
  const names: RouteType[] = [
    'unicast',
    'local',
    'broadcast',
    'anycast',
    'multicast',
    'blackhole',
    'unreachable',
    'prohibit',
    'throw',
    'nat',
    'xresolve',
  ];
  return names[number - 1] ?? null;
}

export interface RouteLineOptions {
  /** The block, for messages (virtual_routes by default). */
  label?: string;
  /** static_routes accept `track_group NAME`. */
  allowTrackGroup?: boolean;
}

export function parseRouteLine(
  node: ConfigNode,
  ctx: BuildContext,
  options: RouteLineOptions = {},
): RouteSpec | null {
  const label = options.label ?? 'virtual_routes';
  if (node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `${label} entries cannot have a { … } block`);
    return null;
  }
  const words: ConfigWord[] = [{ text: node.keyword, source: node.source }, ...node.args];
  const route: RouteSpec = {
    type: 'unicast',
    family: 'ipv4',
    to: '',
    via: null,
    dev: null,
    src: null,
    table: null,
    metric: null,
    scope: null,
    protocol: null,
    onlink: false,
    noTrack: false,
    nexthops: null,
    mode: 'prepend',
    trackGroup: null,
    source: node.source,
  };
  let orWord: ConfigWord | null = null;
  let multipath: ParsedNexthops | null = null;
  let forcedFamily: AddressFamily | null = null;
  let destination: ConfigWord | null = null;
  const addresses: Array<{ word: ConfigWord; option: string }> = [];
  const reader = new WordReader(words, ctx, label);
  const { keep, fail } = reader;
  const attributes: RouteAttributeState = { familyWord: null };

  for (let word = reader.next(); word; word = reader.next()) {
    const current = word;
    const value = (): ConfigWord | null => reader.value(current);
    switch (word.text) {
      case 'to': {
        const next = value();
        if (next) destination = next;
        break;
      }
      case 'src':
      case 'via':
      case 'gw': {
        if (word.text === 'gw') {
          ctx.sink.report(
            DiagnosticCodes.suspicious,
            word.source,
            `${label}: 'gw' is deprecated in keepalived`,
            "write 'via' instead",
            KEEPALIVED_REPORTS,
          );
        }
        const next = value();
        if (!next) break;
        if (!addressFamily(next.text)) fail(next, `'${word.text}' expects an address, got '${next.text}'`);
        else addresses.push({ word: next, option: word.text });
        break;
      }
      case 'dev':
      case 'oif': {
        const next = value();
        if (next) route.dev = keep(parseInterfaceName(next, `${label} ${word.text}`, ctx));
        break;
      }
      case 'table': {
        const next = value();
        if (next) route.table = keep(parseTable(next, label, ctx));
        if (route.vrf) route.vrf.tableWins = true;
        break;
      }
      case 'vrf': {
        const next = value();
        const name = next && keep(parseInterfaceName(next, `${label} vrf`, ctx));
        if (next && name) route.vrf = { name, source: next.source, tableWins: false };
        break;
      }
      case 'metric':
      case 'priority':
      case 'preference': {
        const next = value();
        if (next) route.metric = keep(parseUint32(next, `${label} ${word.text}`, ctx));
        break;
      }
      case 'scope': {
        const next = value();
        if (!next) break;
        if (isValidScope(next.text)) route.scope = next.text;
        else fail(next, `unknown scope '${next.text}'`, didYouMean(next.text, SCOPES));
        break;
      }
      case 'protocol':
      case 'proto': {
        const next = value();
        if (next) route.protocol = keep(parseProtocol(next, label, ctx));
        break;
      }
      case 'onlink':
        route.onlink = true;
        break;
      case 'encap': {
        const encap = readEncap(reader, word, ctx);
        if (encap) route.encap = encap;
        break;
      }
      case 'no_track':
        route.noTrack = true;
        break;
      case 'inet':
        forcedFamily = 'ipv4';
        break;
      case 'inet6':
        forcedFamily = 'ipv6';
        break;
      case 'add':
      case 'prepend':
      case 'append':
        route.mode = word.text;
        break;
      case 'or': {
        // keepalived 2.2.7 still reads it, and says each time it is deprecated.
        ctx.sink.report(
          DiagnosticCodes.suspicious,
          word.source,
          `${label}: "or" for routes is deprecated, please use "nexthop"`,
          'write: nexthop via A nexthop via B (it is an ECMP route either way: the kernel spreads flows over both)',
          KEEPALIVED_REPORTS,
        );
        const next = value();
        if (!next) break;
        if (orWord) {
          ctx.sink.report(
            DiagnosticCodes.valueSkipped,
            word.source,
            `${label}: "or" route already specified - '${next.text}' is ignored`,
            undefined,
            'ignored, as keepalived ignores it',
          );
        } else if (!addressFamily(next.text)) {
          fail(next, `invalid "or" address '${next.text}'`);
        } else {
          orWord = next;
          addresses.push({ word: next, option: 'or' });
        }
        break;
      }
      case 'nexthop':
        if (orWord) {
          fail(word, 'cannot specify nexthops with an "or" route');
          break;
        }
        reader.back();
        multipath = readNexthops(reader, label, ctx);
        break;
      case 'track_group': {
        const next = value();
        if (!next) break;
        if (!options.allowTrackGroup) {
          fail(word, `unknown route keyword 'track_group' (only static_routes take it)`);
        } else if (route.trackGroup !== null) {
          ctx.sink.report(
            DiagnosticCodes.valueSkipped,
            next.source,
            `${label}: track_group ${next.text} is a duplicate`,
            undefined,
            'ignored, as keepalived ignores it',
          );
        } else {
          route.trackGroup = next.text;
        }
        break;
      }
      default:
        if (readRouteAttribute(word, reader, route, attributes, label, ctx)) break;
        if (destination === null && routeTypeName(word.text) !== null && reader.peekNext()) {
          // TYPE DEST, as `ip route add unreachable 198.51.100.0/24`.
          route.type = routeTypeName(word.text) as RouteType;
          destination = reader.next() as ConfigWord;
          if (destination.text !== 'default' && !parseAddressWithPrefix(destination.text).ok) {
            fail(destination, `unknown route keyword '${destination.text}'`);
          }
          break;
        }
        if (destination === null && (word.text === 'default' || parseAddressWithPrefix(word.text).ok)) {
          destination = word;
        } else {
          fail(word, `unknown option '${word.text}'`, didYouMean(word.text, ROUTE_OPTIONS));
        }
    }
  }
  if (!reader.ok) return null;
  if (!destination) {
    fail(words[0] as ConfigWord, 'a route needs a destination prefix', 'e.g. 198.51.100.0/24 via 192.0.2.1');
    return null;
  }
  if (attributes.familyWord) {
    const { word: at, family: wanted } = attributes.familyWord;
    if (forcedFamily !== null && forcedFamily !== wanted) {
      fail(at, `'${at.text}' is only valid for ${familyLabel(wanted)} routes`);
      return null;
    }
    forcedFamily = wanted;
  }
  const family = resolveFamily(destination, addresses, forcedFamily, ctx);
  if (!family) return null;
  route.family = family;
  if (destination.text === 'default') {
    route.to = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
  } else {
    const parsed = parseAddressWithPrefix(destination.text);
    if (!parsed.ok) return null;
    route.to = `${parsed.address}/${parsed.prefix ?? maxPrefix(parsed.family)}`;
  }
  let orVia: string | null = null;
  for (const { word, option } of addresses) {
    const text = family === 'ipv6' ? word.text.toLowerCase() : word.text;
    if (option === 'src') route.src = text;
    else if (option === 'or') orVia = text;
    else route.via = text;
  }
  if (multipath) {
    if (multipath.family && multipath.family !== family) {
      fail(
        destination,
        `nexthops are ${familyLabel(multipath.family)} but the route is ${familyLabel(family)}`,
      );
      return null;
    }
    if (multipath.nexthops.length === 0) return null;
    route.nexthops = multipath.nexthops.map(({ word: _word, ...nexthop }) => nexthop);
  } else if (orVia !== null) {
    if (route.via === null) {
      fail(destination, `"or" needs the route's 'via' before it`);
      return null;
    }
    // Each alternative on the route's device, if any: keepalived sends RTA_OIF with next hops of
    // ifindex 0, which the kernel refuses ("Nexthop device index does not match RTA_OIF"), so its
    // route is missing; vrrpd installs the route it meant (a documented departure).
    route.nexthops = [route.via, orVia].map((via) => ({ via, dev: route.dev, weight: null, onlink: false }));
  }
  if (route.nexthops) {
    route.via = null;
  }
  if (NO_NEXTHOP_TYPES.has(route.type) && (route.via || route.dev || route.nexthops)) {
    fail(destination, `a ${route.type} route takes no via or dev`);
    return null;
  }
  if (route.type === 'unicast' && !route.via && !route.dev && !route.nexthops) {
    fail(destination, `route to ${route.to} needs 'via' or 'dev'`);
    return null;
  }
  applyTrackingRules(route, label, ctx);
  return route;
}

/** The protocol keepalived marks its routes with (rt_protos "keepalived"). */
export const KEEPALIVED_ROUTE_PROTOCOL = 18;

/**
 * keepalived (2.2.7) can only watch a route that names its interface and carries its own protocol
 * number: it drops tracking, or resets the protocol, and reports it (its -t exits 5). Same here, as
 * warnings that count as keepalived's reports.
 */
function applyTrackingRules(route: RouteSpec, label: string, ctx: BuildContext): void {
  if (route.noTrack) return;
  if (route.dev === null) {
    route.noTrack = true;
    ctx.sink.report(
      DiagnosticCodes.adjusted,
      route.source,
      `${label}: route to ${route.to} has no 'dev', so it cannot be tracked and is treated as no_track, as keepalived does`,
      'add dev <IF> to have its removal noticed, or write no_track to say so',
      KEEPALIVED_REPORTS,
    );
    return;
  }
  if (route.protocol !== null && route.protocol !== KEEPALIVED_ROUTE_PROTOCOL) {
    ctx.sink.report(
      DiagnosticCodes.adjusted,
      route.source,
      `${label}: route to ${route.to} uses protocol ${KEEPALIVED_ROUTE_PROTOCOL} (keepalived) instead of ${route.protocol} because it is tracked, as keepalived does`,
      'add no_track to keep your protocol',
      KEEPALIVED_REPORTS,
    );
    route.protocol = KEEPALIVED_ROUTE_PROTOCOL;
  }
}

/** Every address on the line must agree; `inet6`/`inet` forces the family of `default`. */
function resolveFamily(
  destination: ConfigWord,
  addresses: ReadonlyArray<{ word: ConfigWord }>,
  forced: AddressFamily | null,
  ctx: BuildContext,
): AddressFamily | null {
  const destinationFamily =
    destination.text === 'default' ? null : addressFamily(destination.text.split('/')[0] as string);
  let family: AddressFamily | null = forced ?? destinationFamily;
  for (const word of [destination, ...addresses.map((a) => a.word)]) {
    const wordFamily = word.text === 'default' ? null : addressFamily(word.text.split('/')[0] as string);
    if (!wordFamily) continue;
    family ??= wordFamily;
    if (wordFamily !== family) {
      ctx.sink.report(
        ctx.lenient ? DiagnosticCodes.conflictDropped : DiagnosticCodes.conflict,
        word.source,
        `virtual_routes: '${word.text}' is ${familyLabel(wordFamily)} but the route is ${familyLabel(family)}`,
      );
      return null;
    }
  }
  return family ?? 'ipv4';
}
