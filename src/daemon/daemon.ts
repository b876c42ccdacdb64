// The daemon proper: owns the running instances and turns the pure core's actions into packets,
// addresses, gratuitous ARPs, scripts and timers; turns packets, timer expiries, link and address
// notifications and tracker changes into core events. Process-level concerns (config files,
// signals, control socket, sd_notify) live in run.ts.

import type { VipSpec } from '../config/model.js';
import type { AdvertTransport, AdvertTransportOptions } from '../kernel/transport.js';
import type { GarpSender } from '../kernel/garp.js';
import type { KernelEventSource, KernelEvent } from '../kernel/netlink-events.js';
import type { KernelNetlink } from '../kernel/netlink.js';
import type { InterfaceAddress } from '../kernel/addresses.js';
import { LinkStateTracker } from '../kernel/link-state.js';
import { linkIsUsable, type LinkInfo } from '../kernel/links.js';
import { encodeAdvert } from '../packet/vrrp.js';
import type { VrrpAdvert } from '../packet/types.js';
import { createInstance, reconfigure, type Instance, type VrrpEvent } from '../vrrp/index.js';
import { copyCounters, countersSince, newCounters, type InstanceCounters } from './counters.js';
import { Engine, type EngineAction } from './engine.js';
import type { Logger } from '../runtime/log.js';
import { sameIdentity, type DaemonPlan, type InstancePlan } from './plan.js';
import { PacketReceiver } from './receiver.js';
import { DaemonScripts, NotifyRunner, type TrackerChange } from './scripts.js';
import { InstanceTimers } from './timers.js';
import { trackerEvents } from './trackers.js';
import { VirtualResources } from './virtual-resources.js';
import { errorMessage } from '../runtime/errors.js';

export interface DaemonAdapters {
  logger: Logger;
  netlink: KernelNetlink;
  events: KernelEventSource | null;
  openTransport(options: AdvertTransportOptions): AdvertTransport;
  garp: GarpSender;
  /** Monotonic milliseconds (integer) for the core. */
  now(): number;
  /** Wall-clock milliseconds, for the times shown to people. */
  wallNow(): number;
}

export interface DaemonHooks {
  /** After every instance transition (sd_notify STATUS, uplink module). */
  onTransition?(instance: string, from: string, to: string): void;
}

export interface TransitionRecord {
  wallAt: number;
  reason: string;
}

/** The runtime side of one instance: what the pure value does not hold. */
interface InstanceRuntime {
  plan: InstancePlan;
  counters: InstanceCounters;
  statsBaseline: InstanceCounters;
  /** Virtual addresses we added and believe are present. */
  held: VipSpec[];
  lastTransition: TransitionRecord;
  /** Kernel work (addresses, routes, GARP) runs in order per instance, off the advert path. */
  kernelChain: Promise<void>;
}

/** keepalived also leaves an instance with no usable source address in FAULT. */
const NO_ADDRESS_FAULT = 'no_source_address';
const VIP_REMOVED_FAULT = 'vip_removed';
/** keepalived's 10 s default would hold instances in INIT too long / break the 2 s stop promise. */
const STARTUP_SCRIPT_MAX_MS = 10_000;
const SHUTDOWN_SCRIPT_MAX_MS = 500;

export class Daemon {
  private engine = new Engine([]);
  private readonly runtimes = new Map<string, InstanceRuntime>();
  private readonly transports = new Map<string, AdvertTransport>();
  private readonly links = new Map<string, LinkInfo>();
  private readonly linkState = new LinkStateTracker();
  private readonly timers: InstanceTimers;
  private readonly receiver: PacketReceiver;
  private readonly resources: VirtualResources;
  private readonly runner: NotifyRunner;
  private scripts: DaemonScripts | null = null;
  private plan: DaemonPlan | null = null;
  private stopping = false;
  /** Timers between the rounds of paced GARP bursts (vrrp_garp_interval). */
  private readonly garpPacing = new Set<NodeJS.Timeout>();
  private statsSince: number;

