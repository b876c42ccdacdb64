// vrrp_track_process, the logic without I/O or clocks (keepalived track_process.c): which
// processes match a tracker, how many there are, whether that count is within [quorum,
// quorum_max], and when a change takes effect (fork_delay, terminate_delay). Process events go
// in, actions come out (status changes, timers to arm or cancel); the shell (process-tracker.ts)
// reads /proc, listens to the kernel and runs the timers. Semantics, messages and keepalived's
// own quirks: docs/design/ka-features.md §4.

/** How `process NAME PARAM…` parameters are compared (keepalived param_match). */
export type ParamMatch = 'none' | 'exact' | 'partial' | 'initial';

/** One vrrp_track_process block, defaulted by the config layer. */
export interface ProcessTrackConfig {
  name: string;
  /** argv[0] to match (full_command) or the 15-character process name (comm). */
  process: string;
  /** `process NAME P1 P2`: the parameters; empty when none were given. */
  params: readonly string[];
  /** 'none' unless param_match was given or parameters were (then 'exact'). */
  paramMatch: ParamMatch;
  /** Compare /proc/PID/cmdline's argv[0] instead of the process name. */
  fullCommand: boolean;
  /** Default 1. */
  quorum: number;
  /** Default unlimited (Infinity). */
  quorumMax: number;
  /** Milliseconds; 0 = none. `delay` sets both. */
  forkDelayMs: number;
  terminateDelayMs: number;
}

/** What /proc says about one process. */
export interface ProcessIdentity {
  /** The process name (/proc/PID/comm, at most 15 bytes). */
  comm: string;
  /** /proc/PID/cmdline as bytes (arguments NUL-terminated); null if it was not read. */
  cmdline: Buffer | null;
}

export type TimerKind = 'fork' | 'terminate';

export type ProcessTrackAction =
  | { kind: 'status'; tracker: string; up: boolean; count: number }
  | { kind: 'armTimer'; tracker: string; timer: TimerKind; delayMs: number }
  | { kind: 'cancelTimer'; tracker: string; timer: TimerKind };

export interface ProcessTrackerView {
  name: string;
  count: number;
  up: boolean;
  pendingTimer: TimerKind | null;
}

/** The configured parameters as keepalived stores them: each followed by a NUL. */
export function paramBytes(params: readonly string[]): Buffer {
  return Buffer.concat(params.map((p) => Buffer.concat([Buffer.from(p, 'utf8'), Buffer.alloc(1)])));
}

/** argv[0] of a cmdline (up to its first NUL) and the bytes after it (the parameters). */
export function splitCmdline(cmdline: Buffer): { argv0: string; params: Buffer } {
  const end = cmdline.indexOf(0);
  if (end < 0) return { argv0: cmdline.toString('utf8'), params: Buffer.alloc(0) };
  return { argv0: cmdline.subarray(0, end).toString('utf8'), params: cmdline.subarray(end + 1) };
}

/** keepalived check_params: do the process's parameter bytes satisfy the tracker's? */
export function paramsMatch(match: ParamMatch, wanted: Buffer, actual: Buffer): boolean {
  if (match === 'none') return true;
  if (match === 'exact' && wanted.length === 0 && actual.length === 0) return true;
  if (actual.length < wanted.length) return false;
  if (match === 'exact') return actual.length === wanted.length && actual.equals(wanted);
  if (wanted.length === 0) return true;
  if (match === 'partial') return actual.subarray(0, wanted.length).equals(wanted);
  // initial: the last configured parameter may be a prefix of the process's (no final NUL).
  return wanted.length === 1 || actual.subarray(0, wanted.length - 1).equals(wanted.subarray(0, -1));
}

/** Does a process with this identity count for the tracker? */
export function processMatches(config: ProcessTrackConfig, identity: ProcessIdentity): boolean {
  if (config.fullCommand) {
    if (identity.cmdline === null) return false;
    const { argv0, params } = splitCmdline(identity.cmdline);
    return argv0 === config.process && paramsMatch(config.paramMatch, paramBytes(config.params), params);
  }
  // A parameter check on a comm tracker compares against the (unread) cmdline: keepalived sets
  // full_command whenever parameters or param_match are given, so this does not happen there.
  return identity.comm === config.process;
}

