// `vrrpd -f FILE` in the foreground: load and check the configuration, open the kernel adapters,
// start the instances, serve the control socket (and metrics if asked), tell systemd we are ready,
// and handle SIGHUP (reload, keeping state) and SIGTERM/SIGINT (release VIPs make-before-break, exit 0
// within 2 s of the new master taking over).

import { mkdirSync } from 'node:fs';
import { hostLinks, loadConfig, nodeFileSource } from './config-files.js';
import { configNamesRouteVrfs, resolveRouteVrfs } from '../config/finish/route-vrfs.js';
import { DiagnosticSink } from '../config/report/diagnostics.js';
import type { ParseConfigResult } from '../config/parse-config.js';
import type { VrrpdConfig } from '../config/model/types.js';
import type { FailedUplinkGroup, LoadedUplinkGroup } from '../config/netgwm/types.js';
import { formatStatusLine } from '../control/format.js';
import type { ReloadResult } from '../control/status-types.js';
import { createGarpSender } from '../kernel/garp.js';
import { createNeighborAdvertSender } from '../kernel/neighbor-advert.js';
import { openAdvertTransport6 } from '../kernel/transport6.js';
import type { NativeOps } from '../kernel/native.js';
import { watchKernelEvents } from '../kernel/netlink-events.js';
import { openKernelNetlink } from '../kernel/netlink.js';
import { openAdvertTransport } from '../kernel/transport.js';
import { Daemon } from './daemon.js';
import { createNamespaceOps } from '../kernel/namespaces.js';
import { leaveRunDirectory } from './netns-entry.js';
import { createLogger, type Logger } from '../runtime/log.js';
import { planDaemon } from './plan.js';
import { errorLines, logDiagnostics, serveUntilSignalled, systemdNotifier, tryNative } from './service.js';
import { statsSnapshot, statusSnapshot } from './status.js';
import { withUplinkConfigs } from './uplinks/config-files.js';
import { DaemonUplinks, vrrpViewOf } from './uplinks/daemon-uplinks.js';
import { errorMessage } from '../runtime/errors.js';
import { systemClock } from '../runtime/clock.js';
import { systemTimers } from '../runtime/timers.js';
import { LOG, say } from '../runtime/messages.js';

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
  /** SIGTERM releases addresses with the priority-0 advert (the RFC), not make-before-break. */
  immediateRelease?: boolean;
  /** `--strict`: refuse (at start and on reload) the mistakes keepalived runs past. */
  strict?: boolean;
  /** The network namespace the process entered at start (netns-entry.ts); absent: where started. */
  netns?: DaemonNamespace;
  /** The configuration file as the CLI already read it (to choose the namespace): used at start only. */
  parsed?: ParseConfigResult;
}

export interface DaemonNamespace {
  name: string;
  /** Named by `-s`, which wins over the file at every load (keepalived's override). */
  overridden: boolean;
  /** /run/vrrpd/NAME, mounted on /run/vrrpd; null when that step failed. */
  runDirectory: string | null;
  /** The best-effort steps that failed. */
  warnings: string[];
}

/** keepalived's exit status for a configuration it cannot run. */
const EXIT_CONFIG = 4;
/** Past the releases, SIGTERM must end well within 2 s even if a STOP script hangs. */
const SHUTDOWN_DEADLINE_MS = 1800;
const NOTIFY_BUDGET_MS = 1000;

type LoadOutcome =
  | { ok: true; config: VrrpdConfig; uplinks: LoadedUplinkGroup[]; failedUplinks: FailedUplinkGroup[] }
  | { ok: false; errors: string[] };