  constructor(
    private readonly adapters: DaemonAdapters,
    private readonly hooks: DaemonHooks = {},
  ) {
    const { logger } = adapters;
    this.timers = new InstanceTimers((instance, timer, generation) =>
      this.dispatch(instance, { type: 'timer', timer, generation }),
    );
    this.resources = new VirtualResources(
      adapters.netlink,
      { indexOf: (name) => this.links.get(name)?.ifindex },
      logger,
    );
    this.receiver = new PacketReceiver(logger, {
      instancesOn: (ifname) => [...this.runtimes.values()].filter((r) => r.plan.interfaceName === ifname),
      deliver: (name, advert, source) => this.onValidAdvert(name, advert, source),
      countersOf: (name) => this.runtimes.get(name)?.counters,
      now: () => adapters.now(),
    });
    this.runner = new NotifyRunner(logger);
    this.statsSince = adapters.wallNow();
  }

  get logger(): Logger {
    return this.adapters.logger;
  }

  // ---------------------------------------------------------------------------------------------
  // Start, reload, stop

  async start(plan: DaemonPlan): Promise<void> {
    this.plan = plan;
    await this.refreshLinks();
    const addresses = await this.adapters.netlink.addresses.list();
    await this.removeLeftovers(plan.instances, addresses);
    this.adapters.events?.onEvent((event) => this.onKernelEvent(event));
    const instances = plan.instances.map((p) => this.createRuntime(p, addresses));
    this.engine = new Engine(instances, plan.syncGroups);
    this.openTransports();
    await this.startScripts(plan, false);
    await this.scripts?.runGlobalScript('startup', STARTUP_SCRIPT_MAX_MS);
    for (const instance of instances) this.applyInitialConditions(instance.config.name);
    for (const name of this.engine.names()) this.dispatch(name, { type: 'startup' });
  }

  /**
   * Applies a new, already validated plan. Instances whose identity is unchanged keep their state
   * (no transition): their configuration is swapped and, if MASTER, their VIPs diffed.
   */
  async reload(next: DaemonPlan): Promise<void> {
    const previous = this.plan;
    this.plan = next;
    const nextByName = new Map(next.instances.map((p) => [p.name, p]));
    const kept: InstancePlan[] = [];
    // 1. Instances that go away (or change identity) release mastership and stop. Every one is
    //    shut down before any is forgotten: a sync group steps all its members together, and a
    //    member already removed from the engine would make the group's step fail for the rest.
    const leaving: Array<[string, InstanceRuntime]> = [];
    for (const [name, runtime] of this.runtimes) {
      const replacement = nextByName.get(name);
      if (replacement && sameIdentity(runtime.plan, replacement)) kept.push(replacement);
      else leaving.push([name, runtime]);
    }
    for (const [name] of leaving) this.dispatch(name, { type: 'shutdown' });
    for (const [name, runtime] of leaving) {
      await runtime.kernelChain;
      this.timers.cancelInstance(name);
      this.runtimes.delete(name);
      this.engine.remove(name);
      this.logger.info({ instance: name }, 'instance removed by reload');
    }
    // 2. Kept instances take their new configuration.
    for (const plan of kept) await this.reconfigureKept(plan);
    this.engine.setGroups(next.syncGroups);
    // 3. New instances start from INIT like at start-up.
    const addresses = await this.adapters.netlink.addresses.list();
    const added = next.instances.filter((p) => !this.runtimes.has(p.name));
    await this.removeLeftovers(added, addresses);
    for (const plan of added) this.engine.replace(this.createRuntime(plan, addresses));
    this.openTransports();
    await this.scripts?.stop();
    await this.startScripts(next, true);
    for (const plan of added) this.applyInitialConditions(plan.name);
    for (const plan of kept) this.applyTrackerState(plan.name);
    for (const plan of added) this.dispatch(plan.name, { type: 'startup' });
    this.receiver.reset();
    this.logger.info(
      { kept: kept.length, added: added.length, removed: (previous?.instances.length ?? 0) - kept.length },
      'configuration reloaded',
    );
  }

  /** SIGTERM: every MASTER sends priority 0 and releases its VIPs; STOP scripts run (bounded). */
  async stop(notifyBudgetMs = 1000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const name of this.engine.names()) this.dispatch(name, { type: 'shutdown' });
    await Promise.all([...this.runtimes.values()].map((r) => r.kernelChain));
    this.timers.cancelAll();
    for (const pacing of this.garpPacing) clearTimeout(pacing);
    this.garpPacing.clear();
    await this.scripts?.drainNotifies(notifyBudgetMs);
    await this.scripts?.runGlobalScript('shutdown', SHUTDOWN_SCRIPT_MAX_MS);
    await this.scripts?.stop();
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.adapters.events?.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Building instances