interface TrackerState {
  config: ProcessTrackConfig;
  count: number;
  up: boolean;
  pending: TimerKind | null;
}

/**
 * The counting state of all trackers. Methods take one kernel (or scan) event and return the
 * actions it causes, in order. Deterministic; nothing is read or timed here.
 */
export class ProcessTrackCore {
  private readonly trackers = new Map<string, TrackerState>();
  /** Which trackers count each pid. */
  private readonly pids = new Map<number, Set<string>>();

  constructor(configs: readonly ProcessTrackConfig[]) {
    for (const config of configs)
      this.trackers.set(config.name, { config, count: 0, up: false, pending: null });
  }

  /** Does any tracker need /proc/PID/cmdline (full_command)? Otherwise comm is enough. */
  get needsCmdline(): boolean {
    return [...this.trackers.values()].some((t) => t.config.fullCommand);
  }

  view(): ProcessTrackerView[] {
    return [...this.trackers.values()].map((t) => ({
      name: t.config.name,
      count: t.count,
      up: t.up,
      pendingTimer: t.pending,
    }));
  }

  /** Pids currently counted (by any tracker). */
  trackedPids(): number[] {
    return [...this.pids.keys()];
  }

  /**
   * The whole process table: at start (statuses are reported for every tracker, as the initial
   * state) and after lost events (only changes are reported; timers restart as after events).
   */
  scan(processes: ReadonlyMap<number, ProcessIdentity>, initial: boolean): ProcessTrackAction[] {
    const actions: ProcessTrackAction[] = [];
    const previous = new Map([...this.trackers.values()].map((t) => [t.config.name, t.up]));
    this.pids.clear();
    for (const tracker of this.trackers.values()) {
      tracker.count = 0;
      if (tracker.pending) actions.push(this.cancel(tracker));
    }
    for (const [pid, identity] of processes) {
      for (const tracker of this.trackers.values()) {
        if (processMatches(tracker.config, identity)) this.addRef(pid, tracker);
      }
    }
    for (const tracker of this.trackers.values()) {
      const up = this.inQuorum(tracker);
      if (initial) {
        tracker.up = up;
        actions.push({ kind: 'status', tracker: tracker.config.name, up, count: tracker.count });
      } else if (up !== previous.get(tracker.config.name)) {
        // Lost events: a loss still waits terminate_delay; a gain is immediate (keepalived).
        if (!up && tracker.config.terminateDelayMs > 0) actions.push(this.arm(tracker, 'terminate'));
        else actions.push(...this.setStatus(tracker, up));
      }
    }
    return actions;
  }

  /** A process forked (whole processes only: the caller drops thread creations). */
  fork(parentPid: number, childPid: number): ProcessTrackAction[] {
    const parentTrackers = this.pids.get(parentPid);
    if (!parentTrackers) return [];
    const actions: ProcessTrackAction[] = [];
    for (const name of parentTrackers) {
      const tracker = this.trackers.get(name)!;
      if (!this.addRef(childPid, tracker)) continue;
      if (!this.crossedUp(tracker)) continue;
      if (tracker.pending === 'terminate') {
        actions.push(this.cancel(tracker));
      } else if (tracker.config.forkDelayMs > 0) {
        actions.push(this.arm(tracker, 'fork'));
        continue;
      }
      actions.push(...this.setStatus(tracker, tracker.count === tracker.config.quorum));
    }
    return actions;
  }

  /** A process exec'd (or is seen for the first time): re-check what it matches. */
  exec(pid: number, identity: ProcessIdentity): ProcessTrackAction[] {
    return this.check(pid, identity, false);
  }

  /** A process changed its name (prctl PR_SET_NAME). `identity.cmdline` may be null. */
  comm(pid: number, identity: ProcessIdentity): ProcessTrackAction[] {
    const actions: ProcessTrackAction[] = [];
    const names = this.pids.get(pid);
    if (names) {
      for (const name of [...names]) {
        const tracker = this.trackers.get(name)!;
        if (tracker.config.fullCommand) continue;
        if (identity.comm === tracker.config.process) return actions; // keepalived: no change at all
        actions.push(...this.removeWithoutDelay(pid, tracker));
      }
    }
    actions.push(...this.check(pid, identity, true));
    return actions;
  }

