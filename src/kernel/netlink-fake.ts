// In-memory stand-ins for the rtnetlink adapters, for daemon tests: the same outcomes as the
// kernel ('added' / 'exists', 'removed' / 'absent'), a log of every operation in order, and an
// event source the test drives (link down, someone deleting a VIP, an overrun).

import {
  isUsableLinkLocal,
  type AddressFamilyFilter,
  type AddressSpec,
  type InterfaceAddress,
  type KernelAddresses,
} from './addresses.js';
import { canonicalIpv6 } from '../packet/address6.js';
import type { LinkInfo, KernelLinks } from './links.js';
import type { KernelEvent, KernelEventSource } from './netlink-events.js';
import type { KernelNetlink } from './netlink.js';
import { MAIN_TABLE, type KernelRoute, type KernelRoutes, type RouteSpec } from './routes.js';
import { RULE_ACTIONS, type KernelRule, type KernelRules, type RuleSpec } from './rules.js';
import { routeProtocolNumber, routeTypeNumber, scopeNumber } from './scopes.js';
import type { KernelVmacs, MacvlanLink, VmacSpec } from './vmac.js';
import { IPVLAN_MODE_L2, type IpvlanLink, type IpvlanSpec, type KernelIpvlans } from './ipvlan.js';

export type FakeNetlinkOperation =
  | {
      op: 'addAddress' | 'removeAddress';
      spec: AddressSpec | Pick<AddressSpec, 'ifindex' | 'address' | 'prefixLength'>;
    }
  | { op: 'addRoute' | 'replaceRoute' | 'removeRoute'; spec: RouteSpec }
  | { op: 'addRule' | 'removeRule'; spec: RuleSpec }
  | { op: 'createVmac'; spec: VmacSpec }
  | { op: 'removeVmac'; spec: { name: string } }
  | { op: 'createIpvlan'; spec: IpvlanSpec }
  | { op: 'removeIpvlan'; spec: { name: string } };

/** IPv6 keys use canonical text, as the kernel would report the address back. */
const addressKey = (a: { ifindex: number; address: string; prefixLength: number }) =>
  `${a.ifindex}/${canonicalIpv6(a.address) ?? a.address}/${a.prefixLength}`;

const inFamily = (a: InterfaceAddress, family: AddressFamilyFilter): boolean =>
  family === 'all' || (family === 'ipv6') === a.address.includes(':');
const routeKey = (r: RouteSpec) =>
  `${r.table ?? MAIN_TABLE}/${r.destination}/${r.prefixLength}/${r.metric ?? 0}`;
const ruleKey = (r: RuleSpec) => JSON.stringify({ ...r, priority: r.priority ?? null });

function toKernelRoute(spec: RouteSpec): KernelRoute {
  const route: KernelRoute = {
    destination: spec.destination,
    prefixLength: spec.prefixLength,
    table: spec.table ?? MAIN_TABLE,
    scope: scopeNumber(spec.scope ?? (spec.gateway || spec.nexthops ? 'global' : 'link')),
    protocol: routeProtocolNumber(spec.protocol ?? 'boot'),
    type: routeTypeNumber(spec.type ?? 'unicast'),
    onlink: spec.onlink ?? false,
  };
  if (spec.gateway) route.gateway = spec.gateway;
  if (spec.ifindex !== undefined) route.ifindex = spec.ifindex;
  if (spec.metric !== undefined) route.metric = spec.metric;
  if (spec.source) route.source = spec.source;
  if (spec.nexthops) {
    route.nexthops = spec.nexthops.map((n) => ({
      ...(n.gateway ? { gateway: n.gateway } : {}),
      ifindex: n.ifindex ?? 0,
      weight: n.weight ?? 1,
      onlink: n.onlink ?? false,
    }));
  }
  return route;
}

export class FakeKernelNetlink implements KernelNetlink {
  readonly operations: FakeNetlinkOperation[] = [];
  readonly addressTable = new Map<string, InterfaceAddress>();
  readonly routeTable = new Map<string, KernelRoute>();
  readonly ruleTable = new Map<string, KernelRule>();
  linkList: LinkInfo[] = [];
  closed = false;

  readonly addresses: KernelAddresses = {
    add: async (spec) => {
      this.operations.push({ op: 'addAddress', spec });
      const key = addressKey(spec);
      if (this.addressTable.has(key)) return 'exists';
      const ipv6 = canonicalIpv6(spec.address);
      const entry: InterfaceAddress = {
        ifindex: spec.ifindex,
        address: ipv6 ?? spec.address,
        prefixLength: spec.prefixLength,
        scope: scopeNumber(spec.scope ?? 'global'),
        secondary: false,
      };
      if (ipv6) {
        // Added with IFA_F_NODAD unless told otherwise, as the real adapter does; a test that
        // wants DAD running or failed edits the entry (tentative / dadFailed).
        Object.assign(entry, {
          tentative: false,
          dadFailed: false,
          noDad: spec.noDad ?? true,
          deprecated: false,
        });
      } else {
        if (spec.label) entry.label = spec.label;
        if (spec.broadcast) entry.broadcast = spec.broadcast;
      }
      this.addressTable.set(key, entry);
      return 'added';
    },
    remove: async (spec) => {
      this.operations.push({ op: 'removeAddress', spec });
      return this.addressTable.delete(addressKey(spec)) ? 'removed' : 'absent';
    },
    list: async (ifindex, family = 'ipv4') =>
      [...this.addressTable.values()].filter(
        (a) => inFamily(a, family) && (ifindex === undefined || a.ifindex === ifindex),
      ),
    linkLocalAddress: async (ifindex) =>
      [...this.addressTable.values()].find((a) => a.ifindex === ifindex && isUsableLinkLocal(a))?.address ??
      null,
  };

