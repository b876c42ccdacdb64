// Faults the configuration itself imposes: keepalived's unicast_fault_no_peer on an instance
// without unicast peers holds it in FAULT for as long as it runs (vrrp.c counts a config fault,
// which nothing clears until a reload builds the instance again). Pure: the daemon dispatches the
// events at start and at reload (a kept instance whose configuration no longer asks for it leaves).

import type { InstancePlan } from './plan.js';
import type { SourceFault } from './source-tracking.js';

export const NO_PEER_FAULT = 'unicast_fault_no_peer';

export function configFaults(
  plans: readonly InstancePlan[],
  faultsOf: (instance: string) => readonly string[],
): SourceFault[] {
  return plans.flatMap((plan) => {
    const wanted = plan.model.faultNoPeer;
    if (wanted === faultsOf(plan.name).includes(NO_PEER_FAULT)) return [];
    return [{ instance: plan.name, event: { type: 'fault', source: NO_PEER_FAULT, active: wanted } }];
  });
}
