// Where an instance's addresses and adverts go once its VMACs exist (use_vmac, use_vmac_addr):
// addresses of the instance's family written without `dev` (or with its own interface) on the
// instance's VMAC, addresses with `dev OTHER` on OTHER's VMAC (use_vmac_addr); the advert socket
// on the VMAC unless vmac_xmit_base (transports.ts says why receiving must be there too). The
// configured interface stays the instance's interface for link state (FAULT) and its source
// address. Pure.

import type { VipSpec } from '../config/model/types.js';
import type { InstancePlan } from './plan.js';

export interface InstanceVmacs {
  /** use_vmac's VMAC, or null. */
  instance: string | null;
  /** use_vmac_addr: base interface → its VMAC. */
  byBase: ReadonlyMap<string, string>;
  /** IPv6: the adverts' link-local source is on the VMAC, so the socket can be there. */
  sendsIpv6?: boolean;
}

export function planOnVmacs(plan: InstancePlan, vmacs: InstanceVmacs): InstancePlan {
  const base = plan.interfaceName;
  const move = (vip: VipSpec): VipSpec => {
    if (vmacs.instance && vip.family === plan.family && (vip.dev === null || vip.dev === base))
      return { ...vip, dev: vmacs.instance };
    const other = vip.dev === null ? undefined : vmacs.byBase.get(vip.dev);
    return other ? { ...vip, dev: other } : vip;
  };
  // IPv6: the socket moves to the VMAC once the adverts' source (a link-local address) is there
  // too; the kernel refuses a link-local source that is not on the sending interface.
  const sendOnVmac =
    vmacs.instance !== null &&
    !(plan.model.vmac?.xmitBase ?? false) &&
    (plan.family === 'ipv4' || vmacs.sendsIpv6 === true);
  return {
    ...plan,
    vips: plan.vips.map(move),
    excludedVips: plan.excludedVips.map(move),
    sendInterface: sendOnVmac && vmacs.instance ? vmacs.instance : plan.interfaceName,
  };
}
