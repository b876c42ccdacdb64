// vrrp_track_process at run time: feeds process events to the pure core (process-track.ts) and
// runs the timers it asks for. Two sources:
//  - the kernel's process-events connector (src/kernel/proc-events.ts), as keepalived: no cost
//    while nothing forks or exits, every change seen at once; after lost events (ENOBUFS) the
//    counts are rebuilt from /proc one second later, as keepalived does;
//  - polling /proc (proc-scan.ts) every `pollIntervalMs` when the connector cannot be used (any
//    network namespace but the initial one, no CAP_NET_ADMIN, no CONFIG_PROC_EVENTS): each poll's
//    differences become the same fork/exec/exit events (a new process whose parent is counted is
//    a fork, so fork_delay applies as with the connector), so both sources behave alike, only
//    later by up to one interval.
// The process table is read once at start either way, subscribing first so nothing falls between.

import { openProcConnector, type ProcEvent, type ProcEventSource } from '../kernel/proc-events.js';
import { readProcess, scanProcesses, type ScannedProcess } from '../kernel/proc-scan.js';
import {
  ProcessTrackCore,
  type ProcessIdentity,
  type ProcessTrackAction,
  type ProcessTrackConfig,
  type ProcessTrackerView,
  type TimerKind,
} from './process-track.js';
import type { Logger } from '../runtime/log.js';
import { errorMessage } from '../runtime/errors.js';
import { KeyedTimers, systemTimers, type TimerHandle, type Timers } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

export const DEFAULT_PROCESS_POLL_MS = 1000;
/** keepalived waits a second after lost events before re-reading the process table. */
export const RESCAN_AFTER_LOSS_MS = 1000;

export type ProcessSourceMode = 'auto' | 'connector' | 'poll';

export interface ProcessTrackerOptions {
  configs: readonly ProcessTrackConfig[];
  logger: Logger;
  timers?: Timers;
  /** A tracker's quorum changed (after its delays). Not called for the initial state: see states(). */
  onStatusChange?: (tracker: string, up: boolean, count: number) => void;
  /** 'auto' (default): the connector, else polling. */
  mode?: ProcessSourceMode;
  pollIntervalMs?: number;
  /** Injection points for tests. */
  openConnector?: () => Promise<ProcEventSource>;
  scan?: (withCmdline: boolean) => Map<number, ScannedProcess>;
  read?: (pid: number, withCmdline: boolean) => ScannedProcess | null;
}

export class ProcessTracker {
  private readonly core: ProcessTrackCore;
  private readonly keyed: KeyedTimers<string>;
  private readonly timers: Timers;
  private readonly scan: (withCmdline: boolean) => Map<number, ScannedProcess>;
  private readonly read: (pid: number, withCmdline: boolean) => ScannedProcess | null;
  private connector: ProcEventSource | null = null;
  private poller: TimerHandle | null = null;
  private snapshot = new Map<number, ScannedProcess>();
  private closed = false;
  /** 'connector' or 'poll', once started. */
  source: 'connector' | 'poll' = 'poll';

  private constructor(private readonly options: ProcessTrackerOptions) {
    this.core = new ProcessTrackCore(options.configs);
    this.timers = options.timers ?? systemTimers;
    this.keyed = new KeyedTimers(this.timers);
    this.scan = options.scan ?? ((withCmdline) => scanProcesses(withCmdline));
    this.read = options.read ?? ((pid, withCmdline) => readProcess(pid, withCmdline));
  }

  /** Subscribes (or starts polling) and counts the processes running now. */
  static async start(options: ProcessTrackerOptions): Promise<ProcessTracker> {
    const tracker = new ProcessTracker(options);
    await tracker.begin();
    return tracker;
  }

  /** Count, quorum and pending delay of every tracker. */
  states(): ProcessTrackerView[] {
    return this.core.view();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connector?.close();
    this.poller?.cancel();
    this.keyed.cancelAll();
  }

