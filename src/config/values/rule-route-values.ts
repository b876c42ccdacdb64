// Values shared by `ip rule` and `ip route` lines as keepalived 2.2.7 reads them (its rttables.c
// and vrrp_ip_rule_route_parser.c): DS field (tos), realms, interface groups, IP protocols, port
// and uid ranges, route types. keepalived also looks names up in /etc/iproute2 and /etc/protocols
// on its host; the parser is pure, so it knows the names those files ship with and asks for the
// number otherwise (as it does for table names: route-values.ts).

import type { ConfigWord } from '../language/block-tree.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

/**
 * A number as strtoul(…, 0) reads it (decimal, 0x hex, 0 octal), at most `max`; null otherwise.
 * keepalived's find_entry reads table, dsfield, realm and group numbers this way.
 */
export function parseCNumber(text: string, max: number): number | null {
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) value = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) value = Number(text);
  else return null;
  return value <= max ? value : null;
}

/** iproute2's rt_dsfield names: the DS field byte of each RFC 2474/2597/3246 code point. */
export const DSFIELD_NAMES: Readonly<Record<string, number>> = {
  default: 0x00,
  AF11: 0x28,
  AF12: 0x30,
  AF13: 0x38,
  AF21: 0x48,
  AF22: 0x50,
  AF23: 0x58,
  AF31: 0x68,
  AF32: 0x70,
  AF33: 0x78,
  AF41: 0x88,
  AF42: 0x90,
  AF43: 0x98,
  CS1: 0x20,
  CS2: 0x40,
  CS3: 0x60,
  CS4: 0x80,
  CS5: 0xa0,
  CS6: 0xc0,
  CS7: 0xe0,
  EF: 0xb8,
};

/** iproute2's rt_realms and group files: the one name each ships with. */
const REALM_NAMES: Readonly<Record<string, number>> = { cosmos: 0 };
const GROUP_NAMES: Readonly<Record<string, number>> = { default: 0 };

function named(table: Readonly<Record<string, number>>, text: string): number | undefined {
  return Object.hasOwn(table, text) ? table[text] : undefined;
}

/** tos / dsfield: a byte, or an rt_dsfield name. */
export function parseDsfield(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const value = named(DSFIELD_NAMES, word.text) ?? parseCNumber(word.text, 255);
  if (value === null) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: TOS value '${word.text}' is invalid (a number 0-255 or a DS name such as EF, AF11, CS1)`,
      'vrrpd does not read /etc/iproute2/rt_dsfield: write the number',
    );
  }
  return value;
}

/** realms [FROM/]TO: each a number 0-255 or an rt_realms name; FROM goes in the high 16 bits. */
export function parseRealms(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const parts = word.text.split('/');
  const values = parts.map((part) => named(REALM_NAMES, part) ?? parseCNumber(part, 255));
  if (parts.length > 2 || values.some((v) => v === null)) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: invalid realms '${word.text}' (TO or FROM/TO, each 0-255)`,
      'vrrpd does not read /etc/iproute2/rt_realms: write the numbers',
    );
    return null;
  }
  const [first, second] = values as number[];
  return second === undefined ? (first as number) : (((first as number) << 16) | second) >>> 0;
}

/** suppress_ifgroup: an interface group number 0-2147483647, or a name of iproute2's group file. */
export function parseIfGroup(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const value = named(GROUP_NAMES, word.text) ?? parseCNumber(word.text, 0x7fff_ffff);
  if (value === null) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: suppress_ifgroup '${word.text}' is invalid (a group number 0-2147483647)`,
      'vrrpd does not read /etc/iproute2/group: write the number',
    );
  }
  return value;
}

/** /etc/protocols (netbase) names and their usual aliases, IANA protocol numbers. */
const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  ip: 0,
  IP: 0,
  icmp: 1,
  ICMP: 1,
  igmp: 2,
  IGMP: 2,
  ipencap: 4,
  tcp: 6,
  TCP: 6,
  egp: 8,
  igp: 9,
  udp: 17,
  UDP: 17,
  dccp: 33,
  DCCP: 33,
  ipv6: 41,
  IPv6: 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  rsvp: 46,
  gre: 47,
  GRE: 47,
  esp: 50,
  'IPSEC-ESP': 50,
  ah: 51,
  'IPSEC-AH': 51,
  'ipv6-icmp': 58,
  'IPv6-ICMP': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  eigrp: 88,
  ospf: 89,
  OSPFIGP: 89,
  ipip: 94,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  VRRP: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  SCTP: 132,
  'mobility-header': 135,
  udplite: 136,
  'mpls-in-ip': 137,
};

/**
 * ipproto: keepalived takes a decimal number up to 127 only (it compares with INT8_MAX) or a
 * protocol name; anything else is reported and the selector left out (the rule is kept).
 */
export function parseIpProto(word: ConfigWord, label: string, ctx: BuildContext): number | null {
  const value = /^\d+$/.test(word.text)
    ? Number(word.text) <= 127
      ? Number(word.text)
      : null
    : (named(IP_PROTOCOLS, word.text) ?? null);
  if (value === null) {
    reportInvalid(
      ctx,
      word.source,
      `${label}: invalid ipproto '${word.text}' (a protocol name, or a number 0-127 as keepalived reads it)`,
      'vrrpd does not read /etc/protocols: tcp, udp, icmp, ipv6-icmp, sctp, gre, esp, ah … are known',
      'the selector is ignored and the rule kept, as keepalived keeps it',
    );
  }
  return value;
}

export interface NumberRange {
  start: number;
  end: number;
}

/** START-END, both given (keepalived reports a single port as an invalid range). */
export function parseRange(text: string, max: number): NumberRange | null {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return start <= max && end <= max ? { start, end } : null;
}

/** RTN_* route types by their iproute2 names (keepalived's rtntypes table), or a number 0-255. */
export const ROUTE_TYPE_NAMES: Readonly<Record<string, number>> = {
  local: 2,
  nat: 10,
  broadcast: 3,
  brd: 3,
  anycast: 4,
  multicast: 5,
  prohibit: 8,
  unreachable: 7,
  blackhole: 6,
  xresolve: 11,
  unicast: 1,
  throw: 9,
};

export function routeTypeOf(text: string): number | null {
  return named(ROUTE_TYPE_NAMES, text) ?? (/^\d+$/.test(text) && Number(text) <= 255 ? Number(text) : null);
}
