// Prometheus metrics, computed from a status snapshot at scrape time. Metric names and labels follow
// the widely deployed keepalived exporter (github.com/mehdy/keepalived-exporter), so dashboards and
// alerts written for keepalived (`keepalived_vrrp_state == 2`) keep working; vrrpd's own extras are
// prefixed `vrrpd_`. One snapshot per scrape, so state and counters come from the same instant.
// The text is written by exposition.ts (no prom-client: issue 15).

import { DropReason, type DropReasonCode } from '../packet/types.js';
import { EXPOSITION_CONTENT_TYPE, FamilyBuilder, renderExposition, type MetricFamily } from './exposition.js';
import { vipAddress, vipInterface } from './format-values.js';
import { processFamilies } from './process-metrics.js';
import type {
  InstanceCounters,
  InstanceStatus,
  StatusSnapshot,
  UplinkGroupStatus,
  UplinkStatus,
} from './status-types.js';
import type { VrrpState } from '../vrrp/types.js';

export type SnapshotSource = () => StatusSnapshot | Promise<StatusSnapshot>;

/** keepalived's numbering, which the exporter exports as the gauge value. */
export const KEEPALIVED_STATE_VALUE: Record<VrrpState, number> = {
  INIT: 0,
  BACKUP: 1,
  MASTER: 2,
  FAULT: 3,
};

type InstanceLabels = Record<'iname' | 'intf' | 'vrid', string>;
// `group` first: two uplink groups may use the same gateway ids (each its own netgwm.yml).
type UplinkLabels = Record<'group' | 'uplink' | 'ip' | 'dev', string>;

function instanceLabels(instance: InstanceStatus): InstanceLabels {
  return { iname: instance.name, intf: instance.interface, vrid: String(instance.vrid) };
}

function uplinkLabels(uplink: UplinkStatus): UplinkLabels {
  return { group: uplink.group, uplink: uplink.id, ip: uplink.ip, dev: uplink.dev };
}

function sumDrops(counters: InstanceCounters, reasons: readonly DropReasonCode[]): number {
  return reasons.reduce((sum, reason) => sum + (counters.drops[reason] ?? 0), 0);
}

interface CounterMapping {
  name: string;
  help: string;
  value: (counters: InstanceCounters) => number;
}

/**
 * The exporter's per-instance counters. Its error counters come from keepalived's receive checks;
 * ours are the validation ladder's drop reasons. keepalived separates an auth type it does not know
 * (`invalid`) from one that differs from ours (`mismatch`); our ladder has one `auth_type` code for
 * both, counted as a mismatch, so `keepalived_authentication_invalid_total` stays 0.
 */
const KEEPALIVED_COUNTERS: CounterMapping[] = [
  {
    name: 'keepalived_advertisements_received_total',
    help: 'Advertisements received',
    value: (c) => c.advertsRx,
  },
  { name: 'keepalived_advertisements_sent_total', help: 'Advertisements sent', value: (c) => c.advertsTx },
  { name: 'keepalived_become_master_total', help: 'Became master', value: (c) => c.becameMaster },
  { name: 'keepalived_release_master_total', help: 'Released master', value: (c) => c.releasedMaster },
  {
    name: 'keepalived_priority_zero_received_total',
    help: 'Priority zero received',
    value: (c) => c.priorityZeroRx,
  },
  { name: 'keepalived_priority_zero_sent_total', help: 'Priority zero sent', value: (c) => c.priorityZeroTx },
  {
    name: 'keepalived_packet_length_errors_total',
    help: 'Packet length errors',
    value: (c) => sumDrops(c, [DropReason.length]),
  },
  {
    name: 'keepalived_advertisements_interval_errors_total',
    help: 'Advertisement interval errors',
    value: (c) => sumDrops(c, [DropReason.advertInterval]),
  },
  {
    name: 'keepalived_ip_ttl_errors_total',
    help: 'TTL errors',
    value: (c) => sumDrops(c, [DropReason.ipTtl]),
  },
  {
    name: 'keepalived_invalid_type_received_total',
    help: 'Invalid type errors',
    value: (c) => sumDrops(c, [DropReason.type]),
  },
  {
    name: 'keepalived_address_list_errors_total',
    help: 'Address list errors',
    value: (c) => sumDrops(c, [DropReason.addressMismatch]),
  },
  { name: 'keepalived_authentication_invalid_total', help: 'Authentication invalid', value: () => 0 },
  {
    name: 'keepalived_authentication_mismatch_total',
    help: 'Authentication mismatch',
    value: (c) => sumDrops(c, [DropReason.authType]),
  },
  {
    name: 'keepalived_authentication_failure_total',
    help: 'Authentication failure',
    value: (c) => sumDrops(c, [DropReason.authPassword]),
  },
];

