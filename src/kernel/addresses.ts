// Interface addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), IPv4 and IPv6:
// the virtual addresses a MASTER owns (RFC 3768 §6.4.3, RFC 5798 §6.4.1 "add the virtual IP
// addresses"), the listing the daemon uses at start-up to find VIPs a previous run left behind,
// and an interface's link-local address, which IPv6 adverts are sent from (RFC 5798 §5.1.2.1).
//
// IPv6 VIPs are added with IFA_F_NODAD unless the caller says otherwise, as keepalived does
// (unless the VIP is configured `-nodad`): the address is usable at once, and a transient
// split brain on the link cannot leave it "dadfailed" for good. VRRP is its own duplicate
// detection. Addresses that did go through DAD are listed with their tentative / dadfailed state.

import { ipv4FromBytes, ipv4ToBytes, isIpv4 } from '../packet/address.js';
import { ipv6FromBytes, ipv6ToBytes, isIpv6, isLinkLocalIpv6 } from '../packet/address6.js';
import type { AddressFamily } from '../packet/types.js';
import { CREATE_EXCLUSIVE, DUMP, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import {
  formatAddressMessage,
  parseAddressMessage,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_NEWADDR,
  type AddressAttrs,
  type AddressFlags,
  type AddressHeader,
  type AddressMessage,
} from './rtnl-codec.js';
import { scopeNumber, SCOPES, type ScopeName } from './scopes.js';

export const AF_INET = 2;
export const AF_INET6 = 10;
/** IFA_CACHEINFO's "forever" (INFINITY_LIFE_TIME). */
const INFINITE_LIFETIME = 0xffffffff;

export interface AddressSpec {
  ifindex: number;
  /** IPv4 or IPv6; the family follows from the text. */
  address: string;
  prefixLength: number;
  /** Interface label (keepalived's `label`); IPv4 only (the kernel ignores it for IPv6). */
  label?: string;
  /** IPv4 only. */
  broadcast?: string;
  /**
   * Point-to-point peer (IFA_ADDRESS; keepalived's `peer`): the far end, which the kernel
   * routes to through this interface. Same family as `address`.
   */
  peer?: string;
  /** Defaults to global (IPv6: the kernel derives the scope from the address itself). */
  scope?: ScopeName | number;
  /** IFA_F_NOPREFIXROUTE: do not create the connected route for the prefix. */
  noPrefixRoute?: boolean;
  /**
   * IPv6: IFA_F_NODAD, skip duplicate address detection. Defaults to true, keepalived's choice
   * for VIPs; false for a VIP configured with keepalived's `-nodad` option (which, despite its
   * name, turns DAD back on).
   */
  noDad?: boolean;
  /** IPv6: IFA_F_HOMEADDRESS (keepalived's `home`). */
  homeAddress?: boolean;
  /** IPv6: IFA_F_MANAGETEMPADDR (keepalived's `mngtmpaddr`). */
  manageTempAddress?: boolean;
  /** IFA_F_MCAUTOJOIN (keepalived's `autojoin`). */
  multicastAutoJoin?: boolean;
  /**
   * IPv6: preferred lifetime in seconds (keepalived's `preferred_lft`; 0 marks the address
   * deprecated so it is not chosen as a source, RFC 4862 §5.5.4). Valid lifetime stays forever.
   */
  preferredLifetime?: number;
}

export interface InterfaceAddress {
  ifindex: number;
  address: string;
  prefixLength: number;
  label?: string;
  broadcast?: string;
  scope: number;
  /** IFA_F_SECONDARY: another address of the same subnet was there first. */
  secondary: boolean;
  /** IPv6 only: IFA_F_TENTATIVE, DAD is still running (the address cannot be used yet). */
  tentative?: boolean;
  /** IPv6 only: IFA_F_DADFAILED, another node on the link has it (never becomes usable). */
  dadFailed?: boolean;
  /** IPv6 only: IFA_F_NODAD, added without duplicate address detection. */
  noDad?: boolean;
  /** IPv6 only: IFA_F_DEPRECATED, preferred lifetime over (not chosen as a source). */
  deprecated?: boolean;
}

export type AddOutcome = 'added' | 'exists';
export type RemoveOutcome = 'removed' | 'absent';
/** Which addresses list() returns. */
export type AddressFamilyFilter = AddressFamily | 'all';

export interface KernelAddresses {
  /** Adds an address; 'exists' (not an error) if the interface already has it. */
  add(spec: AddressSpec): Promise<AddOutcome>;
  /** Removes an address; 'absent' (not an error) if the interface does not have it, or is gone. */
  remove(spec: Pick<AddressSpec, 'ifindex' | 'address' | 'prefixLength'>): Promise<RemoveOutcome>;
  /**
   * Addresses of one interface, or of all interfaces. IPv4 only unless `family` says otherwise,
   * so callers written for IPv4 (primary address, leftover VIPs) never see IPv6 ones.
   */
  list(ifindex?: number, family?: AddressFamilyFilter): Promise<InterfaceAddress[]>;
  /**
   * The interface's usable link-local IPv6 address (not tentative, not dadfailed), the source
   * of its IPv6 adverts; null if it has none yet (DAD still running after link-up, or IPv6 off).
   */
  linkLocalAddress(ifindex: number): Promise<string | null>;
}

export function familyOf(address: string): AddressFamily | null {
  if (isIpv4(address)) return 'ipv4';
  if (isIpv6(address)) return 'ipv6';
  return null;
}

function requireAddress(spec: Pick<AddressSpec, 'ifindex' | 'address' | 'prefixLength'>): AddressFamily {
  const family = familyOf(spec.address);
  if (!family) throw new RangeError(`not an IPv4 or IPv6 address: ${spec.address}`);
  const max = family === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 0 || spec.prefixLength > max) {
    throw new RangeError(
      `${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix length must be 0..${max}: ${spec.prefixLength}`,
    );
  }
  if (!Number.isInteger(spec.ifindex) || spec.ifindex <= 0)
    throw new RangeError(`bad ifindex ${spec.ifindex}`);
  return family;
}

