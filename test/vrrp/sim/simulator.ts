// A deterministic discrete-event simulation of routers running the real VRRP state machine on a
// shared LAN. Adverts travel as the IPv4 packets the real codecs produce, and each receiver runs
// them through the daemon's validation ladder with the daemon's per-instance expectations
// (receive-path.ts); timers, deliveries and scripted faults sit in one priority queue on a
// virtual clock.
//
// Faithfulness choices:
//  - Timer cancellation is *not* honoured by the queue: every armed timer eventually fires, and
//    the instance must ignore the stale ones by generation. This is stricter than a real daemon.
//  - A crash models the host dying: its VIPs leave the LAN with it and its state is lost; restart
//    builds fresh instances from the configuration. A stop is a graceful keepalived shutdown.
//  - Every run is bounded: past maxTimeMs or maxEvents the simulation throws.

import { VRRP_MULTICAST_GROUP4 } from '../../../src/packet/vrrp.js';
import type { VrrpAdvert } from '../../../src/packet/types.js';
import {
  createInstance,
  createSyncGroup,
  step,
  stepSyncGroup,
  type Instance,
  type InstanceConfig,
  type InstanceConfigInput,
  type SyncGroup,
  type SyncGroupConfig,
  type TimerName,
  type VrrpAction,
  type VrrpEvent,
  type VrrpState,
} from '../../../src/vrrp/index.js';
import { advertPacket, ReceivingInterface } from '../receive-path.js';
import { EventQueue } from './event-queue.js';
import { plansFor } from './instance-plans.js';
import { Lan } from './lan.js';
import { Prng } from './prng.js';
import type { SimRecords } from './records.js';

export interface RouterSpec {
  readonly name: string;
  readonly address: string;
  /** primaryAddress defaults to the router's address. */
  readonly instances: readonly (Omit<InstanceConfigInput, 'primaryAddress'> & { primaryAddress?: string })[];
  readonly syncGroups?: readonly SyncGroupConfig[];
}

export interface SimOptions {
  readonly routers: readonly RouterSpec[];
  readonly seed?: number;
  readonly delayMs?: number;
  readonly maxTimeMs: number;
  readonly maxEvents: number;
}

type QueueItem =
  | {
      readonly kind: 'timer';
      readonly router: string;
      readonly epoch: number;
      readonly instance: string;
      readonly timer: TimerName;
      readonly generation: number;
    }
  | {
      readonly kind: 'deliver';
      readonly from: string;
      readonly to: string;
      /** The whole IPv4 packet, as a raw VRRP socket receives it. */
      readonly packet: Buffer;
    }
  | { readonly kind: 'control'; readonly label: string; readonly run: () => void };

interface Router {
  readonly spec: RouterSpec;
  /** Its one LAN interface as the daemon's receiver sees it, built from the daemon's plans. */
  readonly receiver: ReceivingInterface;
  up: boolean;
  /** Incremented on crash/stop so timers of a previous life are dropped. */
  epoch: number;
  instances: Record<string, Instance>;
  groups: Record<string, SyncGroup>;
  /** VIPs configured on the router's interface, per instance that added them. */
  readonly vips: Map<string, ReadonlySet<string>>;
}

export class Simulator {
  now = 0;
  events = 0;
  readonly lan: Lan;
  readonly records: SimRecords = {
    transitions: [],
    adverts: [],
    received: [],
    garps: [],
    notifies: [],
    logs: [],
    drops: [],
    timerArms: [],
    staleTimers: 0,
  };
  private readonly queue = new EventQueue<QueueItem>();
  private readonly routers = new Map<string, Router>();
  private readonly checks: ((sim: Simulator) => void)[] = [];
  private readonly maxTimeMs: number;
  private readonly maxEvents: number;

  constructor(options: SimOptions) {
    this.lan = new Lan(new Prng(options.seed ?? 1), options.delayMs ?? 1);
    this.maxTimeMs = options.maxTimeMs;
    this.maxEvents = options.maxEvents;
    for (const spec of options.routers) {
      if (this.routers.has(spec.name)) throw new Error(`duplicate router ${spec.name}`);
      const receiver = new ReceivingInterface(plansFor(spec.instances.map((i) => configOf(spec, i))));
      this.routers.set(spec.name, {
        spec,
        receiver,
        up: false,
        epoch: 0,
        instances: {},
        groups: {},
        vips: new Map(),
      });
    }
  }

  // --- scripting ----------------------------------------------------------------------------

  /** Runs `run` at virtual time `at` (ordered with the other events due then). */
  at(at: number, label: string, run: () => void): void {
    if (at < this.now) throw new Error(`cannot schedule ${label} in the past (${at} < ${this.now})`);
    this.queue.push(at, { kind: 'control', label, run });
  }

