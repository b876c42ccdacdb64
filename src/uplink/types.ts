// The uplink selector's vocabulary: gateways as configured, what one probe round found, the
// per-gateway health the policy keeps, and the events and actions of `stepUplinks`. Pure data:
// times are integers of milliseconds on whatever clock the caller uses (tests use a virtual one).

/** UNKNOWN until the gateway's first probe round has been judged. */
export const GATEWAY_HEALTH_STATES = ['UP', 'DOWN', 'UNKNOWN'] as const;
export type GatewayHealthState = (typeof GATEWAY_HEALTH_STATES)[number];

/** One gateway of netgwm.yml. NetGWM allows either `ip` or `dev` to be absent (not both). */
export interface GatewaySpec {
  id: string;
  ip: string | null;
  dev: string | null;
  /** Lower is preferred (NetGWM: 1 is the primary). */
  priority: number;
  /** This gateway's own quorum, rise and fall (`vrrpd: gateways: ID:`); undefined: the group's. */
  quorum?: number;
  rise?: number;
  fall?: number;
  /** Gateway groups (pfSense tiers): lower tiers are preferred; set on every gateway or none. */
  tier?: number;
  /** Share of new flows inside its tier: the multipath route's nexthop weight (1-256). */
  weight?: number;
}

export type ConntrackFlushMode = 'none' | 'udp' | 'all';

/** The part of the configuration the pure policy decides with. */
export interface UplinkPolicyConfig {
  gateways: readonly GatewaySpec[];
  /** NetGWM's min_uptime: how long a gateway that failed must stay healthy before it is preferred. */
  minUptimeMs: number;
  /** Check sites that must answer in one round for the round to count as a success (k of N). */
  quorum: number;
  /** Consecutive successful rounds that bring a DOWN gateway UP. */
  rise: number;
  /** Consecutive failed rounds that bring an UP gateway DOWN. */
  fall: number;
  /**
   * Quality thresholds, dpinger-style: measured continuously over the last `lossWindowRounds`
   * rounds (loss ratio, mean RTT, RTT standard deviation as jitter). A gateway whose measure goes
   * above its failure value raises an alarm that fails every round until every measure is back
   * at or below its recovery value (hysteresis; recovery null = the failure value). null = none.
   */
  maxLoss: number | null;
  lossRecover: number | null;
  maxRttMs: number | null;
  rttRecoverMs: number | null;
  maxJitterMs: number | null;
  jitterRecoverMs: number | null;
  /** How many rounds loss, latency and jitter are measured over. */
  lossWindowRounds: number;
  /**
   * NetGWM's `mode` in netgwm.yml: a gateway id pins the route to it; null is automatic selection
   * (or, as with NetGWM, whatever the runtime pin says: the `pin` event, from /var/lib/netgwm/mode).
   */
  pinned: string | null;
  conntrackFlush: ConntrackFlushMode;
  /** On leaving MASTER: leave the route as it is, or restore the configured fallback route. */
  onLeaveMaster: 'leave' | 'fallback';
}

/** What one gateway's probes to one check site came back with in one round. */
export interface SiteProbeResult {
  /** The check site as configured (address or host name). */
  site: string;
  /** Echo requests sent (0 when the site has no address, e.g. its name did not resolve). */
  sent: number;
  received: number;
  /** Mean round-trip time of the replies, null without replies. */
  rttMs: number | null;
}

export interface GatewayRound {
  gatewayId: string;
  sites: SiteProbeResult[];
}

/** Per-round loss bookkeeping for the sliding loss window. */
export interface RoundLoss {
  sent: number;
  lost: number;
  /** RTTs measured in that round (per answering site), for latency and jitter. */
  rttsMs?: number[];
}

/** Which quality measure is above its threshold. */
export type QualityAlarm = 'loss' | 'rtt' | 'jitter';

export interface GatewayHealth {
  id: string;
  state: GatewayHealthState;
  lastRttMs: number | null;
  /** The last `lossWindowRounds` rounds, oldest first. */
  lossWindow: RoundLoss[];
  /** Raised when a quality measure went above its failure threshold, until all are back below recovery. */
  alarm: QualityAlarm | null;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** Start of the current unbroken run of healthy rounds while UP; null otherwise. */
  healthySince: number | null;
  /** First success of the current success streak (becomes healthySince on the way UP). */
  streakSince: number | null;
  /**
   * Flap memory: when the gateway last failed a round (every failed round, as NetGWM restarts its
   * damping clock at every failed check), kept until it has answered every round for min_uptime.
   * A gateway with flap memory is not "stable", so it is not preferred (NetGWM's damping).
   */
  lastFailureAt: number | null;
}

/**
 * VRRP tie-in: only a master (or a router running the module alone) touches routes. master and
 * backup follow VRRP; standalone always owns the default route.
 */
export const UPLINK_ROLES = ['master', 'backup', 'standalone'] as const;
export type UplinkRole = (typeof UPLINK_ROLES)[number];

