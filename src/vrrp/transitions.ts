// State entries and exits. Each emits a `transition` action first (so logs read in causal order),
// then the protocol actions in the order the daemon must perform them.

import type { StepContext } from './step-context.js';
import { skewTime } from './timing.js';

/** Past the longest Skew_Time: the new master's advert may come a little late on a busy host. */
const RELEASE_MARGIN_MS = 200;
import { OWNER_PRIORITY, type Instance, type TransitionReason, type VrrpState } from './types.js';

function recordTransition(ctx: StepContext, to: VrrpState, reason: TransitionReason): void {
  const from = ctx.instance.state;
  ctx.emit({ type: 'transition', from, to, reason, priority: ctx.instance.effectivePriority });
  ctx.update({ state: to, lastTransition: { at: ctx.now, from, to, reason } });
}

/** How a MASTER gives up its role. */
interface Leaving {
  /** Send a priority-0 advert (RFC 3768 §6.4.3 Shutdown), so backups take over after Skew_Time. */
  resign: boolean;
  /** Make-before-break: keep the addresses until a new master is heard (see releaseBoundMs). */
  keepAddresses?: boolean;
  /** Resign to this unicast peer only. */
  to?: string;
}

/**
 * The longest a planned release waits for a new master. A backup that hears the priority-0
 * advert takes over after its Skew_Time (RFC 3768 §6.4.2), longest for priority 1; add the grace
 * and a margin for the new master's start-up work. A backup that lost that one advert would only
 * take over a Master_Down_Interval after our last advert — too long to hold a stop for; the
 * release then costs what the RFC's immediate release costs.
 */
export function releaseBoundMs(instance: Instance): number {
  const { config, masterAdverIntervalCs } = instance;
  return skewTime(config.version, 1, masterAdverIntervalCs) + config.releaseGraceMs + RELEASE_MARGIN_MS;
}

/** Stops everything MASTER runs and withdraws (or, make-before-break, holds) the addresses. */
function leaveMaster(ctx: StepContext, leaving: Leaving): void {
  ctx.cancel('advert');
  ctx.cancel('garpDelay');
  ctx.cancel('garpRefresh');
  if (leaving.resign) ctx.sendAdvert(0, 'release', leaving.to);
  if (leaving.keepAddresses) {
    ctx.update({ releasing: true });
    ctx.arm('release', releaseBoundMs(ctx.instance));
    return;
  }
  ctx.emit({ type: 'removeVips', addresses: ctx.allVips() });
}

/** A planned release is over (new master heard, or nobody came): the addresses go now. */
export function finishRelease(ctx: StepContext): void {
  if (!ctx.instance.releasing) return;
  ctx.cancel('release');
  ctx.update({ releasing: false });
  ctx.emit({ type: 'removeVips', addresses: ctx.allVips() });
}

/**
 * A new master spoke while we still hold the addresses: let them go after the grace, which
 * covers the new master adding them and sending its gratuitous ARPs (it advertises first).
 */
export function newMasterHeard(ctx: StepContext): void {
  const { releasing, timers, config } = ctx.instance;
  if (!releasing) return;
  const graceDue = ctx.now + config.releaseGraceMs;
  if (timers.release !== null && timers.release.dueAt <= graceDue) return;
  if (config.releaseGraceMs === 0) finishRelease(ctx);
  else ctx.arm('release', config.releaseGraceMs);
}

/**
 * RFC 3768 §6.4.1/§6.4.2 → MASTER: send an advert, take the addresses, announce them by
 * gratuitous ARP, run the notify, then start advertising. The addresses come first in the action
 * list, and the shell sends the become_master advert only once they are in (make before break):
 * a live master that hears it lets go of the addresses at once, and until our gratuitous ARP
 * follows, its clients' packets would reach a router that no longer holds them.
 */
export function enterMaster(ctx: StepContext, reason: TransitionReason): void {
  recordTransition(ctx, 'MASTER', reason);
  ctx.cancel('masterDown');
  if (ctx.instance.releasing) {
    // Back to MASTER before the release finished: the addresses never left.
    ctx.cancel('release');
    ctx.update({ releasing: false });
  }
  const { config, effectivePriority } = ctx.instance;
  ctx.update({
    masterAddress: config.primaryAddress,
    masterPriority: effectivePriority,
    masterAdverIntervalCs: config.advertIntervalCs,
    preempting: false,
    wantsMaster: false,
  });
  ctx.emit({ type: 'addVips', addresses: ctx.allVips() });
  ctx.sendAdvert(effectivePriority, 'become_master');
  const { garp } = config;
  ctx.sendGarp(garp.masterRepeat, 'become_master');
  if (garp.masterDelayMs > 0) {
    ctx.update({ pendingGarpRepeat: garp.masterRepeat });
    ctx.arm('garpDelay', garp.masterDelayMs);
  }
  if (garp.masterRefreshMs > 0) ctx.arm('garpRefresh', garp.masterRefreshMs);
  ctx.notify('MASTER');
  ctx.arm('advert', ctx.advertIntervalMs());
}

