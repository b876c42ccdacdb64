// ipvlan links over rtnetlink, as keepalived's use_ipvlan makes them (vrrp_vmac.c): an ipvlan in
// L2 mode on the instance's interface, sharing its MAC, so it receives the multicast adverts and
// answers ARP for the address put on it (keepalived's own address for the ipvlan, from which the
// adverts leave).
//
// create(): RTM_NEWLINK (CREATE|EXCL) with IFLA_LINKINFO { kind "ipvlan", data { IFLA_IPVLAN_MODE
// L2, IFLA_IPVLAN_FLAGS bridge 0 | private | vepa } }, IFLA_LINK = base, IFLA_MASTER = the base's
// VRF if any; then link UP. Unlike a VMAC, keepalived leaves its IPv6 address generation alone
// and sets no ARP sysctls (it only turns IPv6 off on it for IPv4 instances, ipvlan-manager.ts).

import type { ifla, rt } from './netlink-package.js';
import {
  attribute,
  cString,
  nested,
  parseAttributes,
  readCString,
  readU16,
  readU32,
  u16,
} from './netlink-attributes.js';
import type { RouteNetlink } from './netlink-socket.js';
import { stackedLinks } from './stacked-links.js';
import type { RemoveOutcome } from './addresses.js';

/** if_link.h: enum ipvlan_mode. keepalived only makes L2 ipvlans. */
export const IPVLAN_MODE_L2 = 0;
/** if_link.h IPVLAN_F_* (bridge is the absence of both). */
export const IPVLAN_FLAGS = { bridge: 0, private: 1, vepa: 2 } as const;
export type IpvlanKind = keyof typeof IPVLAN_FLAGS;

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_IPVLAN_MODE = 1;
const IFLA_IPVLAN_FLAGS = 2;

export interface IpvlanSpec {
  name: string;
  baseIfindex: number;
  /** bridge (keepalived's default), private or vepa. */
  kind: IpvlanKind;
  vrfMasterIfindex?: number;
}

/** An ipvlan seen in this namespace (ours or not). */
export interface IpvlanLink {
  ifindex: number;
  name: string;
  /** IPVLAN_MODE_*: 0 L2, 1 L3, 2 L3S. */
  mode: number;
  kind: IpvlanKind | number;
  baseIfindex: number;
  up: boolean;
}

export interface KernelIpvlans {
  /** Creates and brings up an ipvlan; rejects (NetlinkError EEXIST…) if creation fails. */
  create(spec: IpvlanSpec): Promise<{ ifindex: number }>;
  /** Deletes a link by name; 'absent' if there is none. */
  remove(name: string): Promise<RemoveOutcome>;
  /** Every ipvlan in the namespace: for adopting one a previous run left. */
  list(): Promise<IpvlanLink[]>;
}

/** IFLA_LINKINFO for an L2 ipvlan of `kind`. */
export function ipvlanLinkInfo(kind: IpvlanKind): Buffer {
  return Buffer.concat([
    attribute(IFLA_INFO_KIND, cString('ipvlan')),
    nested(IFLA_INFO_DATA, [
      attribute(IFLA_IPVLAN_MODE, u16(IPVLAN_MODE_L2)),
      attribute(IFLA_IPVLAN_FLAGS, u16(IPVLAN_FLAGS[kind])),
    ]),
  ]);
}

function kindName(flags: number): IpvlanKind | number {
  const entry = Object.entries(IPVLAN_FLAGS).find(([, value]) => value === flags);
  return entry ? (entry[0] as IpvlanKind) : flags;
}

/** A link message as an ipvlan, or null when it is another kind of link. */
export function ipvlanFrom(message: rt.LinkMessage): IpvlanLink | null {
  const { data, attrs } = message;
  if (!attrs.linkinfo) return null;
  const info = parseAttributes(attrs.linkinfo);
  const kind = info.get(IFLA_INFO_KIND);
  if (!kind || readCString(kind) !== 'ipvlan') return null;
  const infoData = info.get(IFLA_INFO_DATA);
  const fields = infoData ? parseAttributes(infoData) : new Map<number, Buffer>();
  const mode = fields.get(IFLA_IPVLAN_MODE);
  const flags = fields.get(IFLA_IPVLAN_FLAGS);
  return {
    ifindex: data.index ?? 0,
    name: attrs.ifname ?? '',
    mode: mode && mode.length >= 2 ? readU16(mode) : IPVLAN_MODE_L2,
    kind: flags && flags.length >= 2 ? kindName(readU16(flags)) : 'bridge',
    baseIfindex: attrs.link && attrs.link.length >= 4 ? readU32(attrs.link) : 0,
    up: Boolean(data.flags?.up),
  };
}

/**
 * keepalived adopts an ipvlan a previous run left (vrrp.c "Found matching interface"): an L2
 * ipvlan on the same base with the same kind, and the configured name if one is. Pure.
 */
export function findAdoptableIpvlan(
  links: readonly IpvlanLink[],
  want: { baseIfindex: number; kind: IpvlanKind; name: string | null },
): IpvlanLink | undefined {
  return links.find(
    (l) =>
      l.baseIfindex === want.baseIfindex &&
      l.mode === IPVLAN_MODE_L2 &&
      l.kind === want.kind &&
      (want.name === null || l.name === want.name),
  );
}

export function createKernelIpvlans(netlink: RouteNetlink): KernelIpvlans {
  const links = stackedLinks(netlink, 'ipvlan');
  return {
    async create(spec) {
      const attrs: Omit<ifla.LinkAttrs, 'ifname' | 'link'> = { linkinfo: ipvlanLinkInfo(spec.kind) };
      if (spec.vrfMasterIfindex !== undefined) attrs.master = spec.vrfMasterIfindex;
      const ifindex = await links.create(spec.name, spec.baseIfindex, attrs);
      await links.up(spec.name, ifindex);
      return { ifindex };
    },
    remove: (name) => links.remove(name),
    async list() {
      return (await links.list()).map(ipvlanFrom).filter((l): l is IpvlanLink => l !== null);
    },
  };
}
