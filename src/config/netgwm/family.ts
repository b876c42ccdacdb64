// A group's address family: one per uplink group, as it owns that family's default route (IPv4
// and IPv6 uplinks are two groups, each with its netgwm.yml). Decided by the first gateway
// address (else the first check site given as an address); every other address must agree.

import type { Node } from 'yaml';
import { isIpv4 } from '../../packet/address.js';
import { isLinkLocalIpv6 } from '../../packet/address6.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { NetgwmConfig, NetgwmGateway, UplinkFamily } from './types.js';
import type { NetgwmYamlReader } from './yaml-reader.js';

const familyOfAddress = (address: string): UplinkFamily | null =>
  isIpv4(address) ? 'ipv4' : address.includes(':') ? 'ipv6' : null;

/** The first gateway address decides; else the first check site given as an address; else IPv4. */
export function groupFamily(gateways: readonly NetgwmGateway[], sites: readonly string[]): UplinkFamily {
  for (const address of [...gateways.map((g) => g.ip), ...sites]) {
    const family = address === null ? null : familyOfAddress(address);
    if (family !== null) return family;
  }
  return 'ipv4';
}

/** Every address of the group in its family; a link-local next hop needs its device. */
export function checkFamilies(
  reader: NetgwmYamlReader,
  config: NetgwmConfig,
  gatewayNodes: ReadonlyMap<string, Node | null>,
  sectionNode: Node | null,
): void {
  const wrong = (address: string): boolean => {
    const family = familyOfAddress(address);
    return family !== null && family !== config.family;
  };
  const name = config.family === 'ipv4' ? 'IPv4' : 'IPv6';
  const hint = 'one group per address family: put IPv4 and IPv6 uplinks in two uplink_groups';
  const root = reader.root;
  for (const gateway of config.gateways) {
    const path = `gateways.${gateway.id}.ip`;
    const node = gatewayNodes.get(gateway.id) ?? root;
    if (gateway.ip !== null && wrong(gateway.ip))
      reader.report(
        DiagnosticCodes.value,
        node,
        path,
        `gateway ${gateway.id} is not ${name} as the group's first gateway`,
        hint,
      );
    if (gateway.ip !== null && isLinkLocalIpv6(gateway.ip) && gateway.dev === null)
      reader.report(
        DiagnosticCodes.missing,
        node,
        path,
        `gateway ${gateway.id} is link-local (${gateway.ip}): it needs a dev`,
      );
  }
  for (const site of config.checkSites) {
    if (wrong(site))
      reader.report(
        DiagnosticCodes.value,
        root,
        'check_sites',
        `check site ${site} is not ${name} as the group's gateways`,
        hint,
      );
  }
  for (const [id, settings] of Object.entries(config.gatewaySettings)) {
    for (const address of settings.trackIps ?? []) {
      if (wrong(address))
        reader.report(
          DiagnosticCodes.value,
          sectionNode ?? root,
          `vrrpd.gateways.${id}.track_ip`,
          `track_ip ${address} is not ${name} as the group's gateways`,
          hint,
        );
    }
  }
}
