// Policy-routing rules over rtnetlink (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE), IPv4 and IPv6:
// keepalived's virtual_rules, and per-uplink source routing (`from 198.51.100.2 lookup 101`).
// A rule's family is its from/to prefixes'; a rule with neither is IPv4 unless `family` says.

import { rt } from 'netlink';
import { ipv4FromBytes, ipv4ToBytes } from '../packet/address.js';
import { ipv6FromBytes, ipv6ToBytes } from '../packet/address6.js';
import type { AddressFamily } from '../packet/types.js';
import { CREATE_EXCLUSIVE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import { AF_INET, AF_INET6, familyOf, type AddOutcome, type RemoveOutcome } from './addresses.js';

/** FR_ACT_TO_TBL: look the packet up in `table`. */
const FR_ACT_TO_TBL = 1;

export interface RulePrefix {
  address: string;
  prefixLength: number;
}
/** The name this type had while rules were IPv4 only. */
export type Ipv4Prefix = RulePrefix;

export interface RuleSpec {
  /** `lookup` table. */
  table: number;
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
  /** For a rule without from/to (`ip -6 rule add fwmark 1 lookup 100`); else their family. */
  family?: AddressFamily;
}

export interface KernelRule extends RuleSpec {
  /** The rule's action: 1 = lookup table (others appear for rules we did not write). */
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

function ruleMessage(spec: RuleSpec): { data: rt.Rule; attrs: rt.RuleAttrs } {
  const family = ruleFamily(spec);
  const bytes = (address: string): Buffer =>
    family === 'ipv4' ? ipv4ToBytes(address) : ipv6ToBytes(address);
  if (!Number.isInteger(spec.table) || spec.table <= 0) throw new RangeError(`bad rule table ${spec.table}`);
  const data: rt.Rule = {
    family: family === 'ipv4' ? AF_INET : AF_INET6,
    srcLen: spec.from?.prefixLength ?? 0,
    dstLen: spec.to?.prefixLength ?? 0,
    table: spec.table < 256 ? spec.table : 0,
    action: FR_ACT_TO_TBL,
  };
  const attrs: rt.RuleAttrs = { table: spec.table };
  if (spec.from) attrs.src = bytes(spec.from.address);
  if (spec.to) attrs.dst = bytes(spec.to.address);
  if (spec.priority !== undefined) attrs.priority = spec.priority;
  if (spec.fwmark !== undefined) {
    attrs.fwmark = spec.fwmark;
    if (spec.fwmask !== undefined) attrs.fwmask = spec.fwmask;
  }
  if (spec.iif) attrs.iifname = spec.iif;
  if (spec.oif) attrs.oifname = spec.oif;
  return { data, attrs };
}

function describe(spec: RuleSpec): string {
  const parts = [`lookup ${spec.table}`];
  if (spec.priority !== undefined) parts.unshift(`pref ${spec.priority}`);
  if (spec.from) parts.push(`from ${spec.from.address}/${spec.from.prefixLength}`);
  if (spec.to) parts.push(`to ${spec.to.address}/${spec.to.prefixLength}`);
  if (spec.fwmark !== undefined) parts.push(`fwmark ${spec.fwmark}`);
  return parts.join(' ');
}

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
      : ((rt.RuleAction as unknown as Record<string, number>)[actionName ?? 'unspec'] ?? 0);
  const rule: KernelRule = { table: attrs.table ?? data.table ?? 0, action };
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