  private createRuntime(plan: InstancePlan, addresses: readonly InterfaceAddress[]): Instance {
    const primaryAddress = plan.configuredSource ?? this.primaryAddressOf(plan, addresses);
    const instance = createInstance({ ...plan.core, primaryAddress: primaryAddress ?? '0.0.0.0' });
    const wallAt = this.adapters.wallNow();
    this.runtimes.set(plan.name, {
      plan,
      counters: newCounters(),
      statsBaseline: newCounters(),
      held: [],
      lastTransition: { wallAt, reason: 'init' },
      kernelChain: Promise.resolve(),
    });
    if (!primaryAddress) {
      this.logger.error(
        { instance: plan.name, interface: plan.interfaceName },
        'interface has no IPv4 address to send adverts from (set unicast_src_ip or add an address): FAULT',
      );
    }
    return instance;
  }

  /** keepalived's choice: the interface's first (primary) IPv4 address that is not one of our VIPs. */
  private primaryAddressOf(plan: InstancePlan, addresses: readonly InterfaceAddress[]): string | null {
    const ifindex = this.links.get(plan.interfaceName)?.ifindex;
    const ours = new Set(this.allConfiguredVips().map((v) => v.address));
    const candidates = addresses.filter((a) => a.ifindex === ifindex && !ours.has(a.address));
    return (candidates.find((a) => !a.secondary) ?? candidates[0])?.address ?? null;
  }

  private allConfiguredVips(): VipSpec[] {
    return (this.plan?.instances ?? []).flatMap((p) => [...p.vips, ...p.excludedVips]);
  }

  /** A previous run killed with SIGKILL leaves its VIPs: remove them before anything else. */
  private async removeLeftovers(plans: readonly InstancePlan[], addresses: readonly InterfaceAddress[]) {
    for (const plan of plans) {
      const stale = [...plan.vips, ...plan.excludedVips].filter((vip) => {
        const ifindex = this.links.get(vip.dev ?? plan.interfaceName)?.ifindex;
        return addresses.some((a) => a.ifindex === ifindex && a.address === vip.address);
      });
      if (stale.length === 0) continue;
      this.logger.warn(
        { instance: plan.name, vips: stale.map((v) => v.address) },
        'removing virtual addresses left by a previous run',
      );
      await this.resources.removeAddresses(plan.name, stale, plan.interfaceName);
    }
  }

  private applyInitialConditions(name: string): void {
    const runtime = this.runtimes.get(name);
    const instance = this.engine.get(name);
    if (!runtime || !instance) return;
    if (instance.config.primaryAddress === '0.0.0.0') {
      this.dispatch(name, { type: 'fault', source: NO_ADDRESS_FAULT, active: true });
    }
    if (runtime.plan.trackPrimary && !this.isUsable(runtime.plan.interfaceName)) {
      this.dispatch(name, { type: 'fault', source: `interface:${runtime.plan.interfaceName}`, active: true });
    }
    this.applyTrackerState(name);
  }

  private async reconfigureKept(plan: InstancePlan): Promise<void> {
    const runtime = this.runtimes.get(plan.name)!;
    const before = runtime.plan;
    runtime.plan = plan;
    const instance = this.engine.get(plan.name)!;
    this.engine.replace(
      reconfigure(instance, { ...plan.core, primaryAddress: instance.config.primaryAddress }),
    );
    const key = (v: VipSpec) => `${v.address}/${v.prefix}/${v.dev ?? ''}/${v.label ?? ''}`;
    const oldVips = [...before.vips, ...before.excludedVips];
    const newVips = [...plan.vips, ...plan.excludedVips];
    // Held addresses that stay take their new spec: no_track may have changed, and removeVips
    // recognises held addresses by the plan's spec objects.
    runtime.held = runtime.held.map((v) => newVips.find((n) => key(n) === key(v)) ?? v);
    if (instance.state !== 'MASTER') return;
    const removed = oldVips.filter((v) => !newVips.some((n) => key(n) === key(v)));
    const added = newVips.filter((v) => !oldVips.some((o) => key(o) === key(v)));
    const routesChanged =
      JSON.stringify([before.routes, before.rules].map(stripSources)) !==
      JSON.stringify([plan.routes, plan.rules].map(stripSources));
    if (removed.length === 0 && added.length === 0 && !routesChanged) return;
    this.onKernel(plan.name, async () => {
      runtime.held = runtime.held.filter((v) => !removed.some((r) => key(r) === key(v)));
      await this.resources.removeAddresses(plan.name, removed, plan.interfaceName);
      runtime.held.push(...(await this.resources.addAddresses(plan.name, added, plan.interfaceName)));
      if (routesChanged) {
        await this.resources.removeRoutesAndRules(plan.name, before.routes, before.rules);
        await this.resources.addRoutesAndRules(plan.name, plan.routes, plan.rules);
      }
      this.logger.info(
        { instance: plan.name, added: added.map((v) => v.address), removed: removed.map((v) => v.address) },
        'virtual addresses updated by reload',
      );
    });
    // New addresses are announced like on becoming MASTER, so clients learn them at once.
    if (added.length > 0) {
      const garp = this.engine.get(plan.name)!.config.garp;
      this.queueGarp(
        runtime,
        added.map((v) => v.address),
        garp.masterRepeat,
        garp.intervalMs,
      );
    }
  }