  readonly routes: KernelRoutes = {
    add: async (spec) => {
      this.operations.push({ op: 'addRoute', spec });
      if (this.routeTable.has(routeKey(spec))) return 'exists';
      this.routeTable.set(routeKey(spec), toKernelRoute(spec));
      return 'added';
    },
    replace: async (spec) => {
      this.operations.push({ op: 'replaceRoute', spec });
      this.routeTable.set(routeKey(spec), toKernelRoute(spec));
    },
    remove: async (spec) => {
      this.operations.push({ op: 'removeRoute', spec });
      return this.routeTable.delete(routeKey(spec)) ? 'removed' : 'absent';
    },
    list: async (table) =>
      [...this.routeTable.values()].filter((r) => table === undefined || r.table === table),
  };

  readonly rules: KernelRules = {
    add: async (spec) => {
      this.operations.push({ op: 'addRule', spec });
      if (this.ruleTable.has(ruleKey(spec))) return 'exists';
      this.ruleTable.set(ruleKey(spec), {
        ...spec,
        table: spec.table ?? 0,
        action: RULE_ACTIONS[spec.type ?? 'table'],
      });
      return 'added';
    },
    remove: async (spec) => {
      this.operations.push({ op: 'removeRule', spec });
      return this.ruleTable.delete(ruleKey(spec)) ? 'removed' : 'absent';
    },
    list: async () => [...this.ruleTable.values()].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)),
  };

  readonly links: KernelLinks = {
    list: async () => this.linkList.map((link) => ({ ...link })),
    byName: async (name) => this.linkList.find((link) => link.name === name),
  };

  /** A macvlan or ipvlan on `baseIfindex`: its carrier follows the base's (stacked operstate). */
  private addStackedLink(label: string, name: string, baseIfindex: number, mac: string | null): number {
    if (this.linkList.some((l) => l.name === name)) {
      throw Object.assign(new Error(`create ${label} ${name}: File exists`), { code: 'EEXIST' });
    }
    const ifindex = Math.max(100, ...this.linkList.map((l) => l.ifindex)) + 1;
    const base = this.linkList.find((l) => l.ifindex === baseIfindex);
    const up = base ? base.running : true;
    this.linkList.push({
      ifindex,
      name,
      mac,
      adminUp: true,
      running: up,
      lowerUp: up,
      operState: up ? 'up' : 'lowerlayerdown',
    });
    return ifindex;
  }

  /** Deletes a stacked link; the kernel drops the addresses of a deleted interface with it. */
  private removeStackedLink(name: string): 'absent' | 'removed' {
    const link = this.linkList.find((l) => l.name === name);
    if (!link) return 'absent';
    this.linkList = this.linkList.filter((l) => l !== link);
    for (const [key, address] of this.addressTable) {
      if (address.ifindex === link.ifindex) this.addressTable.delete(key);
    }
    return 'removed';
  }

  /** The macvlans the fake kernel has (created through `vmacs`, or put here by a test). */
  readonly macvlans = new Map<string, MacvlanLink>();

  readonly vmacs: KernelVmacs = {
    create: async (spec) => {
      this.operations.push({ op: 'createVmac', spec });
      const ifindex = this.addStackedLink('VMAC', spec.name, spec.baseIfindex, spec.mac);
      this.macvlans.set(spec.name, {
        ifindex,
        name: spec.name,
        mac: spec.mac,
        mode: spec.mode ?? 'private',
        baseIfindex: spec.baseIfindex,
        up: true,
      });
      return { ifindex, warnings: [] };
    },
    remove: async (name) => {
      this.operations.push({ op: 'removeVmac', spec: { name } });
      const outcome = this.removeStackedLink(name);
      if (outcome === 'removed') this.macvlans.delete(name);
      return outcome;
    },
    list: async () => [...this.macvlans.values()].map((m) => ({ ...m })),
  };

  /** The ipvlans the fake kernel has (created through `ipvlans`, or put here by a test). */
  readonly ipvlanLinks = new Map<string, IpvlanLink>();

  readonly ipvlans: KernelIpvlans = {
    create: async (spec) => {
      this.operations.push({ op: 'createIpvlan', spec });
      // An ipvlan shares its base's MAC.
      const base = this.linkList.find((l) => l.ifindex === spec.baseIfindex);
      const ifindex = this.addStackedLink('ipvlan', spec.name, spec.baseIfindex, base?.mac ?? null);
      this.ipvlanLinks.set(spec.name, {
        ifindex,
        name: spec.name,
        mode: IPVLAN_MODE_L2,
        kind: spec.kind,
        baseIfindex: spec.baseIfindex,
        up: true,
      });
      return { ifindex };
    },
    remove: async (name) => {
      this.operations.push({ op: 'removeIpvlan', spec: { name } });
      const outcome = this.removeStackedLink(name);
      if (outcome === 'removed') this.ipvlanLinks.delete(name);
      return outcome;
    },
    list: async () => [...this.ipvlanLinks.values()].map((l) => ({ ...l })),
  };

  close(): void {
    this.closed = true;
  }
}

/** A KernelEventSource the test pushes events into. */
export class FakeKernelEvents implements KernelEventSource {
  private readonly callbacks: Array<(event: KernelEvent) => void> = [];
  closed = false;

  onEvent(callback: (event: KernelEvent) => void): void {
    this.callbacks.push(callback);
  }

  emit(event: KernelEvent): void {
    if (this.closed) return;
    for (const callback of this.callbacks) callback(event);
  }

  close(): void {
    this.closed = true;
  }
}