function addressBytes(family: AddressFamily, address: string): Buffer {
  return family === 'ipv4' ? ipv4ToBytes(address) : ipv6ToBytes(address);
}

/** Converts one RTM_NEWADDR/RTM_DELADDR message to our shape; null for other families. */
export function interfaceAddressFrom(message: AddressMessage): InterfaceAddress | null {
  const { data, attrs } = message;
  // For broadcast interfaces IFA_LOCAL and IFA_ADDRESS are equal; on point-to-point links
  // IFA_ADDRESS is the peer, so prefer IFA_LOCAL. (IPv6 usually sends only IFA_ADDRESS.)
  const bytes = attrs.local ?? attrs.address;
  // IFA_FLAGS (32 bits) supersedes the 8-bit ifa_flags when present.
  const flags = attrs.flags ?? data.flags ?? {};
  const base = (address: string): InterfaceAddress => ({
    ifindex: data.index ?? 0,
    address,
    prefixLength: data.prefixlen ?? 0,
    scope: data.scope ?? 0,
    secondary: Boolean(flags.secondary),
  });
  if (data.family === AF_INET && bytes?.length === 4) {
    const result = base(ipv4FromBytes(bytes));
    if (attrs.label) result.label = attrs.label;
    if (attrs.broadcast && attrs.broadcast.length === 4) result.broadcast = ipv4FromBytes(attrs.broadcast);
    return result;
  }
  if (data.family === AF_INET6 && bytes?.length === 16) {
    return {
      ...base(ipv6FromBytes(bytes)),
      tentative: Boolean(flags.tentative),
      dadFailed: Boolean(flags.dadfailed),
      noDad: Boolean(flags.nodad),
      deprecated: Boolean(flags.deprecated),
    };
  }
  return null;
}

function matchesFamily(address: InterfaceAddress, family: AddressFamilyFilter): boolean {
  if (family === 'all') return true;
  return (family === 'ipv6') === address.address.includes(':');
}

/** True for a link-local IPv6 address that can be used as a source now. */
export function isUsableLinkLocal(address: InterfaceAddress): boolean {
  return isLinkLocalIpv6(address.address) && !address.tentative && !address.dadFailed;
}

