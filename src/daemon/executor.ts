// Actions out: what the pure core decided, carried out. Adverts go to the transports at once
// (the protocol's clock), kernel work (addresses, routes, GARP) goes on the instance's serial
// queue, notify scripts to the script side, timers to the timer service. Nothing here decides
// anything the core should; nothing here blocks.

import type { SyncGroupModel } from '../config/model/types.js';
import type { VrrpAdvert } from '../packet/types.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { KeyedTimers } from '../runtime/timers.js';
import type { GroupNotifyAction, TimerName, VrrpAction } from '../vrrp/index.js';
import type { EngineAction } from './engine.js';
import type { GarpPacer } from './garp-pacer.js';
import type { InstanceRuntime, InstanceTable } from './instance-table.js';
import { vipsByAddress } from './reload-diff.js';
import type { DaemonScripts } from './scripts.js';
import type { TransportSet } from './transports.js';
import type { VirtualResources } from './virtual-resources.js';
import { LOG, say } from '../runtime/messages.js';

export interface ExecutorDeps {
  table: InstanceTable;
  transports: TransportSet;
  resources: VirtualResources;
  garp: GarpPacer;
  /** The VRRP timers, keyed `instance\0timer`. */
  timers: KeyedTimers<string>;
  /** A timer armed by the core expired: feed it back to the core. */
  onTimer(instance: string, timer: TimerName, generation: number): void;
  scripts(): DaemonScripts | null;
  syncGroups(): readonly SyncGroupModel[];
  /** After every transition (drop log reset, hooks). */
  onTransition(instance: string, from: string, to: string): void;
  /** The instance let its addresses go (also the end of a planned release, which is no transition). */
  onVipsRemoved(instance: string): void;
  logger: Logger;
  clock: Clock;
}

export function timerKey(instance: string, timer: TimerName): string {
  return `${instance}\0${timer}`;
}

export class ActionExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  execute(item: EngineAction): void {
    if (item.scope === 'group') {
      this.groupNotify(item.action);
      return;
    }
    const runtime = this.deps.table.runtime(item.instance);
    if (runtime) this.instanceAction(runtime, item.action);
  }

  /** `count` GARP rounds for these addresses, while the instance stays MASTER. */
  garpBurst(runtime: InstanceRuntime, addresses: readonly string[], count: number, intervalMs: number): void {
    const { table } = this.deps;
    const name = runtime.plan.name;
    this.deps.garp.queue({
      runtime,
      vips: vipsByAddress(runtime.plan, addresses),
      count,
      intervalMs,
      stillWanted: () => table.runtime(name) === runtime && table.isMaster(name),
    });
  }

  private groupNotify({ name, state }: GroupNotifyAction): void {
    say(this.deps.logger, LOG.syncGroupState, { group: name, state });
    const model = this.deps.syncGroups().find((g) => g.name === name);
    if (model) this.deps.scripts()?.notify({ subject: 'GROUP', name, state, priority: 0 }, model.notify);
  }

  private instanceAction(runtime: InstanceRuntime, action: VrrpAction): void {
    const name = runtime.plan.name;
    switch (action.type) {
      case 'transition':
        this.transition(runtime, action.from, action.to, action.reason, action.priority);
        return;
      case 'sendAdvert':
        if (action.reason === 'become_master') {
          // Behind the addresses on the kernel queue (see enterMaster), then the GARPs behind it.
          const { table } = this.deps;
          runtime.kernel.push('advert', () => {
            if (table.runtime(name) === runtime && table.isMaster(name))
              this.sendAdvert(runtime, action.advert, action.to);
          });
          return;
        }
        this.sendAdvert(runtime, action.advert, action.to);
        return;
      case 'addVips': {
        const vips = vipsByAddress(runtime.plan, action.addresses);
        runtime.kernel.push('add virtual addresses', async () => {
          const { resources } = this.deps;
          runtime.held = await resources.addAddresses(name, vips, runtime.plan.interfaceName);
          await resources.addRoutesAndRules(name, runtime.plan.routes, runtime.plan.rules);
        });
        return;
      }
      case 'removeVips': {
        const vips = vipsByAddress(runtime.plan, action.addresses);
        // Forget them first, so the kernel's RTM_DELADDR for our own removal is not "someone else".
        runtime.held = runtime.held.filter((v) => !vips.includes(v));
        runtime.kernel.push('remove virtual addresses', async () => {
          const { resources } = this.deps;
          await resources.removeRoutesAndRules(name, runtime.plan.routes, runtime.plan.rules);
          await resources.removeAddresses(name, vips, runtime.plan.interfaceName);
        });
        this.deps.onVipsRemoved(name);
        return;
      }
      case 'sendGarp':
        this.garpBurst(runtime, action.addresses, action.count, action.intervalMs);
        return;
      case 'notify':
        if (action.scope === 'INSTANCE') {
          this.deps
            .scripts()
            ?.notify(
              { subject: 'INSTANCE', name, state: action.state, priority: action.priority },
              runtime.plan.model.notify,
            );
        }
        return;
      case 'armTimer': {
        const { timer, generation } = action;
        this.deps.timers.arm(timerKey(name, timer), action.delayMs, () =>
          this.deps.onTimer(name, timer, generation),
        );
        return;
      }
      case 'cancelTimer':
        this.deps.timers.cancel(timerKey(name, action.timer));
        return;
      case 'log':
        // The core writes the words (src/vrrp may not import the catalogue); the code marks them.
        say(this.deps.logger, LOG.instanceEvent, { instance: name, detail: action.message }, action.level);
        return;
    }
  }

  private transition(runtime: InstanceRuntime, from: string, to: string, reason: string, priority: number) {
    const name = runtime.plan.name;
    if (to === 'MASTER') runtime.counters.becameMaster++;
    if (from === 'MASTER') runtime.counters.releasedMaster++;
    runtime.lastTransition = { wallAt: this.deps.clock.wallNow(), reason };
    say(this.deps.logger, LOG.transition, {
      event: 'transition',
      instance: name,
      from,
      to,
      reason,
      priority,
      master: this.deps.table.value(name)?.masterAddress ?? null,
    });
    this.deps.onTransition(name, from, to);
  }

  private sendAdvert(runtime: InstanceRuntime, advert: VrrpAdvert, to?: string): void {
    const instance = this.deps.table.value(runtime.plan.name);
    if (!instance) return;
    if (!this.deps.transports.send(runtime, advert, instance.config.primaryAddress, to)) return;
    runtime.counters.advertsTx++;
    if (advert.priority === 0) runtime.counters.priorityZeroTx++;
  }
}
