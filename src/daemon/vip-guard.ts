// Someone deleted one of our virtual addresses while we are MASTER (README: "a VIP deleted by
// hand"). The notification may be stale — our own removal (FAULT, a lost election) read only after
// we added the address again — so the verdict is taken after the instance's queued kernel work, on
// what the kernel holds then. A tracked address makes the instance resign (priority 0) and
// re-elect; a `no_track` one is only logged.

import type { VipSpec } from '../config/model/types.js';
import type { InterfaceAddress } from '../kernel/addresses.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import type { VrrpEvent } from '../vrrp/index.js';
import type { InstanceRuntime, InstanceTable } from './instance-table.js';
import { LOG, say } from '../runtime/messages.js';

export const VIP_REMOVED_FAULT = 'vip_removed';

export interface VipGuardDeps {
  table: InstanceTable;
  indexOf(ifname: string): number | undefined;
  listAddresses(ifindex: number): Promise<InterfaceAddress[]>;
  dispatch(instance: string, event: VrrpEvent): void;
  logger: Logger;
}

export class VipGuard {
  constructor(private readonly deps: VipGuardDeps) {}

  onAddressRemoved(address: InterfaceAddress): void {
    const { table } = this.deps;
    for (const runtime of table.runtimeList()) {
      const isRemoved = (v: VipSpec) =>
        v.address === address.address &&
        this.deps.indexOf(v.dev ?? runtime.plan.interfaceName) === address.ifindex;
      if (!runtime.held.some(isRemoved)) continue;
      runtime.kernel.push('check removed address', async () => {
        if (table.runtime(runtime.plan.name) !== runtime) return;
        if (await this.present(address)) return;
        const vip = runtime.held.find(isRemoved);
        if (vip) this.onHeldVipRemoved(runtime, vip);
      });
    }
  }

  /** Whether the kernel holds the address now; if it cannot tell, the notification is believed. */
  private async present(address: InterfaceAddress): Promise<boolean> {
    try {
      const current = await this.deps.listAddresses(address.ifindex);
      return current.some((a) => a.address === address.address);
    } catch (error) {
      say(this.deps.logger, LOG.netlinkRelistFailed, { what: 'addresses', err: errorMessage(error) });
      return false;
    }
  }

  private onHeldVipRemoved(runtime: InstanceRuntime, vip: VipSpec): void {
    const { table, logger } = this.deps;
    runtime.held = runtime.held.filter((v) => v !== vip);
    const name = runtime.plan.name;
    if (!table.isMaster(name)) return;
    if (vip.noTrack) {
      say(logger, LOG.vipRemovedNoTrack, { instance: name, vip: vip.address });
      return;
    }
    say(logger, LOG.vipRemovedByOther, { instance: name, vip: vip.address });
    this.deps.dispatch(name, { type: 'fault', source: VIP_REMOVED_FAULT, active: true });
    this.deps.dispatch(name, { type: 'fault', source: VIP_REMOVED_FAULT, active: false });
  }
}
