// Which gateway should carry the default route. NetGWM's rules, with its gaps closed:
//  - lower priority number wins; when a choice must be made among equal priorities (start,
//    failover) gateway id order decides (NetGWM leaves that to a dict's order, i.e. undefined);
//  - an active gateway that still works is kept, unless one with a strictly lower priority
//    number is *stable* (healthy for min_uptime since its last failure): NetGWM's fail-back
//    damping, and NetGWM's strict `<`: there is never a switch between equal priorities;
//  - when the active gateway is down, stable gateways are preferred over ones that flapped
//    recently (NetGWM would fail over to a flapping gateway at once), falling back to the best
//    healthy one when none is stable;
//  - nothing healthy: keep the route as it is (a route via a dead uplink loses nothing, and the
//    first uplink to come back is taken);
//  - a pinned `mode` (or NetGWM's runtime pin) always names the pinned gateway, healthy or not,
//    as NetGWM does.

import { isStable } from './health.js';
import type { GatewayHealth, GatewaySpec, RewriteReason, SwitchReason, UplinkPolicyConfig } from './types.js';

/** Orders gateways by priority, then id (code-unit order, so it does not depend on the locale). */
export function compareGateways(a: GatewaySpec, b: GatewaySpec): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export type Selection =
  | { kind: 'keep' }
  /** `members`: with tiers, every gateway of the route (`to` first). */
  | { kind: 'switch'; to: string; reason: SwitchReason; members?: string[] }
  | { kind: 'allDown' }
  /** Not every gateway has been probed yet: no decision until one round has completed. */
  | { kind: 'waiting' };

function specOf(config: UplinkPolicyConfig, id: string): GatewaySpec | undefined {
  return config.gateways.find((gateway) => gateway.id === id);
}

/**
 * Decides from the current health. `active` is the gateway the route points at (null: none of
 * ours); `rewrite` asks for a switch even when the active gateway stays (after becoming master,
 * or after a failed write), and is the reason given for it.
 */
export function selectGateway(
  config: UplinkPolicyConfig,
  health: readonly GatewayHealth[],
  active: string | null,
  rewrite: RewriteReason | null,
  pinned: string | null = config.pinned,
): Selection {
  if (pinned !== null) {
    if (active === pinned && rewrite === null) return { kind: 'keep' };
    return { kind: 'switch', to: pinned, reason: 'pinned' };
  }
  if (health.some((gateway) => gateway.state === 'UNKNOWN')) return { kind: 'waiting' };

  const byId = new Map(health.map((gateway) => [gateway.id, gateway]));
  const ranked = [...config.gateways].sort(compareGateways);
  const healthy = ranked.filter((gateway) => byId.get(gateway.id)?.state === 'UP');
  const current = active === null ? undefined : byId.get(active);
  const currentSpec = active === null ? undefined : specOf(config, active);

  if (current?.state === 'UP' && currentSpec) {
    // The active gateway works: only a stable one of strictly better priority replaces it.
    const better = healthy.find(
      (gateway) => gateway.priority < currentSpec.priority && isStable(byId.get(gateway.id) as GatewayHealth),
    );
    if (better) return { kind: 'switch', to: better.id, reason: 'failback' };
    if (rewrite !== null) return { kind: 'switch', to: current.id, reason: rewrite };
    return { kind: 'keep' };
  }

  if (healthy.length === 0) return { kind: 'allDown' };
  const stable = healthy.find((gateway) => isStable(byId.get(gateway.id) as GatewayHealth));
  const choice = (stable ?? healthy[0]) as GatewaySpec;
  if (choice.id === active && rewrite === null) return { kind: 'keep' };
  let reason: SwitchReason = 'failover';
  if (rewrite !== null) reason = rewrite;
  else if (active === null) reason = 'initial';
  return { kind: 'switch', to: choice.id, reason };
}
