// Which configured gateway the kernel's current default route goes through, as NetGWM works out
// "the current gateway" at start: by next-hop address, or by device for a gateway given by dev
// only. A route via anything else (the other router, a DHCP default) matches nothing.

import type { GatewaySpec } from './types.js';

export interface CurrentDefaultRoute {
  gateway: string | null;
  dev: string | null;
  /** A multipath route's next hops (then `gateway` and `dev` are null). */
  nexthops?: Array<{ gateway: string | null; dev: string | null }>;
}

/** Every gateway of ours the route goes through: its next hops for a multipath route. */
export function matchRouteMembers(
  gateways: readonly GatewaySpec[],
  route: CurrentDefaultRoute | null,
): string[] {
  if (route === null) return [];
  const hops = route.nexthops ?? [route];
  const ids = hops.map((hop) => matchActiveGateway(gateways, hop)).filter((id): id is string => id !== null);
  return [...new Set(ids)];
}

export function matchActiveGateway(
  gateways: readonly GatewaySpec[],
  route: CurrentDefaultRoute | null,
): string | null {
  if (route === null) return null;
  const byAddress = gateways.find(
    (gateway) =>
      gateway.ip !== null &&
      gateway.ip === route.gateway &&
      (gateway.dev === null || gateway.dev === route.dev),
  );
  if (byAddress) return byAddress.id;
  if (route.gateway !== null) return null;
  return gateways.find((gateway) => gateway.ip === null && gateway.dev === route.dev)?.id ?? null;
}
