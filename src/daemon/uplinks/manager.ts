// One uplink group's I/O shell around the pure policy of src/uplink: it owns the policy's state and
// feeds it events one at a time, in arrival order (probe rounds, VRRP role changes, refused route
// writes), through one serial queue. The pieces it wires together each do one thing:
//   round-scheduler.ts  when rounds run;            probe-fleet.ts     what a round probes;
//   action-executor.ts  carrying out actions;       route-switcher.ts  writing default routes;
//   switch-effects.ts   hooks, flush, NetGWM log;   state-store.ts     the state file.
//
// VRRP tie-in: setRole('master' | 'backup' | 'standalone'). A backup keeps probing and never
// touches routes; becoming master writes the best gateway at once from the latest round (or
// from one run immediately, when there is no data yet).

import type { LeaveMasterPolicy } from '../../config/model/types.js';
import type { NetgwmConfig } from '../../config/netgwm/types.js';
import type { KernelAddresses } from '../../kernel/addresses.js';
import { openSiteProber, type SiteProberFactory } from './site-probers.js';
import type { RouteWatch } from '../../kernel/route-watch.js';
import { systemClock, type Clock } from '../../runtime/clock.js';
import { SerialQueue } from '../../runtime/serial-queue.js';
import { sleep, systemTimers, type Timers } from '../../runtime/timers.js';
import type { Logger } from '../../runtime/log.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG } from '../../runtime/messages.js';
import { createSelectorState, reconfigureSelectorState, stepUplinks } from '../../uplink/policy.js';
import { matchActiveGateway, matchRouteMembers } from '../../uplink/route-match.js';
import { uplinkStatuses, type UplinkStatus } from '../../uplink/status.js';
import { dueGateways, nextRoundAt, probeIntervalMs } from '../../uplink/probe-schedule.js';
import { gatewayProbeSettings } from '../../config/netgwm/gateway-probes.js';
import type {
  GatewayHealth,
  SelectorState,
  UplinkEvent,
  UplinkPolicyConfig,
  UplinkRole,
} from '../../uplink/types.js';
import { ActionExecutor } from './action-executor.js';
import { DefaultRouteWatch } from './default-route-watch.js';
import { readModeFile, writeModeFile } from './mode-file.js';
import { NetgwmStatusFiles } from './netgwm-status.js';
import { policyConfigFrom } from './policy-config.js';
import { ProbeFleet } from './probe-fleet.js';
import { UplinkReporter, type UplinkCounters, type UplinkNotice } from './reporting.js';
import { SiteResolver, type HostLookup } from './resolve-sites.js';
import { RoundScheduler } from './round-scheduler.js';
import { RouteSwitcher } from './route-switcher.js';
import { StateStore } from './state-store.js';
import { StickyFlows } from './sticky-flows.js';
import { probeRouting } from '../../uplink/probe-plan.js';
import { SwitchEffects } from './switch-effects.js';
import { readDefaultRoute, type UplinkKernel } from './uplink-routes.js';

export type { UplinkCounters, UplinkNotice } from './reporting.js';

export interface UplinkManagerOptions {
  /** The uplink_group name (`standalone` when run alone); in every log record. */
  name: string;
  config: NetgwmConfig;
  role: UplinkRole;
  onLeaveMaster?: LeaveMasterPolicy;
  logger: Logger;
}

export interface UplinkManagerDeps {
  kernel: UplinkKernel & { addresses?: KernelAddresses };
  openProber?: SiteProberFactory;
  lookupHost?: HostLookup;
  /** The policy runs on `now()`; log stamps and the state file use `wallNow()`. */
  clock?: Clock;
  timers?: Timers;
  utcOffsetMinutes?: (epochMs: number) => number;
  /** Route notifications, to repair the default route when someone else changes it (none: not watched). */
  watchRoutes?: () => RouteWatch;
  /** Runs an nftables script (`nft -f -`), for sticky_flows. */
  runNft?: (script: string) => Promise<void>;
}

