// The daemon loop: owns the running instances and connects the pieces. Events come in (packets
// through the receiver's verdicts, timer expiries, link and address notifications, tracker
// changes), the pure core steps, and the actions it returns go to the executor. Lifecycle — start,
// reload (pure diff in reload-diff.ts), stop — lives here too. Process-level concerns (config
// files, signals, control socket, sd_notify) live in run.ts and service.ts.

import type { InterfaceAddress } from '../kernel/addresses.js';
import type { NeighborAdvertSender } from '../kernel/neighbor-advert.js';
import { join } from 'node:path';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { KeyedTimers, systemTimers } from '../runtime/timers.js';
import type { Instance, TimerName, VrrpEvent } from '../vrrp/index.js';
import { StatsPeriod, type StatsReport } from './counters.js';
import { InstanceAdmin } from './admin.js';
import type { AdminRecord } from './admin-store.js';
import { ADMIN_STATE_FILE } from './admin-store.js';
import type { EngineAction } from './engine.js';
import { ActionExecutor } from './executor.js';
import { AdvertOffloads } from './offload.js';
import { GarpPacer } from './garp-pacer.js';
import { InstanceTable, type InstanceRuntime } from './instance-table.js';
import { interfaceFaultSource, LinkWatch } from './link-watch.js';
import type { DaemonPlan, InstancePlan } from './plan.js';
import { countVerdict, PacketReceiver, type ReceiveVerdict } from './receiver.js';
import { hasNoSource, NO_ADDRESS, NO_ADDRESS_FAULT } from './source-address.js';
import { initialInstance, leftoverVips, sourceFor } from './instance-setup.js';
import { deletionNotify, lowerPriorityHeard } from './event-notify.js';
import { priorityChangeEvent } from './priority-notify.js';
import { diffReload } from './reload-diff.js';
import { BfdTrackers } from './bfd-trackers.js';
import { DaemonScripts, NotifyRunner, type TrackerChange } from './scripts.js';
import { trackerEvents } from './trackers.js';
import { TransportSet } from './transports.js';
import type { DaemonAdapters, DaemonHooks, StopOptions } from './daemon-types.js';
import { configFaults } from './config-faults.js';
import { StateWaiters } from './state-waiters.js';
import { StaticEntriesManager } from './static-entries.js';
import { AhAdverts, isAhPlan } from './ah-adverts.js';
import { sourceFaults } from './source-tracking.js';
import { VipGuard } from './vip-guard.js';
import { VirtualResources } from './virtual-resources.js';
import { VmacManager } from './vmac-manager.js';
import { procSysctls } from '../kernel/sysctl.js';
import { AdminRequests } from './admin-requests.js';
import { applyKeptPlan } from './kept-instance.js';
import { KernelWatch } from './kernel-watch.js';
import { LocalIgmp } from './local-igmp.js';
import { anyReleasing, releaseWaitMs, stopBudgetMs } from './release-wait.js';
import { LOG, say } from '../runtime/messages.js';

export type { InstanceRuntime, TransitionRecord } from './instance-table.js';
export type { DaemonAdapters, DaemonHooks, StopOptions } from './daemon-types.js';
export type { AdminOutcome, AdminRequest } from './admin-requests.js';

/** keepalived's "setting instance to fault state" at configuration time: never cleared. */
const CONFIG_FAULT = 'configuration';
const NO_NEIGHBOR_ADVERTS: NeighborAdvertSender = {
  sendNeighborAdvert: () => ({ ok: false, error: new Error('native addon not loaded') }),
};
/** keepalived's 10 s default would hold instances in INIT too long / break the 2 s stop promise. */
const STARTUP_SCRIPT_MAX_MS = 10_000;
const SHUTDOWN_SCRIPT_MAX_MS = 500;

