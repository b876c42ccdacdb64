// Policy-routing rules over rtnetlink (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE), IPv4 and IPv6:
// keepalived's virtual_rules and static_rules with every selector and action `ip rule` has
// (FRA_* of linux/fib_rules.h), and per-uplink source routing (`from 198.51.100.2 lookup 101`).
// A rule's family is its from/to prefixes'; a rule with neither is IPv4 unless `family` says.
// Removal sends the same message: the kernel deletes the first rule matching every field given.

import { AttrStream, rtStructs, type rt } from './netlink-package.js';
import { ipv4FromBytes, ipv4ToBytes } from '../packet/address.js';
import { ipv6FromBytes, ipv6ToBytes } from '../packet/address6.js';
import type { AddressFamily } from '../packet/types.js';
import { CREATE_EXCLUSIVE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import { AF_INET, AF_INET6, familyOf, type AddOutcome, type RemoveOutcome } from './addresses.js';
import { readU32, u32 } from './netlink-attributes.js';

/** FR_ACT_*: what the rule does with a matching packet (linux/fib_rules.h). */
export const RULE_ACTIONS = {
  table: 1,
  goto: 2,
  nop: 3,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
} as const;
export type RuleType = keyof typeof RULE_ACTIONS;

export interface RulePrefix {
  address: string;
  prefixLength: number;
}
/** The name this type had while rules were IPv4 only. */
export type Ipv4Prefix = RulePrefix;

export interface RuleRange {
  start: number;
  end: number;
}

export interface RuleSpec {
  /** `lookup` table; needed by a table rule, unless it is l3mdev. */
  table?: number;
  /** Defaults to table (FR_ACT_TO_TBL). */
  type?: RuleType;
  /** goto: the priority matching continues at (FRA_GOTO). */
  goto?: number;
  /** `not`: FIB_RULE_INVERT. */
  invert?: boolean;
  /** DS field to match (fib_rule_hdr.tos). */
  tos?: number;
  /** `pref`/`priority`; the kernel picks one below the previous rule when omitted. */
  priority?: number;
  from?: RulePrefix;
  to?: RulePrefix;
  fwmark?: number;
  /** Mask for fwmark (defaults to all bits, as the kernel). */
  fwmask?: number;
  /** Incoming interface name (`iif`). */
  iif?: string;
  /** Outgoing interface name (`oif`). */
  oif?: string;
  /** IPv4 realms (FRA_FLOW): FROM << 16 | TO. */
  realms?: number;
  /** FRA_SUPPRESS_PREFIXLEN. */
  suppressPrefixLength?: number;
  /** FRA_SUPPRESS_IFGROUP. */
  suppressIfgroup?: number;
  /** FRA_TUN_ID, a 64-bit number in decimal (big-endian on the wire). */
  tunnelId?: string;
  /** FRA_UID_RANGE. */
  uidRange?: RuleRange;
  /** FRA_L3MDEV: the table is the VRF device's. */
  l3mdev?: boolean;
  /** FRA_PROTOCOL: who installed the rule (keepalived's 18). */
  protocol?: number;
  /** FRA_IP_PROTO. */
  ipProto?: number;
  /** FRA_SPORT_RANGE / FRA_DPORT_RANGE. */
  sport?: RuleRange;
  dport?: RuleRange;
  /** For a rule without from/to (`ip -6 rule add fwmark 1 lookup 100`); else their family. */
  family?: AddressFamily;
}

export interface KernelRule extends RuleSpec {
  /** RTA_TABLE / the header's table; 0 for rules without one. */
  table: number;
  /** The rule's action (FR_ACT_*): 1 = lookup table. */
  action: number;
}

export interface KernelRules {
  /** Adds a rule; 'exists' when an identical rule is present (the kernel checks with EXCL). */
  add(spec: RuleSpec): Promise<AddOutcome>;
  /** Deletes the first rule matching the given fields; 'absent' if none. */
  remove(spec: RuleSpec): Promise<RemoveOutcome>;
  /** Rules of one family (IPv4 unless told), in priority order. */
  list(family?: AddressFamily): Promise<KernelRule[]>;
}

function ruleFamily(spec: RuleSpec): AddressFamily {
  const families = [spec.from, spec.to]
    .filter((p): p is RulePrefix => p !== undefined)
    .map((p) => familyOf(p.address));
  const family = families[0] ?? spec.family ?? 'ipv4';
  for (const [name, prefix] of [
    ['from', spec.from],
    ['to', spec.to],
  ] as const) {
    if (!prefix) continue;
    const max = family === 'ipv4' ? 32 : 128;
    if (familyOf(prefix.address) !== family || (spec.family && spec.family !== family)) {
      throw new RangeError(`rule ${name} is not ${family === 'ipv4' ? 'IPv4' : 'IPv6'}: ${prefix.address}`);
    }
    if (!Number.isInteger(prefix.prefixLength) || prefix.prefixLength < 0 || prefix.prefixLength > max) {
      throw new RangeError(`rule ${name} prefix length must be 0..${max}: ${prefix.prefixLength}`);
    }
  }
  return family;
}

/** The 8 bytes of FRA_TUN_ID: the id in network byte order. */
export function tunnelIdBytes(id: string): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(id));
  return buf;
}