/** What `vrrpctl uplink pin` gets back. */
export type PinOutcome = { ok: true; pinned: string | null; modeFile: string } | { ok: false; error: string };

/** Bound on each step of stop(): queued events, the round in flight, hooks and state writes. */
const STOP_WAIT_MS = 5000;

export class UplinkManager {
  private config: NetgwmConfig;
  private policy: UplinkPolicyConfig;
  private onLeaveMaster: LeaveMasterPolicy;
  private state!: SelectorState;
  private effects: SwitchEffects;
  private generation = 0;
  private stopped = false;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly abort = new AbortController();
  private readonly reporter: UplinkReporter;
  private readonly events: SerialQueue;
  private readonly fleet: ProbeFleet;
  private readonly scheduler: RoundScheduler;
  private readonly store: StateStore;
  private readonly executor: ActionExecutor;
  private readonly resolver: SiteResolver;
  private readonly statusFiles: NetgwmStatusFiles;
  private readonly sticky: StickyFlows;
  private routeWatch: DefaultRouteWatch | null = null;
  /** The mode file's last content that was complained about, so a bad file is logged once. */
  private modeFileComplaint: string | null = null;
  /** Counts `vrrpctl uplink pin` writes: a mode-file read that overlapped one is stale. */
  private pinWrites = 0;
  /** When each gateway is next probed (policy clock); a gateway not in it is due at once. */
  private readonly nextDue = new Map<string, number>();

  private constructor(
    private readonly options: UplinkManagerOptions,
    private readonly deps: UplinkManagerDeps,
  ) {
    this.config = options.config;
    this.onLeaveMaster = options.onLeaveMaster ?? { kind: 'leave' };
    this.policy = policyConfigFrom(this.config, this.onLeaveMaster.kind);
    this.clock = deps.clock ?? systemClock;
    this.timers = deps.timers ?? systemTimers;
    this.reporter = new UplinkReporter(options.name, options.logger);
    this.events = new SerialQueue((label, message) =>
      this.reporter.say(LOG.uplinkEventFailed, { error: message, event: label }),
    );
    this.effects = this.createEffects();
    this.fleet = new ProbeFleet(
      deps.kernel,
      (message, fields) => this.reporter.say(message, fields),
      deps.openProber ?? openSiteProber,
    );
    this.scheduler = new RoundScheduler({
      timers: this.timers,
      clock: this.clock,
      nextRoundAt: (startedAt) =>
        nextRoundAt(this.gatewayIds(), this.nextDue, startedAt + this.config.intervalMs),
      run: () => this.runRound(),
    });
    this.resolver = new SiteResolver({
      ...(deps.lookupHost ? { lookupHost: deps.lookupHost } : {}),
      timers: this.timers,
      intervalMs: () => this.config.resolveIntervalMs,
      family: () => (this.config.family === 'ipv6' ? 6 : 4),
      log: (message, fields) => this.reporter.say(message, fields),
    });
    this.statusFiles = new NetgwmStatusFiles(() => this.config.statusDir, this.reporter);
    this.sticky = new StickyFlows(options.name, this.reporter, deps.runNft);
    this.store = new StateStore(() => this.config.stateFile, this.clock, this.reporter);
    this.executor = new ActionExecutor({
      reporter: this.reporter,
      routes: new RouteSwitcher(deps.kernel, this.reporter, () => ({
        routeTable: this.config.routeTable,
        family: this.config.family,
        onLeaveMaster: this.onLeaveMaster,
      })),
      store: this.store,
      effects: () => this.effects,
      clock: this.clock,
      requestRound: () => this.probeAllNow(),
    });
  }

