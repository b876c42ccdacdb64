// Routes over rtnetlink (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE), IPv4 and IPv6 (the family
// follows from the destination's text): keepalived's virtual_routes, and the uplink policy's
// default routes (one per table, metric per priority). Several next hops: route-nexthops.ts
// (keepalived's `nexthop …` and `via A or B`).

import { AttrStream, FlagsNew, rtStructs, type rt } from './netlink-package.js';
import { ipv4FromBytes, ipv4ToBytes } from '../packet/address.js';
import { ipv6FromBytes, ipv6ToBytes } from '../packet/address6.js';
import type { AddressFamily } from '../packet/types.js';
import { CREATE_EXCLUSIVE, CREATE_OR_REPLACE, NetlinkError, type RouteNetlink } from './netlink-socket.js';
import { AF_INET, AF_INET6, familyOf, type AddOutcome, type RemoveOutcome } from './addresses.js';
import { u32 } from './netlink-attributes.js';
import { decodeMetrics, encodeMetrics, type RouteMetricValues } from './route-metrics.js';
import { encodeRouteEncap, type RouteEncap } from './route-encap.js';
import {
  decodeMultipath,
  encodeMultipath,
  type DecodedNexthop,
  type RouteNexthop,
} from './route-nexthops.js';
import {
  enumNumber,
  routeProtocolNumber,
  routeTypeNumber,
  ROUTE_TYPES,
  SCOPES,
  scopeNumber,
  type RouteProtocolName,
  type RouteTypeName,
  type ScopeName,
} from './scopes.js';

export const MAIN_TABLE = 254;
/** rtm_table is one byte; larger ids go only in RTA_TABLE with rtm_table = RT_TABLE_UNSPEC. */
const RT_TABLE_UNSPEC = 0;
/** RTNH_F_ONLINK in rtm_flags: the gateway is on the link even if no prefix says so. */
const RTNH_F_ONLINK = 4;
/** NLM_F_APPEND: add after the routes with the same key (iproute2 `append`). */
const NLM_F_APPEND = 0x800;

/**
 * How add() treats a route whose key (destination, table, metric, TOS) is taken: 'exclusive'
 * fails ('exists', iproute2 `add`); 'prepend' adds it in front (NLM_F_CREATE alone — the kernel's
 * default and keepalived's for virtual/static routes); 'append' adds it behind.
 */
export type RouteAddMode = 'exclusive' | 'prepend' | 'append';

export interface RouteSpec {
  /** Network address; 0.0.0.0 (or ::) with prefixLength 0 is the default route. */
  destination: string;
  prefixLength: number;
  gateway?: string;
  ifindex?: number;
  /** Defaults to main (254). */
  table?: number;
  /** RTA_PRIORITY, `metric` in iproute2. */
  metric?: number;
  /**
   * Defaults as iproute2: IPv4 host for local routes, link for gateway-less unicast, else
   * global; IPv6 always global (universe).
   */
  scope?: ScopeName | number;
  /** Defaults to boot, as `ip route add`. */
  protocol?: RouteProtocolName | number;
  /** Defaults to unicast. */
  type?: RouteTypeName | number;
  onlink?: boolean;
  /** Preferred source address (RTA_PREFSRC, `src` in iproute2). */
  source?: string;
  /**
   * Several next hops (RTA_MULTIPATH; keepalived `nexthop …` and `via A or B`). Then `gateway`
   * and `ifindex` must be left out: each next hop carries its own.
   */
  nexthops?: readonly RouteNexthop[];
  /** DS field the route is for (rtm_tos; part of an IPv4 route's key). */
  tos?: number;
  /** RTA_METRICS. */
  metrics?: RouteMetricValues;
  /** IPv4 realms (RTA_FLOW): FROM << 16 | TO. */
  realms?: number;
  /** IPv6 router preference (RTA_PREF, RFC 4191 §2.1: 0 medium, 1 high, 3 low). */
  pref?: number;
  /** IPv6: seconds until the kernel removes the route (RTA_EXPIRES). */
  expires?: number;
  /** Lightweight-tunnel encapsulation (RTA_ENCAP_TYPE, RTA_ENCAP). */
  encap?: RouteEncap;
}

export interface KernelRoute {
  destination: string;
  prefixLength: number;
  gateway?: string;
  ifindex?: number;
  table: number;
  metric?: number;
  scope: number;
  protocol: number;
  type: number;
  onlink: boolean;
  source?: string;
  nexthops?: DecodedNexthop[];
  tos?: number;
  metrics?: RouteMetricValues;
  realms?: number;
  pref?: number;
}