  /** A process exited. */
  exit(pid: number): ProcessTrackAction[] {
    const names = this.pids.get(pid);
    if (!names) return [];
    const actions: ProcessTrackAction[] = [];
    for (const name of names) {
      const tracker = this.trackers.get(name)!;
      tracker.count--;
      if (!this.crossedDown(tracker)) continue;
      if (tracker.pending === 'fork') {
        actions.push(this.cancel(tracker));
      } else if (tracker.config.terminateDelayMs > 0) {
        actions.push(this.arm(tracker, 'terminate'));
        continue;
      }
      actions.push(...this.setStatus(tracker, tracker.count === tracker.config.quorumMax));
    }
    this.pids.delete(pid);
    return actions;
  }

  /** A fork or terminate timer fired: the status becomes what the count says now. */
  timerExpired(trackerName: string, timer: TimerKind): ProcessTrackAction[] {
    const tracker = this.trackers.get(trackerName);
    if (!tracker || tracker.pending !== timer) return [];
    tracker.pending = null;
    return this.setStatus(tracker, this.inQuorum(tracker));
  }

  private check(pid: number, identity: ProcessIdentity, commEvent: boolean): ProcessTrackAction[] {
    const actions: ProcessTrackAction[] = [];
    for (const tracker of this.trackers.values()) {
      if (commEvent && tracker.config.fullCommand) continue; // a rename does not change the cmdline
      const counted = this.pids.get(pid)?.has(tracker.config.name) ?? false;
      if (processMatches(tracker.config, identity)) {
        if (counted || !this.addRef(pid, tracker)) continue; // keepalived would count it twice
        if (!this.crossedUp(tracker)) continue;
        if (tracker.pending === 'terminate') actions.push(this.cancel(tracker));
        actions.push(...this.setStatus(tracker, tracker.count === tracker.config.quorum));
      } else if (counted) {
        actions.push(...this.removeWithoutDelay(pid, tracker));
      }
    }
    return actions;
  }

  /** exec/rename made a counted process stop matching: immediate, no terminate_delay. */
  private removeWithoutDelay(pid: number, tracker: TrackerState): ProcessTrackAction[] {
    const names = this.pids.get(pid);
    if (!names?.delete(tracker.config.name)) return [];
    if (names.size === 0) this.pids.delete(pid);
    tracker.count--;
    if (!this.crossedDown(tracker)) return [];
    const actions: ProcessTrackAction[] = [];
    if (tracker.pending === 'fork') actions.push(this.cancel(tracker));
    actions.push(...this.setStatus(tracker, tracker.count === tracker.config.quorumMax));
    return actions;
  }

  private addRef(pid: number, tracker: TrackerState): boolean {
    const names = this.pids.get(pid) ?? new Set<string>();
    if (names.has(tracker.config.name)) return false;
    names.add(tracker.config.name);
    this.pids.set(pid, names);
    tracker.count++;
    return true;
  }

  /** After +1: did the count just reach quorum, or just exceed quorum_max? */
  private crossedUp(tracker: TrackerState): boolean {
    return tracker.count === tracker.config.quorum || tracker.count === tracker.config.quorumMax + 1;
  }

  /** After -1: did the count just fall below quorum, or just come back to quorum_max? */
  private crossedDown(tracker: TrackerState): boolean {
    return tracker.count + 1 === tracker.config.quorum || tracker.count === tracker.config.quorumMax;
  }

  private inQuorum(tracker: TrackerState): boolean {
    return tracker.count >= tracker.config.quorum && tracker.count <= tracker.config.quorumMax;
  }

  private setStatus(tracker: TrackerState, up: boolean): ProcessTrackAction[] {
    if (tracker.up === up) return [];
    tracker.up = up;
    return [{ kind: 'status', tracker: tracker.config.name, up, count: tracker.count }];
  }

  private arm(tracker: TrackerState, timer: TimerKind): ProcessTrackAction {
    tracker.pending = timer;
    const delayMs = timer === 'fork' ? tracker.config.forkDelayMs : tracker.config.terminateDelayMs;
    return { kind: 'armTimer', tracker: tracker.config.name, timer, delayMs };
  }

  private cancel(tracker: TrackerState): ProcessTrackAction {
    const timer = tracker.pending!;
    tracker.pending = null;
    return { kind: 'cancelTimer', tracker: tracker.config.name, timer };
  }
}
