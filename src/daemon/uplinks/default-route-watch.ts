// Watching the default route an uplink group manages: every notification about a default route
// of its table, every link change (a link going down takes its routes without a notification)
// and every lost batch of notifications leads, after a short quiet period so a
// burst is read once, to one re-read of the route, handed to the policy as a `kernelRoute` event.
// Our own writes come back as notifications too; the policy sees the route it wrote and does
// nothing.

import type { RouteWatch } from '../../kernel/route-watch.js';
import type { TimerHandle, Timers } from '../../runtime/timers.js';

/** A burst of notifications (a link going down drops many routes) is read once. */
const QUIET_MS = 50;

export interface DefaultRouteWatchOptions {
  watch: RouteWatch;
  timers: Timers;
  /** The table whose default route is ours. */
  table: () => number;
  /** Re-read the route and tell the policy. */
  check: () => void;
  onError: (error: Error) => void;
}

export class DefaultRouteWatch {
  private pending: TimerHandle | null = null;
  private closed = false;

  constructor(private readonly options: DefaultRouteWatchOptions) {
    options.watch.onEvent((event) => {
      if (this.closed) return;
      if (event.kind === 'error') options.onError(event.error);
      else if (event.kind === 'overrun' || event.kind === 'link') this.schedule();
      else if (event.route.prefixLength === 0 && event.route.table === options.table()) this.schedule();
    });
  }

  close(): void {
    this.closed = true;
    this.pending?.cancel();
    this.options.watch.close();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = this.options.timers.after(
      QUIET_MS,
      () => {
        this.pending = null;
        if (!this.closed) this.options.check();
      },
      { unref: true },
    );
  }
}
