// The rtnetlink adapters behind one request socket, in the process's current network
// namespace. The daemon opens this once; tests inject fakes of the individual interfaces.

import { createKernelAddresses, type KernelAddresses } from './addresses.js';
import { createKernelLinks, type KernelLinks } from './links.js';
import { openRouteNetlink } from './netlink-socket.js';
import { createKernelRoutes, type KernelRoutes } from './routes.js';
import { createKernelRules, type KernelRules } from './rules.js';
import { createKernelVmacs, type KernelVmacs } from './vmac.js';
import { createKernelIpvlans, type KernelIpvlans } from './ipvlan.js';

export interface KernelNetlink {
  addresses: KernelAddresses;
  routes: KernelRoutes;
  rules: KernelRules;
  links: KernelLinks;
  /** use_vmac's macvlans. */
  vmacs: KernelVmacs;
  /** use_ipvlan's ipvlans. */
  ipvlans: KernelIpvlans;
  close(): void;
}

export function openKernelNetlink(): KernelNetlink {
  const netlink = openRouteNetlink();
  return {
    addresses: createKernelAddresses(netlink),
    routes: createKernelRoutes(netlink),
    rules: createKernelRules(netlink),
    links: createKernelLinks(netlink),
    vmacs: createKernelVmacs(netlink),
    ipvlans: createKernelIpvlans(netlink),
    close: () => netlink.close(),
  };
}
