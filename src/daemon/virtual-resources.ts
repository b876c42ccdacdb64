// Applies what a MASTER owns to the kernel: virtual addresses, virtual routes and virtual rules
// (keepalived's virtual_ipaddress / _excluded / virtual_routes / virtual_rules), and takes them
// away again. Converts the config model's specs into the netlink adapters' specs. Failures are
// logged, never thrown: a half-applied set must not stop the VRRP protocol.

import type {
  RouteEncapSpec,
  RouteSpec as ConfigRoute,
  RuleSpec as ConfigRule,
  VipSpec,
} from '../config/model/types.js';
import type { KernelAddresses, AddressSpec } from '../kernel/addresses.js';
import type { KernelRoutes, RouteSpec as KernelRouteSpec } from '../kernel/routes.js';
import type { KernelRules, RuleSpec as KernelRuleSpec, Ipv4Prefix } from '../kernel/rules.js';
import type { RouteNexthop } from '../kernel/route-nexthops.js';
import type { RouteEncap } from '../kernel/route-encap.js';
import type { ScopeName } from '../kernel/scopes.js';
import type { Logger } from '../runtime/log.js';
import { errorMessage } from '../runtime/errors.js';
import { LOG, say } from '../runtime/messages.js';

const KEEPALIVED_ROUTE_PROTOCOL = 18;

export interface InterfaceIndexer {
  /** ifindex of an interface by name, or undefined if it does not exist now. */
  indexOf(name: string): number | undefined;
}

export interface KernelResources {
  addresses: KernelAddresses;
  routes: KernelRoutes;
  rules: KernelRules;
}

function prefixOf(cidr: string): Ipv4Prefix {
  const [address, length] = cidr.split('/');
  const full = address!.includes(':') ? 128 : 32;
  return { address: address!, prefixLength: length === undefined ? full : Number(length) };
}

/** `brd +` / `brd -` (set/clear host bits) as `ip addr` understands them. */
function broadcastOf(vip: VipSpec): string | undefined {
  if (!vip.broadcast) return undefined;
  if (vip.broadcast !== '+' && vip.broadcast !== '-') return vip.broadcast;
  const octets = vip.address.split('.').map(Number);
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const hostMask = vip.prefix >= 32 ? 0 : 0xffffffff >>> vip.prefix;
  const result = vip.broadcast === '+' ? (value | hostMask) >>> 0 : (value & ~hostMask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (result >>> shift) & 0xff).join('.');
}

export function addressSpecOf(vip: VipSpec, ifindex: number): AddressSpec {
  const spec: AddressSpec = { ifindex, address: vip.address, prefixLength: vip.prefix };
  if (vip.label) spec.label = vip.label;
  const broadcast = broadcastOf(vip);
  if (broadcast) spec.broadcast = broadcast;
  if (vip.scope) spec.scope = vip.scope as ScopeName;
  if (vip.peer !== undefined) spec.peer = vip.peer;
  if (vip.homeAddress) spec.homeAddress = true;
  if (vip.dad) spec.noDad = false;
  if (vip.manageTempAddress) spec.manageTempAddress = true;
  if (vip.noPrefixRoute) spec.noPrefixRoute = true;
  if (vip.autoJoin) spec.multicastAutoJoin = true;
  if (vip.preferredLifetime !== undefined) spec.preferredLifetime = vip.preferredLifetime;
  return spec;
}

export function routeSpecOf(
  route: ConfigRoute,
  indexOf: (name: string) => number | undefined,
): KernelRouteSpec {
  // The daemon resolves `vrf NAME` into its table at each load (config/finish/route-vrfs.ts).
  if (route.vrf) throw new Error(`the table of VRF ${route.vrf.name} is not known`);
  const defaultRoute = route.family === 'ipv6' ? '::/0' : '0.0.0.0/0';
  const destination = prefixOf(route.to === 'default' ? defaultRoute : route.to);
  const spec: KernelRouteSpec = { destination: destination.address, prefixLength: destination.prefixLength };
  if (route.nexthops) {
    // Each next hop carries its device (the route's own when it names none); no RTA_OIF.
    spec.nexthops = route.nexthops.map((n) => {
      const nexthop: RouteNexthop = {};
      if (n.via) nexthop.gateway = n.via;
      const dev = n.dev ?? route.dev;
      const ifindex = dev ? indexOf(dev) : undefined;
      if (ifindex !== undefined) nexthop.ifindex = ifindex;
      if (n.weight !== null) nexthop.weight = n.weight;
      if (n.onlink) nexthop.onlink = true;
      if (n.encap) nexthop.encap = encapOf(n.encap);
      if (n.realms !== undefined) nexthop.realms = n.realms;
      return nexthop;
    });
  } else {
    if (route.via) spec.gateway = route.via;
    if (route.dev) {
      const ifindex = indexOf(route.dev);
      if (ifindex !== undefined) spec.ifindex = ifindex;
    }
  }
  if (route.src) spec.source = route.src;
  if (route.table !== null) spec.table = route.table;
  if (route.metric !== null) spec.metric = route.metric;
  if (route.scope) spec.scope = route.scope as ScopeName;
  // keepalived installs virtual routes as protocol 18 (RTPROT_KEEPALIVED) unless told otherwise.
  spec.protocol = route.protocol ?? KEEPALIVED_ROUTE_PROTOCOL;
  if (route.type !== 'unicast') spec.type = route.type;
  if (route.tos !== undefined) spec.tos = route.tos;
  if (route.metrics)
    spec.metrics = { ...route.metrics, ...(route.metrics.lock ? { lock: [...route.metrics.lock] } : {}) };
  if (route.realms !== undefined) spec.realms = route.realms;
  if (route.pref !== undefined) spec.pref = route.pref;
  if (route.expires !== undefined) spec.expires = route.expires;
  if (route.encap) spec.encap = encapOf(route.encap);
  if (route.onlink) spec.onlink = true;
  return spec;
}