export interface KnownMaster {
  readonly address: string | null;
  readonly priority: number | null;
  /** v3: the Adver Interval the master advertised (RFC 5798 §6.4.3). */
  readonly adverIntervalCs?: number;
}

/** → BACKUP with Master_Down_Timer armed (RFC 3768 §6.4.1, §6.4.3). */
export function enterBackup(ctx: StepContext, reason: TransitionReason, master: KnownMaster): void {
  const from = ctx.instance.state;
  recordTransition(ctx, 'BACKUP', reason);
  if (from === 'MASTER') leaveMaster(ctx, { resign: false });
  const { config } = ctx.instance;
  const learned = config.version === 3 ? master.adverIntervalCs : undefined;
  // keepalived restarts preempt_delay when an instance (re)starts or leaves FAULT; a higher
  // priority master that pushed us to BACKUP clears it instead.
  const restartsPreemptDelay = from === 'INIT' || from === 'FAULT';
  ctx.update({
    masterAddress: master.address,
    masterPriority: master.priority,
    masterAdverIntervalCs: learned ?? config.advertIntervalCs,
    preemptNotBefore:
      restartsPreemptDelay && config.preemptDelayMs > 0 ? ctx.now + config.preemptDelayMs : null,
    preempting: false,
    wantsMaster: false,
  });
  ctx.notify('BACKUP');
  ctx.arm('masterDown', ctx.masterDownIntervalMs());
}

export function enterFault(ctx: StepContext): void {
  const from = ctx.instance.state;
  recordTransition(ctx, 'FAULT', 'fault');
  // A fault (interface down, failed tracker) is not planned: the addresses go at once.
  if (from === 'MASTER') leaveMaster(ctx, { resign: true });
  finishRelease(ctx);
  ctx.cancel('masterDown');
  ctx.cancel('startupDelay');
  ctx.update({ masterAddress: null, masterPriority: null, preempting: false, wantsMaster: false });
  ctx.notify('FAULT');
}

/**
 * Shutdown (RFC 3768 §6.4.2/§6.4.3 "Shutdown" → Initialize); keepalived runs notify_stop. A
 * MASTER resigns make-before-break unless `immediate` or configured otherwise: the caller keeps
 * the process up until the `releasing` instance has let its addresses go.
 */
export function stop(ctx: StepContext, immediate = false): void {
  const from = ctx.instance.state;
  if (from !== 'INIT') recordTransition(ctx, 'INIT', 'shutdown');
  if (from === 'MASTER') {
    leaveMaster(ctx, { resign: true, keepAddresses: ctx.instance.config.makeBeforeBreak && !immediate });
  } else if (immediate) finishRelease(ctx);
  ctx.cancel('masterDown');
  ctx.cancel('startupDelay');
  ctx.update({
    running: false,
    masterAddress: null,
    masterPriority: null,
    preemptNotBefore: null,
    preempting: false,
    wantsMaster: false,
  });
  ctx.notify('STOP');
}

/**
 * Leaving INIT (after any startup delay) or FAULT. RFC 3768 §6.4.1: the address owner goes
 * straight to MASTER; keepalived does so only if it is also configured `state MASTER`. Anyone
 * else waits a full Master_Down_Interval in BACKUP, whatever its configured state.
 */
export function enterOperational(ctx: StepContext, reason: TransitionReason): void {
  const { config, faults } = ctx.instance;
  if (faults.length > 0) {
    enterFault(ctx);
    return;
  }
  if (config.priority === OWNER_PRIORITY && config.initialState === 'MASTER') {
    enterMaster(ctx, reason);
    return;
  }
  enterBackup(ctx, reason, { address: null, priority: null });
}

/**
 * `vrrpctl handover`: a MASTER resigns make-before-break (to one peer if `to` is given) and the
 * instance stays BACKUP, never taking mastership, until `resume`.
 */
export function handOver(ctx: StepContext, to: string | undefined): void {
  ctx.update({ maintenance: true, wantsMaster: false });
  if (ctx.instance.state !== 'MASTER') return;
  recordTransition(ctx, 'BACKUP', 'handover');
  leaveMaster(ctx, {
    resign: true,
    keepAddresses: ctx.instance.config.makeBeforeBreak,
    ...(to ? { to } : {}),
  });
  ctx.update({ masterAddress: null, masterPriority: null, preempting: false });
  ctx.notify('BACKUP');
  ctx.arm('masterDown', ctx.masterDownIntervalMs());
}

/** End of maintenance: a BACKUP takes part in elections again (it may preempt if it is best). */
export function resume(ctx: StepContext): void {
  if (!ctx.instance.maintenance) return;
  ctx.update({ maintenance: false });
  if (ctx.instance.state === 'BACKUP' && ctx.instance.timers.masterDown === null) {
    ctx.arm('masterDown', ctx.masterDownIntervalMs());
  }
}