function requireRuleShape(spec: RuleSpec, type: RuleType): void {
  const needsTable = type === 'table' && !spec.l3mdev;
  if (needsTable && (!Number.isInteger(spec.table) || (spec.table as number) <= 0)) {
    throw new RangeError(`bad rule table ${spec.table}`);
  }
  if (type === 'goto' && !Number.isInteger(spec.goto)) throw new RangeError('a goto rule needs its target');
}

function ruleMessage(spec: RuleSpec): { data: rt.Rule; attrs: rt.RuleAttrs } {
  const family = ruleFamily(spec);
  const bytes = (address: string): Buffer =>
    family === 'ipv4' ? ipv4ToBytes(address) : ipv6ToBytes(address);
  const type = spec.type ?? 'table';
  requireRuleShape(spec, type);
  const table = spec.table ?? 0;
  const data: rt.Rule = {
    family: family === 'ipv4' ? AF_INET : AF_INET6,
    srcLen: spec.from?.prefixLength ?? 0,
    dstLen: spec.to?.prefixLength ?? 0,
    tos: spec.tos ?? 0,
    table: table < 256 ? table : 0,
    action: RULE_ACTIONS[type],
  };
  if (spec.invert) data.flags = { invert: true };
  const attrs: rt.RuleAttrs = {};
  if (spec.table !== undefined) attrs.table = spec.table;
  if (spec.from) attrs.src = bytes(spec.from.address);
  if (spec.to) attrs.dst = bytes(spec.to.address);
  if (spec.priority !== undefined) attrs.priority = spec.priority;
  if (spec.fwmark !== undefined) {
    attrs.fwmark = spec.fwmark;
    if (spec.fwmask !== undefined) attrs.fwmask = spec.fwmask;
  }
  if (spec.iif) attrs.iifname = spec.iif;
  if (spec.oif) attrs.oifname = spec.oif;
  if (type === 'goto') attrs.goto = spec.goto as number;
  if (spec.realms !== undefined) attrs.flow = spec.realms;
  if (spec.suppressPrefixLength !== undefined) attrs.suppressPrefixlen = u32(spec.suppressPrefixLength);
  if (spec.suppressIfgroup !== undefined) attrs.suppressIfgroup = u32(spec.suppressIfgroup);
  if (spec.tunnelId !== undefined) attrs.tunId = tunnelIdBytes(spec.tunnelId);
  if (spec.uidRange) attrs.uidRange = { ...spec.uidRange };
  if (spec.l3mdev) attrs.l3Mdev = 1;
  if (spec.protocol !== undefined) attrs.protocol = spec.protocol;
  if (spec.ipProto !== undefined) attrs.ipProto = spec.ipProto;
  if (spec.sport) attrs.sportRange = { ...spec.sport };
  if (spec.dport) attrs.dportRange = { ...spec.dport };
  return { data, attrs };
}

/** Exposed for the encoding tests: the RTM_NEWRULE body (fib_rule_hdr and attributes) of a spec. */
export function ruleMessageBytes(spec: RuleSpec): Buffer {
  const { data, attrs } = ruleMessage(spec);
  const stream = new AttrStream();
  rtStructs().formatRuleMessage({ kind: 'rule', data, attrs }, stream);
  return Buffer.concat(stream.bufs);
}

function describe(spec: RuleSpec): string {
  const type = spec.type ?? 'table';
  const parts = [
    type === 'table'
      ? spec.l3mdev
        ? 'l3mdev'
        : `lookup ${spec.table}`
      : type === 'goto'
        ? `goto ${spec.goto}`
        : type,
  ];
  if (spec.priority !== undefined) parts.unshift(`pref ${spec.priority}`);
  if (spec.invert) parts.unshift('not');
  if (spec.from) parts.push(`from ${spec.from.address}/${spec.from.prefixLength}`);
  if (spec.to) parts.push(`to ${spec.to.address}/${spec.to.prefixLength}`);
  if (spec.fwmark !== undefined) parts.push(`fwmark ${spec.fwmark}`);
  return parts.join(' ');
}

const ACTION_NAMES = new Map<number, RuleType>(
  Object.entries(RULE_ACTIONS).map(([name, number]) => [number, name as RuleType]),
);