async function load(
  options: DaemonOptions,
  logger: Logger,
  parsed?: ParseConfigResult,
): Promise<LoadOutcome> {
  // keepalived.conf, then each uplink_group's netgwm.yml. An error in keepalived.conf keeps the old
  // configuration; one in a netgwm.yml only puts that uplink group in an error state.
  const result = withUplinkConfigs(
    parsed ??
      loadConfig({ file: options.configFile, configId: options.configId, strict: options.strict ?? false }),
    nodeFileSource(),
  );
  // Routes' `vrf NAME` take the VRF's table now, as keepalived takes it while reading the file.
  const vrfs = new DiagnosticSink({ strict: options.strict ?? false });
  if (configNamesRouteVrfs(result.config)) {
    try {
      result.config = resolveRouteVrfs(result.config, await hostLinks(), vrfs);
    } catch (error) {
      return {
        ok: false,
        errors: [`cannot list the links to find the VRFs routes name: ${errorMessage(error)}`],
      };
    }
  }
  const diagnostics = [...result.diagnostics, ...vrfs.diagnostics];
  logDiagnostics(logger, diagnostics);
  if (!result.vrrpOk || vrfs.errorCount > 0) return { ok: false, errors: errorLines(diagnostics) };
  const namespaceChange = netnsChange(options.netns, result.config);
  if (namespaceChange) return { ok: false, errors: [namespaceChange] };
  return { ok: true, config: result.config, uplinks: result.uplinks, failedUplinks: result.failedUplinks };
}

/** keepalived's vrrp_priority / vrrp_rt_priority / vrrp_no_swap, best effort with a log line. */
function applyScheduling(config: VrrpdConfig, native: NativeOps | null, logger: Logger): void {
  if (!native) return;
  const { processPriority, realtimePriority, noSwap } = config.globals;
  const attempt = (what: string, call: () => void) => {
    try {
      call();
      say(logger, LOG.schedulingApplied, { setting: what });
    } catch (error) {
      say(logger, LOG.schedulingFailed, { setting: what, err: errorMessage(error) });
    }
  };
  if (processPriority !== null)
    attempt(`vrrp_priority ${processPriority}`, () => native.setPriority(processPriority));
  if (realtimePriority !== null) {
    attempt(`vrrp_rt_priority ${realtimePriority}`, () =>
      native.setRealtimeScheduler('rr', realtimePriority),
    );
  }
  if (noSwap) {
    // Not applied: V8 releases pages with madvise(MADV_DONTNEED), which Linux refuses on locked
    // memory, and aborts ("Check failed: 0 == ret") the first time it sets up a new code page
    // after mlockall, MCL_FUTURE or not: seconds after start under load (tested in issue 9).
    say(logger, LOG.noSwapNotApplied, { keyword: 'vrrp_no_swap' });
  }
}

/**
 * The namespace is entered once, before the process has threads: a file that names another one
 * cannot be loaded (keepalived: "Cannot change network namespace at a reload - please restart").
 */
function netnsChange(netns: DaemonNamespace | undefined, config: VrrpdConfig): string | null {
  if (netns?.overridden) return null;
  const running = netns?.name ?? null;
  const wanted = config.globals.netNamespace;
  if ((wanted?.name ?? null) === running) return null;
  const where = wanted ? `${wanted.source.file}:${wanted.source.line}: ` : '';
  const now = running === null ? 'the namespace it was started in' : `network namespace '${running}'`;
  const asked = wanted ? `net_namespace '${wanted.name}'` : 'no net_namespace';
  return `${where}error: vrrpd runs in ${now} and the file now says ${asked}: the namespace cannot change at a reload; restart vrrpd [VRRPD_E_CONFIG_NETNS]`;
}

