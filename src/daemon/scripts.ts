// The daemon's script side, built from one configuration: the ordered notify queue, the notify
// FIFOs, the vrrp_script schedulers and track_file watchers, with script security applied once at
// load. The VRRP side only calls notify() and reads tracker states; nothing here blocks it.

import { getgid, getuid } from 'node:process';
import type { ScriptSpec, VrrpdConfig } from '../config/model/types.js';
import { loadAccountDatabase, resolveRunAs } from '../scripts/credentials.js';
import { NotifyFifoWriter, type FifoEvent } from '../scripts/fifo.js';
import { createNotifyExecutor, NotifyQueue } from '../scripts/notify-queue.js';
import type { NotifyScripts, NotifyTransition } from '../scripts/notify-plan.js';
import {
  auditScripts,
  formatScriptDiagnostic,
  rootScriptsWarning,
  type ScriptUse,
} from '../scripts/script-audit.js';
import { runScript } from '../scripts/runner.js';
import { initialiseTrackFile, TrackFileWatcher, type FileTrackerState } from '../scripts/track-file.js';
import { TrackScriptScheduler, type ScriptTrackerState } from '../scripts/tracker.js';
import type { Credentials } from '../scripts/types.js';
import type { ProcessTrackConfig, ProcessTrackerView } from '../scripts/process-track.js';
import { ProcessTracker, type ProcessTrackerOptions } from '../scripts/process-tracker.js';
import type { Logger } from '../runtime/log.js';
import type { BfdTrackers, BfdTrackerView } from './bfd-trackers.js';
import type { TrackerSources } from './trackers.js';
import { errorMessage } from '../runtime/errors.js';
import { LOG, say } from '../runtime/messages.js';

/** keepalived has no notify timeout; an unbounded script would stall every later one. */
export const NOTIFY_TIMEOUT_MS = 10_000;

export type TrackerChange =
  | { kind: 'script'; state: ScriptTrackerState }
  | { kind: 'file'; state: FileTrackerState }
  | { kind: 'process'; state: ProcessTrackerView }
  | { kind: 'bfd'; state: BfdTrackerView };

export interface TrackerStates {
  scripts: ScriptTrackerState[];
  files: FileTrackerState[];
  processes: ProcessTrackerView[];
  bfds: BfdTrackerView[];
}

const NO_BFD: Pick<BfdTrackers, 'up' | 'views'> = { up: () => false, views: () => [] };

/** Before the first configuration's scripts start: nothing has reported. */
const NO_TRACKER_STATES: TrackerStates = { scripts: [], files: [], processes: [], bfds: [] };
const NO_TRACKER_SOURCES: Omit<TrackerSources, 'interfaceUp'> = {
  script: () => undefined,
  file: () => undefined,
  process: () => undefined,
  bfdUp: () => false,
};

/** How vrrp_track_process watches processes (tests inject a fake /proc; see ProcessTrackerOptions). */
export type ProcessTrackingOptions = Omit<ProcessTrackerOptions, 'configs' | 'logger' | 'onStatusChange'>;

/** The pure tracker's settings for each vrrp_track_process block. */
export function processTrackConfigs(config: VrrpdConfig): ProcessTrackConfig[] {
  return config.processTracks.map((p) => ({
    name: p.name,
    process: p.process,
    params: p.params,
    paramMatch: p.paramMatch,
    fullCommand: p.fullCommand,
    quorum: p.quorum,
    quorumMax: p.quorumMax ?? Infinity,
    forkDelayMs: p.forkDelayMs,
    terminateDelayMs: p.terminateDelayMs,
  }));
}

function processUid(): number {
  return typeof getuid === 'function' ? getuid() : 0;
}

function processGid(): number {
  return typeof getgid === 'function' ? getgid() : 0;
}

/** The FIFO reader scripts that run: each only with its FIFO, as keepalived starts them. */
function fifoReaders(config: VrrpdConfig): Array<[string, ScriptSpec | null]> {
  const { globals } = config;
  return [
    ['notify_fifo_script', globals.notifyFifo ? globals.notifyFifoScript : null],
    ['vrrp_notify_fifo_script', globals.vrrpNotifyFifo ? globals.vrrpNotifyFifoScript : null],
  ];
}

