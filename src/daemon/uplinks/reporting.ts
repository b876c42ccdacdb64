// What an uplink group tells the outside while it runs: catalogued log lines (tagged with the group),
// notices for whoever watches (the namespace test runner), and the running totals behind metrics.

import type { GatewayRound } from '../../uplink/types.js';
import type { LogFields, Logger, LogLevel } from '../../runtime/log.js';
import { say, type LogMessage } from '../../runtime/messages.js';

/** What the manager did, for whoever wants to watch (the test runner, metrics). */
export type UplinkNotice =
  | { kind: 'round'; results: GatewayRound[] }
  | { kind: 'switch'; from: string | null; to: string; reason: string }
  | { kind: 'routeError'; gateway: string; error: string }
  | { kind: 'fallback'; ok: boolean };

/** Running totals since start, for metrics (`vrrpd_uplink_*_total`). */
export interface UplinkCounters {
  /** Default-route changes to another gateway (not rewrites of the same one). */
  switches: number;
  routeErrors: number;
  probesSent: number;
  repliesReceived: number;
}

export class UplinkReporter {
  readonly counters: UplinkCounters = { switches: 0, routeErrors: 0, probesSent: 0, repliesReceived: 0 };
  private readonly listeners: Array<(notice: UplinkNotice) => void> = [];

  constructor(
    private readonly group: string,
    private readonly logger: Logger,
  ) {}

  /** Logs a catalogue line of this group (`uplinkGroup` added); `level` overrides the entry's. */
  say(message: LogMessage, fields: LogFields = {}, level?: LogLevel): void {
    say(this.logger, message, { uplinkGroup: this.group, ...fields }, level);
  }

  onNotice(listener: (notice: UplinkNotice) => void): void {
    this.listeners.push(listener);
  }

  notify(notice: UplinkNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch {
        // A watcher's failure is not the manager's.
      }
    }
  }
}
