// The shapes `vrrpctl status --json` and `vrrpctl stats --json` print, exactly as issue 6 specifies
// them. They are a public interface (scripts and monitoring parse them): add fields, never rename or
// retype one. States are strings, not numbers, so a reader never needs a lookup table.

import type { VrrpState } from '../vrrp/types.js';
import type { UplinkGroupStatus, UplinkStatus } from '../uplink/status.js';

// The uplink shapes are defined by the uplink core (src/uplink/status.ts) and only re-exported here,
// so the public schema has one definition.
export {
  GATEWAY_HEALTH_STATES,
  UPLINK_ROLES,
  type GatewayHealthState,
  type UplinkGroupStatus,
  type UplinkRole,
  type UplinkStatus,
} from '../uplink/status.js';

/** What an instance can track (keepalived's track_script, track_interface, track_file, track_process). */
export const TRACKER_KINDS = ['script', 'interface', 'file', 'process', 'bfd'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/** UNKNOWN until the first result arrives (a script that has not run yet, a link not yet reported). */
export const TRACKER_STATUSES = ['UP', 'DOWN', 'UNKNOWN'] as const;
export type TrackerStatus = (typeof TRACKER_STATUSES)[number];

export interface TrackerStatusEntry {
  kind: TrackerKind;
  name: string;
  status: TrackerStatus;
  /** keepalived weight: added to (or, negative, subtracted from) the priority while it applies. */
  weight: number;
  /** What it adds to the priority right now (0 when it does not apply or when it forces FAULT). */
  contribution: number;
  /** vrrp_script only: consecutive successful / failed runs (rise and fall count these); else null. */
  consecutiveSuccesses: number | null;
  consecutiveFailures: number | null;
}

export interface InstanceCounters {
  advertsRx: number;
  advertsTx: number;
  becameMaster: number;
  releasedMaster: number;
  priorityZeroRx: number;
  priorityZeroTx: number;
  /** Received packets dropped, by reason (the validation ladder's codes, e.g. `checksum`). */
  drops: Record<string, number>;
}

export interface InstanceStatus {
  name: string;
  interface: string;
  vrid: number;
  version: 2 | 3;
  state: VrrpState;
  /** Configured priority. */
  priority: number;
  /** Priority after tracker weights, the one advertised. */
  effectivePriority: number;
  /** Address of the current master as last seen; null while unknown (INIT, FAULT, no advert yet). */
  masterAddress: string | null;
  /** Seconds (fractional for VRRPv3 centisecond intervals). */
  advertInterval: number;
  /** Seconds: RFC 3768 §6.1 Master_Down_Interval = 3 × Advertisement_Interval + Skew_Time. */
  masterDownInterval: number;
  /** Virtual addresses as configured, `192.0.2.254/24`, optionally followed by ` dev IFACE`. */
  vips: string[];
  /** ISO 8601 time of the last state change (or of start-up). */
  lastTransition: string;
  lastTransitionReason: string;
  trackers: TrackerStatusEntry[];
  counters: InstanceCounters;
  /** `vrrpctl handover`: held in BACKUP until resumed (or `until`); null when not in maintenance. */
  maintenance: MaintenanceStatus | null;
  /** `vrrpctl demote`: the runtime priority replacing `priority` until resumed; null when none. */
  priorityOverride: PriorityOverrideStatus | null;
  /** Left MASTER make-before-break and still holds the addresses until the new master speaks. */
  releasing: boolean;
  /** use_vmac / use_vmac_addr: the macvlan interfaces vrrpd made (or adopted) for the instance. */
  vmacs: VmacStatus[];
  /** use_ipvlan: the ipvlan vrrpd made (or adopted) for the instance; empty when none. */
  ipvlans: IpvlanStatus[];
}

export interface IpvlanStatus {
  /** The ipvlan interface, e.g. `vrrp.51`. */
  name: string;
  /** The interface it sits on. */
  base: string;
  /** Its kind (L2 mode): bridge, private or vepa. */
  kind: string;
  /** The address put on it (ADDR/LEN), the adverts' source; null when none (IPv6). */
  address: string | null;
}

export interface VmacStatus {
  /** The macvlan interface, e.g. `vrrp.51`. */
  name: string;
  /** The interface it sits on. */
  base: string;
  /** Its MAC address, `00:00:5e:00:01:33` unless configured. */
  mac: string;
}

export interface MaintenanceStatus {
  /** ISO 8601 times. */
  since: string;
  until: string | null;
  by: string;
  reason: string;
}

export interface PriorityOverrideStatus {
  priority: number;
  since: string;
  by: string;
  reason: string;
}

export interface StatusSnapshot {
  instances: InstanceStatus[];
  /** Every gateway of every uplink group, group by group, each in preference order. */
  uplinks: UplinkStatus[];
  uplinkGroups: UplinkGroupStatus[];
}

/** `vrrpctl stats`: the counters of every instance. */
export interface InstanceStats {
  name: string;
  interface: string;
  vrid: number;
  counters: InstanceCounters;
}

export interface StatsSnapshot {
  /** ISO 8601 time since when these counters count (daemon start or the last `stats --clear`). */
  since: string;
  instances: InstanceStats[];
}

/** The reply to `reload`: whether the new configuration replaced the running one, and why not. */
export interface ReloadResult {
  accepted: boolean;
  errors: string[];
}

/** The reply to `uplinkPin`. */
export type UplinkPinResult =
  { ok: true; group?: string; pinned: string | null; modeFile: string } | { ok: false; error: string };

export interface GarpResult {
  ok: boolean;
  error?: string;
}

/** What handover / resume / demote answer: the instances acted on, or why not. */
export type AdminResult = { ok: true; instances: string[] } | { ok: false; error: string };
