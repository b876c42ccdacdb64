// A VRF device's routing table, for routes written with `vrf NAME` (keepalived vrrp_iproute.c
// takes the table of the named VRF when it reads the route; vrrpd's parser is pure, so the table
// is looked up over rtnetlink when the route is installed, and by `vrrpd -t`). The table is in the
// link's IFLA_LINKINFO: kind "vrf", IFLA_INFO_DATA { IFLA_VRF_TABLE u32 } (if_link.h).

import { parseAttributes, readCString, readU32 } from './netlink-attributes.js';
import { linkRequest, parseLinkMessage, RTM_GETLINK, type LinkMessage } from './rtnl-codec.js';
import { NetlinkError, type RouteNetlink } from './netlink-socket.js';

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_VRF_TABLE = 1;

/** What a VRF name resolves to: its table, or why there is none (keepalived's two errors). */
export type VrfLookup = { table: number } | { error: 'absent' | 'not-vrf' };

/** The table of a link message that is a VRF, or null when it is another kind of link. */
export function vrfTableFrom(message: LinkMessage): number | null {
  const { linkinfo } = message.attrs;
  if (!linkinfo) return null;
  const info = parseAttributes(linkinfo);
  const kind = info.get(IFLA_INFO_KIND);
  if (!kind || readCString(kind) !== 'vrf') return null;
  const data = info.get(IFLA_INFO_DATA);
  const table = data ? parseAttributes(data).get(IFLA_VRF_TABLE) : undefined;
  return table && table.length >= 4 ? readU32(table) : null;
}

export interface KernelVrfs {
  lookup(name: string): Promise<VrfLookup>;
}

export function createKernelVrfs(netlink: RouteNetlink): KernelVrfs {
  return {
    async lookup(name) {
      let found: LinkMessage | undefined;
      try {
        const [reply] = await netlink.exchange(`find VRF ${name}`, RTM_GETLINK, linkRequest(name));
        found = reply && parseLinkMessage(reply.data);
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'ENODEV') return { error: 'absent' };
        throw error;
      }
      if (!found) return { error: 'absent' };
      const table = vrfTableFrom(found);
      return table === null ? { error: 'not-vrf' } : { table };
    },
  };
}

/** keepalived's wording for a VRF that cannot be used (vrrp_iproute.c). */
export function vrfLookupError(name: string, error: 'absent' | 'not-vrf'): string {
  return error === 'absent' ? `VRF ${name} not found for route` : `route specified VRF ${name} is not a VRF`;
}
