// The process shape shared by `vrrpd` and `vrrpd --uplinks-only`: control socket, optional
// metrics endpoint, pid file, sd_notify (READY, STATUS, RELOADING, STOPPING, watchdog pings),
// SIGHUP → one reload at a time, SIGTERM/SIGINT → the caller's stop work under a hard deadline.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../config/report/diagnostics.js';
import type { MetricsServer } from '../control/metrics-http.js';
import { startControlServer, type ControlHandlers, type UnixStreams } from '../control/server.js';
import type { ReloadResult, StatusSnapshot } from '../control/status-types.js';
import { loadNative, tcpStreams, unixStreams, type NativeOps } from '../kernel/native.js';
import type { Logger } from '../runtime/log.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

export interface ServiceOptions {
  logger: Logger;
  native: NativeOps | null;
  socketPath: string;
  socketGroup?: string;
  pidFile: string | null;
  metricsListen?: string;
  status(): StatusSnapshot;
  stats: ControlHandlers['stats'];
  garp: ControlHandlers['garp'];
  /** handover / resume / demote; refused when absent (`--uplinks-only` has no instances). */
  admin?: Pick<ControlHandlers, 'handover' | 'resume' | 'demote'>;
  uplinkPin?: ControlHandlers['uplinkPin'];
  /** Re-read the configuration and apply it, or say why not. */
  reload(): Promise<ReloadResult>;
  /** One-line summary for systemd's STATUS=. */
  statusLine?(): string;
  /** Release what the process owns (VIPs, routes); must finish before `stopDeadlineMs`. */
  stop(signal: string): Promise<void>;
  /** Evaluated when the stop begins (a make-before-break release may need longer than a crash). */
  stopDeadlineMs: number | (() => number);
  /** Fields of the "vrrpd started" log line. */
  started: Record<string, unknown>;
}

const noInstances = { ok: false as const, error: 'no VRRP instances run here (vrrpd --uplinks-only)' };
const NO_ADMIN: Pick<ControlHandlers, 'handover' | 'resume' | 'demote'> = {
  handover: () => noInstances,
  resume: () => noInstances,
  demote: () => noInstances,
};

/** The control socket's unix streams: the addon's (no node:net in the daemon). */
function controlStreams(native: NativeOps | null): UnixStreams {
  if (!native) throw new Error('the control socket needs the native addon, which is not loaded');
  return unixStreams(native);
}

/** The native addon, or null with one log line (no GARP, no sd_notify, no scheduling). */
export function tryNative(logger: Logger): NativeOps | null {
  try {
    return loadNative();
  } catch (error) {
    say(logger, LOG.nativeMissing, { err: errorMessage(error) });
    return null;
  }
}

export function logDiagnostics(logger: Logger, diagnostics: readonly Diagnostic[]): void {
  for (const diagnostic of diagnostics) {
    const level = diagnostic.severity === 'error' ? 'error' : 'warn';
    logger[level](
      { event: 'config', code: diagnostic.code, file: diagnostic.file, line: diagnostic.line },
      formatDiagnostic(diagnostic).join(' '),
    );
  }
}

export function errorLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').flatMap(formatDiagnostic);
}

export function systemdNotifier(native: NativeOps | null, logger: Logger): (state: string) => void {
  return (state) => {
    try {
      native?.sdNotify(state);
    } catch (error) {
      say(logger, LOG.sdNotifyFailed, { err: errorMessage(error) });
    }
  };
}

