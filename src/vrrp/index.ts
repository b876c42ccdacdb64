// Public API of the pure VRRP core (see DESIGN.md "State machine as values").
//
// Contract for the daemon that drives an instance:
//  - feed `startup` once the sockets are ready, `shutdown` on SIGTERM/removal;
//  - feed only adverts that passed the validation ladder (src/packet), with the IP source address;
//  - execute the returned actions in order; `armTimer` replaces any pending timer of that name,
//    and its expiry must come back as { type: 'timer', timer, generation } — stale generations
//    are ignored here, so a late or cancelled expiry is harmless;
//  - `sendAdvert` carries the complete advert (priority 0 when releasing): encode and send it;
//  - sync-group members must be driven through stepSyncGroup, never step() directly.

export { createInstance, snapshotOf } from './instance.js';
export {
  DEFAULT_ADVERT_INTERVAL_CS,
  DEFAULT_GARP,
  MAX_DOWN_TIMER_ADVERTS,
  resolveInstanceConfig,
} from './instance-config.js';
export { step } from './step.js';
export { reconfigure } from './reconfigure.js';
export { releaseBoundMs } from './transitions.js';
export { senderWins } from './receive.js';
export {
  advertIntervalMs,
  DEFAULT_DOWN_TIMER_ADVERTS,
  masterDownInterval,
  skewTime,
  skewTimeUs,
} from './timing.js';
export { effectivePriority, trackerEffect, trackerFaultSource } from './priority.js';
export {
  createSyncGroup,
  groupStateOf,
  stepSyncGroup,
  syncGroupFaultSource,
  type SyncGroup,
  type SyncGroupAction,
  type SyncGroupConfig,
  type SyncGroupStepResult,
} from './sync-group.js';
export {
  OWNER_PRIORITY,
  TIMER_NAMES,
  type AdvertReason,
  type ArmedTimer,
  type GarpConfig,
  type GarpReason,
  type GroupNotifyAction,
  type InitialState,
  type Instance,
  type InstanceConfig,
  type InstanceConfigInput,
  type InstanceNotifyAction,
  type InstanceSnapshot,
  type NotifyState,
  type StepResult,
  type TimerName,
  type Transition,
  type TransitionReason,
  type VrrpAction,
  type VrrpEvent,
  type VrrpState,
} from './types.js';