export class Daemon {
  private readonly table: InstanceTable;
  private readonly links = new LinkWatch();
  private readonly vrrpTimers: KeyedTimers<string>;
  private readonly receiver: PacketReceiver;
  private readonly transports: TransportSet;
  private readonly resources: VirtualResources;
  private readonly garp: GarpPacer;
  private readonly executor: ActionExecutor;
  private readonly vipGuard: VipGuard;
  private readonly runner: NotifyRunner;
  private readonly bfd: BfdTrackers;
  private readonly admin: InstanceAdmin;
  private readonly waiters: StateWaiters;
  private readonly statics: StaticEntriesManager;
  private readonly ah: AhAdverts;
  private readonly vmacs: VmacManager;
  private readonly localIgmp: LocalIgmp;
  private readonly kernelWatch: KernelWatch;
  /** `vrrpctl handover|resume|demote|garp` (admin-requests.ts). */
  readonly requests: AdminRequests;
  /** Instances a reload is removing (their own notifies are replaced, see event-notify.ts). */
  private readonly deleting = new Set<string>();
  private scripts: DaemonScripts | null = null;
  private plan: DaemonPlan | null = null;
  private stopping = false;
  private readonly statsPeriod: StatsPeriod;
  private readonly offloads: AdvertOffloads;

  constructor(
    private readonly adapters: DaemonAdapters,
    private readonly hooks: DaemonHooks = {},
  ) {
    const { logger } = adapters;
    const timers = adapters.timers ?? systemTimers;
    this.table = new InstanceTable(logger);
    this.vrrpTimers = new KeyedTimers(timers);
    this.ah = new AhAdverts(
      (options) => adapters.openTransport(options),
      (ifname, raw, meta) => this.onVerdict(this.receiver.receive(ifname, raw, meta.source)),
      logger,
    );
    this.receiver = new PacketReceiver(logger, adapters, (name) => this.ah.floor(name));
    this.transports = new TransportSet(
      {
        ipv4: (options) => adapters.openTransport(options),
        ...(adapters.openTransport6 ? { ipv6: adapters.openTransport6.bind(adapters) } : {}),
      },
      {
        ipv4: (ifname, raw, meta) => this.onVerdict(this.receiver.receive(ifname, raw, meta.source)),
        ipv6: (ifname, message, info) => this.onVerdict(this.receiver.receive6(ifname, message, info)),
      },
      logger,
      (runtime, advert, source) => (isAhPlan(runtime.plan) ? this.ah.send(runtime, advert, source) : null),
      this.receiver.checksums,
    );
    this.resources = new VirtualResources(
      adapters.netlink,
      { indexOf: (name) => this.links.indexOf(name) },
      logger,
    );
    this.garp = new GarpPacer(adapters.garp, adapters.neighborAdverts ?? NO_NEIGHBOR_ADVERTS, timers, logger);
    this.statics = new StaticEntriesManager(adapters.netlink, (name) => this.links.indexOf(name), logger);
    const sysctls = adapters.sysctls ?? procSysctls();
    this.localIgmp = new LocalIgmp(sysctls, logger);
    this.vmacs = new VmacManager({
      vmacs: adapters.netlink.vmacs,
      ipvlans: adapters.netlink.ipvlans,
      sysctls,
      addresses: adapters.netlink.addresses,
      indexOf: (name) => this.links.indexOf(name),
      linkNames: async () => (await adapters.netlink.links.list()).map((l) => l.name),
      logger,
    });
    this.executor = new ActionExecutor({
      table: this.table,
      transports: this.transports,
      resources: this.resources,
      garp: this.garp,
      timers: this.vrrpTimers,
      onTimer: (instance, timer, generation) => this.onTimer(instance, timer, generation),
      scripts: () => this.scripts,
      syncGroups: () => this.plan?.config.syncGroups ?? [],
      onTransition: (instance, from, to) => {
        this.receiver.resetDropLog();
        if (to === 'MASTER') this.ah.becameMaster(instance);
        void this.vmacs.setArpQuiet(
          instance,
          from === 'MASTER' && this.table.value(instance)?.releasing === true,
        );
        this.hooks.onTransition?.(instance, from, to);
      },
      onVipsRemoved: (instance) => {
        void this.vmacs.setArpQuiet(instance, false);
        this.hooks.onVipsRemoved?.(instance);
      },
      logger,
      clock: adapters,
    });
    this.vipGuard = new VipGuard({
      table: this.table,
      indexOf: (name) => this.links.indexOf(name),
      listAddresses: (ifindex) => adapters.netlink.addresses.list(ifindex, 'all'),
      dispatch: (instance, event) => this.dispatch(instance, event),
      logger,
    });
    this.runner = new NotifyRunner(logger);
    this.bfd = new BfdTrackers(logger, { timers, clock: adapters }, (change) => this.onTrackerChange(change));
    this.waiters = new StateWaiters(timers);
    this.admin = new InstanceAdmin({
      dispatch: (instance, event) => this.dispatch(instance, event),
      configuredPriority: (instance) => this.table.runtime(instance)?.plan.core.priority,
      clock: adapters,
      timers,
      logger,
      statePath: adapters.stateDir ? join(adapters.stateDir, ADMIN_STATE_FILE) : null,
    });
    this.requests = new AdminRequests({
      table: this.table,
      admin: this.admin,
      waiters: this.waiters,
      executor: this.executor,
      releaseWaitMs: () => this.releaseWaitMs(),
    });
    this.kernelWatch = new KernelWatch({
      table: this.table,
      links: this.links,
      vipGuard: this.vipGuard,
      statics: this.statics,
      listLinks: () => adapters.netlink.links.list(),
      logger,
      stopping: () => this.stopping,
      dispatch: (instance, event) => this.dispatch(instance, event),
      retrack: (instance) => this.applyTrackerState(instance),
      sourceOf: (plan, addresses) => this.primaryAddressOf(plan, addresses),
      sourcesFound: () => this.syncReceiving(),
      stacked: this.vmacs,
    });
    this.statsPeriod = new StatsPeriod(adapters.wallNow());
    this.offloads = new AdvertOffloads({
      table: this.table,
      executor: this.executor,
      expire: (instance, timer, generation) => this.onTimer(instance, timer, generation),
      timers: this.vrrpTimers,
      transports: this.transports,
      receiver: this.receiver,
      now: () => adapters.now(),
    });
  }

