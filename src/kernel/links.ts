// Network interfaces over rtnetlink (RTM_GETLINK): name, index, MAC and the flags VRRP cares
// about. keepalived (like us) treats an interface as usable when it is administratively UP
// and RUNNING (carrier present, operstate up); anything else puts instances on it in FAULT.

import { DUMP, type RouteNetlink } from './netlink-socket.js';
import { linkRequest, parseLinkMessage, RTM_GETLINK, type LinkMessage } from './rtnl-codec.js';
import { vrfTableFrom } from './vrf.js';

/** RFC 2863 operational states as the kernel reports them (IF_OPER_*). */
const OPER_STATES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;
export type OperState = (typeof OPER_STATES)[number];

export interface LinkInfo {
  ifindex: number;
  name: string;
  /** "aa:bb:cc:dd:ee:ff", or null for links without a 6-byte hardware address. */
  mac: string | null;
  /** IFF_UP: administratively up. */
  adminUp: boolean;
  /** IFF_RUNNING: operationally up (carrier and operstate). */
  running: boolean;
  /** IFF_LOWER_UP: the driver reports carrier. */
  lowerUp: boolean;
  operState: OperState;
  /** A VRF device's routing table (IFLA_VRF_TABLE); absent for other links. */
  vrfTable?: number;
}

export interface KernelLinks {
  list(): Promise<LinkInfo[]>;
  /** The link with this name, or undefined. */
  byName(name: string): Promise<LinkInfo | undefined>;
}

/** The usability rule shared by listing and events: admin UP and RUNNING. */
export function linkIsUsable(link: LinkInfo): boolean {
  return link.adminUp && link.running;
}

function macText(bytes: Buffer | undefined): string | null {
  if (!bytes || bytes.length !== 6) return null;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function linkInfoFrom(message: LinkMessage): LinkInfo {
  const { data, attrs } = message;
  const flags = data.flags ?? {};
  const operIndex = attrs.operstate ?? 0;
  return {
    ifindex: data.index ?? 0,
    name: attrs.ifname ?? '',
    mac: macText(attrs.address),
    adminUp: Boolean(flags.up),
    running: Boolean(flags.running),
    lowerUp: Boolean(flags.lowerUp),
    operState: OPER_STATES[operIndex] ?? 'unknown',
    ...vrfTableOf(message),
  };
}

function vrfTableOf(message: LinkMessage): { vrfTable?: number } {
  const table = vrfTableFrom(message);
  return table === null ? {} : { vrfTable: table };
}

export function createKernelLinks(netlink: RouteNetlink): KernelLinks {
  const list = async (): Promise<LinkInfo[]> => {
    const messages = await netlink.exchange('list links', RTM_GETLINK, linkRequest(), DUMP);
    return messages.map((message) => linkInfoFrom(parseLinkMessage(message.data)));
  };
  return {
    list,
    async byName(name) {
      return (await list()).find((link) => link.name === name);
    },
  };
}