  /** sticky_flows: the marks of the UP gateways are restored on their flows (or the table goes). */
  private updateStickyFlows(): void {
    if (!this.config.stickyFlows) {
      void this.sticky.remove();
      return;
    }
    const marks = probeRouting(this.config.gateways, {
      table: this.config.probeTableBase,
      rulePriority: this.config.probeRulePriorityBase,
      fwmark: this.config.probeFwmarkBase,
    });
    const gateways = marks.map((entry) => ({
      id: entry.gatewayId,
      ip: entry.ip,
      dev: entry.dev,
      mark: entry.fwmark,
    }));
    const up = this.state.gateways.filter((health) => health.state === 'UP').map((health) => health.id);
    this.sticky.update(this.config.family, gateways, up);
  }

  private gatewayIds(): string[] {
    return this.config.gateways.map((gateway) => gateway.id);
  }

  /** The next round probes every gateway, whenever each was due (becoming master, a reload). */
  private probeAllNow(): void {
    this.nextDue.clear();
    this.scheduler.requestNow();
  }

  /** Resolves check sites, restores persisted state, installs probe routing and starts probing. */
  static async start(options: UplinkManagerOptions, deps: UplinkManagerDeps): Promise<UplinkManager> {
    const manager = new UplinkManager(options, deps);
    await manager.initialise();
    return manager;
  }

  onNotice(listener: (notice: UplinkNotice) => void): void {
    this.reporter.onNotice(listener);
  }

  /** Follow the VRRP state: only 'master' and 'standalone' touch routes. Resolves once handled. */
  setRole(role: UplinkRole): Promise<void> {
    return this.dispatch({ type: 'role', role });
  }

  role(): UplinkRole {
    return this.state.role;
  }

  status(): UplinkStatus[] {
    const toWall = this.clock.wallNow() - this.clock.now();
    return uplinkStatuses(this.options.name, this.policy, this.state, (time) => time + toWall);
  }

  /** The policy's full per-gateway view (consecutive successes/failures, flap memory, loss window). */
  health(): readonly GatewayHealth[] {
    return this.state.gateways;
  }

  /** The runtime pin in force (null: automatic, or the yml's `mode` decides). */
  pinned(): string | null {
    return this.config.mode ?? this.state.runtimePin;
  }

  /**
   * `vrrpctl uplink pin GATEWAY|auto`: writes NetGWM's mode file and applies it at once. Refused
   * when netgwm.yml has a `mode` (which NetGWM, too, lets win over the file).
   */
  async pin(gateway: string | null): Promise<PinOutcome> {
    const { mode, modeFile } = this.config;
    if (mode !== null) {
      return { ok: false, error: `netgwm.yml sets mode: ${mode}, which takes precedence over a runtime pin` };
    }
    if (modeFile === null)
      return { ok: false, error: 'mode_file is null in netgwm.yml: there is no pin file' };
    if (gateway !== null && !this.config.gateways.some((g) => g.id === gateway)) {
      const known = this.config.gateways.map((g) => g.id).join(', ');
      return { ok: false, error: `no gateway named "${gateway}" (gateways: ${known})` };
    }
    this.pinWrites += 1;
    try {
      await writeModeFile(modeFile, gateway);
    } catch (error) {
      return { ok: false, error: `cannot write ${modeFile}: ${errorMessage(error)}` };
    }
    await this.dispatch({ type: 'pin', gateway });
    return { ok: true, pinned: gateway, modeFile };
  }

  /** The gateway the default route goes through as far as this group knows; null if none of its own. */
  activeGateway(): string | null {
    return this.state.active;
  }

  stats(): UplinkCounters {
    return { ...this.reporter.counters };
  }

