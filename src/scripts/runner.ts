// Running one script: no shell, argv as configured, its own process group, a timeout that kills
// the whole group (SIGTERM, then SIGKILL after a grace period), a cleaned environment, optional
// uid/gid, bounded output capture and one log record per run. Nothing here throws into the
// caller: every failure (ENOENT, EACCES, EPERM on setuid, …) comes back as a ScriptResult.

import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../runtime/builtins.js';
import { planExecution } from './command-path.js';
import { cleanScriptEnvironment } from './environment.js';
import { BoundedCapture, DEFAULT_OUTPUT_LIMIT_BYTES } from './output-capture.js';
import { processGroupExists, processGroupMembers } from './process-group.js';
import type { Credentials, ScriptResult } from './types.js';
import type { Logger } from '../runtime/log.js';
import { systemClock } from '../runtime/clock.js';
import { systemTimers, type TimerHandle } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

export const DEFAULT_KILL_GRACE_MS = 2000;
/** After the script exits, how long to keep reading output a lingering grandchild may still hold open. */
const OUTPUT_DRAIN_MS = 100;

export interface RunScriptOptions {
  /** Full argv; argv[0] is the program (absolute path, relative path or bare name searched in PATH). */
  argv: readonly string[];
  /** Names the run in logs, e.g. `notify_master VI_1`. */
  label: string;
  /** Kill the process group after this long; null = no timeout (long-lived helpers such as a FIFO reader). */
  timeoutMs: number | null;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Run as this uid/gid (the daemon must be root to switch). Supplementary groups are dropped by libuv. */
  credentials?: Credentials;
  /** Base environment before cleaning; defaults to the daemon's own. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Bytes of stdout and of stderr kept for the log record. */
  outputLimitBytes?: number;
  logger: Logger;
  /** Extra fields for the log record (instance name, transition, tracker name, …). */
  logContext?: Record<string, unknown>;
  /**
   * Trackers run every second: their ordinary exits (any status) log at debug to keep the journal
   * readable; the tracker logs status changes itself. Timeouts and start failures still warn.
   */
  routine?: boolean;
  /** Aborting terminates the process group like a timeout (used at shutdown). */
  signal?: AbortSignal;
}

export interface RunningScript {
  /** Settles once the script has exited or been killed; never rejects. */
  readonly done: Promise<ScriptResult>;
  /** SIGTERM the process group now, SIGKILL after the grace period. Idempotent. */
  terminate(): void;
}

/** Run a script to completion. */
export function runScript(options: RunScriptOptions): Promise<ScriptResult> {
  return startScript(options).done;
}

/** Start a script and get a handle that can terminate it early. */
export function startScript(options: RunScriptOptions): RunningScript {
  let terminateRequested = false;
  let terminateNow: (() => void) | null = null;
  const done = execute(options, (terminate) => {
    terminateNow = terminate;
    if (terminateRequested) terminate();
  }).catch(
    // Only an injected logger that throws can get here; the caller is still owed a result.
    (error: unknown): ScriptResult => ({
      label: options.label,
      argv: [...options.argv],
      ...emptyRun(),
      outcome: 'spawn_error',
      durationMs: 0,
      error: errnoOf(error),
    }),
  );
  return {
    done,
    terminate() {
      terminateRequested = true;
      terminateNow?.();
    },
  };
}

