// use_ipvlan once the instance's block is read, as keepalived 2.2.7 settles it (vrrp_parser.c's
// ipvlan handler and end of block, vrrp.c's completion of the instance):
//  - an address of the other family is skipped ("MUST match vrrp instance family");
//  - an IPv4 ipvlan without an address runs, but in FAULT for good ("IPv4 ipvlan requires a
//    source ip address ... setting instance to fault state"): there would be no source for the
//    adverts on the ipvlan;
//  - with unicast peers keepalived sets vmac_xmit_base ("unicast with use_vmac requires
//    vmac_xmit_base") and clears it again ("only valid with a vmac"): the adverts stay on the
//    ipvlan, and both lines are reported;
//  - use_vmac too: keepalived makes the ipvlan (its ipvlan flag decides which link it creates),
//    and then puts the virtual addresses on it (its VMAC flag decides where they go); with
//    use_ipvlan alone they stay on the interface (keepalived -d: "Virtual IP ... dev eth1").

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { InstanceDraft } from '../keywords/drafts.js';
import type { AddressFamily, IpvlanModel } from '../model/types.js';
import { familyLabel } from '../values/address.js';

export interface ResolvedIpvlan {
  ipvlan: IpvlanModel | null;
  configFault: string | null;
}

export const IPVLAN_WITHOUT_ADDRESS_FAULT = 'IPv4 use_ipvlan without an address';

export function resolveIpvlan(
  draft: InstanceDraft,
  family: AddressFamily,
  unicast: boolean,
  where: string,
  sink: DiagnosticSink,
): ResolvedIpvlan {
  const use = draft.useIpvlan;
  if (!use) return { ipvlan: null, configFault: null };
  let address = use.address;
  if (address && address.family !== family) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      address.source,
      `use_ipvlan address ${address.address} is ${familyLabel(address.family)} but ${where} is ${familyLabel(family)}`,
      'give the ipvlan an address of the instance’s family',
      'skipped, as keepalived skips it',
    );
    address = null;
  }
  let configFault: string | null = null;
  if (family === 'ipv4' && !address) {
    sink.report(
      DiagnosticCodes.adjusted,
      use.source,
      `${where}: an IPv4 ipvlan requires an address (its adverts' source) - the instance stays in FAULT, as keepalived keeps it`,
      'write it: use_ipvlan [IFNAME] ADDR/LEN',
      KEEPALIVED_REPORTS,
    );
    configFault = IPVLAN_WITHOUT_ADDRESS_FAULT;
  }
  if (unicast && !draft.useVmac && !draft.vmacXmitBase) {
    sink.report(
      DiagnosticCodes.adjusted,
      use.source,
      `${where}: unicast with use_ipvlan - keepalived sets vmac_xmit_base and clears it again (only valid with a VMAC), so the adverts are sent and received on the ipvlan`,
      'list the peers’ ipvlan addresses in unicast_peer: adverts to a base interface’s address do not reach the ipvlan',
      KEEPALIVED_REPORTS,
    );
  }
  if (draft.useVmac) {
    sink.report(
      DiagnosticCodes.suspicious,
      draft.useVmac.source,
      `${where} has use_vmac and use_ipvlan: an ipvlan is made (no VMAC) and holds the virtual addresses, as keepalived does`,
      'remove one of them',
    );
  }
  return {
    ipvlan: {
      name: use.name ?? draft.useVmac?.name ?? null,
      address: address ? { address: address.address, prefix: address.prefix, family: address.family } : null,
      mode: use.mode,
      holdsVips: draft.useVmac !== null,
    },
    configFault,
  };
}
