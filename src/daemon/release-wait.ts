// How long a stop (or `handover --wait`) may wait for make-before-break releases: a releasing
// MASTER keeps its addresses until a new master speaks, at most its own release bound (the longest
// Skew_Time, see releaseBoundMs in the core). Pure: the caller passes the instances and the time.

import { releaseBoundMs, type Instance } from '../vrrp/index.js';

/** Past the cores' own release timers: time for the last removals to be queued. */
const RELEASE_WAIT_MARGIN_MS = 200;

/** The stop budget now: the scripts' `baseMs`, plus the longest release a MASTER could start. */
export function stopBudgetMs(instances: readonly Instance[], baseMs: number): number {
  let longest = 0;
  for (const instance of instances) {
    if (instance.state === 'MASTER' && instance.config.makeBeforeBreak)
      longest = Math.max(longest, releaseBoundMs(instance));
  }
  return baseMs + (longest > 0 ? longest + RELEASE_WAIT_MARGIN_MS : 0);
}

export function anyReleasing(instances: readonly Instance[]): boolean {
  return instances.some((instance) => instance.releasing);
}

/** How long the releases still running may take (their own due time, plus a margin); 0 if none. */
export function releaseWaitMs(instances: readonly Instance[], now: number): number {
  let longest = 0;
  for (const instance of instances) {
    const due = instance.releasing ? instance.timers.release?.dueAt : undefined;
    if (due !== undefined) longest = Math.max(longest, due - now);
  }
  return longest > 0 ? longest + RELEASE_WAIT_MARGIN_MS : 0;
}