export async function runDaemon(given: DaemonOptions): Promise<number> {
  // The CLI's parse serves the start only; reloads read the file again (and the daemon keeps no copy).
  const { parsed, ...options } = given;
  const logger = createLogger({ level: options.logLevel });
  if (options.netns) logNamespace(logger, options.netns);
  const loaded = await load(options, logger, parsed);
  if (!loaded.ok) {
    for (const line of loaded.errors) process.stderr.write(`${line}\n`);
    say(logger, LOG.configRejectedAtStart, { file: options.configFile });
    return EXIT_CONFIG;
  }
  const native = tryNative(logger);
  applyScheduling(loaded.config, native, logger);
  const netlink = openKernelNetlink();
  // IPv6 address events too: a link-local address leaving DAD is what an IPv6 instance waits for.
  const events = watchKernelEvents({ ipv6Addresses: true });
  const garp = native
    ? createGarpSender(native)
    : { sendGratuitousArp: () => ({ ok: false as const, error: new Error('native addon not loaded') }) };

  const notifySystemd = systemdNotifier(native, logger);
  const uplinks = new DaemonUplinks({ logger, vrrpView: () => vrrpViewOf(daemon) });
  const snapshot = () => statusSnapshot(daemon, uplinks.snapshot());
  const statusLine = (): string => formatStatusLine(snapshot());
  // systemd's STATUS= line, once per loop turn however many instances moved in it: a snapshot
  // covers every instance, so one per transition made starting or stopping n instances O(n²)
  // (50 instances: ~40 ms at shutdown in a cpu profile, and in front of the later BACKUPs at start).
  let statusPending = false;
  const publishStatus = (): void => {
    if (statusPending) return;
    statusPending = true;
    systemTimers.after(
      0,
      () => {
        statusPending = false;
        notifySystemd(`STATUS=${statusLine()}`);
      },
      { unref: true },
    );
  };
  const daemon: Daemon = new Daemon(
    {
      logger,
      netlink,
      events,
      openTransport: (transportOptions) => {
        if (!native) throw new Error('the VRRP socket needs the native addon, which is not loaded');
        return openAdvertTransport(transportOptions, native);
      },
      ...(native
        ? {
            openTransport6: (transportOptions) => openAdvertTransport6(transportOptions, native),
            neighborAdverts: createNeighborAdvertSender(native),
          }
        : {}),
      garp,
      ...systemClock,
      stateDir: options.stateDir,
    },
    {
      onTransition: () => {
        uplinks.followVrrp();
        publishStatus();
      },
      // The end of a planned release: the uplink group following it lets the route go now.
      onVipsRemoved: () => uplinks.followVrrp(),
    },
  );

  mkdirSync(options.stateDir, { recursive: true, mode: 0o755 });
  await daemon.start(planDaemon(loaded.config));
  await uplinks.apply(loaded.uplinks, loaded.failedUplinks);

  const reload = async (): Promise<ReloadResult> => {
    const next = await load(options, logger);
    if (!next.ok) {
      say(logger, LOG.reloadRejected, { errors: next.errors.length });
      return { accepted: false, errors: next.errors };
    }
    await daemon.reload(planDaemon(next.config));
    await uplinks.apply(next.uplinks, next.failedUplinks);
    return { accepted: true, errors: [] };
  };

  const status = await serveUntilSignalled({
    logger,
    native,
    socketPath: options.socketPath,
    ...(options.socketGroup ? { socketGroup: options.socketGroup } : {}),
    pidFile: options.pidFile,
    ...(options.metricsListen ? { metricsListen: options.metricsListen } : {}),
    status: snapshot,
    stats: (clear) => statsSnapshot(daemon, clear),
    garp: (instance) => daemon.requests.resendGarp(instance),
    admin: {
      handover: (args) => daemon.requests.handover(args),
      resume: (args) => daemon.requests.resume(args),
      demote: (args) => daemon.requests.demote(args),
    },
    uplinkPin: (group, gateway) => uplinks.pin(group, gateway),
    reload,
    statusLine,
    stop: async (signal) => {
      say(logger, LOG.stopping, { signal });
      await daemon.stop({ notifyBudgetMs: NOTIFY_BUDGET_MS, immediate: options.immediateRelease ?? false });
      // After the instances: leaving MASTER may restore an uplink group's fallback route.
      await uplinks.stop();
      netlink.close();
    },
    stopDeadlineMs: () =>
      options.immediateRelease ? SHUTDOWN_DEADLINE_MS : daemon.stopBudgetMs(SHUTDOWN_DEADLINE_MS),
    started: {
      mode: 'vrrp',
      config: options.configFile,
      instances: loaded.config.instances.length,
      ...(options.netns ? { netns: options.netns.name } : {}),
    },
  });
  if (options.netns) leaveNamespace(logger, options.netns);
  return status;
}

function logNamespace(logger: Logger, netns: DaemonNamespace): void {
  say(logger, LOG.netnsEntered, { netns: netns.name, runDirectory: netns.runDirectory });
  for (const err of netns.warnings) say(logger, LOG.netnsRunDirectory, { netns: netns.name, err });
}

/** After the pid file and socket are gone: /run/vrrpd/NAME unmounted and removed, as keepalived does. */
function leaveNamespace(logger: Logger, netns: DaemonNamespace): void {
  if (netns.runDirectory === null) return;
  const failure = leaveRunDirectory(netns.runDirectory, createNamespaceOps());
  if (failure) say(logger, LOG.stopError, { err: failure });
}
