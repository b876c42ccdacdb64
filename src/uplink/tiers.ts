// Gateway tiers, as pfSense's gateway groups: the default route spreads new flows over every
// healthy gateway of the best tier (a multipath route weighted by `weight`) and moves to the next
// tier only when none is left. NetGWM's damping carries over: a gateway that failed recently
// (flap memory, see health.ts) does not join the route, nor pull it back to a better tier, until
// it has been healthy for min_uptime; a member that only blipped (still UP) is not dropped.
// Pinning (`mode`, the runtime pin) still names one gateway, alone in the route.

import { isStable } from './health.js';
import { compareGateways, type Selection } from './select.js';
import type { GatewayHealth, GatewaySpec, RewriteReason, SwitchReason, UplinkPolicyConfig } from './types.js';

/** True when the gateways are in tiers (the parser makes it all or none). */
export function isTiered(config: UplinkPolicyConfig): boolean {
  return config.gateways.some((gateway) => gateway.tier !== undefined);
}

const tierOf = (gateway: GatewaySpec): number => gateway.tier ?? 1;

/** Members of a route in route order: weight first (the primary carries most), then priority and id. */
export function orderMembers(config: UplinkPolicyConfig, ids: readonly string[]): string[] {
  return config.gateways
    .filter((gateway) => ids.includes(gateway.id))
    .sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1) || compareGateways(a, b))
    .map((gateway) => gateway.id);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * Decides the members of the default route from the current health. `members` is what the route
 * holds now (empty: none of ours); `rewrite` asks for a write even when they stay.
 */
export function selectTier(
  config: UplinkPolicyConfig,
  health: readonly GatewayHealth[],
  members: readonly string[],
  rewrite: RewriteReason | null,
): Selection {
  if (health.some((gateway) => gateway.state === 'UNKNOWN')) return { kind: 'waiting' };
  const byId = new Map(health.map((gateway) => [gateway.id, gateway]));
  const up = (gateway: GatewaySpec): boolean => byId.get(gateway.id)?.state === 'UP';
  const stable = (gateway: GatewaySpec): boolean => {
    const current = byId.get(gateway.id);
    return current !== undefined && isStable(current);
  };
  const tiers = [...new Set(config.gateways.map(tierOf))].sort((a, b) => a - b);
  const inTier = (tier: number): GatewaySpec[] => config.gateways.filter((g) => tierOf(g) === tier);

  const current = config.gateways.filter((gateway) => members.includes(gateway.id));
  const currentUp = current.filter(up);
  let chosen: GatewaySpec[];
  let reason: SwitchReason;
  if (currentUp.length > 0) {
    const currentTier = Math.min(...currentUp.map(tierOf));
    const better = tiers.find((tier) => tier < currentTier && inTier(tier).some(stable));
    if (better !== undefined) {
      chosen = inTier(better).filter(stable);
      reason = 'failback';
    } else {
      // Members still UP stay; others of the tier join once stable.
      chosen = inTier(currentTier).filter((g) => up(g) && (members.includes(g.id) || stable(g)));
      reason = currentUp.length < current.length ? 'failover' : 'failback';
    }
  } else {
    const stableTier = tiers.find((tier) => inTier(tier).some(stable));
    const healthyTier = tiers.find((tier) => inTier(tier).some(up));
    if (healthyTier === undefined) return { kind: 'allDown' };
    chosen = stableTier !== undefined ? inTier(stableTier).filter(stable) : inTier(healthyTier).filter(up);
    reason = members.length === 0 ? 'initial' : 'failover';
  }
  const ordered = orderMembers(
    config,
    chosen.map((gateway) => gateway.id),
  );
  if (sameSet(ordered, members) && rewrite === null) return { kind: 'keep' };
  return {
    kind: 'switch',
    to: ordered[0] as string,
    members: ordered,
    reason: rewrite ?? reason,
  };
}