  private openTransports(): void {
    const wanted = new Map<string, InstancePlan[]>();
    for (const runtime of this.runtimes.values()) {
      const list = wanted.get(runtime.plan.interfaceName) ?? [];
      list.push(runtime.plan);
      wanted.set(runtime.plan.interfaceName, list);
    }
    for (const [ifname, transport] of this.transports) {
      if (!wanted.has(ifname)) {
        transport.close();
        this.transports.delete(ifname);
      }
    }
    for (const [ifname, plans] of wanted) {
      if (this.transports.has(ifname)) continue;
      const link = this.links.get(ifname);
      if (!link) {
        this.logger.error({ interface: ifname }, 'interface does not exist: its instances stay in FAULT');
        continue;
      }
      const source = plans
        .map((p) => this.engine.get(p.name)?.config.primaryAddress)
        .find((a) => a && a !== '0.0.0.0');
      try {
        const transport = this.adapters.openTransport({
          ifname,
          ifindex: link.ifindex,
          sourceAddress: source ?? '0.0.0.0',
          joinMulticast: plans.some((p) => p.unicastPeers === null),
          ttl: Math.min(...plans.map((p) => p.ttl)),
        });
        transport.onPacket((raw, meta) => this.receiver.receive(ifname, raw, meta.source));
        transport.onError((error) =>
          this.logger.warn(
            { interface: ifname, kind: error.kind, dest: error.dest, err: error.error.message },
            'advert socket error',
          ),
        );
        this.transports.set(ifname, transport);
      } catch (error) {
        this.logger.error({ interface: ifname, err: errorMessage(error) }, 'cannot open the VRRP socket');
      }
    }
  }

  private async startScripts(plan: DaemonPlan, reloading: boolean): Promise<void> {
    const scripts = new DaemonScripts(plan.config, this.logger, this.runner, (change) =>
      this.onTrackerChange(change),
    );
    // In force once its track files are read (see DaemonScripts.start); a tracker change in the
    // meantime is judged on the states in force before, and re-applied by the caller after.
    await scripts.start(reloading);
    this.scripts = scripts;
  }

  // ---------------------------------------------------------------------------------------------
  // Events in

  dispatch(name: string, event: VrrpEvent): void {
    if (!this.runtimes.has(name)) return;
    let actions: EngineAction[];
    try {
      actions = this.engine.dispatch(name, event, this.adapters.now());
    } catch (error) {
      // A bug in the core must not take the daemon (and the VIPs) down with it.
      this.logger.error(
        { instance: name, event: event.type, err: errorMessage(error) },
        'state machine error',
      );
      return;
    }
    for (const action of actions) this.execute(action);
  }

  private onValidAdvert(name: string, advert: VrrpAdvert, source: string): void {
    this.dispatch(name, { type: 'advert', advert, source });
  }

  private onTrackerChange(change: TrackerChange): void {
    for (const runtime of this.runtimes.values()) {
      if (runtime.plan.trackers.some((t) => t.kind === change.kind && t.name === change.state.name)) {
        this.applyTrackerState(runtime.plan.name);
      }
    }
  }

