// Every interface the configuration names must exist, as keepalived requires: any missing one
// (instance interface, track_interface, a VIP's or route's dev, a rule's iif/oif) makes it refuse
// the whole configuration ("Non-existent interface specified in configuration"), unless
// `dynamic_interfaces` allows interfaces to appear later. Which interfaces exist is the host's
// business: the shell lists them and passes the names in; offline checks pass none.

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { VrrpdConfig } from '../model/types.js';

interface InterfaceUse {
  name: string;
  /** What names it, for the message: `interface of vrrp_instance VI_1`. */
  what: string;
  source: SourceRef;
}

function usesOf(config: VrrpdConfig): InterfaceUse[] {
  const uses: InterfaceUse[] = [];
  for (const instance of config.instances) {
    const where = `vrrp_instance ${instance.name}`;
    uses.push({ name: instance.interface, what: `interface of ${where}`, source: instance.source });
    for (const t of instance.trackInterfaces)
      uses.push({ name: t.name, what: `track_interface of ${where}`, source: t.source });
    // keepalived looks up a vrf written before `interface` (then clears it); with
    // dynamic_interfaces it makes a placeholder, and the vrf is never used: nothing to say then.
    if (instance.vrfLookup && !config.globals.dynamicInterfaces)
      uses.push({
        name: instance.vrfLookup.name,
        what: `vrf of ${where}`,
        source: instance.vrfLookup.source,
      });
    for (const vip of [...instance.vips, ...instance.excludedVips]) {
      if (vip.dev)
        uses.push({ name: vip.dev, what: `dev of ${vip.address} in ${where}`, source: vip.source });
    }
    for (const route of instance.virtualRoutes) {
      if (route.dev)
        uses.push({
          name: route.dev,
          what: `dev of the route to ${route.to} in ${where}`,
          source: route.source,
        });
    }
    for (const rule of instance.virtualRules) {
      for (const name of [rule.iif, rule.oif]) {
        if (name) uses.push({ name, what: `a rule of ${where}`, source: rule.source });
      }
    }
  }
  for (const group of config.syncGroups) {
    for (const t of group.trackInterfaces) {
      uses.push({ name: t.name, what: `track_interface of vrrp_sync_group ${group.name}`, source: t.source });
    }
  }
  return uses;
}

/** Reports each named interface that is not among `existing`; true when all exist (or are allowed). */
export function checkInterfacesExist(
  config: VrrpdConfig,
  existing: ReadonlySet<string>,
  sink: DiagnosticSink,
): void {
  const dynamic = config.globals.dynamicInterfaces;
  for (const use of usesOf(config)) {
    if (existing.has(use.name)) continue;
    const suggestion = didYouMean(use.name, existing);
    if (dynamic) {
      sink.report(
        DiagnosticCodes.interfaceAbsent,
        use.source,
        `interface '${use.name}' (${use.what}) does not exist on this host: allowed by dynamic_interfaces, it is used once it appears`,
        suggestion,
      );
      continue;
    }
    sink.report(
      DiagnosticCodes.interfaceMissing,
      use.source,
      `interface '${use.name}' (${use.what}) does not exist on this host: keepalived refuses to run this configuration`,
      suggestion ??
        'create the interface, set dynamic_interfaces in global_defs if it appears later, or check the file for another host with --offline',
    );
  }
}
