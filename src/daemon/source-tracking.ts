// track_src_ip (keepalived vrrp.c): an instance with a configured source address (unicast_src_ip /
// mcast_src_ip / use_ipvlan's) is held in FAULT while that address is not on its interface (its
// ipvlan with use_ipvlan), and leaves FAULT when it comes back. Without track_src_ip the configured source is used whether
// present or not (keepalived's default, and vrrpd's). Pure: the daemon feeds it address lists and
// address events and dispatches the fault events it returns.

import type { InterfaceAddress } from '../kernel/addresses.js';
import type { VrrpEvent } from '../vrrp/index.js';
import type { InstancePlan } from './plan.js';

export const SOURCE_ADDRESS_FAULT = 'source_address_missing';

export interface SourceFault {
  instance: string;
  event: VrrpEvent;
}

function tracked(plan: InstancePlan): plan is InstancePlan & { configuredSource: string } {
  return plan.trackSource && plan.configuredSource !== null;
}

const fault = (instance: string, active: boolean): SourceFault => ({
  instance,
  event: { type: 'fault', source: SOURCE_ADDRESS_FAULT, active },
});

/** The state now, from a full address list (start-up, reload). */
export function sourceFaults(
  plans: readonly InstancePlan[],
  addresses: readonly InterfaceAddress[],
  indexOf: (ifname: string) => number | undefined,
): SourceFault[] {
  return plans.filter(tracked).map((plan) => {
    const ifindex = indexOf(plan.sourceInterface);
    const present = addresses.some((a) => a.ifindex === ifindex && a.address === plan.configuredSource);
    return fault(plan.name, !present);
  });
}

/** What one address event changes. */
export function sourceFaultsOnEvent(
  plans: readonly InstancePlan[],
  address: InterfaceAddress,
  removed: boolean,
  indexOf: (ifname: string) => number | undefined,
): SourceFault[] {
  return plans
    .filter(tracked)
    .filter((p) => p.configuredSource === address.address && indexOf(p.sourceInterface) === address.ifindex)
    .map((p) => fault(p.name, removed));
}
