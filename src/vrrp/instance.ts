// Creating an instance (INIT, nothing armed) and the JSON view shown by status/metrics.

import { resolveInstanceConfig } from './instance-config.js';
import { effectivePriority } from './priority.js';
import type { Instance, InstanceConfigInput, InstanceSnapshot, TimerName, ArmedTimer } from './types.js';

const NO_TIMERS: Readonly<Record<TimerName, ArmedTimer | null>> = {
  startupDelay: null,
  masterDown: null,
  advert: null,
  garpDelay: null,
  garpRefresh: null,
  release: null,
};

export function createInstance(input: InstanceConfigInput): Instance {
  const config = resolveInstanceConfig(input);
  return {
    config,
    state: 'INIT',
    running: false,
    masterAddress: null,
    masterPriority: null,
    masterAdverIntervalCs: config.advertIntervalCs,
    effectivePriority: effectivePriority(config.priority, {}),
    trackers: {},
    faults: [],
    timers: NO_TIMERS,
    // Generations start at 1 so a zero/absent generation can never match an armed timer.
    nextGeneration: 1,
    preemptNotBefore: null,
    preempting: false,
    wantsMaster: false,
    pendingGarpRepeat: 0,
    maintenance: false,
    releasing: false,
    lastTransition: null,
  };
}

export function snapshotOf(instance: Instance): InstanceSnapshot {
  const { config } = instance;
  return {
    name: config.name,
    vrid: config.vrid,
    version: config.version,
    state: instance.state,
    basePriority: config.priority,
    effectivePriority: instance.effectivePriority,
    masterAddress: instance.masterAddress,
    masterPriority: instance.masterPriority,
    masterAdverIntervalCs: instance.masterAdverIntervalCs,
    faults: [...instance.faults],
    wantsMaster: instance.wantsMaster,
    lastTransition: instance.lastTransition,
  };
}