  private async begin(): Promise<void> {
    const mode = this.options.mode ?? 'auto';
    if (mode !== 'poll') {
      try {
        this.connector = await (this.options.openConnector ?? (() => openProcConnector()))();
        this.source = 'connector';
      } catch (error) {
        if (mode === 'connector') throw error;
        say(this.options.logger, LOG.trackProcessPolling, {
          reason: errorMessage(error),
          intervalMs: this.pollInterval(),
        });
      }
    }
    const withCmdline = this.core.needsCmdline;
    this.snapshot = this.scan(withCmdline);
    this.apply(this.core.scan(identities(this.snapshot), true), true);
    if (this.connector) {
      this.connector.onEvent((event) => this.onEvent(event));
      this.connector.onLost(() => this.onLost());
      this.connector.onError((error) =>
        say(this.options.logger, LOG.trackProcessEventsError, { err: error.message }),
      );
    } else {
      this.poller = this.timers.every(this.pollInterval(), () => this.poll(), { unref: true });
    }
  }

  private pollInterval(): number {
    return this.options.pollIntervalMs ?? DEFAULT_PROCESS_POLL_MS;
  }

  private onEvent(event: ProcEvent): void {
    if (this.closed) return;
    // Threads are not processes: keepalived ignores events where pid != tgid.
    switch (event.kind) {
      case 'fork':
        if (event.childPid === event.childTgid) this.apply(this.core.fork(event.parentTgid, event.childTgid));
        break;
      case 'exec': {
        if (event.pid !== event.tgid) break;
        const process = this.read(event.pid, this.core.needsCmdline);
        if (process) this.apply(this.core.exec(event.pid, process.identity));
        break;
      }
      case 'comm':
        if (event.pid === event.tgid)
          this.apply(this.core.comm(event.pid, { comm: event.comm, cmdline: null }));
        break;
      case 'exit':
        if (event.pid === event.tgid) this.apply(this.core.exit(event.pid));
        break;
      default:
        break;
    }
  }

  private onLost(): void {
    say(this.options.logger, LOG.trackProcessLost);
    this.keyed.arm('rescan', RESCAN_AFTER_LOSS_MS, () => {
      if (this.closed) return;
      this.apply(this.core.scan(identities(this.scan(this.core.needsCmdline)), false));
    });
  }

  /** One poll: the differences since the last one, as the events the connector would have sent. */
  private poll(): void {
    if (this.closed) return;
    const next = this.scan(this.core.needsCmdline);
    const previous = this.snapshot;
    this.snapshot = next;
    // Exits first: a process replaced within one interval dips and comes back, and with
    // terminate_delay the dip is absorbed instead of flapping.
    for (const pid of previous.keys()) if (!next.has(pid)) this.apply(this.core.exit(pid));
    const counted = new Set(this.core.trackedPids());
    for (const [pid, process] of next) {
      const before = previous.get(pid);
      if (!before) {
        if (counted.has(process.ppid)) this.apply(this.core.fork(process.ppid, pid));
        this.apply(this.core.exec(pid, process.identity));
      } else if (!sameIdentity(before.identity, process.identity)) {
        this.apply(this.core.exec(pid, process.identity));
      }
    }
  }

  private apply(actions: readonly ProcessTrackAction[], initial = false): void {
    for (const action of actions) {
      switch (action.kind) {
        case 'status':
          if (initial) break;
          say(this.options.logger, LOG.trackProcessQuorum, {
            tracker: action.tracker,
            change: action.up ? 'gained' : 'lost',
            count: action.count,
          });
          this.options.onStatusChange?.(action.tracker, action.up, action.count);
          break;
        case 'armTimer':
          this.keyed.arm(timerKey(action.tracker, action.timer), action.delayMs, () =>
            this.apply(this.core.timerExpired(action.tracker, action.timer)),
          );
          break;
        case 'cancelTimer':
          this.keyed.cancel(timerKey(action.tracker, action.timer));
          break;
      }
    }
  }
}

function timerKey(tracker: string, timer: TimerKind): string {
  return `${timer}:${tracker}`;
}

function identities(processes: ReadonlyMap<number, ScannedProcess>): Map<number, ProcessIdentity> {
  return new Map([...processes].map(([pid, process]) => [pid, process.identity]));
}

function sameIdentity(a: ProcessIdentity, b: ProcessIdentity): boolean {
  if (a.comm !== b.comm) return false;
  if (a.cmdline === null || b.cmdline === null) return a.cmdline === b.cmdline;
  return a.cmdline.equals(b.cmdline);
}