/** The model's encapsulation as the kernel module takes it (fields not written left out). */
function encapOf(encap: RouteEncapSpec): RouteEncap {
  if (encap.type === 'mpls') return { type: 'mpls', labels: [...encap.labels] };
  if (encap.type === 'ila') return { type: 'ila', locator: encap.locator };
  const out: RouteEncap = { type: encap.type };
  if (encap.id !== null) out.id = encap.id;
  if (encap.dst !== null) out.dst = encap.dst;
  if (encap.src !== null) out.src = encap.src;
  if (encap.dsfield !== null) out.dsfield = encap.dsfield;
  if (encap.ttl !== null) out.ttl = encap.ttl;
  if (encap.flags !== null) out.flags = encap.flags;
  return out;
}

export function ruleSpecOf(rule: ConfigRule): KernelRuleSpec {
  const spec: KernelRuleSpec = {};
  if (rule.table !== null) spec.table = rule.table;
  if (rule.action !== 'table') spec.type = rule.action;
  if (rule.gotoTarget !== null) spec.goto = rule.gotoTarget;
  if (rule.invert) spec.invert = true;
  if (rule.tos !== null) spec.tos = rule.tos;
  if (rule.from) spec.from = prefixOf(rule.from);
  if (rule.to) spec.to = prefixOf(rule.to);
  if (rule.fwmark !== null) spec.fwmark = rule.fwmark;
  if (rule.fwmask !== null) spec.fwmask = rule.fwmask;
  if (rule.priority !== null) spec.priority = rule.priority;
  if (rule.iif) spec.iif = rule.iif;
  if (rule.oif) spec.oif = rule.oif;
  if (rule.realms !== null) spec.realms = rule.realms;
  if (rule.suppressPrefixLength !== null) spec.suppressPrefixLength = rule.suppressPrefixLength;
  if (rule.suppressIfgroup !== null) spec.suppressIfgroup = rule.suppressIfgroup;
  if (rule.tunnelId !== null) spec.tunnelId = rule.tunnelId;
  if (rule.uidRange) spec.uidRange = { ...rule.uidRange };
  if (rule.l3mdev) spec.l3mdev = true;
  if (rule.protocol !== null) spec.protocol = rule.protocol;
  if (rule.ipProto !== null) spec.ipProto = rule.ipProto;
  if (rule.sport) spec.sport = { ...rule.sport };
  if (rule.dport) spec.dport = { ...rule.dport };
  if (!rule.from && !rule.to && rule.family === 'ipv6') spec.family = 'ipv6';
  return spec;
}

export class VirtualResources {
  constructor(
    private readonly kernel: KernelResources,
    private readonly interfaces: InterfaceIndexer,
    private readonly logger: Logger,
  ) {}

  /** Adds the addresses; returns those now present (added or already there). */
  async addAddresses(instance: string, vips: readonly VipSpec[], defaultDev: string): Promise<VipSpec[]> {
    const present: VipSpec[] = [];
    for (const vip of vips) {
      const dev = vip.dev ?? defaultDev;
      const ifindex = this.interfaces.indexOf(dev);
      if (ifindex === undefined) {
        say(this.logger, LOG.vipNoInterface, { instance, vip: vip.address, dev });
        continue;
      }
      try {
        await this.kernel.addresses.add(addressSpecOf(vip, ifindex));
        present.push(vip);
      } catch (error) {
        say(this.logger, LOG.vipAddFailed, { instance, vip: vip.address, dev, err: errorMessage(error) });
      }
    }
    return present;
  }

  async removeAddresses(instance: string, vips: readonly VipSpec[], defaultDev: string): Promise<void> {
    for (const vip of vips) {
      const dev = vip.dev ?? defaultDev;
      const ifindex = this.interfaces.indexOf(dev);
      if (ifindex === undefined) continue; // the interface is gone, and its addresses with it
      try {
        await this.kernel.addresses.remove({ ifindex, address: vip.address, prefixLength: vip.prefix });
      } catch (error) {
        say(this.logger, LOG.vipRemoveFailed, { instance, vip: vip.address, dev, err: errorMessage(error) });
      }
    }
  }

  async addRoutesAndRules(instance: string, routes: readonly ConfigRoute[], rules: readonly ConfigRule[]) {
    const indexOf = (name: string) => this.interfaces.indexOf(name);
    for (const route of routes) {
      try {
        await this.kernel.routes.replace(routeSpecOf(route, indexOf));
      } catch (error) {
        say(this.logger, LOG.routeAddFailed, { instance, route: route.to, err: errorMessage(error) });
      }
    }
    for (const rule of rules) {
      try {
        await this.kernel.rules.add(ruleSpecOf(rule));
      } catch (error) {
        say(this.logger, LOG.ruleAddFailed, { instance, rule: ruleSpecOf(rule), err: errorMessage(error) });
      }
    }
  }

  async removeRoutesAndRules(instance: string, routes: readonly ConfigRoute[], rules: readonly ConfigRule[]) {
    const indexOf = (name: string) => this.interfaces.indexOf(name);
    for (const rule of rules) {
      try {
        await this.kernel.rules.remove(ruleSpecOf(rule));
      } catch (error) {
        say(this.logger, LOG.ruleRemoveFailed, {
          instance,
          rule: ruleSpecOf(rule),
          err: errorMessage(error),
        });
      }
    }
    for (const route of routes) {
      try {
        await this.kernel.routes.remove(routeSpecOf(route, indexOf));
      } catch (error) {
        say(this.logger, LOG.routeRemoveFailed, { instance, route: route.to, err: errorMessage(error) });
      }
    }
  }
}
