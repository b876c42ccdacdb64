// Turns the stream of link notifications into up/down transitions. The kernel sends
// RTM_NEWLINK for many reasons (MTU, statistics, promiscuity); only a change of usability
// (admin UP and RUNNING, see links.ts) matters to VRRP. Pure: no sockets, no clock.

import { linkIsUsable, type LinkInfo } from './links.js';

export interface LinkTransition {
  ifindex: number;
  name: string;
  usable: boolean;
}

export class LinkStateTracker {
  private readonly usableByIndex = new Map<number, boolean>();

  /** Records the current state (from a listing) without producing transitions. */
  seed(links: LinkInfo[]): void {
    for (const link of links) this.usableByIndex.set(link.ifindex, linkIsUsable(link));
  }

  /** The transition this notification causes, or undefined if usability did not change. */
  update(link: LinkInfo, removed: boolean): LinkTransition | undefined {
    const usable = !removed && linkIsUsable(link);
    const before = this.usableByIndex.get(link.ifindex);
    if (removed) this.usableByIndex.delete(link.ifindex);
    else this.usableByIndex.set(link.ifindex, usable);
    // An interface we had never seen is reported once, whichever its state.
    if (before === usable) return undefined;
    return { ifindex: link.ifindex, name: link.name, usable };
  }

  isUsable(ifindex: number): boolean | undefined {
    return this.usableByIndex.get(ifindex);
  }
}
