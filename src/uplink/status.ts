// The uplinks as `vrrpctl status` shows them, in preference order: the shapes are part of the
// public status schema (src/control re-exports them; src/control/status-validate.ts checks them),
// defined here, in the core, once. Times in the policy are milliseconds on the caller's clock;
// `toWallMs` turns one into wall-clock milliseconds for the ISO times people read.

import { windowLatency, windowLoss } from './health.js';
import { compareGateways } from './select.js';
import type {
  GatewayHealthState,
  QualityAlarm,
  SelectorState,
  UplinkPolicyConfig,
  UplinkRole,
} from './types.js';

export { GATEWAY_HEALTH_STATES, UPLINK_ROLES } from './types.js';
export type { GatewayHealthState, UplinkRole } from './types.js';

/** One upstream gateway as the uplink selector sees it. */
export interface UplinkStatus {
  /** The uplink_group it belongs to (`standalone` under `vrrpd --uplinks-only`). */
  group: string;
  id: string;
  /** Gateway address probed and routed through; '' for a gateway given by device only. */
  ip: string;
  /** '' for a gateway given by address only. */
  dev: string;
  priority: number;
  state: GatewayHealthState;
  /** Last round-trip time in milliseconds; null when no reply has been seen. */
  rttMs: number | null;
  /** Fraction of recent probes lost, 0..1 (over loss_window rounds). */
  loss: number;
  /** Mean RTT over loss_window rounds (dpinger's latency), ms; null without replies. */
  latencyMs: number | null;
  /** Standard deviation of the RTT over loss_window rounds (dpinger's jitter), ms; null without replies. */
  jitterMs: number | null;
  /** The quality measure above its threshold (`loss`, `rtt`, `jitter`), until back at its recovery value. */
  alarm: QualityAlarm | null;
  /** ISO 8601 time since when the uplink has been healthy; null while not healthy. */
  healthySince: string | null;
  /** True for the uplink currently carrying the default route (with tiers: every next hop of it). */
  active: boolean;
}

/** One uplink_group: whom it follows, whether it owns the route now, and its running totals. */
export interface UplinkGroupStatus {
  name: string;
  role: UplinkRole;
  /** `instance VI_1` or `group G1`; null when standalone. */
  follows: string | null;
  /** Id of the gateway the default route goes through, as far as the group knows; null if none of its own. */
  active: string | null;
  /** Default-route changes to another gateway since start. */
  switches: number;
  /** Failed default-route writes since start. */
  routeErrors: number;
  /** The gateway the route is pinned to (netgwm.yml's `mode`, or the runtime pin); null: automatic. */
  pinned: string | null;
  /**
   * Why the group is in an error state (its netgwm.yml cannot be used: it does not run, or runs
   * the previous file after a reload); null when it is fine. VRRP runs either way.
   */
  error: string | null;
}

export function uplinkStatuses(
  group: string,
  config: UplinkPolicyConfig,
  state: SelectorState,
  toWallMs: (time: number) => number = (time) => time,
): UplinkStatus[] {
  const health = new Map(state.gateways.map((gateway) => [gateway.id, gateway]));
  return [...config.gateways].sort(compareGateways).map((gateway) => {
    const current = health.get(gateway.id);
    const latency = current ? windowLatency(current.lossWindow) : null;
    return {
      group,
      id: gateway.id,
      ip: gateway.ip ?? '',
      dev: gateway.dev ?? '',
      priority: gateway.priority,
      state: current?.state ?? 'UNKNOWN',
      rttMs: current?.lastRttMs ?? null,
      loss: current ? windowLoss(current.lossWindow) : 0,
      latencyMs: latency?.meanMs ?? null,
      jitterMs: latency?.jitterMs ?? null,
      alarm: current?.alarm ?? null,
      healthySince:
        current?.state === 'UP' && current.healthySince !== null
          ? new Date(toWallMs(current.healthySince)).toISOString()
          : null,
      active: state.active === gateway.id || state.members.includes(gateway.id),
    };
  });
}