  /** Registers a check run after every processed event (invariants). */
  afterEach(check: (sim: Simulator) => void): void {
    this.checks.push(check);
  }

  routerNames(): string[] {
    return [...this.routers.keys()];
  }

  instanceNames(router: string): string[] {
    return this.router(router).spec.instances.map((i) => i.name);
  }

  isUp(router: string): boolean {
    return this.router(router).up;
  }

  /** Powers the router on: fresh instances, then `startup` to each. */
  start(name: string): void {
    const router = this.router(name);
    if (router.up) throw new Error(`${name} is already up`);
    router.up = true;
    router.instances = {};
    router.groups = {};
    router.vips.clear();
    for (const input of router.spec.instances) {
      const instance = createInstance(inputOf(router.spec, input));
      router.instances[instance.config.name] = instance;
    }
    for (const group of router.spec.syncGroups ?? []) router.groups[group.name] = createSyncGroup(group);
    for (const instance of Object.keys(router.instances))
      this.dispatch(router, instance, { type: 'startup' });
  }

  /** The host dies: no goodbye, VIPs gone, pending timers void. */
  crash(name: string): void {
    const router = this.router(name);
    router.up = false;
    router.epoch++;
    router.vips.clear();
  }

  /**
   * Graceful stop as keepalived (and the RFC) does it: each instance shuts down (priority 0, VIPs
   * released at once), then off. vrrpd's make-before-break stop is covered by the step and daemon
   * tests (the simulated host would have to stay up until the release ends).
   */
  stop(name: string): void {
    const router = this.router(name);
    for (const instance of Object.keys(router.instances))
      this.dispatch(router, instance, { type: 'shutdown', immediate: true });
    router.up = false;
    router.epoch++;
  }

  restart(name: string): void {
    if (this.router(name).up) this.crash(name);
    this.start(name);
  }

  /** Feeds an event to one instance now (fault, tracker…). */
  inject(name: string, instance: string, event: VrrpEvent): void {
    const router = this.router(name);
    if (!router.up) throw new Error(`${name} is down`);
    this.dispatch(router, instance, event);
  }

  /** A speaker that is not one of our routers (e.g. a foreign VRRP router) sends an advert. */
  sendForeign(fromAddress: string, advert: VrrpAdvert): void {
    this.broadcast(`foreign:${fromAddress}`, fromAddress, advert);
  }

  // --- running ------------------------------------------------------------------------------

  run(untilMs: number): void {
    if (untilMs > this.maxTimeMs) throw new Error(`run to ${untilMs} ms exceeds maxTimeMs ${this.maxTimeMs}`);
    for (;;) {
      const next = this.queue.peekTime();
      if (next === undefined || next > untilMs) break;
      const entry = this.queue.pop()!;
      if (++this.events > this.maxEvents)
        throw new Error(`more than ${this.maxEvents} events by ${entry.at} ms`);
      this.now = entry.at;
      this.process(entry.item);
      for (const check of this.checks) check(this);
    }
    this.now = untilMs;
  }

  // --- observations -------------------------------------------------------------------------

  instance(router: string, instance: string): Instance {
    const found = this.router(router).instances[instance];
    if (!found) throw new Error(`${router} has no instance ${instance}`);
    return found;
  }

  state(router: string, instance: string): VrrpState {
    const r = this.router(router);
    return r.up ? this.instance(router, instance).state : 'INIT';
  }

  /** Routers (up) whose instance is MASTER. */
  masters(instance: string): string[] {
    return [...this.routers.values()]
      .filter((r) => r.up && r.instances[instance]?.state === 'MASTER')
      .map((r) => r.spec.name);
  }

  /** Routers currently holding a virtual address. */
  vipHolders(vip: string): string[] {
    return [...this.routers.values()]
      .filter((r) => [...r.vips.values()].some((set) => set.has(vip)))
      .map((r) => r.spec.name);
  }

  /** VIPs one instance of a router currently holds. */
  heldVips(router: string, instance: string): readonly string[] {
    return [...(this.router(router).vips.get(instance) ?? [])];
  }

  // --- internals ----------------------------------------------------------------------------

  private router(name: string): Router {
    const router = this.routers.get(name);
    if (!router) throw new Error(`no router ${name}`);
    return router;
  }

