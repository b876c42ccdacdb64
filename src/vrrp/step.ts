// step(instance, event, now) → { instance, actions }: the whole VRRP instance behaviour as a pure
// function. No I/O, no clock, no randomness; the input instance is never modified.

import { effectivePriority, trackerEffect, trackerFaultSource } from './priority.js';
import { receiveAdvert } from './receive.js';
import { StepContext } from './step-context.js';
import {
  enterBackup,
  enterFault,
  enterMaster,
  enterOperational,
  finishRelease,
  handOver,
  resume,
  stop,
} from './transitions.js';
import type { Instance, StepResult, TimerName, TransitionReason, VrrpEvent } from './types.js';

export function step(instance: Instance, event: VrrpEvent, now: number): StepResult {
  if (!Number.isInteger(now)) throw new RangeError(`time ${now} is not an integer number of ms`);
  const ctx = new StepContext(instance, now);
  switch (event.type) {
    case 'startup':
      onStartup(ctx);
      break;
    case 'shutdown':
      if (ctx.instance.running) stop(ctx, event.immediate ?? false);
      else if (event.immediate) finishRelease(ctx);
      break;
    case 'handover':
      if (ctx.instance.running) handOver(ctx, event.to);
      break;
    case 'resume':
      resume(ctx);
      break;
    case 'setPriority':
      setPriority(ctx, event.priority);
      break;
    case 'timer':
      onTimer(ctx, event.timer, event.generation);
      break;
    case 'advert':
      // A stopped instance still listens while it holds addresses for a planned release.
      if (ctx.instance.running || ctx.instance.releasing) receiveAdvert(ctx, event.advert, event.source);
      break;
    case 'fault':
      setFault(ctx, event.source, event.active);
      break;
    case 'tracker':
      onTracker(ctx, event.name, event.weight, event.up);
      break;
    case 'syncMaster':
      if (ctx.instance.state === 'BACKUP') {
        // The member whose own timer asked for MASTER keeps its reason; the others follow the group.
        enterMaster(ctx, ctx.instance.wantsMaster ? masterDownReason(ctx.instance) : 'sync_group');
      }
      break;
    case 'syncBackup':
      if (ctx.instance.state === 'MASTER') enterBackup(ctx, 'sync_group', { address: null, priority: null });
      break;
  }
  return ctx.result();
}

function onStartup(ctx: StepContext): void {
  const { running, config } = ctx.instance;
  if (running) {
    ctx.log('debug', 'startup received while already running - ignored');
    return;
  }
  ctx.update({ running: true });
  if (config.startupDelayMs > 0) {
    // keepalived vrrp_startup_delay: stay silent in INIT (e.g. while bonds settle).
    ctx.arm('startupDelay', config.startupDelayMs);
    return;
  }
  enterOperational(ctx, 'startup');
}

/** Why a BACKUP whose master-down timer ran out becomes MASTER. */
function masterDownReason(instance: Instance): TransitionReason {
  if (instance.preempting) return 'preempt';
  if (instance.masterPriority === 0) return 'priority_zero';
  return 'master_down_timer';
}

function onTimer(ctx: StepContext, timer: TimerName, generation: number): void {
  const armed = ctx.instance.timers[timer];
  // A timer that was re-armed or cancelled since this expiry was scheduled is stale.
  if (armed === null || armed.generation !== generation) return;
  ctx.consume(timer);
  const { state, config } = ctx.instance;
  switch (timer) {
    case 'startupDelay':
      if (state === 'INIT' && ctx.instance.running) enterOperational(ctx, 'startup');
      return;
    case 'masterDown':
      // Maintenance (vrrpctl handover): never take mastership until resumed.
      if (state !== 'BACKUP' || ctx.instance.maintenance) return;
      if (config.syncGroup !== null) {
        // keepalived: a sync-group member only goes MASTER when every member wants to; keep
        // asking at each Master_Down_Interval until the group decides (sync-group.ts).
        ctx.update({ wantsMaster: true });
        ctx.arm('masterDown', ctx.masterDownIntervalMs());
        return;
      }
      enterMaster(ctx, masterDownReason(ctx.instance));
      return;
    case 'advert': {
      if (state !== 'MASTER') return;
      ctx.sendAdvert(ctx.instance.effectivePriority, 'timer');
      // Schedule from when this advert was due, not from when the timer fired, so real timers'
      // lateness does not accumulate into a slower advert rate; a timer more than a whole interval
      // late (a stalled process) restarts the cadence from now instead of bursting to catch up.
      const interval = ctx.advertIntervalMs();
      const lateness = ctx.now - armed.dueAt;
      ctx.arm('advert', lateness >= 0 && lateness < interval ? interval - lateness : interval);
      return;
    }
    case 'garpDelay':
      if (state === 'MASTER') ctx.sendGarp(ctx.instance.pendingGarpRepeat, 'master_delay');
      return;
    case 'garpRefresh':
      if (state !== 'MASTER') return;
      ctx.sendGarp(config.garp.masterRefreshRepeat, 'refresh');
      ctx.arm('garpRefresh', config.garp.masterRefreshMs);
      return;
    case 'release':
      finishRelease(ctx);
      return;
  }
}

function setFault(ctx: StepContext, source: string, active: boolean): void {
  const before = ctx.instance.faults;
  const has = before.includes(source);
  if (has === active) return;
  const faults = active ? [...before, source].sort() : before.filter((f) => f !== source);
  ctx.update({ faults });
  ctx.log(active ? 'warn' : 'info', `fault ${source} ${active ? 'raised' : 'cleared'}`);
  const { state, running } = ctx.instance;
  if (!running || state === 'INIT') return; // remembered: startup will enter FAULT
  if (faults.length > 0 && state !== 'FAULT') enterFault(ctx);
  else if (faults.length === 0 && state === 'FAULT') enterOperational(ctx, 'fault_cleared');
}

function onTracker(ctx: StepContext, name: string, weight: number, up: boolean): void {
  const effect = trackerEffect(weight, up);
  const trackers = { ...ctx.instance.trackers, [name]: effect.delta };
  const before = ctx.instance.effectivePriority;
  const after = effectivePriority(ctx.instance.config.priority, trackers);
  ctx.update({ trackers, effectivePriority: after });
  if (after !== before) {
    // The new value goes out in the next advert (MASTER) or the next Master_Down_Interval
    // (BACKUP); a backup now above its master discards the master's next advert and preempts.
    ctx.log('info', `effective priority changed from ${before} to ${after}`);
  }
  setFault(ctx, trackerFaultSource(name), effect.fault);
}

/** `vrrpctl demote`/`resume`: a new base priority; trackers keep their contributions on top. */
function setPriority(ctx: StepContext, priority: number): void {
  if (!Number.isInteger(priority) || priority < 1 || priority > 255) {
    throw new RangeError(`priority ${priority} is outside 1..255`);
  }
  const { config, trackers, effectivePriority: before } = ctx.instance;
  if (priority === config.priority) return;
  const after = effectivePriority(priority, trackers);
  ctx.update({ config: { ...config, priority }, effectivePriority: after });
  // A MASTER advertises it from its next advert; a BACKUP uses it for its next election.
  ctx.log('info', `priority set to ${priority} (effective ${before} -> ${after})`);
}
