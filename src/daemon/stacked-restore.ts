// VMACs and ipvlans the kernel took away (keepalived vrrp_if.c recreate_vmac_thread and
// keepalived_netlink.c): deleting a base interface deletes the macvlans and ipvlans on it, and an
// admin may delete one by hand. Their instance is in FAULT while the link is missing or down (its
// addresses and adverts live there), unless dont_track_primary; the link is made again with its
// name, MAC and address as soon as its base exists — at once when only the stacked link went, when
// the base returns otherwise — and the links are then re-listed, which clears the FAULT and
// reopens the advert socket on the new interface.

import type { LinkInfo } from '../kernel/links.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import type { VrrpEvent } from '../vrrp/index.js';
import { interfaceFaultSource, type LinkEffects } from './link-watch.js';
import type { InstancePlan } from './plan.js';
import type { StackedLinkEntry } from './vmac-manager.js';

export interface StackedLinkOwner {
  stacked(): StackedLinkEntry[];
  restore(name: string): Promise<boolean>;
}

export interface StackedRestoreDeps {
  owner: StackedLinkOwner;
  /** Whether the kernel has an interface of that name (as last reported). */
  has(name: string): boolean;
  plans(): readonly InstancePlan[];
  dispatch(instance: string, event: VrrpEvent): void;
  /** Re-lists the links (and re-syncs the sockets) after a link was made again. */
  resync(): Promise<void>;
  stopping(): boolean;
  logger: Logger;
}

export class StackedRestore {
  /** Names being made again: one attempt at a time per link. */
  private readonly pending = new Set<string>();

  constructor(private readonly deps: StackedRestoreDeps) {}

  /** After LinkWatch took the notification: FAULT on or off, and a restore if one is due. */
  onLink(link: LinkInfo, removed: boolean, change: LinkEffects['change']): void {
    const { deps } = this;
    for (const entry of deps.owner.stacked()) {
      if (entry.name === link.name) {
        if (change?.name === link.name) this.fault(entry, change.usable);
        if (removed) {
          say(deps.logger, LOG.stackedLinkLost, {
            link: entry.name,
            base: entry.base,
            instance: entry.instance,
          });
          this.schedule(entry.name);
        }
      } else if (entry.base === link.name && !removed && !deps.has(entry.name)) {
        this.schedule(entry.name);
      }
    }
  }

  private fault(entry: StackedLinkEntry, usable: boolean): void {
    const plan = this.deps.plans().find((p) => p.name === entry.instance);
    if (!plan?.trackPrimary) return;
    this.deps.dispatch(entry.instance, {
      type: 'fault',
      source: interfaceFaultSource(entry.name),
      active: !usable,
    });
  }

  private schedule(name: string): void {
    if (this.pending.has(name) || this.deps.stopping()) return;
    this.pending.add(name);
    void this.restore(name).catch((error: unknown) =>
      say(this.deps.logger, LOG.vmacFailed, {
        vmac: name,
        base: '-',
        instance: '-',
        err: errorMessage(error),
      }),
    );
  }

  private async restore(name: string): Promise<void> {
    try {
      if (!(await this.deps.owner.restore(name))) return;
      const entry = this.deps.owner.stacked().find((e) => e.name === name);
      if (entry)
        say(this.deps.logger, LOG.stackedLinkRestored, {
          link: name,
          base: entry.base,
          instance: entry.instance,
        });
      await this.deps.resync();
    } finally {
      this.pending.delete(name);
    }
  }
}
