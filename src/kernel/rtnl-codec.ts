// Our own codec for the two rtnetlink message families every configuration uses: links
// (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK, struct ifinfomsg) and interface addresses
// (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR, struct ifaddrmsg), with only the attributes vrrpd reads
// or writes (rtnetlink(7), if_link.h, if_addr.h). Why not the `netlink` package's rtnetlink
// definitions, as for routes, rules and stacked links: loading them (rt/rt.js with its generated
// structs and every link kind's attributes) costs ~1.5 MiB of resident memory and ~15 ms of start-up
// (issue 15), which a configuration with only virtual addresses never needed. The message shapes
// are the package's, narrowed to these fields, so a package-parsed message is one of these too.
// Integers are in host byte order. Pure; parsing never throws on a short or malformed message.

import {
  attribute,
  cString,
  parseAttributes,
  readCString,
  readI32,
  readU32,
  u32,
} from './netlink-attributes.js';

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;

/** Multicast groups (RTNLGRP_*). */
export const RTNLGRP_LINK = 1;
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTNLGRP_IPV6_IFADDR = 9;

const IFINFOMSG_LENGTH = 16;
const IFADDRMSG_LENGTH = 8;

const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_OPERSTATE = 16;
const IFLA_LINKINFO = 18;

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const IFF_LOWER_UP = 0x10000;

const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_LABEL = 3;
const IFA_BROADCAST = 4;
const IFA_CACHEINFO = 6;
const IFA_FLAGS = 8;

export interface LinkFlags {
  up?: boolean;
  running?: boolean;
  lowerUp?: boolean;
}

export interface LinkMessage {
  data: { index?: number; flags?: LinkFlags };
  attrs: { ifname?: string; address?: Buffer; operstate?: number; linkinfo?: Buffer };
}

/** ifa_flags / IFA_FLAGS bits, by the `netlink` package's names. */
const ADDRESS_FLAG_BITS = {
  secondary: 0x01,
  nodad: 0x02,
  optimistic: 0x04,
  dadfailed: 0x08,
  homeaddress: 0x10,
  deprecated: 0x20,
  tentative: 0x40,
  permanent: 0x80,
  managetempaddr: 0x100,
  noprefixroute: 0x200,
  mcautojoin: 0x400,
  stablePrivacy: 0x800,
} as const;

export type AddressFlags = { -readonly [Name in keyof typeof ADDRESS_FLAG_BITS]?: boolean };

export interface AddressHeader {
  family?: number;
  prefixlen?: number;
  flags?: AddressFlags;
  scope?: number;
  index?: number;
}

export interface AddressAttrs {
  address?: Buffer;
  local?: Buffer;
  label?: string;
  broadcast?: Buffer;
  flags?: AddressFlags;
  /** struct ifa_cacheinfo's lifetimes, seconds (0xffffffff: forever). */
  cacheInfo?: { ifaPrefered?: number; ifaValid?: number };
}

export interface AddressMessage {
  data: AddressHeader;
  attrs: AddressAttrs;
}

function addressFlagsFrom(bits: number): AddressFlags {
  const flags: AddressFlags = {};
  for (const [name, bit] of Object.entries(ADDRESS_FLAG_BITS))
    if (bits & bit) flags[name as keyof AddressFlags] = true;
  return flags;
}

function addressFlagBits(flags: AddressFlags): number {
  let bits = 0;
  for (const [name, bit] of Object.entries(ADDRESS_FLAG_BITS))
    if (flags[name as keyof AddressFlags]) bits |= bit;
  return bits >>> 0;
}