async function execute(
  options: RunScriptOptions,
  registerTerminate: (terminate: () => void) => void,
): Promise<ScriptResult> {
  const startedAt = systemClock.now();
  const argv = [...options.argv];
  const env = cleanScriptEnvironment(options.env ?? process.env);
  const base = { label: options.label, argv };

  if (options.signal?.aborted) {
    return finish(options, {
      ...base,
      ...emptyRun(),
      outcome: 'aborted',
      durationMs: 0,
    });
  }

  const plan = await planExecution(argv, env.PATH);
  if (!plan.ok) {
    return finish(options, {
      ...base,
      ...emptyRun(),
      outcome: 'spawn_error',
      durationMs: elapsed(startedAt),
      error: { code: plan.code, message: plan.message },
    });
  }

  const limit = options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES;
  const stdout = new BoundedCapture(limit);
  const stderr = new BoundedCapture(limit);
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  return new Promise<ScriptResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = childProcess().spawn(plan.file, plan.args, {
        shell: false,
        // A new session and process group, so a timeout can kill the script's children too.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
        uid: options.credentials?.uid,
        gid: options.credentials?.gid,
      });
    } catch (error) {
      // spawn() throws synchronously for invalid arguments and for EPERM on uid/gid switches.
      resolve(
        finish(options, {
          ...base,
          ...emptyRun(),
          outcome: 'spawn_error',
          durationMs: elapsed(startedAt),
          error: errnoOf(error),
        }),
      );
      return;
    }

    let settled = false;
    let timedOut = false;
    let aborted = false;
    let killTimer: TimerHandle | null = null;
    let timeoutTimer: TimerHandle | null = null;
    const pid = child.pid ?? null;

    const signalGroup = (signal: NodeJS.Signals): void => {
      if (pid === null) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // ESRCH: the whole group is already gone.
      }
    };

    const terminate = (): void => {
      if (settled || killTimer !== null) return;
      signalGroup('SIGTERM');
      killTimer = systemTimers.after(killGraceMs, () => signalGroup('SIGKILL'));
    };

    const onAbort = (): void => {
      aborted = true;
      terminate();
    };

    const cleanup = (): void => {
      timeoutTimer?.cancel();
      killTimer?.cancel();
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.stdout?.on('data', (chunk: Buffer) => stdout.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.append(chunk));

    child.once('error', (error) => {
      // Only reached when the process never started (ENOENT/EACCES/EPERM from exec or setuid).
      if (settled) return;
      settled = true;
      cleanup();
      resolve(
        finish(options, {
          ...base,
          ...emptyRun(),
          pid,
          outcome: 'spawn_error',
          durationMs: elapsed(startedAt),
          error: errnoOf(error),
        }),
      );
    });

    child.once('exit', (exitCode, signal) => {
      if (settled) return;
      settled = true;
      cleanup();
      // A killed script's children may ignore SIGTERM: make sure nothing of the group survives.
      if (timedOut || aborted) signalGroup('SIGKILL');
      else if (pid !== null && options.timeoutMs !== null) {
        reapLeftovers(options, pid, options.timeoutMs - (systemClock.now() - startedAt), killGraceMs);
      }
      const durationMs = elapsed(startedAt);
      // Give the pipes a moment to deliver the last bytes; a background grandchild that keeps them
      // open must not hold the result back, so the streams are then destroyed.
      const drain = systemTimers.after(OUTPUT_DRAIN_MS, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        report();
      });
      let reported = false;
      const report = (): void => {
        if (reported) return;
        reported = true;
        drain.cancel();
        resolve(
          finish(options, {
            ...base,
            pid,
            outcome: timedOut ? 'timeout' : aborted ? 'aborted' : signal !== null ? 'signalled' : 'exited',
            exitCode,
            signal,
            timedOut,
            durationMs,
            stdout: stdout.text(),
            stderr: stderr.text(),
            stdoutTruncated: stdout.truncated,
            stderrTruncated: stderr.truncated,
            error: null,
          }),
        );
      };
      child.once('close', report);
    });

    registerTerminate(() => {
      aborted = true;
      terminate();
    });
    if (options.timeoutMs !== null) {
      timeoutTimer = systemTimers.after(options.timeoutMs, () => {
        timedOut = true;
        terminate();
      });
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted while the program was being located: the 'abort' event has already fired.
    if (options.signal?.aborted) onAbort();
  });
}

/**
 * The script exited in time, but may have left children in its process group (`cmd &`). The
 * result is reported now (the notify queue goes on), and the timeout still applies to what it
 * left: when it expires, whatever remains of the group is terminated like a script that hung.
 * The timers do not keep the daemon alive at exit; aborting (daemon stopping) acts at once.
 */
function reapLeftovers(
  options: RunScriptOptions,
  pgid: number,
  remainingMs: number,
  killGraceMs: number,
): void {
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // ESRCH: the group is gone.
    }
  };
  const reap = (): void => {
    timer.cancel();
    options.signal?.removeEventListener('abort', reap);
    // Usually nothing is left: one signal-0 answers that without reading /proc.
    if (!processGroupExists(pgid)) return;
    const left = processGroupMembers(pgid);
    if (left.length === 0) return;
    say(options.logger, LOG.scriptLeftovers, {
      ...options.logContext,
      script: { label: options.label, pid: pgid, leftover: left },
      label: options.label,
      count: left.length,
      timeoutMs: options.timeoutMs,
    });
    signalGroup('SIGTERM');
    systemTimers.after(
      killGraceMs,
      () => {
        if (processGroupMembers(pgid).length > 0) signalGroup('SIGKILL');
      },
      { unref: true },
    );
  };
  const timer = systemTimers.after(remainingMs, reap, { unref: true });
  options.signal?.addEventListener('abort', reap, { once: true });
}

function emptyRun(): Omit<ScriptResult, 'label' | 'argv' | 'outcome' | 'durationMs'> {
  return {
    pid: null,
    exitCode: null,
    signal: null,
    timedOut: false,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    error: null,
  };
}

function elapsed(startedAt: number): number {
  return systemClock.now() - startedAt;
}

function errnoOf(error: unknown): { code: string; message: string } {
  const errno = error as NodeJS.ErrnoException;
  return { code: errno?.code ?? 'EUNKNOWN', message: errno?.message ?? String(error) };
}

/** Log one record per run and hand the result back. */
function finish(options: RunScriptOptions, result: ScriptResult): ScriptResult {
  const record = { ...options.logContext, script: result, label: result.label };
  const { logger } = options;
  switch (result.outcome) {
    case 'exited': {
      const level = options.routine === true ? 'debug' : result.exitCode === 0 ? 'info' : 'warn';
      say(logger, LOG.scriptExited, { ...record, exitCode: result.exitCode }, level);
      break;
    }
    case 'signalled':
      say(logger, LOG.scriptSignalled, { ...record, signal: result.signal });
      break;
    case 'timeout':
      say(logger, LOG.scriptTimeout, { ...record, timeoutMs: options.timeoutMs });
      break;
    case 'aborted':
      say(logger, LOG.scriptAborted, record);
      break;
    case 'spawn_error':
      say(logger, LOG.scriptSpawnFailed, { ...record, err: result.error?.message });
      break;
  }
  return result;
}