  /**
   * Applies a new netgwm.yml (and leave-master policy) keeping the health of unchanged gateways.
   * Check-site names are resolved again. Failures are logged; probing goes on.
   */
  async reload(config: NetgwmConfig, onLeaveMaster: LeaveMasterPolicy = this.onLeaveMaster): Promise<void> {
    await this.resolver.configure(config.checkSites);
    await this.queued('reload', async () => {
      await this.fleet.tearDown();
      const previousPolicy = this.policy;
      this.config = config;
      this.onLeaveMaster = onLeaveMaster;
      this.policy = policyConfigFrom(config, onLeaveMaster.kind);
      this.effects = this.createEffects();
      this.generation++;
      this.state = reconfigureSelectorState(this.state, previousPolicy, this.policy);
      await this.fleet.setUp(this.config);
      this.updateStickyFlows();
      this.reporter.say(LOG.uplinkReloaded, {
        event: 'uplink_reload',
        gateways: config.gateways.map((g) => g.id),
      });
    });
    this.probeAllNow();
  }

  /**
   * Stops probing and removes the probe routing. The default route is left as it is. Events
   * already queued (a role change with its fallback route) are carried out first; a round in
   * flight is not waited for: closing the sockets ends it at once, so a daemon stopping on
   * SIGTERM is not held up by probe timeouts.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const round = this.scheduler.stop();
    this.resolver.stop();
    await this.bounded(this.events.idle());
    this.abort.abort();
    this.routeWatch?.close();
    await this.fleet.tearDown();
    await this.bounded(this.sticky.remove());
    await this.bounded(round);
    await this.bounded(Promise.all([this.executor.idle(), this.store.idle(), this.statusFiles.idle()]));
  }

  private bounded(work: Promise<unknown>): Promise<unknown> {
    return Promise.race([work, sleep(this.timers, STOP_WAIT_MS)]);
  }

  private createEffects(): SwitchEffects {
    const effectOptions = {
      group: this.options.name,
      logger: this.options.logger,
      links: this.deps.kernel.links,
      postReplaceDir: this.config.postReplaceDir,
      family: this.config.family,
      eventDir: this.config.eventDir,
      hookTimeoutMs: this.config.hookTimeoutMs,
      logFile: this.config.logFile,
      utcOffsetMinutes: this.deps.utcOffsetMinutes ?? ((ms: number) => -new Date(ms).getTimezoneOffset()),
      signal: this.abort.signal,
    };
    const addresses = this.deps.kernel.addresses;
    return new SwitchEffects(addresses ? { ...effectOptions, addresses } : effectOptions);
  }

  private async initialise(): Promise<void> {
    await this.resolver.configure(this.config.checkSites);
    const persisted = await this.store.load();
    let active: string | null = null;
    let members: string[] = [];
    try {
      const route = await readDefaultRoute(this.deps.kernel, this.config.routeTable, this.config.family);
      members = matchRouteMembers(this.config.gateways, route);
      active = matchActiveGateway(this.config.gateways, route) ?? members[0] ?? null;
    } catch (error) {
      this.reporter.say(LOG.uplinkRouteUnreadable, { error: errorMessage(error) });
    }
    this.state = createSelectorState(this.policy, { role: this.options.role, active, members, persisted });
    this.reporter.say(LOG.uplinkStarted, {
      event: 'uplink_start',
      role: this.options.role,
      active,
      gateways: this.config.gateways.map((g) => g.id),
    });
    await this.fleet.setUp(this.config);
    await this.fleet.warnAboutReversePathFilter(this.config);
    if (this.deps.watchRoutes) {
      this.routeWatch = new DefaultRouteWatch({
        watch: this.deps.watchRoutes(),
        timers: this.timers,
        table: () => this.config.routeTable,
        check: () => void this.checkKernelRoute(),
        onError: (error) => this.reporter.say(LOG.uplinkRouteWatchError, { error: error.message }),
      });
    }
    this.probeAllNow();
  }

  /** Re-reads the default route and tells the policy (queued: never between a decision and its write). */
  private checkKernelRoute(): Promise<void> {
    const generation = this.generation;
    return this.queued('kernelRoute', async () => {
      if (generation !== this.generation || this.stopped) return;
      const route = await readDefaultRoute(this.deps.kernel, this.config.routeTable, this.config.family);
      const gatewayId = matchActiveGateway(this.config.gateways, route);
      const members = matchRouteMembers(this.config.gateways, route);
      await this.step({ type: 'kernelRoute', gatewayId, present: route !== null, members }, generation);
    });
  }

