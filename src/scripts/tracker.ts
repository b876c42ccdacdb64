// vrrp_script scheduling: each tracker runs its script every `interval`, with a timeout, as its
// user; a run still going when the next one is due is skipped (and counted), never stacked —
// keepalived logs "already running, expect idle - skipping run" for the same situation.
// The rise/fall arithmetic lives in track-status.ts and the weights in track-effect.ts; this file
// is only timing and spawning, with an injectable clock and runner so tests drive it by hand.

import { runScript } from './runner.js';
import { withOpenChecks } from './open-check.js';
import { scriptTrackEffect } from './track-effect.js';
import {
  initialTrackCounters,
  recordTrackResult,
  type TrackCounters,
  type TrackStatus,
} from './track-status.js';
import {
  isSuccess,
  type Credentials,
  type ScriptOutcome,
  type ScriptResult,
  type ScriptSpec,
} from './types.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import { systemTimers, type TimerHandle, type Timers } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

/** Time and timers: the system's by default, tests pass a manual one (src/runtime/manual-timers). */
export type TrackerClock = Pick<Clock, 'now'> & Pick<Timers, 'after'>;

const systemTrackerClock: TrackerClock = { now: systemClock.now, after: systemTimers.after };

/** One `vrrp_script` block, already validated and defaulted: the config model's VrrpScriptModel plus credentials. */
export interface TrackScriptConfig {
  name: string;
  script: ScriptSpec;
  intervalMs: number;
  /** keepalived uses the interval when no timeout is configured; the config layer applies that default. */
  timeoutMs: number;
  /** The vrrp_script's own weight (track_script entries may override it per instance). */
  weight: number;
  weightReverse: boolean;
  rise: number;
  fall: number;
  initFail: boolean;
  /** Identity resolved at config load (resolveRunAs); undefined = the daemon's own. */
  credentials?: Credentials;
}

/** What the status query shows for one vrrp_script. */
export interface ScriptTrackerState {
  kind: 'script';
  name: string;
  status: TrackStatus;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  weight: number;
  reverse: boolean;
  /** Contribution of the script's own weight right now (instances may use an override). */
  contribution: number;
  /** True when, with its own weight (0), the script forces FAULT right now. */
  fault: boolean;
  runs: number;
  skippedRuns: number;
  lastOutcome: ScriptOutcome | null;
  lastExitCode: number | null;
  lastDurationMs: number | null;
  /** Clock time (ms) of the last completed run. */
  lastRunAt: number | null;
}

export type TrackRun = (config: TrackScriptConfig, signal: AbortSignal) => Promise<ScriptResult>;

export interface TrackScriptSchedulerOptions {
  logger: Logger;
  clock?: TrackerClock;
  /** Defaults to the real runner; tests inject a controllable one. */
  run?: TrackRun;
  /** Called when a script's status changes (INIT/OK/FAIL): the daemon recomputes priorities then. */
  onStatusChange?: (state: ScriptTrackerState, previous: TrackStatus) => void;
  env?: Readonly<Record<string, string | undefined>>;
}

interface Tracker {
  config: TrackScriptConfig;
  counters: TrackCounters;
  running: AbortController | null;
  timer: TimerHandle | null;
  nextDueAt: number;
  runs: number;
  skippedRuns: number;
  lastOutcome: ScriptOutcome | null;
  lastExitCode: number | null;
  lastDurationMs: number | null;
  lastRunAt: number | null;
  inFlight: Promise<void> | null;
}

export class TrackScriptScheduler {
  private readonly trackers = new Map<string, Tracker>();
  private readonly clock: TrackerClock;
  private readonly run: TrackRun;
  private started = false;
  private stopped = false;

  constructor(
    configs: readonly TrackScriptConfig[],
    private readonly options: TrackScriptSchedulerOptions,
  ) {
    this.clock = options.clock ?? systemTrackerClock;
    // keepalived's "</dev/tcp/HOST/PORT" checks are done in-process (open-check.ts).
    this.run =
      options.run ??
      withOpenChecks((config, signal) => runTrackScript(config, signal, options.logger, options.env));
    for (const config of configs) {
      this.trackers.set(config.name, {
        config,
        counters: initialTrackCounters(config.initFail),
        running: null,
        timer: null,
        nextDueAt: 0,
        runs: 0,
        skippedRuns: 0,
        lastOutcome: null,
        lastExitCode: null,
        lastDurationMs: null,
        lastRunAt: null,
        inFlight: null,
      });
    }
  }

