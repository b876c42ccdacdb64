// Waiting for the instances to reach a condition (the releases of a make-before-break stop, the
// end of a handover for `vrrpctl handover --wait`): every dispatch re-checks the pending waits, so
// a wait ends on the step that satisfies it, or at its deadline. Costs nothing when none is pending.

import type { Timers } from '../runtime/timers.js';

interface Waiter {
  condition(): boolean;
  settle(met: boolean): void;
}

export class StateWaiters {
  private readonly pending = new Set<Waiter>();

  constructor(private readonly timers: Timers) {}

  /** Resolves true when `condition` holds (checked now and after each step), false at the deadline. */
  until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        condition,
        settle: (met) => {
          timer.cancel();
          this.pending.delete(waiter);
          resolve(met);
        },
      };
      const timer = this.timers.after(deadlineMs, () => waiter.settle(false));
      this.pending.add(waiter);
    });
  }

  /** After a step: settles every wait whose condition now holds. */
  check(): void {
    if (this.pending.size === 0) return;
    for (const waiter of [...this.pending]) if (waiter.condition()) waiter.settle(true);
  }
}
