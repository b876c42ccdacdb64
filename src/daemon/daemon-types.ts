// What the daemon is built from (its adapters to the kernel and the clock), what it tells its
// owner (hooks), and how it stops: daemon.ts's outward types, kept apart from its loop.

import type { GarpSender } from '../kernel/garp.js';
import type { KernelEventSource } from '../kernel/netlink-events.js';
import type { KernelNetlink } from '../kernel/netlink.js';
import type { NeighborAdvertSender } from '../kernel/neighbor-advert.js';
import type { Sysctls } from '../kernel/sysctl.js';
import type { AdvertTransport, AdvertTransportOptions } from '../kernel/transport.js';
import type { AdvertTransport6, AdvertTransport6Options } from '../kernel/transport6.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { Timers } from '../runtime/timers.js';
import type { ProcessTrackingOptions } from './scripts.js';

export interface DaemonAdapters extends Clock {
  logger: Logger;
  netlink: KernelNetlink;
  events: KernelEventSource | null;
  openTransport(options: AdvertTransportOptions): AdvertTransport;
  /** IPv6 adverts (native addon); absent where it cannot run: IPv6 instances then stay in FAULT. */
  openTransport6?(options: AdvertTransport6Options): AdvertTransport6;
  /** Unsolicited Neighbor Advertisements for IPv6 VIPs (the IPv6 counterpart of `garp`). */
  neighborAdverts?: NeighborAdvertSender;
  garp: GarpSender;
  /** Defaults to the system's timers (tests may pass a manual one). */
  timers?: Timers;
  /** Where runtime holds and priority overrides persist (runtime-state.json); none when absent. */
  stateDir?: string;
  /** How vrrp_track_process watches processes (default: the process connector, else /proc polling). */
  processTracking?: ProcessTrackingOptions;
  /** The kernel parameters set around VMACs (default /proc/sys of the daemon's namespace). */
  sysctls?: Sysctls;
}

export interface StopOptions {
  /** Budget for notify scripts still queued at stop. */
  notifyBudgetMs?: number;
  /** The RFC's immediate release instead of make-before-break. */
  immediate?: boolean;
}

export interface DaemonHooks {
  /** After every instance transition (sd_notify STATUS, uplink module). */
  onTransition?(instance: string, from: string, to: string): void;
  /**
   * An instance let its virtual addresses go: with a planned release that happens after its
   * transition, once the new master is heard (uplink module: make-before-break).
   */
  onVipsRemoved?(instance: string): void;
}
