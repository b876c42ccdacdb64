// `vrrpd -f FILE` in the foreground: load and check the configuration, open the kernel adapters,
// start the instances, serve the control socket (and metrics if asked), tell systemd we are ready,
// and handle SIGHUP (reload, keeping state) and SIGTERM/SIGINT (release VIPs, exit 0 within 2 s).

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig, nodeFileSource } from '../config/load.js';
import type { VrrpdConfig } from '../config/model.js';
import { withUplinkConfigs, type LoadedUplinkGroup } from '../config/uplink-configs.js';
import { createMetricsRegistry } from '../control/metrics.js';
import { parseListenAddress, startMetricsServer, type MetricsServer } from '../control/metrics-http.js';
import { startControlServer, type ControlServer } from '../control/server.js';
import { formatStatusLine } from '../control/format.js';
import type { ReloadResult } from '../control/status-types.js';
import { createGarpSender } from '../kernel/garp.js';
import { loadNative, type NativeOps } from '../kernel/native.js';
import { watchKernelEvents } from '../kernel/netlink-events.js';
import { openKernelNetlink } from '../kernel/netlink.js';
import { openAdvertTransport } from '../kernel/transport.js';
import { Daemon } from './daemon.js';
import { createLogger, type Logger } from './logger.js';
import { planDaemon } from './plan.js';
import { statsSnapshot, statusSnapshot } from './status.js';
import { DaemonUplinks, vrrpViewOf } from './uplinks/daemon-uplinks.js';

export interface DaemonOptions {
  configFile: string;
  configId: string;
  socketPath: string;
  /** Group allowed to use the control socket (mode 0660); default root only (0600). */
  socketGroup?: string;
  stateDir: string;
  pidFile: string | null;
  /** `host:port` for the Prometheus endpoint; off when absent. */
  metricsListen?: string;
  logLevel: string;
}

/** keepalived's exit status for a configuration it cannot run. */
const EXIT_CONFIG = 4;
/** SIGTERM must end well within 2 s even if a STOP script hangs. */
const SHUTDOWN_DEADLINE_MS = 1800;
const NOTIFY_BUDGET_MS = 1000;

type LoadOutcome =
  { ok: true; config: VrrpdConfig; uplinks: LoadedUplinkGroup[] } | { ok: false; errors: string[] };

function load(options: DaemonOptions, logger: Logger): LoadOutcome {
  // keepalived.conf, then each uplink_group's netgwm.yml: an error in either keeps the old config.
  const result = withUplinkConfigs(
    loadConfig({ file: options.configFile, configId: options.configId }),
    nodeFileSource(),
  );
  const lines = result.diagnostics.flatMap(formatDiagnostic);
  for (const diagnostic of result.diagnostics) {
    const level = diagnostic.severity === 'error' ? 'error' : 'warn';
    logger[level](
      { event: 'config', code: diagnostic.code, file: diagnostic.file, line: diagnostic.line },
      formatDiagnostic(diagnostic).join(' '),
    );
  }
  if (!result.ok) return { ok: false, errors: lines.filter((l) => l.includes(': error: ')) };
  return { ok: true, config: result.config, uplinks: result.uplinks };
}

function tryNative(logger: Logger): NativeOps | null {
  try {
    return loadNative();
  } catch (error) {
    logger.error(
      { err: (error as Error).message },
      'native addon not available: no gratuitous ARP, no sd_notify',
    );
    return null;
  }
}

/** keepalived's vrrp_priority / vrrp_rt_priority / vrrp_no_swap, best effort with a log line. */
function applyScheduling(config: VrrpdConfig, native: NativeOps | null, logger: Logger): void {
  if (!native) return;
  const { processPriority, realtimePriority, noSwap } = config.globals;
  const attempt = (what: string, call: () => void) => {
    try {
      call();
      logger.info(`${what} applied`);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, `${what} could not be applied`);
    }
  };
  if (processPriority !== null)
    attempt(`vrrp_priority ${processPriority}`, () => native.setPriority(processPriority));
  if (realtimePriority !== null) {
    attempt(`vrrp_rt_priority ${realtimePriority}`, () =>
      native.setRealtimeScheduler('rr', realtimePriority),
    );
  }
  if (noSwap) attempt('vrrp_no_swap (mlockall)', () => native.mlockall(true, true));
}