export interface KernelRoutes {
  /**
   * Adds a route; 'exists' if an identical key (destination, table, metric, tos) is present
   * (mode 'exclusive', the default). 'prepend'/'append' never report 'exists'.
   */
  add(spec: RouteSpec, mode?: RouteAddMode): Promise<AddOutcome>;
  /** Adds or overwrites the route with the same key. */
  replace(spec: RouteSpec): Promise<void>;
  /** Deletes the route matching the given fields; 'absent' if there is none. */
  remove(spec: RouteSpec): Promise<RemoveOutcome>;
  /** Routes of one family (IPv4 unless told), optionally of one table (cached/cloned excluded). */
  list(table?: number, family?: AddressFamily): Promise<KernelRoute[]>;
}

/** Checks the spec and returns its family: every address in it must be of the destination's. */
function requireSpec(spec: RouteSpec): AddressFamily {
  const family = familyOf(spec.destination);
  if (!family) throw new RangeError(`route destination is not an IP address: ${spec.destination}`);
  const max = family === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(spec.prefixLength) || spec.prefixLength < 0 || spec.prefixLength > max) {
    throw new RangeError(`route prefix length must be 0..${max}: ${spec.prefixLength}`);
  }
  if (spec.gateway !== undefined && familyOf(spec.gateway) !== family)
    throw new RangeError(`bad gateway ${spec.gateway}`);
  if (spec.source !== undefined && familyOf(spec.source) !== family)
    throw new RangeError(`bad source ${spec.source}`);
  if (spec.nexthops && (spec.gateway !== undefined || spec.ifindex !== undefined)) {
    // The kernel refuses RTA_GATEWAY/RTA_OIF that differ from the first next hop (EINVAL).
    throw new RangeError('a route with nexthops takes its gateways and devices from them');
  }
  return family;
}

function familyNumber(family: AddressFamily): number {
  return family === 'ipv4' ? AF_INET : AF_INET6;
}

function bytesOf(family: AddressFamily, address: string): Buffer {
  return family === 'ipv4' ? ipv4ToBytes(address) : ipv6ToBytes(address);
}

function defaultScope(spec: RouteSpec, type: number, family: AddressFamily): number {
  if (spec.scope !== undefined) return scopeNumber(spec.scope);
  // iproute2 (and the kernel, which ignores rtm_scope for IPv6) use universe for every IPv6 route.
  if (family === 'ipv6') return SCOPES.global;
  if (type === ROUTE_TYPES.local) return SCOPES.host;
  if (type === ROUTE_TYPES.unicast && spec.gateway === undefined && !spec.nexthops) return SCOPES.link;
  return SCOPES.global;
}

function keyAttributes(spec: RouteSpec, table: number, family: AddressFamily): rt.RouteAttrs {
  const attrs: rt.RouteAttrs = { table };
  if (spec.prefixLength > 0) attrs.dst = bytesOf(family, spec.destination);
  if (spec.gateway) attrs.gateway = bytesOf(family, spec.gateway);
  if (spec.ifindex !== undefined) attrs.oif = spec.ifindex;
  if (spec.metric !== undefined) attrs.priority = spec.metric;
  if (spec.source) attrs.prefsrc = bytesOf(family, spec.source);
  if (spec.nexthops) attrs.multipath = encodeMultipath(spec.nexthops);
  if (spec.realms !== undefined) attrs.flow = spec.realms;
  return attrs;
}

/** What an added route carries beyond its key: metrics, router preference, lifetime. */
function addAttributes(spec: RouteSpec, attrs: rt.RouteAttrs): rt.RouteAttrs {
  const metrics = spec.metrics ? encodeMetrics(spec.metrics) : undefined;
  if (metrics) attrs.metrics = metrics;
  if (spec.pref !== undefined) attrs.pref = Buffer.from([spec.pref]);
  if (spec.expires !== undefined) attrs.expires = u32(spec.expires);
  if (spec.encap) Object.assign(attrs, encodeRouteEncap(spec.encap));
  return attrs;
}

function describe(spec: RouteSpec): string {
  const hops = spec.nexthops?.map((n) => ` nexthop via ${n.gateway ?? '-'}`).join('') ?? '';
  const via = spec.gateway ? ` via ${spec.gateway}` : hops;
  return `${spec.destination}/${spec.prefixLength}${via} table ${spec.table ?? MAIN_TABLE}`;
}

function routeMessage(spec: RouteSpec): { data: rt.Route; attrs: rt.RouteAttrs } {
  const family = requireSpec(spec);
  const table = spec.table ?? MAIN_TABLE;
  const type = routeTypeNumber(spec.type ?? 'unicast');
  const data: rt.Route = {
    family: familyNumber(family),
    dstLen: spec.prefixLength,
    table: table < 256 ? table : RT_TABLE_UNSPEC,
    protocol: routeProtocolNumber(spec.protocol ?? 'boot'),
    scope: defaultScope(spec, type, family),
    type,
    tos: spec.tos ?? 0,
  };
  if (spec.onlink) data.flags = { __unknown: RTNH_F_ONLINK };
  return { data, attrs: addAttributes(spec, keyAttributes(spec, table, family)) };
}

