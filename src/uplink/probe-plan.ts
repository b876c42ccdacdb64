// What to probe each round and how probes find their gateway. Every gateway is probed every
// round against every check site (NetGWM probes the active gateway and the better ones only,
// unless check_all_gateways; status and fast failover need them all). A probe is steered
// through its gateway by a firewall mark on its socket and a rule `fwmark M lookup T` whose table
// T holds a default route via that gateway, so the router's own traffic to the check sites is
// never redirected (NetGWM's `iif lo to SITE` rule does redirect it while it checks).

import type { GatewayRound, GatewaySpec, SiteProbeResult } from './types.js';

export interface ProbeRoutingBases {
  /** Tables base+1, base+2, … one per gateway in configuration order. */
  table: number;
  rulePriority: number;
  fwmark: number;
}

export interface GatewayProbeRouting {
  gatewayId: string;
  /** The group's family: its rule and routes are of this family. */
  family: 'ipv4' | 'ipv6';
  table: number;
  rulePriority: number;
  fwmark: number;
  ip: string | null;
  dev: string | null;
}

export function probeRouting(
  gateways: readonly GatewaySpec[],
  bases: ProbeRoutingBases,
  family: 'ipv4' | 'ipv6' = 'ipv4',
): GatewayProbeRouting[] {
  return gateways.map((gateway, index) => ({
    gatewayId: gateway.id,
    family,
    table: bases.table + index + 1,
    rulePriority: bases.rulePriority + index + 1,
    fwmark: bases.fwmark + index + 1,
    ip: gateway.ip,
    dev: gateway.dev,
  }));
}

/** A check site after name resolution; address null when its name did not resolve. */
export interface ResolvedSite {
  site: string;
  address: string | null;
}

export interface ProbeRequest {
  gatewayId: string;
  site: string;
  address: string;
  /** Echo requests to send. */
  count: number;
}

/** What one gateway probes this round: its own sites (track_ip) or the group's check sites. */
export interface GatewayProbeTargets {
  gatewayId: string;
  sites: readonly ResolvedSite[];
  count: number;
}

export function planTargets(targets: readonly GatewayProbeTargets[]): ProbeRequest[] {
  const requests: ProbeRequest[] = [];
  for (const target of targets) {
    for (const site of target.sites) {
      if (site.address === null) continue;
      requests.push({
        gatewayId: target.gatewayId,
        site: site.site,
        address: site.address,
        count: target.count,
      });
    }
  }
  return requests;
}

/** Every gateway against the same sites. */
export function planProbeRound(
  gateways: readonly GatewaySpec[],
  sites: readonly ResolvedSite[],
  count: number,
): ProbeRequest[] {
  return planTargets(gateways.map((gateway) => ({ gatewayId: gateway.id, sites, count })));
}

export interface ProbeOutcome {
  gatewayId: string;
  site: string;
  sent: number;
  /** Round-trip times of the replies received, in milliseconds. */
  rttsMs: number[];
}

/**
 * Turns the outcomes of a round into one result per gateway with every configured site, so a site
 * that could not be probed (unresolved) counts as not answering in the k-of-N quorum.
 */
export function assembleRound(
  gateways: readonly GatewaySpec[],
  sites: readonly ResolvedSite[],
  outcomes: readonly ProbeOutcome[],
): GatewayRound[] {
  return assembleTargets(
    gateways.map((gateway) => ({ gatewayId: gateway.id, sites, count: 0 })),
    outcomes,
  );
}

/** As assembleRound, for gateways with sites of their own; only the gateways given are in the round. */
export function assembleTargets(
  targets: readonly GatewayProbeTargets[],
  outcomes: readonly ProbeOutcome[],
): GatewayRound[] {
  const key = (gatewayId: string, site: string): string => `${gatewayId}\u0000${site}`;
  const byKey = new Map(outcomes.map((outcome) => [key(outcome.gatewayId, outcome.site), outcome]));
  return targets.map((target) => ({
    gatewayId: target.gatewayId,
    sites: target.sites.map((site): SiteProbeResult => {
      const outcome = byKey.get(key(target.gatewayId, site.site));
      if (!outcome) return { site: site.site, sent: 0, received: 0, rttMs: null };
      const received = outcome.rttsMs.length;
      const rttMs = received === 0 ? null : outcome.rttsMs.reduce((sum, rtt) => sum + rtt, 0) / received;
      return { site: site.site, sent: outcome.sent, received, rttMs };
    }),
  }));
}
