// Reaction to a received (already validated) advertisement: RFC 3768 §6.4.2 (Backup) and §6.4.3
// (Master), with RFC 5798 §6.4's Master_Adver_Interval learning for v3 and keepalived's additions
// (preempt_delay, lower-priority reply with GARPs).

import { compareAddresses } from '../packet/ip-address.js';
import type { VrrpAdvert } from '../packet/types.js';
import type { StepContext } from './step-context.js';
import { enterBackup, newMasterHeard } from './transitions.js';

/**
 * RFC 3768 §6.4.3: the sender wins if its priority is greater, or equal with a greater primary
 * address. Addresses compare as unsigned numbers (32 or 128 bits, RFC 5798 §6.4.3), not as text.
 */
export function senderWins(
  senderPriority: number,
  senderAddress: string,
  ourPriority: number,
  ourAddress: string,
): boolean {
  if (senderPriority !== ourPriority) return senderPriority > ourPriority;
  return compareAddresses(senderAddress, ourAddress) > 0;
}

export function receiveAdvert(ctx: StepContext, advert: VrrpAdvert, source: string): void {
  const { config, state } = ctx.instance;
  if (advert.vrid !== config.vrid || advert.version !== config.version) {
    ctx.log('debug', `ignoring v${advert.version} advert for VRID ${advert.vrid} from ${source}`);
    return;
  }
  if (source === config.primaryAddress) {
    // Our own advert looped back (multicast loop on, or a bridge echo): never a competitor.
    return;
  }
  // Make-before-break: the router that took over speaks, our held addresses can go.
  if (advert.priority > 0) newMasterHeard(ctx);
  if (!ctx.instance.running) return;
  if (state === 'BACKUP') receiveInBackup(ctx, advert, source);
  else if (state === 'MASTER') receiveInMaster(ctx, advert, source);
  // INIT and FAULT do not take part in the election (RFC 3768 §6.4.1: Initialize only waits for Startup).
}

/** v3 backups adopt the master's interval (RFC 5798 §6.4.2); v2 intervals must already match. */
function learnedInterval(ctx: StepContext, advert: VrrpAdvert): number {
  return ctx.instance.config.version === 3 ? advert.advertIntervalCs : ctx.instance.masterAdverIntervalCs;
}

function receiveInBackup(ctx: StepContext, advert: VrrpAdvert, source: string): void {
  const { config, effectivePriority, preemptNotBefore } = ctx.instance;
  if (advert.priority === 0) {
    // RFC 3768 §6.4.2: the master is resigning; take over after Skew_Time only.
    ctx.update({ masterAddress: source, masterPriority: 0, preempting: false });
    ctx.arm('masterDown', ctx.skewTimeMs());
    return;
  }
  const delayingPreemption =
    config.preemptDelayMs > 0 && (preemptNotBefore === null || ctx.now < preemptNotBefore);
  const accept = !config.preempt || advert.priority >= effectivePriority || delayingPreemption;
  if (!accept) {
    // Preemption: let Master_Down_Timer run out; the expiry makes us MASTER.
    ctx.log('info', `received lower priority (${advert.priority}) advert from ${source} - discarding`);
    ctx.update({ masterAddress: source, masterPriority: advert.priority, preempting: true });
    return;
  }
  let nextPreemptNotBefore = preemptNotBefore;
  if (config.preemptDelayMs > 0) {
    // keepalived: a master at least as good as us stops the delay; the first lower-priority
    // master seen starts it.
    if (advert.priority >= effectivePriority) nextPreemptNotBefore = null;
    else if (preemptNotBefore === null) nextPreemptNotBefore = ctx.now + config.preemptDelayMs;
  }
  ctx.update({
    masterAddress: source,
    masterPriority: advert.priority,
    masterAdverIntervalCs: learnedInterval(ctx, advert),
    preemptNotBefore: nextPreemptNotBefore,
    preempting: false,
    // keepalived: a member held back by its sync group no longer wants MASTER once a master speaks.
    wantsMaster: false,
  });
  ctx.arm('masterDown', ctx.masterDownIntervalMs());
}

function receiveInMaster(ctx: StepContext, advert: VrrpAdvert, source: string): void {
  const { config, effectivePriority } = ctx.instance;
  if (advert.priority === 0) {
    // RFC 3768 §6.4.3: another router resigned; answer at once so backups keep seeing a master.
    ctx.sendAdvert(effectivePriority, 'priority_zero_reply');
    ctx.arm('advert', ctx.advertIntervalMs());
    return;
  }
  if (senderWins(advert.priority, source, effectivePriority, config.primaryAddress)) {
    enterBackup(ctx, 'higher_priority_advert', {
      address: source,
      priority: advert.priority,
      adverIntervalCs: advert.advertIntervalCs,
    });
    // Two masters (a healed split brain): the winner may be one that never stopped being MASTER
    // and so has no reason to announce its addresses again, while clients hold our MAC from our
    // gratuitous ARP. One advert with our priority tells it another master existed; it answers
    // with an advert and gratuitous ARP (below: lower priority while MASTER). keepalived does this
    // only with higher_prio_send_advert; without it clients stay on the loser (keepalived #166).
    if (config.higherPrioritySendAdvert) ctx.sendAdvert(effectivePriority, 'higher_priority_reply');
    return;
  }
  // The RFC discards this; keepalived answers so the other master sees us and yields at once,
  // and re-announces the addresses in case the other one captured the ARP caches.
  ctx.log(
    'info',
    `received lower priority (${advert.priority}) advert from ${source} while MASTER with ${effectivePriority}` +
      (config.lowerPriorityNoAdvert ? ' - ignoring' : ' - sending advert to force a new election'),
  );
  if (config.lowerPriorityNoAdvert) return;
  ctx.sendAdvert(effectivePriority, 'lower_priority_reply');
  const { garp } = config;
  if (garp.lowerPriorityRepeat > 0) {
    ctx.sendGarp(garp.lowerPriorityRepeat, 'lower_priority');
    if (garp.lowerPriorityDelayMs > 0) {
      ctx.update({ pendingGarpRepeat: garp.lowerPriorityRepeat });
      ctx.arm('garpDelay', garp.lowerPriorityDelayMs);
    }
  }
}
