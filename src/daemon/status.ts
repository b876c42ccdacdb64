// The daemon's state as `vrrpctl status --json` shows it (src/control/status-types.ts).

import type {
  InstanceStatus,
  StatsSnapshot,
  StatusSnapshot,
  TrackerStatusEntry,
} from '../control/status-types.js';
import { masterDownInterval } from '../vrrp/index.js';
import { isoTime } from '../runtime/iso-time.js';
import type { AdminRecord } from './admin-store.js';
import { copyCounters } from './counters.js';
import type { Daemon } from './daemon.js';
import type { TrackerBinding } from './plan.js';

function trackerEntries(
  daemon: Daemon,
  trackers: readonly TrackerBinding[],
  applied: Readonly<Record<string, number>>,
): TrackerStatusEntry[] {
  const { scripts, files, processes, bfds } = daemon.trackerStates();
  return trackers.map((binding) => {
    let status: TrackerStatusEntry['status'] = 'UNKNOWN';
    let consecutiveSuccesses: number | null = null;
    let consecutiveFailures: number | null = null;
    if (binding.kind === 'interface') {
      const usable = daemon.linkUsable(binding.name);
      if (usable !== undefined) status = usable ? 'UP' : 'DOWN';
    } else if (binding.kind === 'script') {
      const state = scripts.find((s) => s.name === binding.name);
      if (state && state.status !== 'INIT') status = state.status === 'OK' ? 'UP' : 'DOWN';
      consecutiveSuccesses = state?.consecutiveSuccesses ?? 0;
      consecutiveFailures = state?.consecutiveFailures ?? 0;
    } else if (binding.kind === 'process') {
      const state = processes.find((p) => p.name === binding.name);
      if (state) status = state.up ? 'UP' : 'DOWN';
    } else if (binding.kind === 'bfd') {
      // keepalived's bfd_up: down until the session first comes Up.
      status = bfds.find((b) => b.name === binding.name)?.up ? 'UP' : 'DOWN';
    } else {
      const state = files.find((f) => f.name === binding.name);
      if (state) status = state.fault ? 'DOWN' : 'UP';
    }
    return {
      kind: binding.kind,
      name: binding.name,
      status,
      weight: binding.weight,
      // What the state machine applied (src/vrrp/priority.ts), not a recomputation.
      contribution: applied[binding.key] ?? 0,
      consecutiveSuccesses,
      consecutiveFailures,
    };
  });
}

function adminStatus(
  record: AdminRecord | undefined,
): Pick<InstanceStatus, 'maintenance' | 'priorityOverride'> {
  const hold = record?.hold ?? null;
  const override = record?.priority ?? null;
  return {
    maintenance: hold && {
      since: isoTime(hold.since),
      until: hold.until === null ? null : isoTime(hold.until),
      by: hold.by,
      reason: hold.reason,
    },
    priorityOverride: override && {
      priority: override.priority,
      since: isoTime(override.since),
      by: override.by,
      reason: override.reason,
    },
  };
}

/** The uplink part of a snapshot (src/daemon/uplinks/uplink-groups.ts fills it). */
export type UplinkSnapshot = Pick<StatusSnapshot, 'uplinks' | 'uplinkGroups'>;

export function statusSnapshot(
  daemon: Daemon,
  uplinks: UplinkSnapshot = { uplinks: [], uplinkGroups: [] },
): StatusSnapshot {
  const vmacs = daemon.vmacList();
  const ipvlans = daemon.ipvlanList();
  const instances: InstanceStatus[] = daemon.instances().map(({ instance, runtime }) => {
    const { config } = instance;
    return {
      name: config.name,
      interface: runtime.plan.interfaceName,
      vrid: config.vrid,
      version: config.version,
      state: instance.state,
      // The configured priority; a runtime override shows in priorityOverride and effectivePriority.
      priority: runtime.plan.core.priority,
      effectivePriority: instance.effectivePriority,
      masterAddress: instance.masterAddress,
      advertInterval: config.advertIntervalCs / 100,
      masterDownInterval:
        masterDownInterval(
          config.version,
          instance.effectivePriority,
          instance.masterAdverIntervalCs,
          config.downTimerAdverts,
        ) / 1000,
      vips: [...runtime.plan.vips, ...runtime.plan.excludedVips].map(
        (v) => `${v.address}/${v.prefix}${v.dev ? ` dev ${v.dev}` : ''}`,
      ),
      lastTransition: isoTime(runtime.lastTransition.wallAt),
      lastTransitionReason: runtime.lastTransition.reason,
      trackers: trackerEntries(daemon, runtime.plan.trackers, instance.trackers),
      counters: copyCounters(runtime.counters),
      ...adminStatus(daemon.adminRecord(config.name)),
      releasing: instance.releasing,
      vmacs: vmacs
        .filter((vmac) => vmac.instance === config.name)
        .map(({ name, base, mac }) => ({ name, base, mac })),
      ipvlans: ipvlans
        .filter((ipvlan) => ipvlan.instance === config.name)
        .map(({ name, base, kind, address }) => ({ name, base, kind, address })),
    };
  });
  return { instances, uplinks: uplinks.uplinks, uplinkGroups: uplinks.uplinkGroups };
}

export function statsSnapshot(daemon: Daemon, clear: boolean): StatsSnapshot {
  const interfaces = new Map(daemon.instances().map(({ runtime }) => [runtime.plan.name, runtime.plan]));
  const stats = daemon.stats(clear);
  return {
    since: isoTime(stats.since),
    instances: stats.instances.map(({ name, counters }) => ({
      name,
      interface: interfaces.get(name)?.interfaceName ?? '',
      vrid: interfaces.get(name)?.vrid ?? 0,
      counters,
    })),
  };
}
