// What the daemon decides, purely, when it adds instances (start, reload): the core value an
// instance starts from, with the source address its adverts leave from (source-address.ts), and
// the addresses a previous run killed with SIGKILL left behind.

import type { VipSpec } from '../config/model/types.js';
import type { InterfaceAddress } from '../kernel/addresses.js';
import { createInstance, type Instance } from '../vrrp/index.js';
import type { InstancePlan } from './plan.js';
import { advertSourceOf, NO_ADDRESS } from './source-address.js';

type IndexOf = (ifname: string) => number | undefined;

/** Every address an instance puts up (virtual_ipaddress and _excluded). */
function vipsOf(plan: InstancePlan): VipSpec[] {
  return [...plan.vips, ...plan.excludedVips];
}

/**
 * keepalived's / RFC 5798's choice of source among `addresses`: never one of the configuration's
 * own virtual addresses (any instance's).
 */
export function sourceFor(
  plan: InstancePlan,
  addresses: readonly InterfaceAddress[],
  allPlans: readonly InstancePlan[],
  indexOf: IndexOf,
): string | null {
  const ours = new Set(allPlans.flatMap(vipsOf).map((v) => v.address));
  return advertSourceOf(plan.family, indexOf(plan.sourceInterface), addresses, ours);
}

/** The core value an instance starts from; without a source it holds the placeholder (FAULT). */
export function initialInstance(plan: InstancePlan, source: string | null): Instance {
  return createInstance({ ...plan.core, primaryAddress: source ?? NO_ADDRESS[plan.family] });
}

/** Per instance, its virtual addresses already on their interfaces (a previous run's leftovers). */
export function leftoverVips(
  plans: readonly InstancePlan[],
  addresses: readonly InterfaceAddress[],
  indexOf: IndexOf,
): Array<{ plan: InstancePlan; stale: VipSpec[] }> {
  return plans
    .map((plan) => ({
      plan,
      stale: vipsOf(plan).filter((vip) => {
        const ifindex = indexOf(vip.dev ?? plan.interfaceName);
        return addresses.some((a) => a.ifindex === ifindex && a.address === vip.address);
      }),
    }))
    .filter(({ stale }) => stale.length > 0);
}
