// Ordered, non-blocking execution of notify scripts.
// Per key (one instance, or one sync group) the scripts of a transition start only after the
// previous transition's scripts have exited or been killed at their timeout, so a quick
// BACKUP→MASTER→BACKUP can never run `keepup` after `keepdown`. Different keys run independently.
// enqueue() returns at once: the state machine never waits for a script.

import {
  planNotifyScripts,
  notifyKey,
  type NotifyScripts,
  type NotifyTransition,
  type PlannedScript,
} from './notify-plan.js';
import { runScript } from './runner.js';
import type { Credentials, ScriptResult, ScriptSpec } from './types.js';
import type { Logger } from '../runtime/log.js';
import { systemTimers } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

/** Runs one planned script; must settle (the runner's timeout guarantees it) and honour `signal`. */
export type NotifyExecutor = (
  planned: PlannedScript,
  transition: NotifyTransition,
  signal: AbortSignal,
) => Promise<ScriptResult>;

export interface NotifyQueueOptions {
  execute: NotifyExecutor;
  logger: Logger;
  /**
   * Transitions waiting behind a running one, per key. A flapping instance with slow scripts must
   * not grow memory without bound: past this, the oldest waiting transitions are dropped (logged),
   * so the newest state — the one that matters — still gets its scripts.
   */
  maxPendingPerKey?: number;
}

export const DEFAULT_MAX_PENDING_PER_KEY = 16;

interface QueuedTransition {
  transition: NotifyTransition;
  planned: PlannedScript[];
}

interface KeyQueue {
  waiting: QueuedTransition[];
  running: boolean;
  controller: AbortController | null;
}

export class NotifyQueue {
  private readonly queues = new Map<string, KeyQueue>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly maxPending: number;

  constructor(private readonly options: NotifyQueueOptions) {
    this.maxPending = options.maxPendingPerKey ?? DEFAULT_MAX_PENDING_PER_KEY;
  }

  /** Queue the scripts for one transition. Returns immediately; never throws. */
  enqueue(transition: NotifyTransition, scripts: NotifyScripts): void {
    const planned = planNotifyScripts(scripts, transition);
    if (planned.length === 0) return;
    const key = notifyKey(transition);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { waiting: [], running: false, controller: null };
      this.queues.set(key, queue);
    }
    queue.waiting.push({ transition, planned });
    if (queue.waiting.length > this.maxPending) {
      const dropped = queue.waiting.splice(0, queue.waiting.length - this.maxPending);
      say(this.options.logger, LOG.notifyDropped, {
        notifyKey: key,
        count: dropped.length,
        dropped: dropped.map((entry) => entry.transition.state),
      });
    }
    if (!queue.running) void this.runQueue(key, queue);
  }

  /** Transitions queued or running for `key` (`INSTANCE:VI_1`), or for all keys. */
  pendingCount(key?: string): number {
    const count = (queue: KeyQueue): number => queue.waiting.length + (queue.running ? 1 : 0);
    if (key !== undefined) {
      const queue = this.queues.get(key);
      return queue === undefined ? 0 : count(queue);
    }
    let total = 0;
    for (const queue of this.queues.values()) total += count(queue);
    return total;
  }

  isIdle(): boolean {
    return this.pendingCount() === 0;
  }

  /**
   * Resolve true once every queued script has finished, or false after `timeoutMs`.
   * Shutdown: enqueue STOP for every instance and group, `await drain(budget)`, and if that
   * returns false call abortAll() and drain again for the kill grace period.
   */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onIdle = (): void => {
        timer.cancel();
        resolve(true);
      };
      const timer = systemTimers.after(timeoutMs, () => {
        this.idleWaiters.delete(onIdle);
        resolve(false);
      });
      this.idleWaiters.add(onIdle);
    });
  }

  /** Drop every waiting transition and terminate the running scripts (SIGTERM, then SIGKILL). */
  abortAll(): void {
    for (const [key, queue] of this.queues) {
      if (queue.waiting.length > 0) {
        say(this.options.logger, LOG.notifyAbandoned, {
          notifyKey: key,
          dropped: queue.waiting.map((entry) => entry.transition.state),
        });
      }
      queue.waiting.length = 0;
      queue.controller?.abort();
    }
  }

  private async runQueue(key: string, queue: KeyQueue): Promise<void> {
    queue.running = true;
    try {
      for (let next = queue.waiting.shift(); next !== undefined; next = queue.waiting.shift()) {
        queue.controller = new AbortController();
        for (const planned of next.planned) {
          if (queue.controller.signal.aborted) break;
          try {
            await this.options.execute(planned, next.transition, queue.controller.signal);
          } catch (error) {
            // The runner never rejects; an injected executor might. The queue must keep going.
            say(this.options.logger, LOG.notifyFailed, {
              notifyKey: key,
              role: planned.role,
              err: String(error),
            });
          }
        }
        queue.controller = null;
      }
    } finally {
      queue.running = false;
      this.queues.delete(key);
      if (this.isIdle()) {
        for (const waiter of [...this.idleWaiters]) {
          this.idleWaiters.delete(waiter);
          waiter();
        }
      }
    }
  }
}

export interface NotifyExecutorOptions {
  /** Per-script timeout (configurable; SIGTERM then SIGKILL after killGraceMs). */
  timeoutMs: number;
  killGraceMs?: number;
  logger: Logger;
  /** Identity for a script (from resolveRunAs at config load); undefined = the daemon's own. */
  credentialsFor?: (spec: ScriptSpec) => Credentials | undefined;
  /** Base environment before cleaning (defaults to the daemon's). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The production executor: the real runner, with one log record per script naming the transition. */
export function createNotifyExecutor(options: NotifyExecutorOptions): NotifyExecutor {
  return (planned, transition, signal) =>
    runScript({
      argv: planned.argv,
      label: `${planned.role} ${transition.name}`,
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs,
      credentials: options.credentialsFor?.(planned.spec),
      env: options.env,
      logger: options.logger,
      logContext: {
        [transition.subject === 'GROUP' ? 'group' : 'instance']: transition.name,
        state: transition.state,
        role: planned.role,
        configured: `${planned.spec.source.file}:${planned.spec.source.line}`,
      },
      signal,
    });
}
