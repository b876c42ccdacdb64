// What the simulator remembers, with virtual timestamps, for the scenario assertions.

import type { DropReasonCode } from '../../../src/packet/types.js';
import type {
  AdvertReason,
  GarpReason,
  GroupNotifyAction,
  InstanceNotifyAction,
  TimerName,
  TransitionReason,
  VrrpState,
} from '../../../src/vrrp/index.js';

export interface TransitionRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly reason: TransitionReason;
}

export interface AdvertRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly vrid: number;
  readonly priority: number;
  readonly reason: AdvertReason;
}

/** An advert that passed the wire and the validation ladder and was stepped into an instance. */
export interface ReceiveRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly from: string;
  readonly priority: number;
}

export interface GarpRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly count: number;
  readonly reason: GarpReason;
}

export type NotifyRecord = { readonly at: number; readonly router: string } & (
  InstanceNotifyAction | GroupNotifyAction
);

export interface LogRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly level: string;
  readonly message: string;
}

export interface DropRecord {
  readonly at: number;
  readonly from: string;
  readonly to: string;
  /** Lost on the simulated wire, or the validation ladder's reason (as the daemon counts it). */
  readonly why: 'loss' | 'partition' | DropReasonCode;
}

export interface TimerArmRecord {
  readonly at: number;
  readonly router: string;
  readonly instance: string;
  readonly timer: TimerName;
  readonly delayMs: number;
}

export interface SimRecords {
  readonly transitions: TransitionRecord[];
  readonly adverts: AdvertRecord[];
  readonly received: ReceiveRecord[];
  readonly garps: GarpRecord[];
  readonly notifies: NotifyRecord[];
  readonly logs: LogRecord[];
  readonly drops: DropRecord[];
  readonly timerArms: TimerArmRecord[];
  /** Expiries delivered for timers the instance had cancelled or re-armed. */
  staleTimers: number;
}