/** The payload of an RTM_*LINK message. */
export function parseLinkMessage(payload: Buffer): LinkMessage {
  if (payload.length < IFINFOMSG_LENGTH) return { data: {}, attrs: {} };
  const flags = readU32(payload, 8);
  const found = parseAttributes(payload.subarray(IFINFOMSG_LENGTH));
  const attrs: LinkMessage['attrs'] = {};
  const ifname = found.get(IFLA_IFNAME);
  if (ifname) attrs.ifname = readCString(ifname);
  const address = found.get(IFLA_ADDRESS);
  if (address) attrs.address = address;
  const operstate = found.get(IFLA_OPERSTATE);
  if (operstate && operstate.length >= 1) attrs.operstate = operstate[0]!;
  const linkinfo = found.get(IFLA_LINKINFO);
  if (linkinfo) attrs.linkinfo = linkinfo;
  return {
    data: {
      index: readI32(payload, 4),
      flags: {
        up: (flags & IFF_UP) !== 0,
        running: (flags & IFF_RUNNING) !== 0,
        lowerUp: (flags & IFF_LOWER_UP) !== 0,
      },
    },
    attrs,
  };
}

/** An RTM_GETLINK request: every link (dump), or the one named `ifname`. */
export function linkRequest(ifname?: string): Buffer {
  const header = Buffer.alloc(IFINFOMSG_LENGTH);
  return ifname === undefined ? header : Buffer.concat([header, attribute(IFLA_IFNAME, cString(ifname))]);
}

/** The payload of an RTM_*ADDR message. */
export function parseAddressMessage(payload: Buffer): AddressMessage {
  if (payload.length < IFADDRMSG_LENGTH) return { data: {}, attrs: {} };
  const found = parseAttributes(payload.subarray(IFADDRMSG_LENGTH));
  const attrs: AddressAttrs = {};
  const address = found.get(IFA_ADDRESS);
  if (address) attrs.address = address;
  const local = found.get(IFA_LOCAL);
  if (local) attrs.local = local;
  const label = found.get(IFA_LABEL);
  if (label) attrs.label = readCString(label);
  const broadcast = found.get(IFA_BROADCAST);
  if (broadcast) attrs.broadcast = broadcast;
  const flags = found.get(IFA_FLAGS);
  if (flags && flags.length >= 4) attrs.flags = addressFlagsFrom(readU32(flags));
  const cacheInfo = found.get(IFA_CACHEINFO);
  if (cacheInfo && cacheInfo.length >= 8) {
    attrs.cacheInfo = { ifaPrefered: readU32(cacheInfo, 0), ifaValid: readU32(cacheInfo, 4) };
  }
  return {
    data: {
      family: payload[0]!,
      prefixlen: payload[1]!,
      flags: addressFlagsFrom(payload[2]!),
      scope: payload[3]!,
      index: readU32(payload, 4),
    },
    attrs,
  };
}

/** The payload of an RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR request. */
export function formatAddressMessage(message: AddressMessage): Buffer {
  const { data, attrs } = message;
  const header = Buffer.alloc(IFADDRMSG_LENGTH);
  header[0] = data.family ?? 0;
  header[1] = data.prefixlen ?? 0;
  // The 8-bit field carries the low flags; IFA_FLAGS carries them all.
  header[2] = data.flags ? addressFlagBits(data.flags) & 0xff : 0;
  header[3] = data.scope ?? 0;
  u32(data.index ?? 0).copy(header, 4);
  const parts: Buffer[] = [header];
  if (attrs.address) parts.push(attribute(IFA_ADDRESS, attrs.address));
  if (attrs.local) parts.push(attribute(IFA_LOCAL, attrs.local));
  if (attrs.label !== undefined) parts.push(attribute(IFA_LABEL, cString(attrs.label)));
  if (attrs.broadcast) parts.push(attribute(IFA_BROADCAST, attrs.broadcast));
  if (attrs.cacheInfo) {
    const { ifaPrefered = 0, ifaValid = 0 } = attrs.cacheInfo;
    // struct ifa_cacheinfo: prefered, valid, cstamp, tstamp (the kernel ignores the stamps).
    parts.push(attribute(IFA_CACHEINFO, Buffer.concat([u32(ifaPrefered), u32(ifaValid), u32(0), u32(0)])));
  }
  if (attrs.flags) parts.push(attribute(IFA_FLAGS, u32(addressFlagBits(attrs.flags))));
  return Buffer.concat(parts);
}