  get logger(): Logger {
    return this.adapters.logger;
  }

  // ---------------------------------------------------------------------------------------------
  // Start, reload, stop

  async start(configured: DaemonPlan): Promise<void> {
    this.plan = configured;
    this.links.seed(await this.adapters.netlink.links.list());
    // keepalived installs static entries first, whatever the VRRP state will be.
    await this.statics.start(configured.config);
    // keepalived: at start only; a reload neither sets nor restores it.
    if (configured.config.globals.disableLocalIgmp) await this.localIgmp.disable();
    // VMACs exist before any advert, whatever the state will be (keepalived).
    const plan = await this.withVmacs(configured);
    this.plan = plan;
    const addresses = await this.adapters.netlink.addresses.list(undefined, 'all');
    await this.removeLeftovers(plan.instances, addresses);
    await this.admin.load();
    this.adapters.events?.onEvent((event) => this.kernelWatch.onEvent(event));
    for (const instancePlan of plan.instances) this.addInstance(instancePlan, addresses);
    this.table.setGroups(plan.syncGroups);
    this.syncReceiving();
    await this.startScripts(plan, false);
    await this.scripts?.runGlobalScript('startup', STARTUP_SCRIPT_MAX_MS);
    for (const name of this.table.names()) this.applyInitialConditions(name);
    this.applySourceFaults(plan.instances, addresses);
    for (const name of this.table.names()) this.dispatch(name, { type: 'startup' });
    // Holds and priority overrides set before a restart apply before any election completes.
    for (const name of this.table.names()) this.admin.reapply(name);
  }

  /**
   * Applies a new, already validated plan. Instances whose identity is unchanged keep their state
   * (no transition): their configuration is swapped and, if MASTER, their VIPs diffed.
   */
  async reload(configured: DaemonPlan): Promise<void> {
    this.offloads.suspend();
    try {
      await this.reloadPlan(configured);
    } finally {
      this.offloads.resume();
    }
  }