  /** Recomputes every tracker's effect on one instance and feeds the core the results. */
  private applyTrackerState(name: string): void {
    const runtime = this.runtimes.get(name);
    if (!runtime) return;
    const events = trackerEvents(runtime.plan.trackers, {
      interfaceUp: (ifname) => this.isUsable(ifname),
      script: (scriptName) => this.scripts?.scriptStates().find((s) => s.name === scriptName),
      file: (fileName) => this.scripts?.fileStates().find((f) => f.name === fileName),
    });
    for (const event of events) this.dispatch(name, event);
  }

  private isUsable(ifname: string): boolean {
    const link = this.links.get(ifname);
    return link !== undefined && linkIsUsable(link);
  }

  private async refreshLinks(): Promise<void> {
    const links = await this.adapters.netlink.links.list();
    this.links.clear();
    for (const link of links) this.links.set(link.name, link);
    this.linkState.seed(links);
  }

  private onKernelEvent(event: KernelEvent): void {
    switch (event.kind) {
      case 'link':
        this.onLinkEvent(event.link, event.removed);
        return;
      case 'address':
        if (event.removed) this.onAddressRemoved(event.address);
        return;
      case 'overrun':
        this.logger.warn('netlink notifications were lost: re-reading interface states');
        void this.resyncLinks();
        return;
      case 'error':
        this.logger.warn({ err: event.error.message }, 'netlink notification error');
        return;
    }
  }

  private async resyncLinks(): Promise<void> {
    try {
      const links = await this.adapters.netlink.links.list();
      for (const link of links) this.onLinkEvent(link, false);
    } catch (error) {
      this.logger.error({ err: errorMessage(error) }, 'cannot re-read interfaces');
    }
  }

  private onLinkEvent(link: LinkInfo, removed: boolean): void {
    if (removed) this.links.delete(link.name);
    else this.links.set(link.name, link);
    const change = this.linkState.update(link, removed);
    if (!change) return;
    this.logger.info(
      { interface: change.name, usable: change.usable },
      `interface ${change.name} ${change.usable ? 'up' : 'down'}`,
    );
    for (const runtime of this.runtimes.values()) {
      const { plan } = runtime;
      if (plan.interfaceName === change.name && plan.trackPrimary) {
        this.dispatch(plan.name, {
          type: 'fault',
          source: `interface:${change.name}`,
          active: !change.usable,
        });
      }
      if (plan.trackers.some((t) => t.kind === 'interface' && t.name === change.name)) {
        this.applyTrackerState(plan.name);
      }
    }
  }

  /** Someone deleted one of our VIPs while we are MASTER (see README: "VIP deleted by hand"). */
  private onAddressRemoved(address: InterfaceAddress): void {
    for (const runtime of this.runtimes.values()) {
      const isRemoved = (v: VipSpec) =>
        v.address === address.address &&
        this.links.get(v.dev ?? runtime.plan.interfaceName)?.ifindex === address.ifindex;
      if (!runtime.held.some(isRemoved)) continue;
      // The notification may be stale: our own removal (FAULT, a lost election) read only after
      // we added the address again. Decide after the kernel work queued so far, on what the
      // kernel holds now.
      this.onKernel(runtime.plan.name, async () => {
        if (this.runtimes.get(runtime.plan.name) !== runtime) return;
        if (await this.addressPresent(address)) return;
        const vip = runtime.held.find(isRemoved);
        if (vip) this.onHeldVipRemoved(runtime, vip);
      });
    }
  }

