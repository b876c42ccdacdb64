// `vrrpd --uplinks-only -c /etc/netgwm/netgwm.yml`: the uplink module alone, as NetGWM is used on
// a single router (no VRRP; the router always owns its default route). Same process shape as the
// daemon: the control socket (`vrrpctl status` shows the uplinks), optional metrics, a pid file,
// sd_notify, SIGHUP reloads the yml (a bad file keeps the running configuration), SIGTERM and
// SIGINT stop probing and remove the probe routing.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../config/diagnostics.js';
import { createMetricsRegistry } from '../../control/metrics.js';
import { parseListenAddress, startMetricsServer, type MetricsServer } from '../../control/metrics-http.js';
import { startControlServer } from '../../control/server.js';
import type { ReloadResult, StatusSnapshot } from '../../control/status-types.js';
import { loadNative, type NativeOps } from '../../kernel/native.js';
import { createLogger, type Logger } from '../logger.js';
import { startStandaloneUplinks, type StandaloneUplinks } from './standalone.js';

export interface StandaloneRunOptions {
  /** netgwm.yml; NetGWM's /etc/netgwm/netgwm.yml when absent. */
  configPath?: string;
  socketPath: string;
  socketGroup?: string;
  pidFile: string | null;
  metricsListen?: string;
  logLevel: string;
}

/** keepalived's exit status for a configuration it cannot run (as the daemon uses it). */
const EXIT_CONFIG = 4;
const STOP_DEADLINE_MS = 1800;

function errorLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').flatMap(formatDiagnostic);
}

function logDiagnostics(logger: Logger, diagnostics: readonly Diagnostic[]): void {
  for (const diagnostic of diagnostics) {
    const level = diagnostic.severity === 'error' ? 'error' : 'warn';
    logger[level](
      { event: 'config', code: diagnostic.code, file: diagnostic.file, line: diagnostic.line },
      formatDiagnostic(diagnostic).join(' '),
    );
  }
}

function statusOf(uplinks: StandaloneUplinks): StatusSnapshot {
  const { manager } = uplinks;
  const stats = manager.stats();
  return {
    instances: [],
    uplinks: manager.status(),
    uplinkGroups: [
      {
        name: 'standalone',
        role: manager.role(),
        follows: null,
        active: manager.activeGateway(),
        switches: stats.switches,
        routeErrors: stats.routeErrors,
      },
    ],
  };
}

function tryNative(logger: Logger): NativeOps | null {
  try {
    return loadNative();
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'native addon not available: no sd_notify');
    return null;
  }
}

export async function runStandaloneUplinks(options: StandaloneRunOptions): Promise<number> {
  const logger = createLogger({ level: options.logLevel });
  const started = await startStandaloneUplinks({
    ...(options.configPath ? { configPath: options.configPath } : {}),
    logger,
  });
  if (!started.ok) {
    for (const line of started.diagnostics.flatMap(formatDiagnostic)) process.stderr.write(`${line}\n`);
    logger.error({ file: options.configPath }, 'netgwm.yml has errors: not starting');
    return EXIT_CONFIG;
  }
  logDiagnostics(logger, started.warnings);
  const { uplinks } = started;
  const native = tryNative(logger);
  const notifySystemd = (state: string) => {
    try {
      native?.sdNotify(state);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'sd_notify failed');
    }
  };
  const sinceIso = new Date().toISOString();

  let reloading: Promise<ReloadResult> | null = null;
  const reload = (): Promise<ReloadResult> => {
    reloading ??= (async () => {
      try {
        notifySystemd('RELOADING=1');
        const diagnostics = await uplinks.reload();
        logDiagnostics(logger, diagnostics);
        const errors = errorLines(diagnostics);
        if (errors.length > 0) {
          logger.error({ errors: errors.length }, 'new netgwm.yml rejected: keeping the running one');
          return { accepted: false, errors };
        }
        return { accepted: true, errors: [] };
      } finally {
        reloading = null;
        notifySystemd('READY=1');
      }
    })();
    return reloading;
  };

  const control = await startControlServer(
    {
      status: () => statusOf(uplinks),
      stats: () => ({ since: sinceIso, instances: [] }),
      reload,
      garp: () => ({ ok: false, error: 'no VRRP instances: vrrpd runs with --uplinks-only' }),
    },
    {
      socketPath: options.socketPath,
      ...(options.socketGroup ? { group: options.socketGroup } : {}),
      onError: (error, context) => logger.warn({ err: String(error), context }, 'control socket error'),
    },
  );
  let metrics: MetricsServer | null = null;
  if (options.metricsListen) {
    metrics = await startMetricsServer({
      ...parseListenAddress(options.metricsListen),
      registry: createMetricsRegistry(() => statusOf(uplinks)),
      onError: (error) => logger.warn({ err: String(error) }, 'metrics endpoint error'),
    });
  }
  if (options.pidFile) {
    mkdirSync(dirname(options.pidFile), { recursive: true });
    writeFileSync(options.pidFile, `${process.pid}\n`);
  }
  notifySystemd(`READY=1\nMAINPID=${process.pid}`);
  // The shipped unit sets WatchdogSec: ping at half the interval, as the daemon does.
  const watchdogUs = Number(process.env.WATCHDOG_USEC ?? 0);
  const watchdog =
    watchdogUs > 0 ? setInterval(() => notifySystemd('WATCHDOG=1'), Math.max(500, watchdogUs / 2000)) : null;
  logger.info({ config: options.configPath, socket: options.socketPath }, 'vrrpd started (uplinks only)');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      notifySystemd('STOPPING=1');
      logger.info({ signal }, 'stopping: removing the probe routing');
      const deadline = setTimeout(() => {
        logger.error('shutdown deadline reached: exiting now');
        resolve(1);
      }, STOP_DEADLINE_MS);
      try {
        if (watchdog) clearInterval(watchdog);
        await uplinks.stop();
        await control.close();
        await metrics?.close();
        if (options.pidFile) rmSync(options.pidFile, { force: true });
        logger.info('vrrpd stopped');
        resolve(0);
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'error while stopping');
        resolve(1);
      } finally {
        clearTimeout(deadline);
      }
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGHUP', () => {
      logger.info('SIGHUP: reloading netgwm.yml');
      void reload();
    });
  });
}