  private async reloadPlan(configured: DaemonPlan): Promise<void> {
    const next = await this.withVmacs(configured);
    const diff = diffReload(
      this.table.runtimeList().map((r) => r.plan),
      next.instances,
    );
    this.plan = next;
    // 1. Instances that go away (or change identity) release mastership and stop, at once (their
    //    runtime is forgotten right after, so nothing would finish a make-before-break release).
    //    Every one is shut down before any is forgotten: a sync group steps all its members
    //    together, and a member already removed would make the group's step fail for the rest.
    //    keepalived reports a removed instance as DELETED (notify_deleted) or FAULT, not STOP.
    const removals = diff.leaving.flatMap((name) => {
      const runtime = this.table.runtime(name);
      const instance = this.table.value(name);
      const notify = runtime && instance ? deletionNotify(runtime.plan.model, instance) : null;
      return notify && runtime ? [{ notify, scripts: runtime.plan.model.notify }] : [];
    });
    for (const name of diff.leaving) this.deleting.add(name);
    for (const name of diff.leaving) this.dispatch(name, { type: 'shutdown', immediate: true });
    for (const { notify, scripts } of removals) this.scripts?.notify(notify, scripts);
    for (const name of diff.leaving) {
      await this.table.runtime(name)?.kernel.idle();
      this.vrrpTimers.cancelWhere((key) => key.startsWith(`${name}\0`));
      this.offloads.forget(name);
      this.table.remove(name);
      this.deleting.delete(name);
      say(this.logger, LOG.instanceRemoved, { instance: name });
    }
    // 2. Kept instances take their new configuration.
    const kept = {
      table: this.table,
      resources: this.resources,
      executor: this.executor,
      logger: this.logger,
    };
    for (const plan of diff.kept) applyKeptPlan(kept, plan);
    this.table.setGroups(next.syncGroups);
    await this.statics.reload(next.config);
    // The VMACs of instances that left go once those instances released their addresses.
    await this.vmacs.release(next.instances, next.config);
    // 3. New instances start from INIT like at start-up.
    const addresses = await this.adapters.netlink.addresses.list(undefined, 'all');
    await this.removeLeftovers(diff.added, addresses);
    for (const plan of diff.added) this.addInstance(plan, addresses);
    this.syncReceiving();
    await this.scripts?.stop();
    await this.startScripts(next, true);
    for (const plan of diff.added) this.applyInitialConditions(plan.name);
    this.applySourceFaults([...diff.added, ...diff.kept], addresses);
    for (const plan of diff.kept) this.applyTrackerState(plan.name);
    for (const plan of diff.added) this.dispatch(plan.name, { type: 'startup' });
    // The new configuration's priority replaced any override, and new instances start afresh.
    for (const plan of [...diff.kept, ...diff.added]) this.admin.reapply(plan.name);
    say(this.logger, LOG.reloaded, {
      kept: diff.kept.length,
      added: diff.added.length,
      removed: diff.leaving.length,
    });
  }

  /**
   * SIGTERM: every MASTER sends priority 0; make-before-break (default) keeps its addresses until
   * a new master speaks (or the longest Skew_Time passes), so clients lose nothing.
   * STOP scripts run (bounded).
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.offloads.suspend();
    const immediate = options.immediate ?? false;
    for (const name of this.table.names()) this.dispatch(name, { type: 'shutdown', immediate });
    const waitMs = this.releaseWaitMs();
    if (waitMs > 0) {
      say(this.logger, LOG.releaseWaiting, { waitMs });
      const released = await this.waiters.until(() => !anyReleasing(this.table.values()), waitMs);
      if (!released) {
        for (const name of this.table.names()) this.dispatch(name, { type: 'shutdown', immediate: true });
      }
    }
    await this.table.kernelIdle();
    this.vrrpTimers.cancelAll();
    this.garp.cancelAll();
    await this.admin.stop();
    await this.scripts?.drainNotifies(options.notifyBudgetMs ?? 1000);
    await this.scripts?.runGlobalScript('shutdown', SHUTDOWN_SCRIPT_MAX_MS);
    await this.scripts?.stop();
    this.bfd.stop();
    // After the instances released their addresses: the VMACs go, then the sysctls come back.
    // Before their sockets close: closing one would send an IGMP/MLD leave from the virtual MAC,
    // pulling the switch's entry for it back to this port after the new master claimed it; a
    // deleted interface sends none.
    await this.vmacs.stopAll();
    await this.localIgmp.restore();
    this.transports.closeAll();
    this.ah.closeAll();
    this.adapters.events?.close();
    // keepalived removes static entries last, after the instances released theirs.
    await this.statics.stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Building instances

  private addInstance(plan: InstancePlan, addresses: readonly InterfaceAddress[]): void {
    const source = plan.configuredSource ?? this.primaryAddressOf(plan, addresses);
    this.table.add(plan, initialInstance(plan, source), this.adapters.wallNow());
    if (!source)
      say(this.logger, LOG.noSourceAddress, { instance: plan.name, interface: plan.interfaceName });
  }

  private primaryAddressOf(plan: InstancePlan, addresses: readonly InterfaceAddress[]): string | null {
    return sourceFor(plan, addresses, this.plan?.instances ?? [], (name) => this.links.indexOf(name));
  }

  /** A previous run killed with SIGKILL leaves its VIPs: remove them before anything else. */
  private async removeLeftovers(plans: readonly InstancePlan[], addresses: readonly InterfaceAddress[]) {
    for (const { plan, stale } of leftoverVips(plans, addresses, (name) => this.links.indexOf(name))) {
      say(this.logger, LOG.leftoversRemoved, { instance: plan.name, vips: stale.map((v) => v.address) });
      await this.resources.removeAddresses(plan.name, stale, plan.interfaceName);
    }
  }

