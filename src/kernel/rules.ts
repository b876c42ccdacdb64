// IPv4 policy-routing rules over rtnetlink (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE):
// keepalived's virtual_rules, and per-uplink source routing (`from 198.51.100.2 lookup 101`).

import { rt } from 'netlink';
import { ipv4FromBytes, ipv4ToBytes, isIpv4 } from '../packet/address.js';
import { CREATE_EXCLUSIVE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import type { AddOutcome, RemoveOutcome } from './addresses.js';

const AF_INET = 2;
/** FR_ACT_TO_TBL: look the packet up in `table`. */
const FR_ACT_TO_TBL = 1;

export interface Ipv4Prefix {
  address: string;
  prefixLength: number;
}

export interface RuleSpec {
  /** `lookup` table. */
  table: number;
  /** `pref`/`priority`; the kernel picks one below the previous rule when omitted. */
  priority?: number;
  from?: Ipv4Prefix;
  to?: Ipv4Prefix;
  fwmark?: number;
  /** Mask for fwmark (defaults to all bits, as the kernel). */
  fwmask?: number;
  /** Incoming interface name (`iif`). */
  iif?: string;
  /** Outgoing interface name (`oif`). */
  oif?: string;
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
  /** IPv4 rules, in priority order. */
  list(): Promise<KernelRule[]>;
}

function requirePrefix(name: string, prefix: Ipv4Prefix | undefined): void {
  if (!prefix) return;
  if (!isIpv4(prefix.address)) throw new RangeError(`rule ${name} is not IPv4: ${prefix.address}`);
  if (!Number.isInteger(prefix.prefixLength) || prefix.prefixLength < 0 || prefix.prefixLength > 32) {
    throw new RangeError(`rule ${name} prefix length must be 0..32: ${prefix.prefixLength}`);
  }
}

function ruleMessage(spec: RuleSpec): { data: rt.Rule; attrs: rt.RuleAttrs } {
  requirePrefix('from', spec.from);
  requirePrefix('to', spec.to);
  if (!Number.isInteger(spec.table) || spec.table <= 0) throw new RangeError(`bad rule table ${spec.table}`);
  const data: rt.Rule = {
    family: AF_INET,
    srcLen: spec.from?.prefixLength ?? 0,
    dstLen: spec.to?.prefixLength ?? 0,
    table: spec.table < 256 ? spec.table : 0,
    action: FR_ACT_TO_TBL,
  };
  const attrs: rt.RuleAttrs = { table: spec.table };
  if (spec.from) attrs.src = ipv4ToBytes(spec.from.address);
  if (spec.to) attrs.dst = ipv4ToBytes(spec.to.address);
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
  if (data.family !== AF_INET) return null;
  const actionName = data.action;
  const action =
    typeof actionName === 'number'
      ? actionName
      : ((rt.RuleAction as unknown as Record<string, number>)[actionName ?? 'unspec'] ?? 0);
  const rule: KernelRule = { table: attrs.table ?? data.table ?? 0, action };
  if (attrs.priority !== undefined) rule.priority = attrs.priority;
  if (attrs.src && attrs.src.length === 4)
    rule.from = { address: ipv4FromBytes(attrs.src), prefixLength: data.srcLen ?? 0 };
  if (attrs.dst && attrs.dst.length === 4)
    rule.to = { address: ipv4FromBytes(attrs.dst), prefixLength: data.dstLen ?? 0 };
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

    async list() {
      const messages = await netlink.request('list rules', (socket, timeout) =>
        socket.getRules({ family: AF_INET }, undefined, { timeout }),
      );
      return messages
        .map(kernelRuleFrom)
        .filter((r): r is KernelRule => r !== null)
        .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    },
  };
}