function addressFlags(spec: AddressSpec, family: AddressFamily): AddressFlags | undefined {
  const flags: AddressFlags = {};
  if (spec.noPrefixRoute) flags.noprefixroute = true;
  if (spec.multicastAutoJoin) flags.mcautojoin = true;
  // keepalived sends home and mngtmpaddr for either family (IPv4 keeps them as plain flags).
  if (spec.homeAddress) flags.homeaddress = true;
  if (spec.manageTempAddress) flags.managetempaddr = true;
  if (family === 'ipv6' && (spec.noDad ?? true)) flags.nodad = true;
  return Object.keys(flags).length > 0 ? flags : undefined;
}

function describeSpec(spec: Pick<AddressSpec, 'address' | 'prefixLength'>): string {
  return `${spec.address}/${spec.prefixLength}`;
}

export function createKernelAddresses(netlink: RouteNetlink): KernelAddresses {
  const list = async (
    ifindex?: number,
    family: AddressFamilyFilter = 'ipv4',
  ): Promise<InterfaceAddress[]> => {
    const request = family === 'ipv4' ? AF_INET : family === 'ipv6' ? AF_INET6 : 0;
    const messages = await netlink.exchange(
      'list addresses',
      RTM_GETADDR,
      formatAddressMessage({ data: { family: request }, attrs: {} }),
      DUMP,
    );
    return messages
      .map((message) => interfaceAddressFrom(parseAddressMessage(message.data)))
      .filter(
        (a): a is InterfaceAddress =>
          a !== null && matchesFamily(a, family) && (ifindex === undefined || a.ifindex === ifindex),
      );
  };

  return {
    async add(spec) {
      const family = requireAddress(spec);
      if (family === 'ipv6' && spec.broadcast)
        throw new RangeError('IPv6 addresses have no broadcast address');
      const local = addressBytes(family, spec.address);
      if (spec.peer !== undefined && familyOf(spec.peer) !== family)
        throw new RangeError(`peer ${spec.peer} is not of the address's family`);
      const peer = spec.peer === undefined ? local : addressBytes(family, spec.peer);
      const attrs: AddressAttrs = { local, address: peer };
      if (spec.label && family === 'ipv4') attrs.label = spec.label;
      if (spec.broadcast) attrs.broadcast = ipv4ToBytes(spec.broadcast);
      const flags = addressFlags(spec, family);
      if (flags) attrs.flags = flags;
      if (family === 'ipv6' && spec.preferredLifetime !== undefined) {
        if (!Number.isInteger(spec.preferredLifetime) || spec.preferredLifetime < 0) {
          throw new RangeError(`bad preferred lifetime ${spec.preferredLifetime}`);
        }
        attrs.cacheInfo = { ifaPrefered: spec.preferredLifetime, ifaValid: INFINITE_LIFETIME };
      }
      const data: AddressHeader = {
        family: family === 'ipv4' ? AF_INET : AF_INET6,
        prefixlen: spec.prefixLength,
        index: spec.ifindex,
        scope: scopeNumber(spec.scope ?? (isLinkLocalIpv6(spec.address) ? SCOPES.link : 'global')),
      };
      try {
        await netlink.exchange(
          `add address ${describeSpec(spec)}`,
          RTM_NEWADDR,
          formatAddressMessage({ data, attrs }),
          CREATE_EXCLUSIVE,
        );
        return 'added';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'EEXIST') return 'exists';
        throw error;
      }
    },

    async remove(spec) {
      const family = requireAddress(spec);
      const local = addressBytes(family, spec.address);
      try {
        const data: AddressHeader = {
          family: family === 'ipv4' ? AF_INET : AF_INET6,
          prefixlen: spec.prefixLength,
          index: spec.ifindex,
        };
        await netlink.exchange(
          `remove address ${describeSpec(spec)}`,
          RTM_DELADDR,
          formatAddressMessage({ data, attrs: { local } }),
        );
        return 'removed';
      } catch (error) {
        // EADDRNOTAVAIL: no such address on the interface (both families). ENODEV: the interface
        // itself is gone (a VMAC or base deleted since its index was looked up), its addresses
        // with it.
        if (error instanceof NetlinkError && (error.code === 'EADDRNOTAVAIL' || error.code === 'ENODEV'))
          return 'absent';
        throw error;
      }
    },

    list,

    async linkLocalAddress(ifindex) {
      const addresses = await list(ifindex, 'ipv6');
      return addresses.find(isUsableLinkLocal)?.address ?? null;
    },
  };
}