  private applyInitialConditions(name: string): void {
    const runtime = this.table.runtime(name);
    const instance = this.table.value(name);
    if (!runtime || !instance) return;
    if (hasNoSource(instance.config.primaryAddress, runtime.plan.family)) {
      this.dispatch(name, { type: 'fault', source: NO_ADDRESS_FAULT, active: true });
    }
    // keepalived runs a few configurations in FAULT for good (InstanceModel.configFault).
    if (runtime.plan.model.configFault !== null)
      this.dispatch(name, { type: 'fault', source: CONFIG_FAULT, active: true });
    const ifname = runtime.plan.interfaceName;
    if (runtime.plan.trackPrimary && !this.links.isUsable(ifname)) {
      this.dispatch(name, { type: 'fault', source: interfaceFaultSource(ifname), active: true });
    }
    this.applyTrackerState(name);
  }

  /** The plan with its instances on their VMACs (created or adopted now); links re-read if any. */
  private async withVmacs(plan: DaemonPlan): Promise<DaemonPlan> {
    if (!this.vmacs.wants(plan.instances, plan.config) && this.vmacs.list().length === 0) return plan;
    const instances = await this.vmacs.prepare(plan.instances, plan.config);
    // The new VMACs are known before their link notifications arrive (sockets open on them next);
    // a full re-seed would swallow a base's transition still in flight.
    for (const link of await this.adapters.netlink.links.list()) {
      if (this.links.indexOf(link.name) !== link.ifindex) this.links.update(link, false, []);
    }
    return { ...plan, instances };
  }

  /** The VMACs this daemon made or adopted (status, tests). */
  vmacList() {
    return this.vmacs.list();
  }

  /** The ipvlans this daemon made or adopted (status, tests). */
  ipvlanList() {
    return this.vmacs.ipvlanList();
  }

  /** track_src_ip: FAULT for the instances whose configured source address is not there now. */
  private applySourceFaults(plans: readonly InstancePlan[], addresses: readonly InterfaceAddress[]): void {
    for (const { instance, event } of [
      ...sourceFaults(plans, addresses, (name) => this.links.indexOf(name)),
      ...configFaults(plans, (name) => this.table.value(name)?.faults ?? []),
    ])
      this.dispatch(instance, event);
  }

  /** Sockets and the receive path follow the running set. */
  private syncReceiving(): void {
    // Sockets may close and the receive path's kept adverts go: nothing stays handed over.
    this.offloads.settleAll();
    const runtimes = this.table.runtimeList();
    this.receiver.configure(runtimes.map((r) => r.plan));
    this.transports.sync({
      runtimes,
      link: (ifname) => this.links.get(ifname),
      sourceOf: (name) => {
        const instance = this.table.value(name);
        const family = this.table.runtime(name)?.plan.family ?? 'ipv4';
        const source = instance?.config.primaryAddress;
        return source === undefined || hasNoSource(source, family) ? null : source;
      },
    });
    this.ah.sync(
      runtimes,
      (ifname) => this.links.get(ifname),
      (name) => this.table.value(name)?.config.primaryAddress ?? NO_ADDRESS.ipv4,
    );
  }

  private async startScripts(plan: DaemonPlan, reloading: boolean): Promise<void> {
    const scripts = new DaemonScripts(
      plan.config,
      this.logger,
      this.runner,
      (change) => this.onTrackerChange(change),
      this.adapters.processTracking,
      this.bfd,
    );
    await this.bfd.configure(plan.config);
    // In force once its track files are read (see DaemonScripts.start); a tracker change in the
    // meantime is judged on the states in force before, and re-applied by the caller after.
    await scripts.start(reloading);
    this.scripts = scripts;
  }