  private process(item: QueueItem): void {
    switch (item.kind) {
      case 'control':
        item.run();
        return;
      case 'timer': {
        const router = this.router(item.router);
        if (!router.up || router.epoch !== item.epoch) return;
        const armed = router.instances[item.instance]?.timers[item.timer];
        if (armed?.generation !== item.generation) this.records.staleTimers++;
        this.dispatch(router, item.instance, {
          type: 'timer',
          timer: item.timer,
          generation: item.generation,
        });
        return;
      }
      case 'deliver':
        this.deliver(item.from, item.to, item.packet);
        return;
    }
  }

  private dispatch(router: Router, instanceName: string, event: VrrpEvent): void {
    const instance = router.instances[instanceName];
    if (!instance) throw new Error(`${router.spec.name} has no instance ${instanceName}`);
    const groupName = instance.config.syncGroup;
    if (groupName === null) {
      const result = step(instance, event, this.now);
      router.instances[instanceName] = result.instance;
      for (const action of result.actions) this.execute(router, instanceName, action);
      return;
    }
    const group = router.groups[groupName];
    if (!group) throw new Error(`${router.spec.name} has no sync group ${groupName}`);
    const result = stepSyncGroup(group, router.instances, instanceName, event, this.now);
    router.groups[groupName] = result.group;
    router.instances = { ...result.instances };
    for (const tagged of result.actions) {
      if (tagged.scope === 'group') {
        this.records.notifies.push({ at: this.now, router: router.spec.name, ...tagged.action });
      } else {
        this.execute(router, tagged.instance, tagged.action);
      }
    }
  }

  private execute(router: Router, instance: string, action: VrrpAction): void {
    const at = this.now;
    const name = router.spec.name;
    switch (action.type) {
      case 'transition':
        this.records.transitions.push({
          at,
          router: name,
          instance,
          from: action.from,
          to: action.to,
          reason: action.reason,
        });
        return;
      case 'sendAdvert':
        this.records.adverts.push({
          at,
          router: name,
          instance,
          vrid: action.advert.vrid,
          priority: action.advert.priority,
          reason: action.reason,
        });
        this.broadcast(name, router.instances[instance]!.config.primaryAddress, action.advert);
        return;
      case 'addVips':
        router.vips.set(instance, new Set(action.addresses));
        return;
      case 'removeVips':
        router.vips.delete(instance);
        return;
      case 'sendGarp':
        this.records.garps.push({ at, router: name, instance, count: action.count, reason: action.reason });
        return;
      case 'notify':
        this.records.notifies.push({ at, router: name, ...action });
        return;
      case 'armTimer':
        this.records.timerArms.push({
          at,
          router: name,
          instance,
          timer: action.timer,
          delayMs: action.delayMs,
        });
        this.queue.push(at + action.delayMs, {
          kind: 'timer',
          router: name,
          epoch: router.epoch,
          instance,
          timer: action.timer,
          generation: action.generation,
        });
        return;
      case 'cancelTimer':
        // Deliberately left in the queue: the instance must ignore it (see file comment).
        return;
      case 'log':
        this.records.logs.push({ at, router: name, instance, level: action.level, message: action.message });
        return;
    }
  }

  private broadcast(from: string, sourceAddress: string, advert: VrrpAdvert): void {
    const packet = advertPacket(advert, { source: sourceAddress, destination: VRRP_MULTICAST_GROUP4 });
    for (const to of this.routers.keys()) {
      if (to === from) continue; // IP_MULTICAST_LOOP is off: a router does not hear itself
      if (this.lan.drops(from, to)) {
        this.records.drops.push({ at: this.now, from, to, why: 'loss' });
        continue;
      }
      this.queue.push(this.now + this.lan.delay(from, to), { kind: 'deliver', from, to, packet });
    }
  }

  private deliver(from: string, to: string, packet: Buffer): void {
    const router = this.router(to);
    if (!router.up) return;
    if (!this.lan.connected(from, to)) {
      this.records.drops.push({ at: this.now, from, to, why: 'partition' });
      return;
    }
    const verdict = router.receiver.receive(packet);
    if (!verdict.ok) {
      this.records.drops.push({ at: this.now, from, to, why: verdict.reason });
      return;
    }
    const { advert, instanceKey: name } = verdict;
    const source = verdict.ip.source;
    this.records.received.push({
      at: this.now,
      router: to,
      instance: name,
      from: source,
      priority: advert.priority,
    });
    this.dispatch(router, name, { type: 'advert', advert, source });
  }
}

type InstanceSpec = RouterSpec['instances'][number];

function inputOf(router: RouterSpec, input: InstanceSpec): InstanceConfigInput {
  return { ...input, primaryAddress: input.primaryAddress ?? router.address };
}

function configOf(router: RouterSpec, input: InstanceSpec): InstanceConfig {
  return createInstance(inputOf(router, input)).config;
}
