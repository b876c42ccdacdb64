// Prometheus metrics, computed from a status snapshot at scrape time. Metric names and labels follow
// the widely deployed keepalived exporter (github.com/mehdy/keepalived-exporter), so dashboards and
// alerts written for keepalived (`keepalived_vrrp_state == 2`) keep working; vrrpd's own extras are
// prefixed `vrrpd_`. A private Registry keeps these apart from anything else in the process.

import { Counter, Gauge, Registry } from 'prom-client';
import { DropReason, type DropReasonCode } from '../packet/types.js';
import { vipAddress, vipInterface } from './format-values.js';
import { registerProcessMetrics } from './process-metrics.js';
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

const INSTANCE_LABELS = ['iname', 'intf', 'vrid'] as const;
type InstanceLabels = Record<(typeof INSTANCE_LABELS)[number], string>;
// `group` first: two uplink groups may use the same gateway ids (each its own netgwm.yml).
const UPLINK_LABELS = ['group', 'uplink', 'ip', 'dev'] as const;
type UplinkLabels = Record<(typeof UPLINK_LABELS)[number], string>;

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

/**
 * prom-client calls every metric's collect() at the start of a scrape, synchronously one after the
 * other; sharing one snapshot across that pass keeps a scrape self-consistent (state and counters
 * from the same instant) and asks the daemon once, not once per metric.
 */
class ScrapeSnapshot {
  private pending: Promise<StatusSnapshot> | undefined;
  constructor(private readonly source: SnapshotSource) {}

  get(): Promise<StatusSnapshot> {
    if (this.pending === undefined) {
      this.pending = Promise.resolve().then(() => this.source());
      setImmediate(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }
}

function instanceCounter(registry: Registry, scrape: ScrapeSnapshot, mapping: CounterMapping): void {
  new Counter({
    name: mapping.name,
    help: mapping.help,
    labelNames: INSTANCE_LABELS,
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances)
        this.inc(instanceLabels(instance), mapping.value(instance.counters));
    },
  });
}

function instanceGauge(
  registry: Registry,
  scrape: ScrapeSnapshot,
  name: string,
  help: string,
  value: (instance: InstanceStatus) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: INSTANCE_LABELS,
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances) this.set(instanceLabels(instance), value(instance));
    },
  });
}

function uplinkGauge(
  registry: Registry,
  scrape: ScrapeSnapshot,
  name: string,
  help: string,
  value: (uplink: UplinkStatus) => number | null,
): void {
  new Gauge({
    name,
    help,
    labelNames: UPLINK_LABELS,
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const uplink of snapshot.uplinks) {
        const current = value(uplink);
        if (current !== null) this.set(uplinkLabels(uplink), current);
      }
    },
  });
}

function uplinkGroupCounter(
  registry: Registry,
  scrape: ScrapeSnapshot,
  name: string,
  help: string,
  value: (group: UplinkGroupStatus) => number,
): void {
  new Counter({
    name,
    help,
    labelNames: ['group'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const group of snapshot.uplinkGroups) this.inc({ group: group.name }, value(group));
    },
  });
}

function uplinkGroupGauge(
  registry: Registry,
  scrape: ScrapeSnapshot,
  name: string,
  help: string,
  value: (group: UplinkGroupStatus) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['group'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const group of snapshot.uplinkGroups) this.set({ group: group.name }, value(group));
    },
  });
}

function registerKeepalivedMetrics(registry: Registry, scrape: ScrapeSnapshot): void {
  new Gauge({
    name: 'keepalived_up',
    help: 'Status',
    registers: [registry],
    collect() {
      this.set(1);
    },
  });
  // One series per VIP, labelled with the VIP's address and interface, as the exporter does; an
  // instance without VIPs still gets one series (empty ip_address) so its state stays visible.
  new Gauge({
    name: 'keepalived_vrrp_state',
    help: 'State of vrrp',
    labelNames: ['iname', 'intf', 'vrid', 'ip_address'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances) {
        const value = KEEPALIVED_STATE_VALUE[instance.state];
        const { iname, vrid } = instanceLabels(instance);
        if (instance.vips.length === 0)
          this.set({ iname, intf: instance.interface, vrid, ip_address: '' }, value);
        for (const vip of instance.vips) {
          this.set(
            { iname, intf: vipInterface(vip, instance.interface), vrid, ip_address: vipAddress(vip) },
            value,
          );
        }
      }
    },
  });
  for (const mapping of KEEPALIVED_COUNTERS) instanceCounter(registry, scrape, mapping);
  // keepalived's GOOD/BAD script status as the exporter numbers it (BAD 0, GOOD 1); a script that has
  // not reported yet is left out rather than guessed. Several instances may track the same script.
  new Gauge({
    name: 'keepalived_script_status',
    help: 'Tracker Script Status',
    labelNames: ['name'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances) {
        for (const tracker of instance.trackers) {
          if (tracker.kind !== 'script' || tracker.status === 'UNKNOWN') continue;
          this.set({ name: tracker.name }, tracker.status === 'UP' ? 1 : 0);
        }
      }
    },
  });
}

