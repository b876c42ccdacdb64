// The uplink module's I/O shell (daemon wiring around the pure policy of src/uplink). It probes every gateway every `interval`, in parallel, through
// per-gateway policy routing; feeds each round (and VRRP role changes) to the pure policy; and
// carries out the actions: default route writes (awaited, in order), then conntrack flush and
// post-replace.d hooks on a side queue so a slow hook never delays the next round, NetGWM's log
// line, and the state file. Events are handled one at a time, in arrival order.
//
// VRRP tie-in: setRole('master' | 'backup' | 'standalone'). A backup keeps probing and never
// touches routes; becoming master writes the best gateway at once from the latest round (or
// from one run immediately, when there is no data yet).

import { performance } from 'node:perf_hooks';
import type { UplinkStatus } from '../../control/status-types.js';
import type { LeaveMasterPolicy } from '../../config/model.js';
import type { NetgwmConfig } from '../../config/netgwm/types.js';
import type { KernelAddresses } from '../../kernel/addresses.js';
import { openIcmpProber, type IcmpProber, type IcmpProberOptions } from '../../kernel/icmp-prober.js';
import { createSelectorState, reconfigureSelectorState, stepUplinks } from '../../uplink/policy.js';
import { policyConfigFrom } from './policy-config.js';
import { ProbeFleet } from './probe-fleet.js';
import type { ResolvedSite } from '../../uplink/probe-plan.js';
import { resolveCheckSites, systemLookup, type HostLookup } from './resolve-sites.js';
import { matchActiveGateway } from '../../uplink/route-match.js';
import { loadStateFile, writeStateFile } from './state-file.js';
import { uplinkStatuses } from '../../uplink/status.js';
import { SwitchEffects } from './switch-effects.js';
import type {
  GatewayHealth,
  GatewayRound,
  PersistedUplinkState,
  UplinkAction,
  UplinkEvent,
  UplinkPolicyConfig,
  UplinkRole,
  SelectorState,
} from '../../uplink/types.js';
import { readDefaultRoute, replaceDefaultRoute, type UplinkKernel } from './uplink-routes.js';
import type { Logger } from '../../runtime/log.js';
import { errorMessage } from '../../runtime/errors.js';

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
  openProber?: (options: IcmpProberOptions) => IcmpProber;
  lookupHost?: HostLookup;
  /** Milliseconds since the epoch, monotonic (the default is anchored at process start). */
  clock?: () => number;
  /** Wall-clock milliseconds for log stamps (default Date.now). */
  wallClock?: () => number;
  utcOffsetMinutes?: (epochMs: number) => number;
}

/** What the manager did, for whoever wants to watch (the test runner, metrics). */
export type UplinkNotice =
  | { kind: 'round'; results: GatewayRound[] }
  | { kind: 'switch'; from: string | null; to: string; reason: string }
  | { kind: 'routeError'; gateway: string; error: string }
  | { kind: 'fallback'; ok: boolean };

/** Running totals since start, for metrics (`vrrpd_uplink_*_total`). */
export interface UplinkCounters {
  /** Default-route changes to another gateway (not rewrites of the same one). */
  switches: number;
  routeErrors: number;
  probesSent: number;
  repliesReceived: number;
}

const STOP_WAIT_MS = 5000;

const monotonicEpochMs = (): number => Math.round(performance.timeOrigin + performance.now());
/**
 * Wall-clock time, for what people read: NetGWM's log stamps and the state file's savedAt. The
 * policy itself (src/uplink, pure) runs on the monotonic clock above, passed in as `now`.
 */
