// The running instances: the pure core's values (stepped by the Engine, alone or as sync groups)
// side by side with what the shell keeps for each one (its plan, counters, the addresses it holds,
// its kernel work queue). One place to look an instance up by name or by interface.

import type { VipSpec } from '../config/model/types.js';
import type { Logger } from '../runtime/log.js';
import { SerialQueue } from '../runtime/serial-queue.js';
import type { Instance, SyncGroupConfig, VrrpEvent } from '../vrrp/index.js';
import { newCounters, type InstanceCounters } from './counters.js';
import { Engine, type EngineAction } from './engine.js';
import type { InstancePlan } from './plan.js';
import { LOG, say } from '../runtime/messages.js';

export interface TransitionRecord {
  wallAt: number;
  reason: string;
}

/** The shell side of one instance: what the pure value does not hold. */
export interface InstanceRuntime {
  plan: InstancePlan;
  counters: InstanceCounters;
  statsBaseline: InstanceCounters;
  /** Virtual addresses we added and believe are present. */
  held: VipSpec[];
  lastTransition: TransitionRecord;
  /** Kernel work (addresses, routes, GARP) runs in order per instance, off the advert path. */
  readonly kernel: SerialQueue;
}

export class InstanceTable {
  private engine = new Engine([]);
  private readonly runtimes = new Map<string, InstanceRuntime>();

  constructor(private readonly logger: Logger) {}

  /** Adds (or replaces) an instance with a fresh runtime record. */
  add(plan: InstancePlan, instance: Instance, wallAt: number): InstanceRuntime {
    const runtime: InstanceRuntime = {
      plan,
      counters: newCounters(),
      statsBaseline: newCounters(),
      held: [],
      lastTransition: { wallAt, reason: 'init' },
      kernel: new SerialQueue((work, err) =>
        say(this.logger, LOG.kernelWorkFailed, { instance: plan.name, work, err }),
      ),
    };
    this.runtimes.set(plan.name, runtime);
    this.engine.replace(instance);
    return runtime;
  }

  remove(name: string): void {
    this.runtimes.delete(name);
    this.engine.remove(name);
  }

  /** Swaps an instance's core value (a reload of an unchanged instance keeps its state). */
  replaceValue(instance: Instance): void {
    this.engine.replace(instance);
  }

  setGroups(groups: readonly SyncGroupConfig[]): void {
    this.engine.setGroups(groups);
  }

  /** Steps the core; what comes out is for the executor. A core bug throws: the caller logs it. */
  step(name: string, event: VrrpEvent, now: number): EngineAction[] {
    return this.runtimes.has(name) ? this.engine.dispatch(name, event, now) : [];
  }

  has(name: string): boolean {
    return this.runtimes.has(name);
  }

  runtime(name: string): InstanceRuntime | undefined {
    return this.runtimes.get(name);
  }

  value(name: string): Instance | undefined {
    return this.engine.get(name);
  }

  names(): string[] {
    return [...this.runtimes.keys()];
  }

  runtimeList(): InstanceRuntime[] {
    return [...this.runtimes.values()];
  }

  /** The core values, in configuration order. */
  values(): Instance[] {
    return this.entries().map((e) => e.instance);
  }

  /** Every instance with its core value, in configuration order. */
  entries(): Array<{ instance: Instance; runtime: InstanceRuntime }> {
    const result: Array<{ instance: Instance; runtime: InstanceRuntime }> = [];
    for (const [name, runtime] of this.runtimes) {
      const instance = this.engine.get(name);
      if (instance) result.push({ instance, runtime });
    }
    return result;
  }

  onInterface(ifname: string): InstanceRuntime[] {
    return this.runtimeList().filter((r) => r.plan.interfaceName === ifname);
  }

  isMaster(name: string): boolean {
    return this.engine.get(name)?.state === 'MASTER';
  }

  /** Resolves when every instance's queued kernel work has finished. */
  async kernelIdle(): Promise<void> {
    await Promise.all(this.runtimeList().map((r) => r.kernel.idle()));
  }
}
