// Where an instance's addresses and adverts go once its VMACs exist (use_vmac, use_vmac_addr):
// addresses of the instance's family written without `dev` (or with its own interface) on the
// instance's VMAC, addresses with `dev OTHER` on OTHER's VMAC (use_vmac_addr); adverts sent and
// received on the VMAC unless vmac_xmit_base (then on the base, as without VMAC). The source
// address is still the base interface's. Pure.

import type { VipSpec } from '../config/model/types.js';
import type { InstancePlan } from './plan.js';

export interface InstanceVmacs {
  /** use_vmac's VMAC, or null. */
  instance: string | null;
  /** use_vmac_addr: base interface → its VMAC. */
  byBase: ReadonlyMap<string, string>;
}

export function planOnVmacs(plan: InstancePlan, vmacs: InstanceVmacs): InstancePlan {
  const base = plan.interfaceName;
  const family = plan.model.family;
  const move = (vip: VipSpec): VipSpec => {
    if (vmacs.instance && vip.family === family && (vip.dev === null || vip.dev === base))
      return { ...vip, dev: vmacs.instance };
    const other = vip.dev === null ? undefined : vmacs.byBase.get(vip.dev);
    return other ? { ...vip, dev: other } : vip;
  };
  const onVmac = vmacs.instance !== null && !plan.model.vmac?.xmitBase;
  return {
    ...plan,
    vips: plan.vips.map(move),
    excludedVips: plan.excludedVips.map(move),
    ...(onVmac && vmacs.instance ? { interfaceName: vmacs.instance, addressInterface: base } : {}),
  };
}
