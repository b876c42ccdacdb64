// VMAC interfaces over rtnetlink, as keepalived's use_vmac makes them (vrrp_vmac.c): a macvlan
// on the instance's interface carrying the virtual MAC, so VIPs held on it answer ARP with
// 00:00:5e:00:01:VRID (RFC 3768 §7.3) and clients keep that MAC across failover.
//
// create(): RTM_NEWLINK (CREATE|EXCL) with IFLA_LINKINFO { kind "macvlan", data { mode } },
// IFLA_LINK = base, IFLA_ADDRESS = the MAC, IFLA_MASTER = the base's VRF if any; then
// IFLA_AF_SPEC { AF_INET6 { ADDR_GEN_MODE none } } so no EUI-64 link-local appears (RFC 5798
// §7.4); then link UP. Mode defaults to private, keepalived 2.2.7's (which also refuses to adopt
// a macvlan in another mode); 'bridge' is available for those who want VMACs of one base to
// reach each other. The sysctls keepalived sets around VMACs are vmac-sysctls.ts.

import type { ifla, rt } from './netlink-package.js';
import {
  attribute,
  cString,
  nested,
  parseAttributes,
  readCString,
  readU32,
  u32,
  u8,
} from './netlink-attributes.js';
import type { RouteNetlink } from './netlink-socket.js';
import { stackedLinks } from './stacked-links.js';
import type { RemoveOutcome } from './addresses.js';
import { errorMessage } from '../runtime/errors.js';

/** if_link.h MACVLAN_MODE_* (a bit each). */
export const MACVLAN_MODES = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;
export type MacvlanMode = keyof typeof MACVLAN_MODES;

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_MACVLAN_MODE = 1;
const AF_INET6 = 10;
const IFLA_INET6_ADDR_GEN_MODE = 8;
const IN6_ADDR_GEN_MODE_NONE = 1;

export interface VmacSpec {
  /** From vmac-plan.ts chooseVmacName, or use_vmac's IFNAME. */
  name: string;
  /** The instance's interface. */
  baseIfindex: number;
  /** "00:00:5e:00:01:33" (vmac-plan.ts vmacAddress). */
  mac: string;
  /** Defaults to 'private', as keepalived 2.2.7. */
  mode?: MacvlanMode;
  /** The VRF device the base is enslaved to, if any (the VMAC joins it too). */
  vrfMasterIfindex?: number;
}

export interface CreatedVmac {
  ifindex: number;
  /** Steps after creation that failed without undoing it (keepalived only logs these). */
  warnings: string[];
}

/** A macvlan seen in this namespace (ours or not). */
export interface MacvlanLink {
  ifindex: number;
  name: string;
  mac: string | null;
  mode: MacvlanMode | number;
  /** IFLA_LINK: the interface it sits on (0 if the kernel did not say, e.g. base in another netns). */
  baseIfindex: number;
  up: boolean;
}

export interface KernelVmacs {
  /** Creates, configures and brings up a VMAC; rejects (NetlinkError EEXIST…) if creation fails. */
  create(spec: VmacSpec): Promise<CreatedVmac>;
  /** Deletes a link by name; 'absent' if there is none. */
  remove(name: string): Promise<RemoveOutcome>;
  /** Every macvlan in the namespace: for adopting a VMAC a previous run left (findAdoptableVmac). */
  list(): Promise<MacvlanLink[]>;
}

function macBytes(mac: string): Buffer {
  const octets = mac.split(':');
  if (octets.length !== 6 || !octets.every((o) => /^[0-9a-f]{2}$/i.test(o))) {
    throw new RangeError(`not a MAC address: ${mac}`);
  }
  return Buffer.from(octets.join(''), 'hex');
}

function macText(bytes: Buffer | undefined): string | null {
  if (!bytes || bytes.length !== 6) return null;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** IFLA_LINKINFO for a macvlan in `mode`. */
export function macvlanLinkInfo(mode: MacvlanMode): Buffer {
  return Buffer.concat([
    attribute(IFLA_INFO_KIND, cString('macvlan')),
    nested(IFLA_INFO_DATA, [attribute(IFLA_MACVLAN_MODE, u32(MACVLAN_MODES[mode]))]),
  ]);
}

function modeName(value: number): MacvlanMode | number {
  const entry = Object.entries(MACVLAN_MODES).find(([, bit]) => bit === value);
  return entry ? (entry[0] as MacvlanMode) : value;
}

/** A link message as a macvlan, or null when it is another kind of link. */
export function macvlanFrom(message: rt.LinkMessage): MacvlanLink | null {
  const { data, attrs } = message;
  if (!attrs.linkinfo) return null;
  const info = parseAttributes(attrs.linkinfo);
  const kind = info.get(IFLA_INFO_KIND);
  if (!kind || readCString(kind) !== 'macvlan') return null;
  const infoData = info.get(IFLA_INFO_DATA);
  const modeAttr = infoData ? parseAttributes(infoData).get(IFLA_MACVLAN_MODE) : undefined;
  return {
    ifindex: data.index ?? 0,
    name: attrs.ifname ?? '',
    mac: macText(attrs.address),
    mode: modeAttr && modeAttr.length >= 4 ? modeName(readU32(modeAttr)) : 0,
    baseIfindex: attrs.link && attrs.link.length >= 4 ? readU32(attrs.link) : 0,
    up: Boolean(data.flags?.up),
  };
}

/**
 * keepalived adopts a VMAC left by a previous run (vrrp.c "Found matching interface"): a macvlan
 * on the same base, in the expected mode, with the expected MAC. Pure.
 */
export function findAdoptableVmac(
  links: readonly MacvlanLink[],
  want: { baseIfindex: number; mac: string; mode?: MacvlanMode },
): MacvlanLink | undefined {
  const mode = want.mode ?? 'private';
  return links.find(
    (l) => l.baseIfindex === want.baseIfindex && l.mac === want.mac.toLowerCase() && l.mode === mode,
  );
}

export function createKernelVmacs(netlink: RouteNetlink): KernelVmacs {
  const links = stackedLinks(netlink, 'VMAC');
  return {
    async create(spec) {
      const attrs: Omit<ifla.LinkAttrs, 'ifname' | 'link'> = {
        address: macBytes(spec.mac),
        linkinfo: macvlanLinkInfo(spec.mode ?? 'private'),
      };
      if (spec.vrfMasterIfindex !== undefined) attrs.master = spec.vrfMasterIfindex;
      const ifindex = await links.create(spec.name, spec.baseIfindex, attrs);
      const warnings: string[] = [];
      // Separate message: the kernel ignores IFLA_AF_SPEC in a create (keepalived does the same).
      try {
        const afSpec = new Map([[AF_INET6, attribute(IFLA_INET6_ADDR_GEN_MODE, u8(IN6_ADDR_GEN_MODE_NONE))]]);
        await netlink.request(`set addrgenmode none on ${spec.name}`, (socket, timeout) =>
          socket.newLink({ index: ifindex }, { afSpec }, { timeout }),
        );
      } catch (error) {
        // IPv6 disabled in the kernel: no link-local would appear anyway.
        warnings.push(errorMessage(error));
      }
      await links.up(spec.name, ifindex);
      return { ifindex, warnings };
    },
    remove: (name) => links.remove(name),
    async list() {
      return (await links.list()).map(macvlanFrom).filter((l): l is MacvlanLink => l !== null);
    },
  };
}
