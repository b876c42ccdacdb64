// `vrrpd --uplinks-only -c /etc/netgwm/netgwm.yml`: the uplink module alone, as NetGWM is used on
// a single router (no VRRP; the router always owns its default route). Same process shape as the
// daemon: the control socket (`vrrpctl status` shows the uplinks), optional metrics, a pid file,
// sd_notify, SIGHUP reloads the yml (a bad file keeps the running configuration), SIGTERM and
// SIGINT stop probing and remove the probe routing.

import { formatDiagnostic } from '../../config/report/diagnostics.js';
import type { ReloadResult, StatusSnapshot } from '../../control/status-types.js';
import { systemClock } from '../../runtime/clock.js';
import { isoTime } from '../../runtime/iso-time.js';
import { createLogger } from '../../runtime/log.js';
import { LOG, say } from '../../runtime/messages.js';
import { errorLines, logDiagnostics, serveUntilSignalled, tryNative } from '../service.js';
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
        pinned: manager.pinned(),
        error: null,
      },
    ],
  };
}

export async function runStandaloneUplinks(options: StandaloneRunOptions): Promise<number> {
  const logger = createLogger({ level: options.logLevel });
  const started = await startStandaloneUplinks({
    ...(options.configPath ? { configPath: options.configPath } : {}),
    logger,
  });
  if (!started.ok) {
    for (const line of started.diagnostics.flatMap(formatDiagnostic)) process.stderr.write(`${line}\n`);
    say(logger, LOG.uplinkConfigInvalid, { file: options.configPath });
    return EXIT_CONFIG;
  }
  logDiagnostics(logger, started.warnings);
  const { uplinks } = started;
  const native = tryNative(logger);
  const sinceIso = isoTime(systemClock.wallNow());

  const reload = async (): Promise<ReloadResult> => {
    const diagnostics = await uplinks.reload();
    logDiagnostics(logger, diagnostics);
    const errors = errorLines(diagnostics);
    if (errors.length > 0) {
      say(logger, LOG.uplinkReloadRejected, { errors: errors.length });
      return { accepted: false, errors };
    }
    return { accepted: true, errors: [] };
  };

  return serveUntilSignalled({
    logger,
    native,
    socketPath: options.socketPath,
    ...(options.socketGroup ? { socketGroup: options.socketGroup } : {}),
    pidFile: options.pidFile,
    ...(options.metricsListen ? { metricsListen: options.metricsListen } : {}),
    status: () => statusOf(uplinks),
    stats: () => ({ since: sinceIso, instances: [] }),
    garp: () => ({ ok: false, error: 'no VRRP instances: vrrpd runs with --uplinks-only' }),
    uplinkPin: async (group, gateway) => {
      if (group !== undefined && group !== 'standalone') {
        return { ok: false, error: `no uplink group named "${group}" (--uplinks-only runs "standalone")` };
      }
      const outcome = await uplinks.manager.pin(gateway);
      return outcome.ok ? { ...outcome, group: 'standalone' } : outcome;
    },
    reload,
    stop: async (signal) => {
      say(logger, LOG.uplinkStopping, { signal });
      await uplinks.stop();
    },
    stopDeadlineMs: STOP_DEADLINE_MS,
    started: { mode: 'uplinks-only', config: options.configPath },
  });
}
