// Shapes of the pure VRRP state machine: configuration, instance state, events in, actions out.
// Everything here is plain data (no classes, no I/O) so a step can be logged, replayed and
// compared in tests. Time is always integer milliseconds supplied by the caller.

import type { AuthTypeCode, VrrpAdvert, VrrpVersion } from '../packet/types.js';

/** RFC 3768 §6.4 states, spelled as keepalived prints them. */
/** VRRP instance states (RFC 3768 §6.4 plus keepalived's FAULT). */
export const VRRP_STATES = ['INIT', 'BACKUP', 'MASTER', 'FAULT'] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

/** What `state MASTER|BACKUP` configured. Only the address owner (priority 255) acts on MASTER. */
export type InitialState = 'BACKUP' | 'MASTER';

/** RFC 3768 §5.3.4: 255 is reserved for the router that owns the virtual addresses. */
export const OWNER_PRIORITY = 255;
/** Trackers may move a non-owner's priority within 1..254 only (keepalived clamps the same way). */
export const MIN_TRACKED_PRIORITY = 1;
export const MAX_TRACKED_PRIORITY = 254;

/** Gratuitous ARP schedule after becoming MASTER (keepalived's garp_* keywords, in ms). */
export interface GarpConfig {
  /** garp_master_repeat: GARPs sent at once on becoming MASTER (keepalived default 5). */
  readonly masterRepeat: number;
  /** garp_master_delay: delay before a second burst of masterRepeat; 0 = no second burst (default 5 s). */
  readonly masterDelayMs: number;
  /** garp_master_refresh: period of refresh bursts while MASTER; 0 = none (default). */
  readonly masterRefreshMs: number;
  /** garp_master_refresh_repeat: GARPs per refresh burst (default 1). */
  readonly masterRefreshRepeat: number;
  /** garp_lower_prio_repeat: GARPs sent when a MASTER hears a lower-priority advert (default masterRepeat). */
  readonly lowerPriorityRepeat: number;
  /** garp_lower_prio_delay: delay of the second such burst; 0 = none (default masterDelayMs). */
  readonly lowerPriorityDelayMs: number;
  /** vrrp_garp_interval: spacing between the packets of one burst, executed by the daemon. */
  readonly intervalMs: number;
}

export interface InstanceConfig {
  readonly name: string;
  readonly vrid: number;
  readonly version: VrrpVersion;
  /** Configured (base) priority 1..255; 255 marks the address owner. */
  readonly priority: number;
  /** Advertisement_Interval in centiseconds (v2 only allows whole seconds: multiples of 100). */
  readonly advertIntervalCs: number;
  /** Our primary IPv4 address: the adverts' source and the tie-breaker of RFC 3768 §6.4.3. */
  readonly primaryAddress: string;
  /** Virtual addresses carried in the advert and added on MASTER. */
  readonly vips: readonly string[];
  /** keepalived's virtual_ipaddress_excluded: added on MASTER but not advertised. */
  readonly excludedVips: readonly string[];
  readonly authType: AuthTypeCode;
  /** PASS password (first eight bytes are used); ignored unless authType is simple. */
  readonly authPassword: string;
  /** false = keepalived `nopreempt`. */
  readonly preempt: boolean;
  /** keepalived `preempt_delay`, in ms. */
  readonly preemptDelayMs: number;
  /** keepalived `vrrp_startup_delay`: the instance stays in INIT this long after startup. */
  readonly startupDelayMs: number;
  /**
   * keepalived `down_timer_adverts`: adverts missed before the master is declared down (the 3 of
   * RFC 3768 §6.1 / RFC 5798 §6.1's Master_Down_Interval), 1..100.
   */
  readonly downTimerAdverts: number;
  readonly initialState: InitialState;
  readonly garp: GarpConfig;
  /** keepalived `lower_prio_no_advert`: a MASTER stays silent when it hears a lower priority. */
  readonly lowerPriorityNoAdvert: boolean;
  /**
   * Planned releases (stop, handover) are make-before-break: the priority-0 advert goes out but
   * the addresses stay until a new master is heard (plus releaseGraceMs, so its gratuitous ARP
   * reaches the clients first), or until releaseBoundMs passes with nobody taking over.
   * false = the RFC's immediate release (addresses removed with the priority-0 advert).
   */
  readonly makeBeforeBreak: boolean;
  /** How long the addresses stay after the new master's first advert (default 100 ms). */
  readonly releaseGraceMs: number;
  /**
   * A MASTER that yields to a higher priority first sends one advert, so the winner re-announces
   * itself (keepalived's higher_prio_send_advert; on by default in vrrpd, off in strict mode).
   */
  readonly higherPrioritySendAdvert: boolean;
  /**
   * Name of the sync group this instance belongs to, or null. A member never promotes itself on
   * its own timer: it raises `wantsMaster` and waits for the group (see sync-group.ts).
   */
  readonly syncGroup: string | null;
}