/** Every place the configuration names a script, for the security audit. */
export function scriptUses(config: VrrpdConfig): ScriptUse[] {
  const uses: ScriptUse[] = [];
  const addNotify = (owner: string, notify: NotifyScripts) => {
    const roles: Array<[string, ScriptSpec | null | undefined]> = [
      ['notify_master', notify.master],
      ['notify_backup', notify.backup],
      ['notify_fault', notify.fault],
      ['notify_stop', notify.stop],
      ['notify', notify.any],
      ['notify_deleted', notify.deleted],
      ['notify_master_rx_lower_pri', notify.masterRxLowerPri],
    ];
    for (const [role, spec] of roles) if (spec) uses.push({ role, owner, spec });
  };
  for (const instance of config.instances) addNotify(instance.name, instance.notify);
  for (const group of config.syncGroups) addNotify(group.name, group.notify);
  for (const script of config.scripts)
    uses.push({ role: 'vrrp_script', owner: script.name, spec: script.script });
  if (config.globals.startupScript) uses.push({ role: 'startup_script', spec: config.globals.startupScript });
  if (config.globals.shutdownScript)
    uses.push({ role: 'shutdown_script', spec: config.globals.shutdownScript });
  for (const [role, spec] of fifoReaders(config)) if (spec) uses.push({ role, spec });
  return uses;
}

export interface ScriptAuditReport {
  /** `FILE:LINE: error|warning: …` lines for --config-test and the log. */
  lines: string[];
  errors: number;
  rootWarning: string | null;
  /** Scripts whose program exists on this host (keepalived's "is a script", for `-t`'s status 6). */
  found: number;
  /** Identity per configured script; a refused script maps to null. */
  credentials: Map<ScriptSpec, Credentials | null>;
}

export function auditConfigScripts(config: VrrpdConfig): ScriptAuditReport {
  const audit = auditScripts(scriptUses(config), {
    settings: config.globals,
    accounts: loadAccountDatabase(),
    daemon: { uid: processUid(), gid: processGid() },
  });
  const credentials = new Map<ScriptSpec, Credentials | null>();
  for (const script of audit.scripts) {
    credentials.set(script.use.spec, script.verdict.allowed ? script.credentials : null);
  }
  return {
    lines: audit.diagnostics.map(formatScriptDiagnostic),
    errors: audit.diagnostics.filter((d) => d.severity === 'error').length,
    rootWarning: rootScriptsWarning(audit, config.globals),
    found: audit.scripts.filter((script) => script.verdict.resolvedPath !== null).length,
    credentials,
  };
}

/**
 * The notify queue outlives configurations: a reload must not break the per-instance ordering of
 * scripts already queued. Identities come from the configuration in force when a script starts.
 */
export class NotifyRunner {
  readonly queue: NotifyQueue;
  private credentials = new Map<ScriptSpec, Credentials | null>();

  constructor(logger: Logger) {
    this.queue = new NotifyQueue({
      execute: createNotifyExecutor({
        timeoutMs: NOTIFY_TIMEOUT_MS,
        logger,
        credentialsFor: (spec) => this.credentials.get(spec) ?? undefined,
      }),
      logger,
    });
  }

  useCredentials(credentials: Map<ScriptSpec, Credentials | null>): void {
    this.credentials = credentials;
  }
}

export class DaemonScripts {
  private readonly fifos: NotifyFifoWriter[] = [];
  private readonly scheduler: TrackScriptScheduler;
  private readonly watchers: TrackFileWatcher[] = [];
  private readonly refused = new Set<ScriptSpec>();
  private readonly credentials: Map<ScriptSpec, Credentials | null>;
  private watchersStarted: Promise<void> | null = null;
  private processes: ProcessTracker | null = null;
  private processesStarted: Promise<void> | null = null;