export async function runDaemon(options: DaemonOptions): Promise<number> {
  const logger = createLogger({ level: options.logLevel });
  const loaded = load(options, logger);
  if (!loaded.ok) {
    for (const line of loaded.errors) process.stderr.write(`${line}\n`);
    logger.error({ file: options.configFile }, 'configuration has errors: not starting');
    return EXIT_CONFIG;
  }
  const native = tryNative(logger);
  applyScheduling(loaded.config, native, logger);
  const netlink = openKernelNetlink();
  const events = watchKernelEvents();
  const garp = native
    ? createGarpSender(native)
    : { sendGratuitousArp: () => ({ ok: false as const, error: new Error('native addon not loaded') }) };

  const notifySystemd = (state: string) => {
    try {
      native?.sdNotify(state);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'sd_notify failed');
    }
  };
  const uplinks = new DaemonUplinks({ logger, vrrpView: () => vrrpViewOf(daemon) });
  const snapshot = () => statusSnapshot(daemon, uplinks.snapshot());
  const statusLine = (): string => formatStatusLine(snapshot());
  const daemon: Daemon = new Daemon(
    {
      logger,
      netlink,
      events,
      openTransport: (transportOptions) => openAdvertTransport(transportOptions),
      garp,
      now: () => Math.round(performance.now()),
      wallNow: () => Date.now(),
    },
    {
      onTransition: () => {
        uplinks.followVrrp();
        notifySystemd(`STATUS=${statusLine()}`);
      },
    },
  );

  mkdirSync(options.stateDir, { recursive: true, mode: 0o755 });
  await daemon.start(planDaemon(loaded.config));
  await uplinks.apply(loaded.uplinks);

  let reloading: Promise<ReloadResult> | null = null;
  const reload = (): Promise<ReloadResult> => {
    reloading ??= (async () => {
      try {
        notifySystemd('RELOADING=1');
        const next = load(options, logger);
        if (!next.ok) {
          logger.error({ errors: next.errors.length }, 'new configuration rejected: keeping the running one');
          return { accepted: false, errors: next.errors };
        }
        await daemon.reload(planDaemon(next.config));
        await uplinks.apply(next.uplinks);
        return { accepted: true, errors: [] };
      } finally {
        reloading = null;
        notifySystemd(`READY=1\nSTATUS=${statusLine()}`);
      }
    })();
    return reloading;
  };

  const control: ControlServer = await startControlServer(
    {
      status: snapshot,
      stats: (clear) => statsSnapshot(daemon, clear),
      reload,
      garp: (instance) => daemon.resendGarp(instance),
    },
    {
      socketPath: options.socketPath,
      ...(options.socketGroup ? { group: options.socketGroup } : {}),
      onError: (error, context) => logger.warn({ err: String(error), context }, 'control socket error'),
    },
  );
  let metrics: MetricsServer | null = null;
  if (options.metricsListen) {
    const address = parseListenAddress(options.metricsListen);
    metrics = await startMetricsServer({
      ...address,
      registry: createMetricsRegistry(snapshot),
      onError: (error) => logger.warn({ err: String(error) }, 'metrics endpoint error'),
    });
    logger.info({ listen: `${metrics.address.host}:${metrics.address.port}` }, 'metrics endpoint listening');
  }
  if (options.pidFile) {
    mkdirSync(dirname(options.pidFile), { recursive: true });
    writeFileSync(options.pidFile, `${process.pid}\n`);
  }

  notifySystemd(`READY=1\nMAINPID=${process.pid}\nSTATUS=${statusLine()}`);
  const watchdogUs = Number(process.env.WATCHDOG_USEC ?? 0);
  const watchdog =
    watchdogUs > 0 ? setInterval(() => notifySystemd('WATCHDOG=1'), Math.max(500, watchdogUs / 2000)) : null;
  logger.info(
    { config: options.configFile, socket: options.socketPath, instances: loaded.config.instances.length },
    'vrrpd started',
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      notifySystemd('STOPPING=1');
      logger.info({ signal }, 'stopping: releasing virtual addresses');
      const deadline = setTimeout(() => {
        logger.error('shutdown deadline reached: exiting now');
        resolve(1);
      }, SHUTDOWN_DEADLINE_MS);
      try {
        if (watchdog) clearInterval(watchdog);
        await daemon.stop(NOTIFY_BUDGET_MS);
        // After the instances: leaving MASTER may restore an uplink group's fallback route.
        await uplinks.stop();
        await control.close();
        await metrics?.close();
        netlink.close();
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
      logger.info('SIGHUP: reloading configuration');
      void reload();
    });
  });
}