/** A family of one series per instance. */
function perInstance(
  snapshot: StatusSnapshot,
  name: string,
  help: string,
  type: 'counter' | 'gauge',
  value: (instance: InstanceStatus) => number,
): MetricFamily {
  const family = new FamilyBuilder(name, help, type);
  for (const instance of snapshot.instances) family.set(instanceLabels(instance), value(instance));
  return family.build();
}

/** A family of one series per uplink; null values leave the uplink out. */
function perUplink(
  snapshot: StatusSnapshot,
  name: string,
  help: string,
  value: (uplink: UplinkStatus) => number | null,
): MetricFamily {
  const family = new FamilyBuilder(name, help, 'gauge');
  for (const uplink of snapshot.uplinks) {
    const current = value(uplink);
    if (current !== null) family.set(uplinkLabels(uplink), current);
  }
  return family.build();
}

/** A family of one series per uplink group. */
function perUplinkGroup(
  snapshot: StatusSnapshot,
  name: string,
  help: string,
  type: 'counter' | 'gauge',
  value: (group: UplinkGroupStatus) => number,
): MetricFamily {
  const family = new FamilyBuilder(name, help, type);
  for (const group of snapshot.uplinkGroups) family.set({ group: group.name }, value(group));
  return family.build();
}

function keepalivedFamilies(snapshot: StatusSnapshot): MetricFamily[] {
  const up = new FamilyBuilder('keepalived_up', 'Status', 'gauge');
  up.set({}, 1);
  // One series per VIP, labelled with the VIP's address and interface, as the exporter does; an
  // instance without VIPs still gets one series (empty ip_address) so its state stays visible.
  const state = new FamilyBuilder('keepalived_vrrp_state', 'State of vrrp', 'gauge');
  for (const instance of snapshot.instances) {
    const value = KEEPALIVED_STATE_VALUE[instance.state];
    const { iname, vrid } = instanceLabels(instance);
    if (instance.vips.length === 0)
      state.set({ iname, intf: instance.interface, vrid, ip_address: '' }, value);
    for (const vip of instance.vips) {
      state.set(
        { iname, intf: vipInterface(vip, instance.interface), vrid, ip_address: vipAddress(vip) },
        value,
      );
    }
  }
  // keepalived's GOOD/BAD script status as the exporter numbers it (BAD 0, GOOD 1); a script that has
  // not reported yet is left out rather than guessed. Several instances may track the same script.
  const scripts = new FamilyBuilder('keepalived_script_status', 'Tracker Script Status', 'gauge');
  for (const instance of snapshot.instances) {
    for (const tracker of instance.trackers) {
      if (tracker.kind !== 'script' || tracker.status === 'UNKNOWN') continue;
      scripts.set({ name: tracker.name }, tracker.status === 'UP' ? 1 : 0);
    }
  }
  return [
    up.build(),
    state.build(),
    ...KEEPALIVED_COUNTERS.map((mapping) =>
      perInstance(snapshot, mapping.name, mapping.help, 'counter', (i) => mapping.value(i.counters)),
    ),
    scripts.build(),
  ];
}

