// The uplink groups as run.ts sees them: started after the VRRP instances, told about every
// transition, reloaded with the configuration, stopped on SIGTERM. Owns its own rtnetlink
// socket (opened only once a configuration has an uplink_group), so route and rule requests of
// the uplink module never queue behind the daemon's address work.

import type { FailedUplinkGroup, LoadedUplinkGroup } from '../../config/netgwm/types.js';
import { openKernelNetlink, type KernelNetlink } from '../../kernel/netlink.js';
import { watchRoutes } from '../../kernel/route-watch.js';
import type { VrrpView } from '../../uplink/vrrp-follow.js';
import type { Daemon } from '../daemon.js';
import type { UplinkSnapshot } from '../status.js';
import type { UplinkManagerDeps } from './manager.js';
import { UplinkGroups } from './uplink-groups.js';
import type { Logger } from '../../runtime/log.js';
import type { VrrpState } from '../../vrrp/types.js';
import type { UplinkPinResult } from '../../control/status-types.js';

/** Instance states and sync-group membership as the daemon holds them right now. */
export function vrrpViewOf(daemon: Daemon): VrrpView {
  const instances = new Map<string, VrrpState>();
  const syncGroups = new Map<string, string[]>();
  const releasing = new Set<string>();
  for (const { instance } of daemon.instances()) {
    instances.set(instance.config.name, instance.state);
    if (instance.releasing) releasing.add(instance.config.name);
    const group = instance.config.syncGroup;
    if (group) syncGroups.set(group, [...(syncGroups.get(group) ?? []), instance.config.name]);
  }
  return { instances, syncGroups, releasing };
}

export interface DaemonUplinksOptions {
  logger: Logger;
  vrrpView: () => VrrpView;
  /** Tests replace the kernel and the rest of the managers' I/O; the daemon leaves it. */
  deps?: UplinkManagerDeps;
}

export class DaemonUplinks {
  private groups: UplinkGroups | null = null;
  private netlink: KernelNetlink | null = null;

  constructor(private readonly options: DaemonUplinksOptions) {}

  /** Starts (or, when already running, reloads to) these groups; `failed` ones are shown in error. */
  async apply(
    groups: readonly LoadedUplinkGroup[],
    failed: readonly FailedUplinkGroup[] = [],
  ): Promise<void> {
    if (this.groups) {
      await this.groups.reload(groups, failed);
      return;
    }
    if (groups.length === 0 && failed.length === 0) return;
    let deps = this.options.deps;
    if (!deps) {
      this.netlink = openKernelNetlink();
      deps = { kernel: this.netlink, watchRoutes };
    }
    this.groups = new UplinkGroups({ logger: this.options.logger, deps, vrrpView: this.options.vrrpView });
    await this.groups.start(groups, failed);
  }

  /** After every VRRP transition, and when a planned release lets its addresses go. */
  followVrrp(): void {
    this.groups?.followVrrp();
  }

  snapshot(): UplinkSnapshot {
    if (!this.groups) return { uplinks: [], uplinkGroups: [] };
    return { uplinks: this.groups.status(), uplinkGroups: this.groups.groupStatus() };
  }

  /** `vrrpctl uplink pin`. */
  pin(group: string | undefined, gateway: string | null): Promise<UplinkPinResult> {
    if (!this.groups) return Promise.resolve({ ok: false, error: 'no uplink_group is configured' });
    return this.groups.pin(group, gateway);
  }

  async stop(): Promise<void> {
    await this.groups?.stop();
    this.netlink?.close();
    this.netlink = null;
  }
}