/** The selector's whole state: what stepUplinks reads and returns. */
/** Why the route is written again although the chosen gateway may not have changed. */
export type RewriteReason = 'master' | 'retry' | 'repair';

export interface SelectorState {
  role: UplinkRole;
  /** Per gateway, in configuration order. */
  gateways: GatewayHealth[];
  /** The gateway the default route points at as far as we know; null when none of ours. */
  active: string | null;
  /**
   * With tiers: every gateway of the (multipath) default route, `active` first. Without tiers it
   * is `[active]` (or empty), kept in step so the two modes read the same.
   */
  members: string[];
  /**
   * Set when the kernel's route must be (re)written at the next decision even if `active`
   * already names the chosen gateway: after becoming master (`master`), or after a failed write
   * (`retry`). The value is the reason the write is logged with.
   */
  rewrite: RewriteReason | null;
  /** Set while every gateway is down, so "all down" is logged once per outage. */
  allDown: boolean;
  /** NetGWM's runtime pin (/var/lib/netgwm/mode, `vrrpctl uplink pin`); applies when the yml has no `mode`. */
  runtimePin: string | null;
  /** The last persisted snapshot, so `persist` is only emitted when something worth keeping changed. */
  persisted: PersistedUplinkState | null;
}

/** The state kept across restarts: which gateways were flapping, and which one was active. */
export interface PersistedUplinkState {
  version: 1;
  active: string | null;
  /** Epoch milliseconds of the last failure, per gateway still carrying flap memory. */
  flapping: Record<string, number>;
}

/** A gateway as the route and hook actions need it. */
export interface GatewayRef {
  id: string;
  ip: string | null;
  dev: string | null;
}

export type SwitchReason =
  /** First route install (start, or becoming master with no gateway of ours in the route). */
  | 'initial'
  /** The active gateway went DOWN. */
  | 'failover'
  /** A better gateway has been stable for min_uptime. */
  | 'failback'
  /** NetGWM `mode` names a gateway. */
  | 'pinned'
  /** Becoming master: the route is written from fresh probe data. */
  | 'master'
  /** Re-writing the route after a failed attempt. */
  | 'retry'
  /** Someone else deleted or changed the default route while this router owned it. */
  | 'repair';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What the policy logs. The shell writes each as a catalogue line (its code and template are in
 * runtime/messages-uplinks.ts, which this layer may not import); `message` is the same text, kept
 * for the policy's own tests, and `fields` hold every part the template needs.
 */
export type UplinkLogEvent =
  'uplink_all_down' | 'uplink_health' | 'uplink_role' | 'uplink_route_changed' | 'uplink_pin';

/** One next hop of a multipath default route. */
export interface WeightedGateway {
  gateway: GatewayRef;
  weight: number;
}

export type UplinkAction =
  | {
      type: 'replaceDefaultRoute';
      /** The route's primary gateway (the only one, unless `nexthops` has several). */
      gateway: GatewayRef;
      /** With tiers and several gateways in the chosen tier: every next hop, `gateway` first. */
      nexthops?: WeightedGateway[];
      previous: string | null;
      reason: SwitchReason;
    }
  | { type: 'restoreFallbackRoute' }
  | { type: 'flushConntrack'; mode: 'udp' | 'all'; old: GatewayRef }
  /** NetGWM's six post-replace.d arguments: new id, ip, dev, old id, ip, dev (`NaN` when unknown). */
  | { type: 'runHooks'; args: [string, string, string, string, string, string] }
  /** A gateway came UP or went DOWN (mwan3-style event hooks, on every role). */
  | { type: 'gatewayEvent'; action: 'up' | 'down'; gateway: GatewayRef; previous: GatewayHealthState }
  | { type: 'logSwitch'; from: GatewayRef | null; to: GatewayRef; reason: SwitchReason }
  | { type: 'log'; level: LogLevel; event: UplinkLogEvent; message: string; fields: Record<string, unknown> }
  | { type: 'persist'; snapshot: PersistedUplinkState }
  /** Run a probe round now instead of waiting for the next interval. */
  | { type: 'probeNow' };

export type UplinkEvent =
  | { type: 'round'; results: GatewayRound[] }
  | { type: 'role'; role: UplinkRole }
  /** The last replaceDefaultRoute failed: the route still points where it did before. */
  | { type: 'routeFailed'; gatewayId: string; previous: string | null }
  /**
   * The kernel's default route as it is now (read after a route notification): the gateway it
   * goes through (null: none of ours, or no route at all) and whether there is a route.
   */
  | {
      type: 'kernelRoute';
      gatewayId: string | null;
      present: boolean;
      /** Every gateway of ours among the route's next hops (a multipath route has several). */
      members?: string[];
    }
  /** The runtime pin changed: a gateway id, or null for automatic selection. */
  | { type: 'pin'; gateway: string | null };

export interface StepResult {
  state: SelectorState;
  actions: UplinkAction[];
}
