// What the links vrrpd stacks on an interface (use_vmac's macvlans, use_ipvlan's ipvlans) share:
// created exclusively over rtnetlink on a base, found again by name, brought up, removed (an
// interface already gone is 'absent', not an error) and listed. The kinds differ only in the
// attributes they are created with and how their link info is read back (vmac.ts, ipvlan.ts).

import type { ifla, rt } from './netlink-package.js';
import type { RemoveOutcome } from './addresses.js';
import { u32 } from './netlink-attributes.js';
import { CREATE_EXCLUSIVE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import { isValidInterfaceName } from './vmac-plan.js';

export interface StackedLinks {
  byName(name: string): Promise<rt.LinkMessage | undefined>;
  /** Creates the link (it must not exist yet) and returns its ifindex; it is still down. */
  create(name: string, baseIfindex: number, attrs: Omit<ifla.LinkAttrs, 'ifname' | 'link'>): Promise<number>;
  up(name: string, ifindex: number): Promise<void>;
  remove(name: string): Promise<RemoveOutcome>;
  list(): Promise<rt.LinkMessage[]>;
}

/** `label` names the kind in error messages ("VMAC", "ipvlan"). */
export function stackedLinks(netlink: RouteNetlink, label: string): StackedLinks {
  const byName = async (name: string): Promise<rt.LinkMessage | undefined> => {
    try {
      const [found] = await netlink.request(`find link ${name}`, (socket, timeout) =>
        socket.getLink({}, { ifname: name }, { timeout }),
      );
      return found;
    } catch (error) {
      if (error instanceof NetlinkError && error.code === 'ENODEV') return undefined;
      throw error;
    }
  };
  return {
    byName,
    async create(name, baseIfindex, attrs) {
      if (!isValidInterfaceName(name)) throw new RangeError(`not a valid interface name: ${name}`);
      if (!Number.isInteger(baseIfindex) || baseIfindex <= 0)
        throw new RangeError(`bad base ifindex ${baseIfindex}`);
      const full: ifla.LinkAttrs = { ifname: name, link: u32(baseIfindex), ...attrs };
      await netlink.request(`create ${label} ${name}`, (socket, timeout) =>
        socket.newLink({}, full, { flags: CREATE_EXCLUSIVE, timeout }),
      );
      const ifindex = (await byName(name))?.data.index;
      if (!ifindex) throw new NetlinkError(`create ${label} ${name}`, 'ENODEV', 'created but not found');
      return ifindex;
    },
    async up(name, ifindex) {
      await netlink.request(`bring ${label} ${name} up`, (socket, timeout) =>
        socket.newLink({ index: ifindex, flags: { up: true }, change: { up: true } }, {}, { timeout }),
      );
    },
    async remove(name) {
      const ifindex = (await byName(name))?.data.index;
      if (!ifindex) return 'absent';
      try {
        await netlink.request(`remove ${label} ${name}`, (socket, timeout) =>
          socket.delLink({ index: ifindex }, {}, { timeout }),
        );
        return 'removed';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'ENODEV') return 'absent';
        throw error;
      }
    },
    list() {
      return netlink.request('list links', (socket, timeout) =>
        socket.getLinks(undefined, undefined, { timeout }),
      );
    },
  };
}