/** The configuration callers must give; everything else has keepalived's default. */
export type InstanceConfigInput = Pick<InstanceConfig, 'name' | 'vrid' | 'priority' | 'primaryAddress'> &
  Partial<Omit<InstanceConfig, 'name' | 'vrid' | 'priority' | 'primaryAddress' | 'garp'>> & {
    readonly garp?: Partial<GarpConfig>;
  };

export type TimerName = 'startupDelay' | 'masterDown' | 'advert' | 'garpDelay' | 'garpRefresh' | 'release';
export const TIMER_NAMES: readonly TimerName[] = [
  'startupDelay',
  'masterDown',
  'advert',
  'garpDelay',
  'garpRefresh',
  'release',
];

/** A timer the instance believes is armed. Only an expiry carrying this generation counts. */
export interface ArmedTimer {
  readonly generation: number;
  readonly dueAt: number;
}

export type TransitionReason =
  | 'startup'
  | 'master_down_timer'
  | 'preempt'
  | 'priority_zero'
  | 'higher_priority_advert'
  | 'fault'
  | 'fault_cleared'
  | 'shutdown'
  | 'sync_group'
  /** Planned: `vrrpctl handover`, the instance now held in BACKUP until resumed. */
  | 'handover';

export interface Transition {
  readonly at: number;
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly reason: TransitionReason;
}

export interface Instance {
  readonly config: InstanceConfig;
  readonly state: VrrpState;
  /** true between a `startup` and a `shutdown` event (an INIT instance may be waiting its startup delay). */
  readonly running: boolean;
  /** The current master's address as far as we know (ourselves when MASTER), or null. */
  readonly masterAddress: string | null;
  /** Priority in the last advert from masterAddress (0 = it is resigning), ours when MASTER, or null. */
  readonly masterPriority: number | null;
  /** RFC 5798 §6.1 Master_Adver_Interval: learned from the master's adverts in v3, ours in v2. */
  readonly masterAdverIntervalCs: number;
  /** Priority that goes out in adverts: base + tracker weights, clamped 1..254; 255 for the owner. */
  readonly effectivePriority: number;
  /** Priority contribution of each tracker, by tracker name. */
  readonly trackers: Readonly<Record<string, number>>;
  /** Active fault sources (sorted, no duplicates). Non-empty means FAULT once running. */
  readonly faults: readonly string[];
  readonly timers: Readonly<Record<TimerName, ArmedTimer | null>>;
  readonly nextGeneration: number;
  /**
   * keepalived preempt_delay: until this time a lower-priority master is accepted rather than
   * preempted. null = no delay pending (a lower-priority advert will start one).
   */
  readonly preemptNotBefore: number | null;
  /** BACKUP only: the last lower-priority advert was discarded, so the master-down expiry is a preemption. */
  readonly preempting: boolean;
  /** Sync-group member whose master-down timer expired while the group held it in BACKUP. */
  readonly wantsMaster: boolean;
  /** Burst size the pending garpDelay timer will send (master or lower-priority schedule). */
  readonly pendingGarpRepeat: number;
  /** Administrative hold (`vrrpctl handover`): stays BACKUP, never takes mastership, until resumed. */
  readonly maintenance: boolean;
  /**
   * Left MASTER by a planned release and still holds the addresses (make-before-break) until a
   * new master is heard or the `release` timer runs out.
   */
  readonly releasing: boolean;
  readonly lastTransition: Transition | null;
}

/** The fields worth showing in `vrrpctl status` and metrics; plain JSON. */
export interface InstanceSnapshot {
  readonly name: string;
  readonly vrid: number;
  readonly version: VrrpVersion;
  readonly state: VrrpState;
  readonly basePriority: number;
  readonly effectivePriority: number;
  readonly masterAddress: string | null;
  readonly masterPriority: number | null;
  readonly masterAdverIntervalCs: number;
  readonly faults: readonly string[];
  readonly wantsMaster: boolean;
  readonly lastTransition: Transition | null;
}