  /** NetGWM reads its mode file at every run: so do we, before every round (when the yml has no mode). */
  private async syncModeFile(generation: number): Promise<void> {
    const { mode, modeFile } = this.config;
    if (mode !== null || modeFile === null) return;
    let wanted: string | null = null;
    const pinWrites = this.pinWrites;
    try {
      const content = await readModeFile(modeFile);
      if (content.kind === 'gateway') {
        if (this.config.gateways.some((g) => g.id === content.id)) wanted = content.id;
        else if (this.modeFileComplaint !== content.id) {
          this.modeFileComplaint = content.id;
          this.reporter.say(LOG.uplinkModeFileUnknown, { modeFile, mode: content.id });
        }
      }
    } catch (error) {
      const message = errorMessage(error);
      if (this.modeFileComplaint !== message) {
        this.modeFileComplaint = message;
        this.reporter.say(LOG.uplinkModeFileUnreadable, { modeFile, error: message });
      }
      return;
    }
    // A pin written while this read was under way has already been applied: the read is stale.
    if (pinWrites !== this.pinWrites) return;
    if (wanted !== this.state.runtimePin) await this.dispatch({ type: 'pin', gateway: wanted }, generation);
  }

  private async runRound(): Promise<void> {
    const generation = this.generation;
    try {
      await this.syncModeFile(generation);
      const startedAt = this.clock.now();
      const due = dueGateways(this.gatewayIds(), this.nextDue, startedAt);
      if (due.length === 0) return;
      // Provisional, so a round that fails or is dropped by a reload cannot make rounds run back to back.
      for (const id of due)
        this.nextDue.set(id, startedAt + gatewayProbeSettings(this.config, id).intervalMs);
      const report = await this.fleet.probeRound(this.config, this.resolver.sites(), due);
      if (generation !== this.generation || this.stopped) return;
      this.reporter.counters.probesSent += report.sent;
      this.reporter.counters.repliesReceived += report.replies;
      this.reporter.notify({ kind: 'round', results: report.results });
      await this.dispatch({ type: 'round', results: report.results }, generation);
      if (generation === this.generation) {
        const health = new Map(this.state.gateways.map((gateway) => [gateway.id, gateway]));
        for (const id of due) {
          const interval = probeIntervalMs(gatewayProbeSettings(this.config, id), health.get(id));
          this.nextDue.set(id, startedAt + interval);
        }
        const toWall = this.clock.wallNow() - this.clock.now();
        this.statusFiles.update(report.results, this.state.gateways, (time) => time + toWall);
        this.updateStickyFlows();
      }
    } catch (error) {
      this.reporter.say(LOG.uplinkRoundFailed, { error: errorMessage(error) });
    }
  }

  /** Runs `work` after every event queued before it; resolves when it is done (never rejects). */
  private queued(label: string, work: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      this.events.push(label, async () => {
        try {
          await work();
        } finally {
          resolve();
        }
      });
    });
  }

  /**
   * Queues one event for the policy. The actions it produces are carried out before the next
   * event is taken; events they produce (a refused route write) go to the back of the queue.
   */
  private dispatch(event: UplinkEvent, generation = this.generation): Promise<void> {
    return this.queued(event.type, () => this.step(event, generation));
  }

  /** Steps the policy and carries out its actions (inside a queued job). */
  private async step(event: UplinkEvent, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const { state, actions } = stepUplinks(this.policy, this.state, event, this.clock.now());
    this.state = state;
    const followUps = await this.executor.execute(actions);
    for (const followUp of followUps) void this.dispatch(followUp, generation);
  }
}
