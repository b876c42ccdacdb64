// State entries and exits. Each emits a `transition` action first (so logs read in causal order),
// then the protocol actions in the order the daemon must perform them.

import type { StepContext } from './step-context.js';
import { OWNER_PRIORITY, type TransitionReason, type VrrpState } from './types.js';

function recordTransition(ctx: StepContext, to: VrrpState, reason: TransitionReason): void {
  const from = ctx.instance.state;
  ctx.emit({ type: 'transition', from, to, reason, priority: ctx.instance.effectivePriority });
  ctx.update({ state: to, lastTransition: { at: ctx.now, from, to, reason } });
}

/** Stops everything MASTER runs and withdraws the addresses (RFC 3768 §6.4.3 leaving MASTER). */
function leaveMaster(ctx: StepContext, resign: boolean): void {
  ctx.cancel('advert');
  ctx.cancel('garpDelay');
  ctx.cancel('garpRefresh');
  // RFC 3768 §6.4.3 Shutdown: a priority-0 advert lets the backups take over after Skew_Time
  // instead of Master_Down_Interval.
  if (resign) ctx.sendAdvert(0, 'release');
  ctx.emit({ type: 'removeVips', addresses: ctx.allVips() });
}

/**
 * RFC 3768 §6.4.1/§6.4.2 → MASTER: send an advert, take the addresses, announce them by
 * gratuitous ARP, run the notify, then start advertising.
 */
export function enterMaster(ctx: StepContext, reason: TransitionReason): void {
  recordTransition(ctx, 'MASTER', reason);
  ctx.cancel('masterDown');
  const { config, effectivePriority } = ctx.instance;
  ctx.update({
    masterAddress: config.primaryAddress,
    masterPriority: effectivePriority,
    masterAdverIntervalCs: config.advertIntervalCs,
    preempting: false,
    wantsMaster: false,
  });
  ctx.sendAdvert(effectivePriority, 'become_master');
  ctx.emit({ type: 'addVips', addresses: ctx.allVips() });
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
  if (from === 'MASTER') leaveMaster(ctx, false);
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
  if (from === 'MASTER') leaveMaster(ctx, true);
  ctx.cancel('masterDown');
  ctx.cancel('startupDelay');
  ctx.update({ masterAddress: null, masterPriority: null, preempting: false, wantsMaster: false });
  ctx.notify('FAULT');
}

/** Shutdown (RFC 3768 §6.4.2/§6.4.3 "Shutdown" → Initialize); keepalived runs notify_stop. */
export function stop(ctx: StepContext): void {
  const from = ctx.instance.state;
  if (from !== 'INIT') recordTransition(ctx, 'INIT', 'shutdown');
  if (from === 'MASTER') leaveMaster(ctx, true);
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
