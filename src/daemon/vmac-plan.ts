// Where an instance's addresses and adverts go once its VMACs exist (use_vmac, use_vmac_addr):
// addresses of the instance's family written without `dev` (or with its own interface) on the
// instance's VMAC; with use_vmac_addr, addresses with `dev OTHER` (or of the other family) on a
// VMAC of their device; an address line with its own `use_vmac` likewise; the advert socket
// on the VMAC unless vmac_xmit_base (transports.ts says why receiving must be there too). The
// configured interface stays the instance's interface for link state (FAULT) and its source
// address. Pure.

import type { AddressFamily, InstanceModel, VipSpec } from '../config/model/types.js';
import type { InstancePlan } from './plan.js';

export interface InstanceVmacs {
  /** use_vmac's VMAC, or null. */
  instance: string | null;
  /** Address VMACs (use_vmac_addr, an address's use_vmac): baseKey(device, family) → VMAC. */
  byBase: ReadonlyMap<string, string>;
  /** IPv6: the adverts' link-local source is on the VMAC, so the socket can be there. */
  sendsIpv6?: boolean;
}

export function baseKey(device: string, family: AddressFamily): string {
  return `${device}\0${family}`;
}

/**
 * The device of an address that gets a VMAC of its own (use_vmac_addr or the address's use_vmac,
 * keepalived's rule), or null: one on the instance's VMAC or left where it is.
 */
export function addressVmacBase(model: InstanceModel, vip: VipSpec, instanceVmac: boolean): string | null {
  const own = vip.dev === null || vip.dev === model.interface;
  if (own && instanceVmac && vip.family === model.family) return null;
  if (vip.useVmac === true || (model.useVmacAddr && (!own || vip.family !== model.family)))
    return vip.dev ?? model.interface;
  return null;
}

export function planOnVmacs(plan: InstancePlan, vmacs: InstanceVmacs): InstancePlan {
  const base = plan.interfaceName;
  const move = (vip: VipSpec): VipSpec => {
    if (vmacs.instance && vip.family === plan.family && (vip.dev === null || vip.dev === base))
      return { ...vip, dev: vmacs.instance };
    const device = addressVmacBase(plan.model, vip, vmacs.instance !== null);
    const other = device === null ? undefined : vmacs.byBase.get(baseKey(device, vip.family));
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