/** Exposed for the encoding tests: the RTM_NEWROUTE body (rtmsg and attributes) of a spec. */
export function routeMessageBytes(spec: RouteSpec): Buffer {
  const { data, attrs } = routeMessage(spec);
  const stream = new AttrStream();
  rtStructs().formatRouteMessage({ kind: 'route', data, attrs }, stream);
  return Buffer.concat(stream.bufs);
}

/** Converts one RTM_NEWROUTE message (IPv4 or IPv6) to our shape; null for other families. */
export function kernelRouteFrom(message: rt.RouteMessage): KernelRoute | null {
  const { data, attrs } = message;
  const length = data.family === AF_INET ? 4 : data.family === AF_INET6 ? 16 : 0;
  if (length === 0) return null;
  const text = (bytes: Buffer | undefined): string | undefined =>
    bytes && bytes.length === length
      ? length === 4
        ? ipv4FromBytes(bytes)
        : ipv6FromBytes(bytes)
      : undefined;
  const route: KernelRoute = {
    destination: text(attrs.dst) ?? (length === 4 ? '0.0.0.0' : '::'),
    prefixLength: data.dstLen ?? 0,
    table: attrs.table ?? data.table ?? 0,
    scope: enumNumber(data.scope, rtStructs().RouteScope as unknown as Record<string, number>),
    protocol: enumNumber(data.protocol, rtStructs().RouteProtocol as unknown as Record<string, number>),
    type: enumNumber(data.type, rtStructs().RouteType as unknown as Record<string, number>),
    onlink: ((data.flags?.__unknown ?? 0) & RTNH_F_ONLINK) !== 0,
  };
  const gateway = text(attrs.gateway);
  if (gateway) route.gateway = gateway;
  if (attrs.oif !== undefined) route.ifindex = attrs.oif;
  if (attrs.priority !== undefined) route.metric = attrs.priority;
  const source = text(attrs.prefsrc);
  if (source) route.source = source;
  if (attrs.multipath) route.nexthops = decodeMultipath(attrs.multipath);
  if (data.tos) route.tos = data.tos;
  if (attrs.flow) route.realms = attrs.flow;
  if (attrs.pref && attrs.pref.length >= 1) route.pref = attrs.pref[0] as number;
  if (attrs.metrics) {
    const metrics = decodeMetrics(attrs.metrics);
    if (Object.keys(metrics).length > 0) route.metrics = metrics;
  }
  return route;
}

export function createKernelRoutes(netlink: RouteNetlink): KernelRoutes {
  return {
    async add(spec, mode = 'exclusive') {
      const { data, attrs } = routeMessage(spec);
      const flags =
        mode === 'exclusive'
          ? CREATE_EXCLUSIVE
          : mode === 'append'
            ? FlagsNew.CREATE | NLM_F_APPEND
            : FlagsNew.CREATE;
      try {
        await netlink.request(`add route ${describe(spec)}`, (socket, timeout) =>
          socket.newRoute(data, attrs, { flags, timeout }),
        );
        return 'added';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'EEXIST') return 'exists';
        throw error;
      }
    },

    async replace(spec) {
      const { data, attrs } = routeMessage(spec);
      await netlink.request(`replace route ${describe(spec)}`, (socket, timeout) =>
        socket.newRoute(data, attrs, { flags: CREATE_OR_REPLACE, timeout }),
      );
    },

    async remove(spec) {
      const family = requireSpec(spec);
      const table = spec.table ?? MAIN_TABLE;
      // As `ip route del`: scope NOWHERE and protocol/type 0 are wildcards for the kernel's
      // match, so a route is found by the fields the caller did give.
      const data: rt.Route = {
        family: familyNumber(family),
        dstLen: spec.prefixLength,
        table: table < 256 ? table : RT_TABLE_UNSPEC,
        scope: spec.scope === undefined ? SCOPES.nowhere : scopeNumber(spec.scope),
        protocol: spec.protocol === undefined ? 0 : routeProtocolNumber(spec.protocol),
        type: spec.type === undefined ? 0 : routeTypeNumber(spec.type),
        tos: spec.tos ?? 0,
      };
      try {
        await netlink.request(`remove route ${describe(spec)}`, (socket, timeout) =>
          socket.delRoute(data, keyAttributes(spec, table, family), { timeout }),
        );
        return 'removed';
      } catch (error) {
        if (error instanceof NetlinkError && error.code === 'ESRCH') return 'absent';
        throw error;
      }
    },

    async list(table, family = 'ipv4') {
      const messages = await netlink.request('list routes', (socket, timeout) =>
        socket.getRoutes({ family: familyNumber(family) }, undefined, { timeout }),
      );
      return messages
        .filter((m) => !m.data.flags?.cloned)
        .map(kernelRouteFrom)
        .filter((r): r is KernelRoute => r !== null && (table === undefined || r.table === table));
    },
  };
}
