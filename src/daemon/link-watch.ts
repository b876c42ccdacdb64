// The interfaces as the kernel reports them, and what their changes mean to VRRP: the table of
// links (name → ifindex, usable or not), fed by listings and link notifications, turned into the
// core's events — FAULT on or off for instances whose own interface changed (unless
// dont_track_primary), and the instances whose track_interface trackers must be re-evaluated.

import { LinkStateTracker } from '../kernel/link-state.js';
import { linkIsUsable, type LinkInfo } from '../kernel/links.js';
import type { VrrpEvent } from '../vrrp/index.js';
import type { InstancePlan } from './plan.js';

export interface LinkEffects {
  /** What changed, for the log; null when usability did not change. */
  change: { name: string; usable: boolean } | null;
  /** Core events to dispatch, in order. */
  events: Array<{ instance: string; event: VrrpEvent }>;
  /** Instances whose tracker states must be recomputed. */
  retrack: string[];
}

export const NO_LINK_EFFECTS: LinkEffects = Object.freeze({ change: null, events: [], retrack: [] });

export function interfaceFaultSource(ifname: string): string {
  return `interface:${ifname}`;
}

export class LinkWatch {
  private readonly links = new Map<string, LinkInfo>();
  private readonly state = new LinkStateTracker();

  /** Replaces the table with a full listing, without producing transitions (start). */
  seed(links: readonly LinkInfo[]): void {
    this.links.clear();
    for (const link of links) this.links.set(link.name, link);
    this.state.seed([...links]);
  }

  get(name: string): LinkInfo | undefined {
    return this.links.get(name);
  }

  indexOf(name: string): number | undefined {
    return this.links.get(name)?.ifindex;
  }

  isUsable(name: string): boolean {
    const link = this.links.get(name);
    return link !== undefined && linkIsUsable(link);
  }

  /** undefined for an interface the kernel does not have. */
  usability(name: string): boolean | undefined {
    return this.links.has(name) ? this.isUsable(name) : undefined;
  }

  /** One link notification (or a re-listed link) → what it means for the running instances. */
  update(link: LinkInfo, removed: boolean, plans: readonly InstancePlan[]): LinkEffects {
    if (removed) this.links.delete(link.name);
    else this.links.set(link.name, link);
    const change = this.state.update(link, removed);
    if (!change) return NO_LINK_EFFECTS;
    const events: LinkEffects['events'] = [];
    const retrack: string[] = [];
    for (const plan of plans) {
      if (plan.interfaceName === change.name && plan.trackPrimary) {
        events.push({
          instance: plan.name,
          event: { type: 'fault', source: interfaceFaultSource(change.name), active: !change.usable },
        });
      }
      if (plan.trackers.some((t) => t.kind === 'interface' && t.name === change.name))
        retrack.push(plan.name);
    }
    return { change: { name: change.name, usable: change.usable }, events, retrack };
  }
}
