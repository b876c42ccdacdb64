// Where an instance's adverts and addresses go once its ipvlan exists (use_ipvlan), as keepalived
// 2.2.7 runs it: the advert socket is on the ipvlan (sent and received there; in L2 mode the
// ipvlan gets the multicast adverts arriving on its base), and so is the adverts' source (the
// ipvlan's address, or for IPv6 without one its link-local address). The virtual addresses stay
// on the configured interface — keepalived's completion of the instance puts them on the
// instance's interface only for a VMAC — unless use_vmac is written too (IpvlanModel.holdsVips),
// when those of the instance's family written without `dev` (or with its interface) move to the
// ipvlan. The configured interface stays the instance's interface for link state (FAULT). Pure.

import type { VipSpec } from '../config/model/types.js';
import type { InstancePlan } from './plan.js';

export function planOnIpvlan(plan: InstancePlan, ipvlan: string): InstancePlan {
  const base = plan.interfaceName;
  const holdsVips = plan.model.ipvlan?.holdsVips ?? false;
  const move = (vip: VipSpec): VipSpec =>
    holdsVips && vip.family === plan.family && (vip.dev === null || vip.dev === base)
      ? { ...vip, dev: ipvlan }
      : vip;
  return {
    ...plan,
    vips: plan.vips.map(move),
    excludedVips: plan.excludedVips.map(move),
    sendInterface: ipvlan,
    sourceInterface: ipvlan,
  };
}