function registerVrrpdMetrics(registry: Registry, scrape: ScrapeSnapshot): void {
  instanceGauge(registry, scrape, 'vrrpd_priority', 'Configured VRRP priority', (i) => i.priority);
  instanceGauge(
    registry,
    scrape,
    'vrrpd_effective_priority',
    'Priority after tracker weights, as advertised',
    (i) => i.effectivePriority,
  );
  instanceGauge(
    registry,
    scrape,
    'vrrpd_maintenance',
    'Held in BACKUP by vrrpctl handover until resumed (1), or not (0)',
    (i) => (i.maintenance ? 1 : 0),
  );
  instanceGauge(
    registry,
    scrape,
    'vrrpd_priority_override',
    'Runtime priority set by vrrpctl demote (0 when none)',
    (i) => i.priorityOverride?.priority ?? 0,
  );
  instanceGauge(
    registry,
    scrape,
    'vrrpd_last_transition_timestamp_seconds',
    'Unix time of the last state transition',
    (i) => Date.parse(i.lastTransition) / 1000,
  );
  new Counter({
    name: 'vrrpd_drops_total',
    help: 'Received VRRP packets dropped, by validation step',
    labelNames: [...INSTANCE_LABELS, 'reason'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances) {
        for (const [reason, count] of Object.entries(instance.counters.drops)) {
          this.inc({ ...instanceLabels(instance), reason }, count);
        }
      }
    },
  });
  new Gauge({
    name: 'vrrpd_tracker_up',
    help: 'Tracker status: 1 up, 0 down (absent while unknown)',
    labelNames: ['iname', 'kind', 'name'],
    registers: [registry],
    async collect() {
      const snapshot = await scrape.get();
      this.reset();
      for (const instance of snapshot.instances) {
        for (const tracker of instance.trackers) {
          if (tracker.status === 'UNKNOWN') continue;
          this.set(
            { iname: instance.name, kind: tracker.kind, name: tracker.name },
            tracker.status === 'UP' ? 1 : 0,
          );
        }
      }
    },
  });
  uplinkGauge(registry, scrape, 'vrrpd_uplink_up', 'Uplink health: 1 up, 0 otherwise', (u) =>
    u.state === 'UP' ? 1 : 0,
  );
  uplinkGauge(registry, scrape, 'vrrpd_uplink_active', '1 for the uplink carrying the default route', (u) =>
    u.active ? 1 : 0,
  );
  uplinkGauge(registry, scrape, 'vrrpd_uplink_priority', 'Configured uplink priority', (u) => u.priority);
  uplinkGauge(registry, scrape, 'vrrpd_uplink_rtt_seconds', 'Last probe round-trip time', (u) =>
    u.rttMs === null ? null : u.rttMs / 1000,
  );
  uplinkGauge(registry, scrape, 'vrrpd_uplink_loss_ratio', 'Fraction of recent probes lost', (u) => u.loss);
  uplinkGauge(
    registry,
    scrape,
    'vrrpd_uplink_latency_seconds',
    'Mean RTT over the measurement window',
    (u) => (u.latencyMs === null ? null : u.latencyMs / 1000),
  );
  uplinkGauge(
    registry,
    scrape,
    'vrrpd_uplink_jitter_seconds',
    'Standard deviation of the RTT over the measurement window',
    (u) => (u.jitterMs === null ? null : u.jitterMs / 1000),
  );
  uplinkGauge(
    registry,
    scrape,
    'vrrpd_uplink_quality_alarm',
    '1 while a loss, latency or jitter alarm is raised',
    (u) => (u.alarm === null ? 0 : 1),
  );
  uplinkGauge(
    registry,
    scrape,
    'vrrpd_uplink_healthy_since_timestamp_seconds',
    'Unix time since when the uplink has been continuously healthy (absent while not healthy)',
    (u) => (u.healthySince === null ? null : Date.parse(u.healthySince) / 1000),
  );
  uplinkGroupCounter(
    registry,
    scrape,
    'vrrpd_uplink_switches_total',
    'Default-route changes to another gateway',
    (g) => g.switches,
  );
  uplinkGroupCounter(
    registry,
    scrape,
    'vrrpd_uplink_route_errors_total',
    'Failed default-route writes',
    (g) => g.routeErrors,
  );
  uplinkGroupGauge(
    registry,
    scrape,
    'vrrpd_uplink_group_error',
    '1 while the uplink group is in an error state (its netgwm.yml cannot be used)',
    (g) => (g.error === null ? 0 : 1),
  );
}

/** A registry whose metrics are computed from `source()` on every scrape. */
export function createMetricsRegistry(source: SnapshotSource): Registry {
  const registry = new Registry();
  const scrape = new ScrapeSnapshot(source);
  registerKeepalivedMetrics(registry, scrape);
  registerVrrpdMetrics(registry, scrape);
  registerProcessMetrics(registry);
  return registry;
}
