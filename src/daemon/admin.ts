// Runtime administration of instances (issue 14): planned handover into maintenance, resume, and
// runtime priority (demote). The decisions are the core's (handover / resume / setPriority
// events); here live who asked, when and why, the `--for` expiries, and persistence across
// reloads and restarts (admin-store.ts).

import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import { SerialQueue } from '../runtime/serial-queue.js';
import { KeyedTimers, type Timers } from '../runtime/timers.js';
import type { VrrpEvent } from '../vrrp/index.js';
import { loadAdminState, saveAdminState, type AdminRecord, type HoldRecord } from './admin-store.js';

export interface AdminDeps {
  dispatch(instance: string, event: VrrpEvent): void;
  /** The configured (file) priority of an instance, to return to on resume. */
  configuredPriority(instance: string): number | undefined;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Where holds and overrides persist; null keeps them in memory only. */
  statePath: string | null;
}

export interface Requester {
  by: string;
  reason: string;
}

export class InstanceAdmin {
  private readonly records = new Map<string, AdminRecord>();
  private readonly expiries: KeyedTimers<string>;
  private readonly writes: SerialQueue;

  constructor(private readonly deps: AdminDeps) {
    this.expiries = new KeyedTimers(deps.timers);
    this.writes = new SerialQueue((_work, err) => say(deps.logger, LOG.adminStateWriteFailed, { err }));
  }

  /** Reads the persisted holds and overrides (start-up); problems are logged, never fatal. */
  async load(): Promise<void> {
    if (!this.deps.statePath) return;
    const { records, problems } = await loadAdminState(this.deps.statePath);
    for (const problem of problems) say(this.deps.logger, LOG.adminStateUnreadable, { problem });
    for (const [name, record] of records) this.records.set(name, record);
  }

  record(name: string): AdminRecord | undefined {
    return this.records.get(name);
  }

  /** An instance started or took a new configuration: its override and hold apply again. */
  reapply(name: string): void {
    const record = this.records.get(name);
    if (!record) return;
    if (record.priority)
      this.deps.dispatch(name, { type: 'setPriority', priority: record.priority.priority });
    if (record.hold) {
      if (record.hold.until !== null && record.hold.until <= this.deps.clock.wallNow()) {
        this.resume([name], { by: 'vrrpd', reason: 'maintenance period ended' });
        return;
      }
      this.deps.dispatch(name, { type: 'handover' });
      this.armExpiry(name, record.hold);
    }
  }

  handover(names: readonly string[], who: Requester, options: { to?: string; forMs?: number } = {}): void {
    const since = this.deps.clock.wallNow();
    const until = options.forMs !== undefined ? since + options.forMs : null;
    for (const name of names) {
      const hold: HoldRecord = { since, by: who.by, reason: who.reason, until };
      this.update(name, { hold });
      say(this.deps.logger, LOG.handover, {
        instance: name,
        by: who.by,
        reason: who.reason,
        until,
        to: options.to,
      });
      this.deps.dispatch(name, options.to ? { type: 'handover', to: options.to } : { type: 'handover' });
      this.armExpiry(name, hold);
    }
    this.persist();
  }

  /** Ends maintenance and any priority override: the instance runs as configured again. */
  resume(names: readonly string[], who: Requester): void {
    for (const name of names) {
      const record = this.records.get(name);
      this.expiries.cancel(name);
      this.records.delete(name);
      say(this.deps.logger, LOG.resumed, { instance: name, by: who.by, reason: who.reason });
      this.deps.dispatch(name, { type: 'resume' });
      const configured = this.deps.configuredPriority(name);
      if (record?.priority && configured !== undefined) {
        this.deps.dispatch(name, { type: 'setPriority', priority: configured });
      }
    }
    this.persist();
  }

  demote(name: string, priority: number, who: Requester): void {
    this.update(name, {
      priority: { priority, since: this.deps.clock.wallNow(), by: who.by, reason: who.reason },
    });
    say(this.deps.logger, LOG.priorityOverride, { instance: name, priority, by: who.by, reason: who.reason });
    this.deps.dispatch(name, { type: 'setPriority', priority });
    this.persist();
  }

  /** Stops the `--for` timers (daemon stop); records stay persisted. */
  stop(): Promise<void> {
    this.expiries.cancelAll();
    return this.writes.idle();
  }

  private update(name: string, change: Partial<AdminRecord>): void {
    const current = this.records.get(name) ?? { hold: null, priority: null };
    this.records.set(name, { ...current, ...change });
  }

  private armExpiry(name: string, hold: HoldRecord): void {
    if (hold.until === null) return;
    this.expiries.arm(name, hold.until - this.deps.clock.wallNow(), () =>
      this.resume([name], { by: 'vrrpd', reason: 'maintenance period ended' }),
    );
  }

  private persist(): void {
    const path = this.deps.statePath;
    if (!path) return;
    const snapshot = new Map(this.records);
    this.writes.push('save runtime state', () => saveAdminState(path, snapshot));
  }
}