  // ---------------------------------------------------------------------------------------------
  // Events in

  /** Steps the core (after taking the instance back from its socket, offload.ts); its actions. */
  dispatch(name: string, event: VrrpEvent): readonly EngineAction[] {
    const before = this.table.value(name);
    let actions;
    try {
      this.offloads.settle(name);
      actions = this.table.step(name, event, this.adapters.now());
    } catch (error) {
      // A bug in the core must not take the daemon (and the VIPs) down with it.
      say(this.logger, LOG.internalError, { instance: name, event: event.type, err: errorMessage(error) });
      return [];
    }
    for (const action of actions) {
      // A removed instance's notifies were replaced by keepalived's DELETED/FAULT (reload).
      if (
        action.scope === 'instance' &&
        action.action.type === 'notify' &&
        this.deleting.has(action.instance)
      )
        continue;
      this.executor.execute(action);
    }
    const change = priorityChangeEvent(
      this.table.runtime(name)?.plan.model.notifyPriorityChanges ?? false,
      before,
      this.table.value(name),
    );
    if (change) this.scripts?.fifoEvent(change);
    this.waiters.check();
    return actions;
  }

  /** How long a stop may take now (release-wait.ts): the scripts' budget plus any release. */
  stopBudgetMs(baseMs: number): number {
    return stopBudgetMs(this.table.values(), baseMs);
  }

  private releaseWaitMs(): number {
    return releaseWaitMs(this.table.values(), this.adapters.now());
  }

  private onTimer(name: string, timer: TimerName, generation: number): void {
    this.offloads.afterTimer(name, timer, this.dispatch(name, { type: 'timer', timer, generation }));
  }

  /** wire → receiver (verdict) → counters → core step → executor. */
  private onVerdict(verdict: ReceiveVerdict): void {
    countVerdict(verdict, (name) => this.table.runtime(name)?.counters);
    if (verdict.kind === 'advert') {
      const before = this.table.value(verdict.instance);
      this.ah.acceptedVerdict(verdict, before);
      const event = { type: 'advert', advert: verdict.advert, source: verdict.source } as const;
      this.offloads.afterAdvert(verdict, this.dispatch(verdict.instance, event));
      const lower = lowerPriorityHeard(before, this.table.value(verdict.instance), verdict.advert.priority);
      const runtime = lower ? this.table.runtime(verdict.instance) : undefined;
      if (lower && runtime)
        this.scripts?.notify(lower, { masterRxLowerPri: runtime.plan.model.notify.masterRxLowerPri });
    }
  }

  private onTrackerChange(change: TrackerChange): void {
    for (const runtime of this.table.runtimeList()) {
      if (runtime.plan.trackers.some((t) => t.kind === change.kind && t.name === change.state.name)) {
        this.applyTrackerState(runtime.plan.name);
      }
    }
  }

  /** Recomputes every tracker's effect on one instance and feeds the core the results. */
  private applyTrackerState(name: string): void {
    const runtime = this.table.runtime(name);
    if (!runtime) return;
    const events = trackerEvents(runtime.plan.trackers, {
      interfaceUp: (ifname) => this.links.isUsable(ifname),
      ...DaemonScripts.sourcesOf(this.scripts),
    });
    for (const event of events) this.dispatch(name, event);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries (control socket, metrics, sd_notify)

  instances(): Array<{ instance: Instance; runtime: Readonly<InstanceRuntime> }> {
    this.offloads.flushCounts();
    return this.table.entries();
  }

  trackerStates() {
    return DaemonScripts.statesOf(this.scripts);
  }

  linkUsable(ifname: string): boolean | undefined {
    return this.links.usability(ifname);
  }

  /** Counters since the last `stats --clear`; `clear` starts a new period. */
  stats(clear: boolean): StatsReport {
    this.offloads.flushCounts();
    return this.statsPeriod.read(this.table.runtimeList(), clear ? this.adapters.wallNow() : null);
  }

  /** Holds and overrides of one instance (status). */
  adminRecord(name: string): AdminRecord | undefined {
    return this.admin.record(name);
  }
}