const wallClockMs = (): number => Date.now();

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class UplinkManager {
  private config: NetgwmConfig;
  private policy: UplinkPolicyConfig;
  private onLeaveMaster: LeaveMasterPolicy;
  private state!: SelectorState;
  private sites: ResolvedSite[] = [];
  private readonly fleet: ProbeFleet;
  private readonly counters: UplinkCounters = {
    switches: 0,
    routeErrors: 0,
    probesSent: 0,
    repliesReceived: 0,
  };
  private readonly listeners: Array<(notice: UplinkNotice) => void> = [];
  private readonly abort = new AbortController();
  private effects: SwitchEffects;
  private readonly clock: () => number;
  private queue: Promise<void> = Promise.resolve();
  private sideQueue: Promise<void> = Promise.resolve();
  private persistQueue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private currentRound: Promise<void> | null = null;
  private roundAgain = false;
  private generation = 0;
  private stopped = false;

  private constructor(
    private readonly options: UplinkManagerOptions,
    private readonly deps: UplinkManagerDeps,
  ) {
    this.config = options.config;
    this.onLeaveMaster = options.onLeaveMaster ?? { kind: 'leave' };
    this.policy = policyConfigFrom(this.config, this.onLeaveMaster.kind);
    this.clock = deps.clock ?? monotonicEpochMs;
    this.effects = this.createEffects();
    this.fleet = new ProbeFleet(
      deps.kernel,
      (level, fields, message) => this.log(level, fields, message),
      deps.openProber ?? openIcmpProber,
    );
  }

  /** Resolves check sites, restores persisted state, installs probe routing and starts probing. */
  static async start(options: UplinkManagerOptions, deps: UplinkManagerDeps): Promise<UplinkManager> {
    const manager = new UplinkManager(options, deps);
    await manager.initialise();
    return manager;
  }

  onNotice(listener: (notice: UplinkNotice) => void): void {
    this.listeners.push(listener);
  }

  /** Follow the VRRP state: only 'master' and 'standalone' touch routes. Resolves once handled. */
  setRole(role: UplinkRole): Promise<void> {
    return this.dispatch({ type: 'role', role });
  }

  role(): UplinkRole {
    return this.state.role;
  }

  status(): UplinkStatus[] {
    return uplinkStatuses(this.options.name, this.policy, this.state);
  }

  /** The policy's full per-gateway view (consecutive successes/failures, flap memory, loss window). */
  health(): readonly GatewayHealth[] {
    return this.state.gateways;
  }

  /** The gateway the default route goes through as far as this group knows; null if none of its own. */
  activeGateway(): string | null {
    return this.state.active;
  }

  stats(): UplinkCounters {
    return { ...this.counters };
  }

  /**
   * Applies a new netgwm.yml (and leave-master policy) keeping the health of unchanged gateways.
   * Check-site names are resolved again. Failures are logged; probing goes on.
   */
  async reload(config: NetgwmConfig, onLeaveMaster: LeaveMasterPolicy = this.onLeaveMaster): Promise<void> {
    const sites = await this.resolveSites(config);
    await this.serialized(async () => {
      await this.fleet.tearDown();
      const previousPolicy = this.policy;
      this.config = config;
      this.onLeaveMaster = onLeaveMaster;
      this.policy = policyConfigFrom(config, onLeaveMaster.kind);
      this.sites = sites;
      this.effects = this.createEffects();
      this.generation++;
      this.state = reconfigureSelectorState(this.state, previousPolicy, this.policy);
      await this.fleet.setUp(this.config);
      this.log(
        'info',
        { event: 'uplink_reload', gateways: config.gateways.map((g) => g.id) },
        'uplink configuration reloaded',
      );
    });
    this.requestRound();
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
    clearTimeout(this.timer);
    await Promise.race([this.queue, delay(STOP_WAIT_MS)]);
    this.abort.abort();
    await this.fleet.tearDown();
    await Promise.race([this.currentRound ?? Promise.resolve(), delay(STOP_WAIT_MS)]);
    await Promise.race([Promise.all([this.sideQueue, this.persistQueue]), delay(STOP_WAIT_MS)]);
  }

  private createEffects(): SwitchEffects {
    const effectOptions = {
      group: this.options.name,
      logger: this.options.logger,
      links: this.deps.kernel.links,
      postReplaceDir: this.config.postReplaceDir,
      hookTimeoutMs: this.config.hookTimeoutMs,
      logFile: this.config.logFile,
      utcOffsetMinutes: this.deps.utcOffsetMinutes ?? ((ms: number) => -new Date(ms).getTimezoneOffset()),
      signal: this.abort.signal,
    };
    const addresses = this.deps.kernel.addresses;
    return new SwitchEffects(addresses ? { ...effectOptions, addresses } : effectOptions);
  }

  private async initialise(): Promise<void> {
    this.sites = await this.resolveSites(this.config);
    const persisted = await this.loadPersisted();
    let active: string | null = null;
    try {
      active = matchActiveGateway(
        this.config.gateways,
        await readDefaultRoute(this.deps.kernel, this.config.routeTable),
      );
    } catch (error) {
      this.log('warn', { error: errorMessage(error) }, 'cannot read the current default route');
    }
    this.state = createSelectorState(this.policy, { role: this.options.role, active, persisted });
    this.log(
      'info',
      {
        event: 'uplink_start',
        role: this.options.role,
        active,
        gateways: this.config.gateways.map((g) => g.id),
      },
      `uplink selector started (${this.options.role})`,
    );
    await this.fleet.setUp(this.config);
    await this.fleet.warnAboutReversePathFilter(this.config);
    this.requestRound();
  }

  private async resolveSites(config: NetgwmConfig): Promise<ResolvedSite[]> {
    const { resolved, failures } = await resolveCheckSites(
      config.checkSites,
      this.deps.lookupHost ?? systemLookup,
    );
    for (const failure of failures) {
      this.log(
        'warn',
        { site: failure.site, reason: failure.reason },
        `check site ${failure.site} does not resolve; it counts as not answering until the next reload`,
      );
    }
    return resolved;
  }

  private async loadPersisted(): Promise<PersistedUplinkState | null> {
    const loaded = await loadStateFile(this.config.stateFile);
    if (loaded.kind === 'unusable') {
      this.log(
        'warn',
        { stateFile: this.config.stateFile, reason: loaded.reason },
        'ignoring the uplink state file',
      );
    }
    return loaded.kind === 'loaded' ? loaded.state : null;
  }

  private requestRound(): void {
    if (this.stopped) return;
    if (this.currentRound) {
      this.roundAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startRound(), 0);
  }

  private startRound(): void {
    if (this.stopped || this.currentRound) return;
    const startedAt = this.clock();
    this.currentRound = this.runRound().finally(() => {
      this.currentRound = null;
      if (this.stopped) return;
      const wait = this.roundAgain ? 0 : Math.max(0, startedAt + this.config.intervalMs - this.clock());
      this.roundAgain = false;
      this.timer = setTimeout(() => this.startRound(), wait);
    });
  }

  private async runRound(): Promise<void> {
    const generation = this.generation;
    const report = await this.fleet.probeRound(this.config, this.sites);
    if (generation !== this.generation || this.stopped) return;
    this.counters.probesSent += report.sent;
    this.counters.repliesReceived += report.replies;
    this.notify({ kind: 'round', results: report.results });
    await this.dispatch({ type: 'round', results: report.results }, generation);
  }

  /** Runs `work` after everything queued before it. Never rejects: failures are logged. */
  private serialized(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.log('error', { error: errorMessage(error) }, 'uplink event handling failed');
    });
    return this.queue;
  }

  private dispatch(event: UplinkEvent, generation = this.generation): Promise<void> {
    return this.serialized(async () => {
      if (generation !== this.generation) return;
      await this.handle(event);
    });
  }

  private async handle(event: UplinkEvent): Promise<void> {
    const { state, actions } = stepUplinks(this.policy, this.state, event, this.clock());
    this.state = state;
    await this.execute(actions);
  }

  private async execute(actions: readonly UplinkAction[]): Promise<void> {
    // Once the route write fails, the rest of that switch (flush, hooks, log) must not happen.
    let switchFailed = false;
    for (const action of actions) {
      switch (action.type) {
        case 'replaceDefaultRoute':
          switchFailed = !(await this.writeDefaultRoute(action));
          break;
        case 'flushConntrack':
          if (!switchFailed) this.onSideQueue(() => this.effects.flushConntrack(action.mode, action.old));
          break;
        case 'runHooks':
          if (!switchFailed) this.onSideQueue(() => this.effects.runHooks(action.args));
          break;
        case 'logSwitch':
          if (!switchFailed) await this.logSwitch(action);
          break;
        case 'restoreFallbackRoute':
          await this.restoreFallbackRoute();
          break;
        case 'log':
          this.log(action.level, { event: action.event, ...action.fields }, action.message);
          break;
        case 'persist':
          this.persist(action.snapshot);
          break;
        case 'probeNow':
          this.requestRound();
          break;
      }
    }
  }

  private async writeDefaultRoute(
    action: Extract<UplinkAction, { type: 'replaceDefaultRoute' }>,
  ): Promise<boolean> {
    try {
      await replaceDefaultRoute(this.deps.kernel, action.gateway, this.config.routeTable);
      return true;
    } catch (error) {
      const message = errorMessage(error);
      this.log(
        'error',
        { event: 'uplink_route_error', gateway: action.gateway.id, error: message },
        `cannot replace the default route via ${action.gateway.id}: ${message}`,
      );
      this.counters.routeErrors++;
      this.notify({ kind: 'routeError', gateway: action.gateway.id, error: message });
      await this.handle({ type: 'routeFailed', gatewayId: action.gateway.id, previous: action.previous });
      return false;
    }
  }

  private async logSwitch(action: Extract<UplinkAction, { type: 'logSwitch' }>): Promise<void> {
    const { from, to, reason } = action;
    this.log(
      'info',
      { event: 'uplink_switch', from: from?.id ?? null, to: to.id, reason, via: to.ip, dev: to.dev },
      `default route replaced: ${to.id} (was ${from?.id ?? 'none'}, ${reason})`,
    );
    this.counters.switches++;
    this.notify({ kind: 'switch', from: from?.id ?? null, to: to.id, reason });
    await this.effects.appendNetgwmLog(to, (this.deps.wallClock ?? wallClockMs)());
  }

  private async restoreFallbackRoute(): Promise<void> {
    const policy = this.onLeaveMaster;
    if (policy.kind !== 'fallback') return;
    try {
      await replaceDefaultRoute(
        this.deps.kernel,
        { ip: policy.via, dev: policy.dev },
        this.config.routeTable,
      );
      this.log(
        'info',
        { event: 'uplink_fallback', via: policy.via, dev: policy.dev },
        'left MASTER: fallback default route restored',
      );
      this.notify({ kind: 'fallback', ok: true });
    } catch (error) {
      this.log(
        'error',
        { event: 'uplink_fallback', error: errorMessage(error) },
        'left MASTER: cannot restore the fallback default route',
      );
      this.notify({ kind: 'fallback', ok: false });
    }
  }

  private onSideQueue(work: () => Promise<void>): void {
    this.sideQueue = this.sideQueue.then(work).catch((error: unknown) => {
      this.log('error', { error: errorMessage(error) }, 'post-switch action failed');
    });
  }

  private persist(snapshot: PersistedUplinkState): void {
    const path = this.config.stateFile;
    this.persistQueue = this.persistQueue
      .then(() => writeStateFile(path, snapshot, (this.deps.wallClock ?? wallClockMs)()))
      .catch((error: unknown) => {
        this.log(
          'warn',
          { stateFile: path, error: errorMessage(error) },
          'cannot write the uplink state file',
        );
      });
  }

  private notify(notice: UplinkNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch {
        // A watcher's failure is not the manager's.
      }
    }
  }

  private log(
    level: 'debug' | 'info' | 'warn' | 'error',
    fields: Record<string, unknown>,
    message: string,
  ): void {
    this.options.logger[level]({ uplinkGroup: this.options.name, ...fields }, message);
  }
}