// ---------------------------------------------------------------------------------------------
// Events

export type VrrpEvent =
  /** The daemon is ready: leave INIT (after startupDelayMs if configured). */
  | { readonly type: 'startup' }
  /**
   * Stop the instance (SIGTERM, reload removing it): releases mastership with priority 0,
   * make-before-break unless `immediate` (or the instance is configured for immediate release).
   */
  | { readonly type: 'shutdown'; readonly immediate?: boolean }
  /**
   * Planned handover: a MASTER resigns make-before-break; the instance then stays BACKUP
   * (maintenance) until `resume`. `to`: send the resignation to this unicast peer only, so it is
   * the one that takes over.
   */
  | { readonly type: 'handover'; readonly to?: string }
  /** End of maintenance: the instance takes part in elections again. */
  | { readonly type: 'resume' }
  /** Runtime base priority (`vrrpctl demote`), replacing the configured one until reconfigured. */
  | { readonly type: 'setPriority'; readonly priority: number }
  /** A timer armed by an armTimer action expired; stale generations are ignored. */
  | { readonly type: 'timer'; readonly timer: TimerName; readonly generation: number }
  /** A validated advert for this instance, with the IP source address it came from. */
  | { readonly type: 'advert'; readonly advert: VrrpAdvert; readonly source: string }
  /** A fault source (interface down, weight-0 tracker, sync group…) became active or cleared. */
  | { readonly type: 'fault'; readonly source: string; readonly active: boolean }
  /**
   * A weighted tracker reported its status (keepalived semantics): weight > 0 adds weight while up,
   * weight < 0 subtracts |weight| while down, weight 0 puts the instance in FAULT while down.
   */
  | { readonly type: 'tracker'; readonly name: string; readonly weight: number; readonly up: boolean }
  /** Sync group decision: every member wants MASTER, go now. */
  | { readonly type: 'syncMaster' }
  /** Sync group decision: another member fell back to BACKUP, follow it. */
  | { readonly type: 'syncBackup' };

// ---------------------------------------------------------------------------------------------
// Actions, executed by the daemon in the order given

export type AdvertReason =
  | 'timer'
  | 'become_master'
  | 'priority_zero_reply'
  | 'lower_priority_reply'
  | 'higher_priority_reply'
  | 'release';

export type GarpReason = 'become_master' | 'master_delay' | 'refresh' | 'lower_priority';

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

export interface InstanceNotifyAction {
  readonly type: 'notify';
  readonly scope: 'INSTANCE';
  readonly name: string;
  readonly state: NotifyState;
  readonly priority: number;
}

export interface GroupNotifyAction {
  readonly type: 'notify';
  readonly scope: 'GROUP';
  readonly name: string;
  readonly state: Exclude<NotifyState, 'STOP'>;
}

export type LogLevel = 'debug' | 'info' | 'warn';

export type VrrpAction =
  | {
      readonly type: 'transition';
      readonly from: VrrpState;
      readonly to: VrrpState;
      readonly reason: TransitionReason;
      readonly priority: number;
    }
  /**
   * Encode and send this advert (priority already filled in; 0 when releasing). `to`: only to
   * this unicast peer (a handover to a chosen peer), instead of every peer or the group.
   */
  | {
      readonly type: 'sendAdvert';
      readonly advert: VrrpAdvert;
      readonly reason: AdvertReason;
      readonly to?: string;
    }
  | { readonly type: 'addVips'; readonly addresses: readonly string[] }
  | { readonly type: 'removeVips'; readonly addresses: readonly string[] }
  /** Send `count` gratuitous ARPs (IPv4) / unsolicited NAs (IPv6) for each address, `intervalMs` apart. */
  | {
      readonly type: 'sendGarp';
      readonly addresses: readonly string[];
      readonly count: number;
      readonly intervalMs: number;
      readonly reason: GarpReason;
    }
  | InstanceNotifyAction
  /** (Re)arm a timer: replaces any pending one with the same name. */
  | {
      readonly type: 'armTimer';
      readonly timer: TimerName;
      readonly delayMs: number;
      readonly generation: number;
    }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string };

export interface StepResult {
  readonly instance: Instance;
  readonly actions: readonly VrrpAction[];
}