/** Serves until SIGTERM/SIGINT; resolves with the exit status. */
export async function serveUntilSignalled(options: ServiceOptions): Promise<number> {
  const { logger } = options;
  const notifySystemd = systemdNotifier(options.native, logger);
  const statusLine = () => (options.statusLine ? `\nSTATUS=${options.statusLine()}` : '');

  let reloading: Promise<ReloadResult> | null = null;
  const reload = (): Promise<ReloadResult> => {
    reloading ??= (async () => {
      try {
        notifySystemd('RELOADING=1');
        return await options.reload();
      } catch (error) {
        // Never a crash: the error is reported, the daemon goes on with what it runs now.
        say(logger, LOG.reloadFailed, { err: errorMessage(error) });
        return { accepted: false, errors: [`reload failed: ${errorMessage(error)}`] };
      } finally {
        reloading = null;
        notifySystemd(`READY=1${statusLine()}`);
      }
    })();
    return reloading;
  };

  // Signal handlers first: the control socket answers while its start still awaits (chmod, chown),
  // and a SIGTERM then must not kill the daemon by the default action (seen in CI). A SIGTERM or
  // SIGINT before the service is up is kept and acted on as soon as it is.
  let early: string | null = null;
  let onStopSignal = (signal: string): void => {
    early ??= signal;
  };
  process.on('SIGTERM', () => onStopSignal('SIGTERM'));
  process.on('SIGINT', () => onStopSignal('SIGINT'));
  process.on('SIGHUP', () => {
    say(logger, LOG.reloadRequested);
    void reload();
  });

  let metrics: MetricsServer | null = null;
  if (options.metricsListen) {
    // Loaded only when asked for: the metric definitions and the HTTP responder (issue 15).
    if (!options.native) throw new Error('the metrics endpoint needs the native addon, which is not loaded');
    const { createMetricsRegistry } = await import('../control/metrics.js');
    const { parseListenAddress, startMetricsServer } = await import('../control/metrics-http.js');
    metrics = await startMetricsServer({
      ...parseListenAddress(options.metricsListen),
      registry: createMetricsRegistry(() => options.status()),
      streams: tcpStreams(options.native),
      onError: (error) => say(logger, LOG.metricsError, { err: String(error) }),
    });
    say(logger, LOG.metricsListening, { listen: `${metrics.address.host}:${metrics.address.port}` });
  }
  const control = await startControlServer(
    {
      status: () => options.status(),
      stats: options.stats,
      reload,
      garp: options.garp,
      ...(options.admin ?? NO_ADMIN),
      ...(options.uplinkPin ? { uplinkPin: options.uplinkPin } : {}),
    },
    {
      socketPath: options.socketPath,
      streams: controlStreams(options.native),
      ...(options.socketGroup ? { group: options.socketGroup } : {}),
      onError: (error, context) => say(logger, LOG.controlSocketError, { err: String(error), context }),
    },
  );
  if (options.pidFile) {
    mkdirSync(dirname(options.pidFile), { recursive: true });
    writeFileSync(options.pidFile, `${process.pid}\n`);
  }

  notifySystemd(`READY=1\nMAINPID=${process.pid}${statusLine()}`);
  // The shipped unit sets WatchdogSec: ping at half the interval systemd gives us.
  const watchdogUs = Number(process.env.WATCHDOG_USEC ?? 0);
  const watchdog =
    watchdogUs > 0
      ? systemTimers.every(Math.max(500, watchdogUs / 2000), () => notifySystemd('WATCHDOG=1'))
      : null;
  say(logger, LOG.started, { ...options.started, socket: options.socketPath });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      notifySystemd('STOPPING=1');
      const deadlineMs =
        typeof options.stopDeadlineMs === 'function' ? options.stopDeadlineMs() : options.stopDeadlineMs;
      const deadline = systemTimers.after(deadlineMs, () => {
        say(logger, LOG.stopDeadline);
        resolve(1);
      });
      try {
        watchdog?.cancel();
        await options.stop(signal);
        await control.close();
        await metrics?.close();
        if (options.pidFile) rmSync(options.pidFile, { force: true });
        say(logger, LOG.stopped);
        resolve(0);
      } catch (error) {
        say(logger, LOG.stopError, { err: errorMessage(error) });
        resolve(1);
      } finally {
        deadline.cancel();
      }
    };
    onStopSignal = (signal) => void stop(signal);
    if (early !== null) onStopSignal(early);
  });
}