export function kernelRuleFrom(message: rt.RuleMessage): KernelRule | null {
  const { data, attrs } = message;
  const length = data.family === AF_INET ? 4 : data.family === AF_INET6 ? 16 : 0;
  if (length === 0) return null;
  const text = (bytes: Buffer | undefined): string | undefined =>
    bytes && bytes.length === length
      ? length === 4
        ? ipv4FromBytes(bytes)
        : ipv6FromBytes(bytes)
      : undefined;
  const actionName = data.action;
  const action =
    typeof actionName === 'number'
      ? actionName
      : ((rtStructs().RuleAction as unknown as Record<string, number>)[actionName ?? 'unspec'] ?? 0);
  const rule: KernelRule = { table: attrs.table ?? data.table ?? 0, action };
  // Fields at their defaults are left out, so a listed rule equals the spec that made it.
  const type = ACTION_NAMES.get(action);
  if (type && type !== 'table') rule.type = type;
  if (type === 'goto' && attrs.goto !== undefined) rule.goto = attrs.goto;
  if (data.flags?.invert) rule.invert = true;
  if (data.tos) rule.tos = data.tos;
  if (attrs.priority !== undefined) rule.priority = attrs.priority;
  const from = text(attrs.src);
  if (from) rule.from = { address: from, prefixLength: data.srcLen ?? 0 };
  const to = text(attrs.dst);
  if (to) rule.to = { address: to, prefixLength: data.dstLen ?? 0 };
  // IPv4 rules keep their old shape; IPv6 ones say so (a bare `fwmark` rule has no address).
  if (length === 16) rule.family = 'ipv6';
  if (attrs.fwmark !== undefined) rule.fwmark = attrs.fwmark;
  if (attrs.fwmask !== undefined) rule.fwmask = attrs.fwmask;
  if (attrs.iifname) rule.iif = attrs.iifname;
  if (attrs.oifname) rule.oif = attrs.oifname;
  if (attrs.flow) rule.realms = attrs.flow;
  // The kernel reports "none" as -1 (all bits set).
  const suppress = (buf: Buffer | undefined): number | undefined =>
    buf && buf.length === 4 && readU32(buf) !== 0xffff_ffff ? readU32(buf) : undefined;
  const prefixLength = suppress(attrs.suppressPrefixlen);
  if (prefixLength !== undefined) rule.suppressPrefixLength = prefixLength;
  const ifgroup = suppress(attrs.suppressIfgroup);
  if (ifgroup !== undefined) rule.suppressIfgroup = ifgroup;
  if (attrs.tunId && attrs.tunId.length === 8 && attrs.tunId.readBigUInt64BE() !== 0n) {
    rule.tunnelId = attrs.tunId.readBigUInt64BE().toString();
  }
  if (attrs.uidRange && !(attrs.uidRange.start === 0 && attrs.uidRange.end === 0xffff_ffff)) {
    rule.uidRange = { start: attrs.uidRange.start ?? 0, end: attrs.uidRange.end ?? 0 };
  }
  if (attrs.l3Mdev) rule.l3mdev = true;
  if (attrs.protocol) rule.protocol = attrs.protocol;
  if (attrs.ipProto) rule.ipProto = attrs.ipProto;
  if (attrs.sportRange) rule.sport = { start: attrs.sportRange.start ?? 0, end: attrs.sportRange.end ?? 0 };
  if (attrs.dportRange) rule.dport = { start: attrs.dportRange.start ?? 0, end: attrs.dportRange.end ?? 0 };
  return rule;
}

export function createKernelRules(netlink: RouteNetlink): KernelRules {
  return {
    async add(spec) {
      const { data, attrs } = ruleMessage(spec);
      try {
        await netlink.request(`add rule ${describe(spec)}`, (socket, timeout) =>
          socket.newRule(data, attrs, { flags: CREATE_EXCLUSIVE, timeout }),
        );
        return 'added';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'EEXIST') return 'exists';
        throw error;
      }
    },

    async remove(spec) {
      const { data, attrs } = ruleMessage(spec);
      try {
        await netlink.request(`remove rule ${describe(spec)}`, (socket, timeout) =>
          socket.delRule(data, attrs, { timeout }),
        );
        return 'removed';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'ENOENT') return 'absent';
        throw error;
      }
    },

    async list(family = 'ipv4') {
      const messages = await netlink.request('list rules', (socket, timeout) =>
        socket.getRules({ family: family === 'ipv4' ? AF_INET : AF_INET6 }, undefined, { timeout }),
      );
      return messages
        .map(kernelRuleFrom)
        .filter((r): r is KernelRule => r !== null)
        .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    },
  };
}