  /** Run every script now, then every `interval`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    for (const tracker of this.trackers.values()) {
      tracker.nextDueAt = now;
      this.tick(tracker);
    }
  }

  /** Cancel timers, terminate running scripts and wait for them to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    const inFlight: Promise<void>[] = [];
    for (const tracker of this.trackers.values()) {
      tracker.timer?.cancel();
      tracker.timer = null;
      tracker.running?.abort();
      if (tracker.inFlight !== null) inFlight.push(tracker.inFlight);
    }
    await Promise.all(inFlight);
  }

  states(): ScriptTrackerState[] {
    return [...this.trackers.values()].map((tracker) => this.snapshot(tracker));
  }

  state(name: string): ScriptTrackerState | undefined {
    const tracker = this.trackers.get(name);
    return tracker === undefined ? undefined : this.snapshot(tracker);
  }

  private tick(tracker: Tracker): void {
    if (this.stopped) return;
    // Fixed rate: the next run is due one interval after this one was due, whatever this one does.
    tracker.nextDueAt += tracker.config.intervalMs;
    const delay = Math.max(0, tracker.nextDueAt - this.clock.now());
    tracker.timer = this.clock.after(delay, () => this.tick(tracker));

    if (tracker.running !== null) {
      tracker.skippedRuns += 1;
      say(this.options.logger, LOG.trackScriptSkipped, {
        tracker: tracker.config.name,
        skippedRuns: tracker.skippedRuns,
      });
      return;
    }
    const controller = new AbortController();
    tracker.running = controller;
    tracker.inFlight = this.execute(tracker, controller);
  }

  private async execute(tracker: Tracker, controller: AbortController): Promise<void> {
    let result: ScriptResult | null = null;
    try {
      result = await this.run(tracker.config, controller.signal);
    } catch (error) {
      // The real runner never rejects; an injected one might. Count it as a failed run.
      say(this.options.logger, LOG.trackScriptRunnerFailed, {
        tracker: tracker.config.name,
        err: String(error),
      });
    }
    tracker.running = null;
    tracker.inFlight = null;
    // Results of runs cut short by stop() say nothing about the tracked service.
    if (this.stopped) return;
    const previous = tracker.counters.status;
    tracker.counters = recordTrackResult(
      tracker.counters,
      result !== null && isSuccess(result),
      tracker.config,
    );
    tracker.runs += 1;
    const exitCode = result?.exitCode ?? null;
    if (tracker.runs === 1 || exitCode !== tracker.lastExitCode) {
      // keepalived's "Script `x` now returning N": one line per change, not one per run.
      say(this.options.logger, LOG.trackScriptResult, {
        tracker: tracker.config.name,
        exitCode,
        outcome: result?.outcome ?? 'spawn_error',
        result: exitCode ?? result?.outcome ?? 'spawn_error',
      });
    }
    tracker.lastOutcome = result?.outcome ?? 'spawn_error';
    tracker.lastExitCode = result?.exitCode ?? null;
    tracker.lastDurationMs = result?.durationMs ?? null;
    tracker.lastRunAt = this.clock.now();
    if (tracker.counters.status !== previous) {
      const state = this.snapshot(tracker);
      say(this.options.logger, LOG.trackScriptState, {
        tracker: tracker.config.name,
        from: previous,
        to: state.status,
        contribution: state.contribution,
      });
      this.options.onStatusChange?.(state, previous);
    }
  }

  private snapshot(tracker: Tracker): ScriptTrackerState {
    const { config, counters } = tracker;
    const effect = scriptTrackEffect(counters.status, config.weight, config.weightReverse);
    return {
      kind: 'script',
      name: config.name,
      status: counters.status,
      consecutiveSuccesses: counters.consecutiveSuccesses,
      consecutiveFailures: counters.consecutiveFailures,
      weight: config.weight,
      reverse: config.weightReverse,
      contribution: effect.contribution,
      fault: effect.fault,
      runs: tracker.runs,
      skippedRuns: tracker.skippedRuns,
      lastOutcome: tracker.lastOutcome,
      lastExitCode: tracker.lastExitCode,
      lastDurationMs: tracker.lastDurationMs,
      lastRunAt: tracker.lastRunAt,
    };
  }
}

/** The production runner for one vrrp_script run. */
export function runTrackScript(
  config: TrackScriptConfig,
  signal: AbortSignal,
  logger: Logger,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<ScriptResult> {
  return runScript({
    argv: config.script.argv,
    label: `vrrp_script ${config.name}`,
    timeoutMs: config.timeoutMs,
    credentials: config.credentials,
    env,
    logger,
    logContext: { tracker: config.name },
    routine: true,
    signal,
  });
}
