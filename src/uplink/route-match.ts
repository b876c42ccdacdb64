// Which configured gateway the kernel's current default route goes through, as NetGWM works out
// "the current gateway" at start: by next-hop address, or by device for a gateway given by dev
// only. A route via anything else (the other router, a DHCP default) matches nothing.

import type { GatewaySpec } from './types.js';

export interface CurrentDefaultRoute {
  gateway: string | null;
  dev: string | null;
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