  constructor(
    private readonly config: VrrpdConfig,
    private readonly logger: Logger,
    private readonly runner: NotifyRunner,
    private readonly onTrackerChange: (change: TrackerChange) => void,
    private readonly processOptions: ProcessTrackingOptions = {},
    /** The daemon's BFD sessions (they outlive a reload; the daemon configures and stops them). */
    private readonly bfd: Pick<BfdTrackers, 'up' | 'views'> = NO_BFD,
  ) {
    const report = auditConfigScripts(config);
    for (const finding of report.lines)
      say(logger, LOG.scriptSecurity, { event: 'script_security', finding });
    if (report.rootWarning)
      say(logger, LOG.scriptsAsRoot, { event: 'script_security', warning: report.rootWarning });
    for (const [spec, creds] of report.credentials) if (creds === null) this.refused.add(spec);
    this.credentials = report.credentials;
    const credentialsFor = (spec: ScriptSpec) => report.credentials.get(spec) ?? undefined;
    runner.useCredentials(report.credentials);
    const readers = fifoReaders(config);
    const accounts = loadAccountDatabase();
    for (const [index, fifo] of [config.globals.notifyFifo, config.globals.vrrpNotifyFifo].entries()) {
      if (!fifo) continue;
      // An insecure reader is not run (reported above), as keepalived drops an insecure script.
      const reader = readers[index]![1];
      const readerCredentials = reader ? credentialsFor(reader) : undefined;
      // keepalived chowns a FIFO it creates to notify_fifo's USER [GROUP], else the script user.
      const owner = resolveRunAs(
        accounts,
        { ...(fifo.user ? { user: fifo.user } : {}), ...(fifo.group ? { group: fifo.group } : {}) },
        config.globals,
        { uid: processUid(), gid: processGid() },
      );
      const opened = NotifyFifoWriter.open({
        path: fifo.path,
        logger,
        create: true,
        ...(owner.ok ? { owner: owner.credentials } : {}),
        ...(reader && !this.refused.has(reader) ? { readerScript: reader } : {}),
        ...(readerCredentials ? { readerCredentials } : {}),
      });
      if (opened.ok) this.fifos.push(opened.writer);
      else say(logger, LOG.fifoOpenFailed, { fifo: fifo.path, err: opened.message });
    }
    // keepalived does not run an insecure vrrp_script; we leave it out too (and said why above).
    const scripts = config.scripts
      .filter((s) => !this.refused.has(s.script))
      .map((s) => ({ ...s, credentials: credentialsFor(s.script) }));
    this.scheduler = new TrackScriptScheduler(scripts, {
      logger,
      onStatusChange: (state) => onTrackerChange({ kind: 'script', state }),
    });
    for (const file of config.trackFiles) {
      this.watchers.push(
        new TrackFileWatcher(file, { logger, onChange: (state) => onTrackerChange({ kind: 'file', state }) }),
      );
    }
  }

  /**
   * Starts the vrrp_script schedulers and resolves once every track_file has been created (for
   * init_file) and read: until then its value would count as 0, ignoring a maintenance flag at
   * start-up or making the priority jump on reload (the first read does not report a change).
   * init_file's `overwrite` applies at start-up only: a reload must not reset a flag an operator
   * has set since (a file missing at reload is still created).
   */
  start(reloading = false): Promise<void> {
    this.scheduler.start();
    this.processesStarted ??= this.startProcessTracking();
    this.watchersStarted ??= Promise.all(
      this.config.trackFiles.map(async (file, index) => {
        if (file.init) {
          const overwrite = file.init.overwrite && !reloading;
          const error = await initialiseTrackFile(file.path, file.init.value, overwrite);
          if (error)
            say(this.logger, LOG.trackFileInitFailed, { trackFile: file.name, path: file.path, err: error });
        }
        await this.watchers[index]!.start();
      }),
    ).then(() => undefined);
    return Promise.all([this.watchersStarted, this.processesStarted]).then(() => undefined);
  }

  /**
   * vrrp_track_process: one tracker for every block (keepalived rescans on reload too); its initial
   * counts are in force once start() resolves.
   */
  private async startProcessTracking(): Promise<void> {
    const configs = processTrackConfigs(this.config);
    if (configs.length === 0) return;
    try {
      this.processes = await ProcessTracker.start({
        ...this.processOptions,
        configs,
        logger: this.logger,
        onStatusChange: (name) => {
          const state = this.processes?.states().find((s) => s.name === name);
          if (state) this.onTrackerChange({ kind: 'process', state });
        },
      });
    } catch (error) {
      // Only a forced 'connector' mode can fail here ('auto' falls back to polling /proc).
      say(this.logger, LOG.trackProcessUnwatched, { err: errorMessage(error) });
    }
  }

