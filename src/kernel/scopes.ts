// Names for the small rtnetlink enumerations the configuration speaks in (keepalived writes
// `scope link`, `proto static`, `blackhole`, like iproute2), mapped to kernel numbers from
// <linux/rtnetlink.h>. Numbers are accepted as they are, as iproute2 does.

export const SCOPES = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 } as const;
export type ScopeName = keyof typeof SCOPES;

export const ROUTE_PROTOCOLS = {
  unspec: 0,
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  ra: 9,
  dhcp: 16,
  keepalived: 18,
} as const;
export type RouteProtocolName = keyof typeof ROUTE_PROTOCOLS;

export const ROUTE_TYPES = {
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
  xresolve: 11,
} as const;
export type RouteTypeName = keyof typeof ROUTE_TYPES;

function lookup<T extends Record<string, number>>(table: T, kind: string, value: keyof T | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255)
      throw new RangeError(`${kind} ${value} is outside 0..255`);
    return value;
  }
  const found = table[value];
  if (found === undefined) throw new RangeError(`unknown ${kind} ${String(value)}`);
  return found;
}

export function scopeNumber(value: ScopeName | number): number {
  return lookup(SCOPES, 'scope', value);
}

export function routeProtocolNumber(value: RouteProtocolName | number): number {
  return lookup(ROUTE_PROTOCOLS, 'route protocol', value);
}

export function routeTypeNumber(value: RouteTypeName | number): number {
  return lookup(ROUTE_TYPES, 'route type', value);
}

/**
 * The netlink package decodes known enum values to their upper-case C names ("BOOT",
 * "UNIVERSE") and leaves unknown ones as numbers; map either back to the number.
 */
export function enumNumber(
  value: string | number | undefined,
  table: Record<string, string | number>,
): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const mapped = table[value];
  return typeof mapped === 'number' ? mapped : 0;
}
