// Per-instance counters behind `vrrpctl status`, `vrrpctl stats` and the metrics. They only ever
// grow (Prometheus counters must be monotonic); `stats --clear` moves a baseline instead.

import type { InstanceCounters } from '../control/status-types.js';

export type { InstanceCounters };

export function newCounters(): InstanceCounters {
  return {
    advertsRx: 0,
    advertsTx: 0,
    becameMaster: 0,
    releasedMaster: 0,
    priorityZeroRx: 0,
    priorityZeroTx: 0,
    drops: {},
  };
}

export function countDrop(counters: InstanceCounters, reason: string): void {
  counters.drops[reason] = (counters.drops[reason] ?? 0) + 1;
}

export function copyCounters(counters: InstanceCounters): InstanceCounters {
  return { ...counters, drops: { ...counters.drops } };
}

/** `current - baseline`, field by field (the view `vrrpctl stats` shows after a clear). */
export function countersSince(current: InstanceCounters, baseline: InstanceCounters): InstanceCounters {
  const drops: Record<string, number> = {};
  for (const [reason, n] of Object.entries(current.drops)) {
    const delta = n - (baseline.drops[reason] ?? 0);
    if (delta > 0) drops[reason] = delta;
  }
  return {
    advertsRx: current.advertsRx - baseline.advertsRx,
    advertsTx: current.advertsTx - baseline.advertsTx,
    becameMaster: current.becameMaster - baseline.becameMaster,
    releasedMaster: current.releasedMaster - baseline.releasedMaster,
    priorityZeroRx: current.priorityZeroRx - baseline.priorityZeroRx,
    priorityZeroTx: current.priorityZeroTx - baseline.priorityZeroTx,
    drops,
  };
}

/** What a stats period reads of one instance. */
export interface CountedInstance {
  plan: { name: string };
  counters: InstanceCounters;
  statsBaseline: InstanceCounters;
}

export interface StatsReport {
  since: number;
  instances: Array<{ name: string; counters: InstanceCounters }>;
}

/** The period `vrrpctl stats` reports on: since start, or since the last `stats --clear`. */
export class StatsPeriod {
  constructor(private since: number) {}

  /** Counters since the period began; `clearAt` (wall clock) starts a new period after reading. */
  read(instances: readonly CountedInstance[], clearAt: number | null): StatsReport {
    const report = {
      since: this.since,
      instances: instances.map((r) => ({
        name: r.plan.name,
        counters: countersSince(r.counters, r.statsBaseline),
      })),
    };
    if (clearAt !== null) {
      for (const instance of instances) instance.statsBaseline = copyCounters(instance.counters);
      this.since = clearAt;
    }
    return report;
  }
}