function vrrpdFamilies(snapshot: StatusSnapshot): MetricFamily[] {
  const drops = new FamilyBuilder(
    'vrrpd_drops_total',
    'Received VRRP packets dropped, by validation step',
    'counter',
  );
  for (const instance of snapshot.instances) {
    for (const [reason, count] of Object.entries(instance.counters.drops)) {
      drops.set({ ...instanceLabels(instance), reason }, count);
    }
  }
  const trackers = new FamilyBuilder(
    'vrrpd_tracker_up',
    'Tracker status: 1 up, 0 down (absent while unknown)',
    'gauge',
  );
  for (const instance of snapshot.instances) {
    for (const tracker of instance.trackers) {
      if (tracker.status === 'UNKNOWN') continue;
      trackers.set(
        { iname: instance.name, kind: tracker.kind, name: tracker.name },
        tracker.status === 'UP' ? 1 : 0,
      );
    }
  }
  const gauge = (name: string, help: string, value: (i: InstanceStatus) => number) =>
    perInstance(snapshot, name, help, 'gauge', value);
  return [
    gauge('vrrpd_priority', 'Configured VRRP priority', (i) => i.priority),
    gauge(
      'vrrpd_effective_priority',
      'Priority after tracker weights, as advertised',
      (i) => i.effectivePriority,
    ),
    gauge('vrrpd_maintenance', 'Held in BACKUP by vrrpctl handover until resumed (1), or not (0)', (i) =>
      i.maintenance ? 1 : 0,
    ),
    gauge(
      'vrrpd_priority_override',
      'Runtime priority set by vrrpctl demote (0 when none)',
      (i) => i.priorityOverride?.priority ?? 0,
    ),
    gauge(
      'vrrpd_last_transition_timestamp_seconds',
      'Unix time of the last state transition',
      (i) => Date.parse(i.lastTransition) / 1000,
    ),
    drops.build(),
    trackers.build(),
    perUplink(snapshot, 'vrrpd_uplink_up', 'Uplink health: 1 up, 0 otherwise', (u) =>
      u.state === 'UP' ? 1 : 0,
    ),
    perUplink(snapshot, 'vrrpd_uplink_active', '1 for the uplink carrying the default route', (u) =>
      u.active ? 1 : 0,
    ),
    perUplink(snapshot, 'vrrpd_uplink_priority', 'Configured uplink priority', (u) => u.priority),
    perUplink(snapshot, 'vrrpd_uplink_rtt_seconds', 'Last probe round-trip time', (u) =>
      u.rttMs === null ? null : u.rttMs / 1000,
    ),
    perUplink(snapshot, 'vrrpd_uplink_loss_ratio', 'Fraction of recent probes lost', (u) => u.loss),
    perUplink(snapshot, 'vrrpd_uplink_latency_seconds', 'Mean RTT over the measurement window', (u) =>
      u.latencyMs === null ? null : u.latencyMs / 1000,
    ),
    perUplink(
      snapshot,
      'vrrpd_uplink_jitter_seconds',
      'Standard deviation of the RTT over the measurement window',
      (u) => (u.jitterMs === null ? null : u.jitterMs / 1000),
    ),
    perUplink(
      snapshot,
      'vrrpd_uplink_quality_alarm',
      '1 while a loss, latency or jitter alarm is raised',
      (u) => (u.alarm === null ? 0 : 1),
    ),
    perUplink(
      snapshot,
      'vrrpd_uplink_healthy_since_timestamp_seconds',
      'Unix time since when the uplink has been continuously healthy (absent while not healthy)',
      (u) => (u.healthySince === null ? null : Date.parse(u.healthySince) / 1000),
    ),
    perUplinkGroup(
      snapshot,
      'vrrpd_uplink_switches_total',
      'Default-route changes to another gateway',
      'counter',
      (g) => g.switches,
    ),
    perUplinkGroup(
      snapshot,
      'vrrpd_uplink_route_errors_total',
      'Failed default-route writes',
      'counter',
      (g) => g.routeErrors,
    ),
    perUplinkGroup(
      snapshot,
      'vrrpd_uplink_group_error',
      '1 while the uplink group is in an error state (its netgwm.yml cannot be used)',
      'gauge',
      (g) => (g.error === null ? 0 : 1),
    ),
  ];
}

/** Every metric family of one scrape, in exposition order. */
export function metricFamilies(snapshot: StatusSnapshot): MetricFamily[] {
  return [...keepalivedFamilies(snapshot), ...vrrpdFamilies(snapshot), ...processFamilies()];
}

/** What the HTTP endpoint serves: the exposition of a fresh snapshot per scrape. */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Metrics computed from `source()` on every scrape. */
export function createMetricsRegistry(source: SnapshotSource): MetricsRegistry {
  return {
    contentType: EXPOSITION_CONTENT_TYPE,
    async metrics() {
      return renderExposition(metricFamilies(await source()));
    },
  };
}
