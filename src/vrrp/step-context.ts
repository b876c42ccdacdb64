// The working copy of one step: starts from the caller's instance, accumulates changes and the
// ordered list of actions for the daemon. The input is never mutated: the first change copies the
// instance (and the first timer change its timers) into objects only this step holds, and later
// changes in the same step write into those copies — one copy per step instead of one per change,
// which is most of a master's work per advert (consume, send, re-arm: issue 15, idle CPU).

import { simpleAuthData } from '../packet/vrrp.js';
import { AuthType, type VrrpAdvert } from '../packet/types.js';
import { advertIntervalMs, masterDownInterval, skewTime } from './timing.js';
import type {
  AdvertReason,
  ArmedTimer,
  GarpReason,
  Instance,
  LogLevel,
  NotifyState,
  StepResult,
  TimerName,
  VrrpAction,
} from './types.js';

const ADVERTISEMENT = 1;
/** RFC 3768 §5.3.10: v2 adverts always carry eight bytes of authentication data. */
const V2_AUTH_DATA_BYTES = 8;

type Draft<T> = { -readonly [K in keyof T]: T[K] };

export class StepContext {
  private current: Instance;
  /** This step's own copy of the instance (null until the first change); `current` then. */
  private draft: Draft<Instance> | null = null;
  /** This step's own copy of the draft's timers (null until the first timer change). */
  private timersDraft: Record<TimerName, ArmedTimer | null> | null = null;
  private readonly emitted: VrrpAction[] = [];

  constructor(
    instance: Instance,
    readonly now: number,
  ) {
    this.current = instance;
  }

  get instance(): Instance {
    return this.current;
  }

  update(changes: Partial<Instance>): void {
    Object.assign(this.writable(), changes);
    // New timers given whole are the caller's object: copy again before writing into them.
    if (changes.timers !== undefined) this.timersDraft = null;
  }

  private writable(): Draft<Instance> {
    if (this.draft === null) {
      this.draft = { ...this.current };
      this.current = this.draft;
    }
    return this.draft;
  }

  private setTimer(timer: TimerName, value: ArmedTimer | null): void {
    const draft = this.writable();
    if (this.timersDraft === null) {
      this.timersDraft = { ...draft.timers };
      draft.timers = this.timersDraft;
    }
    this.timersDraft[timer] = value;
  }

  emit(action: VrrpAction): void {
    this.emitted.push(action);
  }

  result(): StepResult {
    return { instance: this.current, actions: this.emitted };
  }

  log(level: LogLevel, message: string): void {
    this.emit({ type: 'log', level, message });
  }

  // --- timers -------------------------------------------------------------------------------

  arm(timer: TimerName, delayMs: number): void {
    const generation = this.current.nextGeneration;
    this.writable().nextGeneration = generation + 1;
    this.setTimer(timer, { generation, dueAt: this.now + delayMs });
    this.emit({ type: 'armTimer', timer, delayMs, generation });
  }

  /** Cancels a timer if armed; an unarmed timer needs no action. */
  cancel(timer: TimerName): void {
    if (this.current.timers[timer] === null) return;
    this.setTimer(timer, null);
    this.emit({ type: 'cancelTimer', timer });
  }

  /** Marks a timer as fired (it is no longer armed, so nothing needs cancelling). */
  consume(timer: TimerName): void {
    this.setTimer(timer, null);
  }

  // --- protocol intervals for the current instance ------------------------------------------

  masterDownIntervalMs(): number {
    const { config, effectivePriority, masterAdverIntervalCs } = this.current;
    return masterDownInterval(
      config.version,
      effectivePriority,
      masterAdverIntervalCs,
      config.downTimerAdverts,
    );
  }

  skewTimeMs(): number {
    const { config, effectivePriority, masterAdverIntervalCs } = this.current;
    return skewTime(config.version, effectivePriority, masterAdverIntervalCs);
  }

  advertIntervalMs(): number {
    return advertIntervalMs(this.current.config.advertIntervalCs);
  }

  // --- outputs ------------------------------------------------------------------------------

  sendAdvert(priority: number, reason: AdvertReason, to?: string): void {
    const advert = this.buildAdvert(priority);
    this.emit(
      to === undefined ? { type: 'sendAdvert', advert, reason } : { type: 'sendAdvert', advert, reason, to },
    );
  }

  /** The advert as the daemon must encode it; a fresh Buffer each time so no one shares bytes. */
  buildAdvert(priority: number): VrrpAdvert {
    const { config } = this.current;
    const v2 = config.version === 2;
    return {
      version: config.version,
      type: ADVERTISEMENT,
      vrid: config.vrid,
      priority,
      advertIntervalCs: config.advertIntervalCs,
      addresses: [...config.vips],
      // RFC 5798 removed authentication: v3 adverts carry neither type nor data.
      authType: v2 ? config.authType : AuthType.none,
      authData:
        v2 && config.authType === AuthType.simple
          ? simpleAuthData(config.authPassword)
          : Buffer.alloc(v2 ? V2_AUTH_DATA_BYTES : 0),
    };
  }

  allVips(): readonly string[] {
    const { vips, excludedVips } = this.current.config;
    return [...vips, ...excludedVips];
  }

  sendGarp(count: number, reason: GarpReason): void {
    if (count <= 0) return;
    this.emit({
      type: 'sendGarp',
      addresses: this.allVips(),
      count,
      intervalMs: this.current.config.garp.intervalMs,
      reason,
    });
  }

  notify(state: NotifyState): void {
    this.emit({
      type: 'notify',
      scope: 'INSTANCE',
      name: this.current.config.name,
      state,
      priority: this.current.effectivePriority,
    });
  }
}
