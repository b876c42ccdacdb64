// Kernel notifications → VRRP events. Link changes go through LinkWatch (interface faults and the
// trackers to re-evaluate), address changes to the VIP guard (a VIP someone deleted), the static
// entries, track_src_ip, and to the instances still waiting for a source address. An overrun of
// the netlink socket re-lists the links, so no transition is missed.

import type { InstancePlan } from './plan.js';
import type { InterfaceAddress } from '../kernel/addresses.js';
import type { KernelEvent } from '../kernel/netlink-events.js';
import type { LinkInfo } from '../kernel/links.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import { reconfigure, type VrrpEvent } from '../vrrp/index.js';
import type { InstanceTable } from './instance-table.js';
import type { LinkWatch } from './link-watch.js';
import { hasNoSource, NO_ADDRESS_FAULT } from './source-address.js';
import { sourceFaultsOnEvent } from './source-tracking.js';
import type { StaticEntriesManager } from './static-entries.js';
import type { VipGuard } from './vip-guard.js';
import { StackedRestore, type StackedLinkOwner } from './stacked-restore.js';

export interface KernelWatchDeps {
  table: InstanceTable;
  links: LinkWatch;
  vipGuard: VipGuard;
  statics: StaticEntriesManager;
  listLinks(): Promise<LinkInfo[]>;
  logger: Logger;
  /** While stopping, removed static entries are not put back. */
  stopping(): boolean;
  dispatch(instance: string, event: VrrpEvent): void;
  /** Re-evaluates every tracker of an instance (an interface it tracks changed). */
  retrack(instance: string): void;
  /** The source an instance would take from these addresses (source-address.ts), or null. */
  sourceOf(plan: InstancePlan, addresses: readonly InterfaceAddress[]): string | null;
  /** Some instances found a source address: their sockets open. */
  sourcesFound(): void;
  /** The VMACs and ipvlans, made again when the kernel deletes them (stacked-restore.ts). */
  stacked?: StackedLinkOwner;
}

export class KernelWatch {
  readonly stacked: StackedRestore | null;

  constructor(private readonly deps: KernelWatchDeps) {
    this.stacked = deps.stacked
      ? new StackedRestore({
          owner: deps.stacked,
          has: (name) => deps.links.get(name) !== undefined,
          plans: () => deps.table.runtimeList().map((r) => r.plan),
          dispatch: deps.dispatch,
          resync: () => this.resyncLinks(),
          stopping: deps.stopping,
          logger: deps.logger,
        })
      : null;
  }

  onEvent(event: KernelEvent): void {
    const { deps } = this;
    switch (event.kind) {
      case 'link':
        this.onLink(event.link, event.removed);
        return;
      case 'address':
        if (event.removed) {
          deps.vipGuard.onAddressRemoved(event.address);
          if (!deps.stopping()) void deps.statics.onAddressRemoved(event.address);
        } else this.onAddressAdded(event.address);
        for (const { instance, event: fault } of sourceFaultsOnEvent(
          deps.table.runtimeList().map((r) => r.plan),
          event.address,
          event.removed,
          (name) => deps.links.indexOf(name),
        ))
          deps.dispatch(instance, fault);
        return;
      case 'overrun':
        say(deps.logger, LOG.netlinkOverrun);
        void this.resyncLinks();
        return;
      case 'error':
        say(deps.logger, LOG.netlinkError, { err: event.error.message });
        return;
    }
  }

  private async resyncLinks(): Promise<void> {
    try {
      for (const link of await this.deps.listLinks()) this.onLink(link, false);
    } catch (error) {
      say(this.deps.logger, LOG.netlinkRelistFailed, { what: 'interfaces', err: errorMessage(error) });
    }
  }

  private onLink(link: LinkInfo, removed: boolean): void {
    const { deps } = this;
    const before = deps.links.indexOf(link.name);
    const plans = deps.table.runtimeList().map((r) => r.plan);
    const effects = deps.links.update(link, removed, plans);
    // An interface made again has a new ifindex: sockets bound to the old one hear nothing, so
    // they are reopened (before any FAULT clears and the instance sends).
    if (!removed && before !== link.ifindex && plans.some((p) => p.sendInterface === link.name))
      deps.sourcesFound();
    this.stacked?.onLink(link, removed, effects.change);
    if (!effects.change) return;
    const { name, usable } = effects.change;
    say(deps.logger, LOG.interfaceState, { interface: name, usable, state: usable ? 'up' : 'down' });
    for (const { instance, event } of effects.events) deps.dispatch(instance, event);
    for (const instance of effects.retrack) deps.retrack(instance);
  }

  /**
   * An address appeared (or left DAD's tentative state): an instance that had no source address
   * on that interface takes it, leaves its no-address FAULT, and its socket opens. Typical for
   * IPv6, whose link-local address is tentative for a second or two after the link comes up.
   */
  private onAddressAdded(address: InterfaceAddress): void {
    const { deps } = this;
    let changed = false;
    for (const { instance, runtime } of deps.table.entries()) {
      const { plan } = runtime;
      if (plan.configuredSource !== null || !hasNoSource(instance.config.primaryAddress, plan.family))
        continue;
      if (deps.links.indexOf(plan.sourceInterface) !== address.ifindex) continue;
      const source = deps.sourceOf(plan, [address]);
      if (!source) continue;
      deps.table.replaceValue(reconfigure(instance, { ...plan.core, primaryAddress: source }));
      say(deps.logger, LOG.sourceAddressFound, {
        instance: plan.name,
        interface: plan.interfaceName,
        source,
      });
      changed = true;
    }
    if (!changed) return;
    deps.sourcesFound();
    for (const { instance, runtime } of deps.table.entries()) {
      if (!hasNoSource(instance.config.primaryAddress, runtime.plan.family)) {
        deps.dispatch(runtime.plan.name, { type: 'fault', source: NO_ADDRESS_FAULT, active: false });
      }
    }
  }
}