  /** The tracker sources of `scripts`, or none yet (trackers.ts). */
  static sourcesOf(scripts: DaemonScripts | null): Omit<TrackerSources, 'interfaceUp'> {
    return scripts?.trackerSources() ?? NO_TRACKER_SOURCES;
  }

  /** The tracker states of `scripts`, or none yet. */
  static statesOf(scripts: DaemonScripts | null): TrackerStates {
    return scripts?.trackerStates() ?? NO_TRACKER_STATES;
  }

  /** What the tracker events read (trackers.ts), but for the links the daemon follows itself. */
  trackerSources(): Omit<TrackerSources, 'interfaceUp'> {
    return {
      script: (name) => this.scheduler.states().find((s) => s.name === name),
      file: (name) => this.fileStates().find((f) => f.name === name),
      process: (name) => this.processStates().find((p) => p.name === name),
      bfdUp: (name) => this.bfd.up(name),
    };
  }

  /** Every tracked object's state, for the status. */
  trackerStates(): TrackerStates {
    return {
      scripts: this.scriptStates(),
      files: this.fileStates(),
      processes: this.processStates(),
      bfds: this.bfd.views(),
    };
  }

  processStates(): ProcessTrackerView[] {
    return this.processes?.states() ?? [];
  }

  scriptStates(): ScriptTrackerState[] {
    return this.scheduler.states();
  }

  fileStates(): FileTrackerState[] {
    return this.watchers.map((w) => w.state());
  }

  /** Queue the scripts of one transition (ordered per instance/group) and write the FIFO line. */
  notify(transition: NotifyTransition, scripts: NotifyScripts): void {
    const event: FifoEvent = { ...transition };
    for (const fifo of this.fifos) fifo.write(event);
    const allowed: NotifyScripts = {};
    for (const key of ['master', 'backup', 'fault', 'stop', 'any', 'deleted', 'masterRxLowerPri'] as const) {
      const spec = scripts[key];
      if (spec && !this.refused.has(spec)) allowed[key] = spec;
    }
    this.runner.queue.enqueue(transition, allowed);
  }

  /** A FIFO-only event (keepalived's MASTER_PRIORITY / BACKUP_PRIORITY lines): no script runs. */
  fifoEvent(event: FifoEvent): void {
    for (const fifo of this.fifos) fifo.write(event);
  }

  /** Stops trackers and closes FIFOs (shutdown, or a reload replacing this configuration). */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    // A watcher still reading its file would start watching (and polling) after stop().
    await this.watchersStarted;
    for (const watcher of this.watchers) watcher.stop();
    await this.processesStarted;
    this.processes?.close();
    // Waits for the FIFO readers (notify_fifo_script) to exit: SIGTERM, SIGKILL after 1 s.
    await Promise.all(this.fifos.map((fifo) => fifo.close()));
  }

  /** global_defs startup_script / shutdown_script, awaited with their timeout (capped by the caller). */
  async runGlobalScript(which: 'startup' | 'shutdown', maxMs: number): Promise<void> {
    const { globals } = this.config;
    const spec = which === 'startup' ? globals.startupScript : globals.shutdownScript;
    if (!spec || this.refused.has(spec)) return;
    const configured = which === 'startup' ? globals.startupScriptTimeoutMs : globals.shutdownScriptTimeoutMs;
    const credentials = this.credentials.get(spec) ?? undefined;
    await runScript({
      argv: spec.argv,
      label: `${which}_script`,
      timeoutMs: Math.min(configured, maxMs),
      killGraceMs: 200,
      logger: this.logger,
      ...(credentials ? { credentials } : {}),
    });
  }

  /** Waits (bounded) for queued notify scripts, terminating them if the budget runs out. */
  async drainNotifies(budgetMs: number): Promise<void> {
    const { queue } = this.runner;
    if (await queue.drain(budgetMs)) return;
    say(this.logger, LOG.notifyTerminated);
    queue.abortAll();
    await queue.drain(2500);
  }

  get configuration(): VrrpdConfig {
    return this.config;
  }
}