  /** Whether the kernel holds the address now; if it cannot tell, the notification is believed. */
  private async addressPresent(address: InterfaceAddress): Promise<boolean> {
    try {
      const current = await this.adapters.netlink.addresses.list(address.ifindex);
      return current.some((a) => a.address === address.address);
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'cannot re-read addresses');
      return false;
    }
  }

  private onHeldVipRemoved(runtime: InstanceRuntime, vip: VipSpec): void {
    runtime.held = runtime.held.filter((v) => v !== vip);
    const name = runtime.plan.name;
    if (this.engine.get(name)?.state !== 'MASTER') return;
    if (vip.noTrack) {
      this.logger.warn(
        { instance: name, vip: vip.address },
        'virtual address removed by someone else (no_track: staying MASTER)',
      );
      return;
    }
    this.logger.warn(
      { instance: name, vip: vip.address },
      'virtual address removed by someone else while MASTER: releasing mastership (priority 0) and re-electing',
    );
    this.dispatch(name, { type: 'fault', source: VIP_REMOVED_FAULT, active: true });
    this.dispatch(name, { type: 'fault', source: VIP_REMOVED_FAULT, active: false });
  }

  // ---------------------------------------------------------------------------------------------
  // Actions out

  private execute(item: EngineAction): void {
    if (item.scope === 'group') {
      const group = this.plan?.config.syncGroups.find((g) => g.name === item.group);
      this.logger.info(
        { group: item.group, state: item.action.state },
        `sync group ${item.group} is ${item.action.state}`,
      );
      if (group)
        this.scripts?.notify(
          { subject: 'GROUP', name: item.group, state: item.action.state, priority: 0 },
          group.notify,
        );
      return;
    }
    const name = item.instance;
    const runtime = this.runtimes.get(name);
    if (!runtime) return;
    const { action } = item;
    switch (action.type) {
      case 'transition':
        this.onTransition(runtime, action.from, action.to, action.reason, action.priority);
        return;
      case 'sendAdvert':
        this.sendAdvert(runtime, action.advert);
        return;
      case 'addVips': {
        const vips = vipsByAddress(runtime.plan, action.addresses);
        this.onKernel(name, async () => {
          runtime.held = await this.resources.addAddresses(name, vips, runtime.plan.interfaceName);
          await this.resources.addRoutesAndRules(name, runtime.plan.routes, runtime.plan.rules);
        });
        return;
      }
      case 'removeVips': {
        const vips = vipsByAddress(runtime.plan, action.addresses);
        // Forget them first, so the kernel's RTM_DELADDR for our own removal is not "someone else".
        runtime.held = runtime.held.filter((v) => !vips.includes(v));
        this.onKernel(name, async () => {
          await this.resources.removeRoutesAndRules(name, runtime.plan.routes, runtime.plan.rules);
          await this.resources.removeAddresses(name, vips, runtime.plan.interfaceName);
        });
        return;
      }
      case 'sendGarp':
        this.queueGarp(runtime, action.addresses, action.count, action.intervalMs);
        return;
      case 'notify':
        if (action.scope === 'INSTANCE') {
          this.scripts?.notify(
            { subject: 'INSTANCE', name, state: action.state, priority: action.priority },
            runtime.plan.model.notify,
          );
        }
        return;
      case 'armTimer':
        this.timers.arm(name, action.timer, action.delayMs, action.generation);
        return;
      case 'cancelTimer':
        this.timers.cancel(name, action.timer);
        return;
      case 'log':
        this.logger[action.level]({ instance: name }, action.message);
        return;
    }
  }

  private onTransition(runtime: InstanceRuntime, from: string, to: string, reason: string, priority: number) {
    const name = runtime.plan.name;
    if (to === 'MASTER') runtime.counters.becameMaster++;
    if (from === 'MASTER') runtime.counters.releasedMaster++;
    runtime.lastTransition = { wallAt: this.adapters.wallNow(), reason };
    const instance = this.engine.get(name);
    this.logger.info(
      {
        event: 'transition',
        instance: name,
        from,
        to,
        reason,
        priority,
        master: instance?.masterAddress ?? null,
      },
      `(${name}) Entering ${to} STATE`,
    );
    this.receiver.reset();
    this.hooks.onTransition?.(name, from, to);
  }

  private sendAdvert(runtime: InstanceRuntime, advert: VrrpAdvert): void {
    const transport = this.transports.get(runtime.plan.interfaceName);
    const instance = this.engine.get(runtime.plan.name);
    if (!transport || !instance) return;
    const source = instance.config.primaryAddress;
    const destinations = runtime.plan.unicastPeers ?? [runtime.plan.multicastGroup];
    const v2Payload = advert.version === 2 ? encodeAdvert(advert) : null;
    for (const destination of destinations) {
      // RFC 5798 §5.2.8: the v3 checksum covers the real destination, so unicast needs one per peer.
      const payload = v2Payload ?? encodeAdvert(advert, { source, destination });
      transport.send(payload, destination, source);
    }
    runtime.counters.advertsTx++;
    if (advert.priority === 0) runtime.counters.priorityZeroTx++;
  }

  /**
   * `count` rounds of gratuitous ARPs, `intervalMs` apart (vrrp_garp_interval). Each round runs on
   * the instance's kernel chain, so the first one follows the addVips queued before it, and only
   * while the instance is still MASTER. The wait between rounds is a timer, not chain work: a
   * paced burst must not hold back the removal of the VIPs (lost election, SIGTERM), nor announce
   * them after they were given up.
   */
  private queueGarp(
    runtime: InstanceRuntime,
    addresses: readonly string[],
    count: number,
    intervalMs: number,
  ) {
    const vips = vipsByAddress(runtime.plan, addresses);
    const name = runtime.plan.name;
    const sendRounds = (remaining: number): void =>
      this.onKernel(name, async () => {
        if (this.runtimes.get(name) !== runtime || this.engine.get(name)?.state !== 'MASTER') return;
        const roundsNow = intervalMs > 0 ? 1 : remaining;
        for (let round = 0; round < roundsNow; round++) {
          for (const vip of vips) this.sendGarp(runtime, vip);
        }
        if (remaining <= roundsNow) return;
        const pacing = setTimeout(() => {
          this.garpPacing.delete(pacing);
          sendRounds(remaining - roundsNow);
        }, intervalMs);
        this.garpPacing.add(pacing);
      });
    sendRounds(count);
  }

  private sendGarp(runtime: InstanceRuntime, vip: VipSpec): void {
    const dev = vip.dev ?? runtime.plan.interfaceName;
    const result = this.adapters.garp.sendGratuitousArp(dev, vip.address);
    if (!result.ok) {
      this.logger.warn(
        { instance: runtime.plan.name, vip: vip.address, dev, err: result.error.message },
        'gratuitous ARP failed',
      );
    }
  }

  /** Runs kernel work for one instance after the work queued before it; never rejects. */
  private onKernel(name: string, work: () => Promise<void>): void {
    const runtime = this.runtimes.get(name);
    if (!runtime) return;
    runtime.kernelChain = runtime.kernelChain.then(work).catch((error: unknown) => {
      this.logger.error({ instance: name, err: errorMessage(error) }, 'kernel update failed');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Queries (control socket, metrics, sd_notify)

  instances(): Array<{ instance: Instance; runtime: Readonly<InstanceRuntime> }> {
    const result: Array<{ instance: Instance; runtime: InstanceRuntime }> = [];
    for (const [name, runtime] of this.runtimes) {
      const instance = this.engine.get(name);
      if (instance) result.push({ instance, runtime });
    }
    return result;
  }

  trackerStates() {
    return { scripts: this.scripts?.scriptStates() ?? [], files: this.scripts?.fileStates() ?? [] };
  }

  linkUsable(ifname: string): boolean | undefined {
    return this.links.has(ifname) ? this.isUsable(ifname) : undefined;
  }

  /** Counters since the last `stats --clear`; `clear` starts a new period. */
  stats(clear: boolean): { since: number; instances: Array<{ name: string; counters: InstanceCounters }> } {
    const since = this.statsSince;
    const instances = [...this.runtimes.values()].map((r) => ({
      name: r.plan.name,
      counters: countersSince(r.counters, r.statsBaseline),
    }));
    if (clear) {
      for (const runtime of this.runtimes.values()) runtime.statsBaseline = copyCounters(runtime.counters);
      this.statsSince = this.adapters.wallNow();
    }
    return { since, instances };
  }

  /** `vrrpctl garp INSTANCE`: one burst now, if the instance is MASTER. */
  resendGarp(name: string): { ok: boolean; error?: string } {
    const runtime = this.runtimes.get(name);
    const instance = this.engine.get(name);
    if (!runtime || !instance) return { ok: false, error: `no instance ${name}` };
    if (instance.state !== 'MASTER') return { ok: false, error: `${name} is ${instance.state}, not MASTER` };
    const garp = instance.config.garp;
    this.queueGarp(
      runtime,
      runtime.held.map((v) => v.address),
      garp.masterRepeat,
      garp.intervalMs,
    );
    return { ok: true };
  }
}

function vipsByAddress(plan: InstancePlan, addresses: readonly string[]): VipSpec[] {
  const all = [...plan.vips, ...plan.excludedVips];
  return addresses.map((a) => all.find((v) => v.address === a)).filter((v): v is VipSpec => v !== undefined);
}

function stripSources(list: ReadonlyArray<{ source: unknown }>): unknown[] {
  return list.map(({ source: _source, ...rest }) => rest);
}
