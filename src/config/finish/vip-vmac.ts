// `use_vmac` written on a virtual_ipaddress line, as keepalived 2.2.7 settles it once the instance
// is read (vrrp.c, the address-interface pass of the instance's completion): the word is dropped,
// with a warning, where the instance already puts that address on a VMAC — on its own VMAC
// (use_vmac, same family, the instance's interface) or through use_vmac_addr (another interface
// or the other family). keepalived reports both (its -t exits 5). Otherwise it stays: the address gets a VMAC of its own device, named
// and made as use_vmac_addr's are.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { AddressFamily, VipSpec } from '../model/types.js';

export interface VipVmacContext {
  interface: string;
  family: AddressFamily;
  /** The instance has its own VMAC (use_vmac). */
  instanceVmac: boolean;
  useVmacAddr: boolean;
  where: string;
}

export function settleVipVmacs(
  vips: readonly VipSpec[],
  ctx: VipVmacContext,
  sink: DiagnosticSink,
): VipSpec[] {
  return vips.map((vip) => {
    if (vip.useVmac !== true) return vip;
    const onInstanceInterface = vip.dev === null || vip.dev === ctx.interface;
    if (onInstanceInterface && ctx.instanceVmac && vip.family === ctx.family) {
      sink.report(
        DiagnosticCodes.adjusted,
        vip.source,
        `${ctx.where}: use_vmac on ${vip.address} and on the instance - the address is on the instance's VMAC, as keepalived puts it`,
        'remove use_vmac from the address line',
        KEEPALIVED_REPORTS,
      );
      return { ...vip, useVmac: false };
    }
    if ((!onInstanceInterface || vip.family !== ctx.family) && ctx.useVmacAddr) {
      sink.report(
        DiagnosticCodes.adjusted,
        vip.source,
        `${ctx.where}: use_vmac on ${vip.address} with use_vmac_addr on the instance - use_vmac_addr already gives it a VMAC, as keepalived does`,
        'remove use_vmac from the address line',
        KEEPALIVED_REPORTS,
      );
      return { ...vip, useVmac: false };
    }
    return vip;
  });
}
