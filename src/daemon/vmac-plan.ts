// Where an instance's addresses and adverts go once its VMACs exist (use_vmac, use_vmac_addr):
// addresses of the instance's family written without `dev` (or with its own interface) on the
// instance's VMAC, addresses with `dev OTHER` on OTHER's VMAC (use_vmac_addr); adverts sent from
// the VMAC unless vmac_xmit_base (IPv4; IPv6 adverts from the base, see below). The configured interface stays the instance's interface for
// everything else (link state and FAULT, source address, receiving). Pure.

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
  const move = (vip: VipSpec): VipSpec => {
    if (vmacs.instance && vip.family === plan.family && (vip.dev === null || vip.dev === base))
      return { ...vip, dev: vmacs.instance };
    const other = vip.dev === null ? undefined : vmacs.byBase.get(vip.dev);
    return other ? { ...vip, dev: other } : vip;
  };
  // IPv6 adverts stay on the base: their source, the base's link-local address, is not on the
  // VMAC (keepalived adds one there; vrrpd does not yet), and the kernel refuses such a source.
  const sendOnVmac =
    vmacs.instance !== null && plan.family === 'ipv4' && !(plan.model.vmac?.xmitBase ?? false);
  return {
    ...plan,
    vips: plan.vips.map(move),
    excludedVips: plan.excludedVips.map(move),
    sendInterface: sendOnVmac && vmacs.instance ? vmacs.instance : plan.interfaceName,
  };
}
