// The uplink module's kernel side, through the rtnetlink adapters: the per-gateway probe routing
// (a rule `pref P fwmark M lookup T`, `default via GW [dev DEV] table T`, and an `unreachable
// default` behind it in T so a probe whose gateway route is gone fails instead of leaking into
// the main table and succeeding through the active uplink), the default route itself, and the
// fallback route restored when leaving MASTER.

import { readFile } from '../../runtime/fs-async.js';
import type { AddressFamily } from '../../packet/types.js';
import type { KernelLinks } from '../../kernel/links.js';
import type { KernelRoutes, RouteSpec } from '../../kernel/routes.js';
import type { RouteNexthop } from '../../kernel/route-nexthops.js';
import type { KernelRules } from '../../kernel/rules.js';
import type { GatewayProbeRouting } from '../../uplink/probe-plan.js';
import type { CurrentDefaultRoute } from '../../uplink/route-match.js';
import { errorMessage } from '../../runtime/errors.js';

export interface UplinkKernel {
  routes: KernelRoutes;
  rules: KernelRules;
  links: KernelLinks;
}

export interface NextHop {
  ip: string | null;
  dev: string | null;
}

/** Highest metric: the unreachable catch-all only answers when the gateway route is missing. */
const CATCH_ALL_METRIC = 0xffffffff;

export class UnknownDeviceError extends Error {
  constructor(readonly dev: string) {
    super(`interface ${dev} does not exist`);
    this.name = 'UnknownDeviceError';
  }
}

async function ifindexOf(links: KernelLinks, dev: string): Promise<number> {
  const link = await links.byName(dev);
  if (!link) throw new UnknownDeviceError(dev);
  return link.ifindex;
}

export function anyAddress(family: AddressFamily): string {
  return family === 'ipv4' ? '0.0.0.0' : '::';
}

/** `default [via IP] [dev DEV] table T` as a RouteSpec, of the family given (`ip -6 route` for ipv6). */
export async function defaultRouteSpec(
  links: KernelLinks,
  hop: NextHop,
  table: number,
  family: AddressFamily = 'ipv4',
): Promise<RouteSpec> {
  const spec: RouteSpec = { destination: anyAddress(family), prefixLength: 0, table };
  if (hop.ip !== null) spec.gateway = hop.ip;
  if (hop.dev !== null) spec.ifindex = await ifindexOf(links, hop.dev);
  return spec;
}

/** `ip route replace default via GW [dev DEV] [table T]`. */
export async function replaceDefaultRoute(
  kernel: UplinkKernel,
  hop: NextHop,
  table: number,
  family: AddressFamily = 'ipv4',
): Promise<void> {
  await kernel.routes.replace(await defaultRouteSpec(kernel.links, hop, table, family));
}

/** The default route of a table (lowest metric, unicast), with its device name. */
export async function readDefaultRoute(
  kernel: UplinkKernel,
  table: number,
  family: AddressFamily = 'ipv4',
): Promise<CurrentDefaultRoute | null> {
  const defaults = (await kernel.routes.list(table, family))
    .filter((route) => route.prefixLength === 0 && route.type === 1)
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  const route = defaults[0];
  if (!route) return null;
  const links = route.ifindex !== undefined || route.nexthops ? await kernel.links.list() : [];
  const nameOf = (ifindex: number | undefined): string | null =>
    ifindex === undefined ? null : (links.find((link) => link.ifindex === ifindex)?.name ?? null);
  const current: CurrentDefaultRoute = { gateway: route.gateway ?? null, dev: nameOf(route.ifindex) };
  if (route.nexthops && route.nexthops.length > 0) {
    current.nexthops = route.nexthops.map((hop) => ({
      gateway: hop.gateway ?? null,
      dev: nameOf(hop.ifindex),
    }));
  }
  return current;
}

/** A multipath default route over these gateways (`ip route replace default nexthop via A weight W …`). */
export async function replaceMultipathDefaultRoute(
  kernel: UplinkKernel,
  hops: ReadonlyArray<NextHop & { weight: number }>,
  table: number,
  family: AddressFamily = 'ipv4',
): Promise<void> {
  const nexthops = await Promise.all(
    hops.map(async (hop) => {
      const nexthop: RouteNexthop = { weight: hop.weight };
      if (hop.ip !== null) nexthop.gateway = hop.ip;
      if (hop.dev !== null) nexthop.ifindex = await ifindexOf(kernel.links, hop.dev);
      return nexthop;
    }),
  );
  await kernel.routes.replace({ destination: anyAddress(family), prefixLength: 0, table, nexthops });
}

export async function installProbeRoute(kernel: UplinkKernel, entry: GatewayProbeRouting): Promise<void> {
  await kernel.routes.replace(await defaultRouteSpec(kernel.links, entry, entry.table, entry.family));
}

/** Installs one gateway's probe routing; idempotent (a rule left by a crashed run is reused). */
export async function installProbeRouting(kernel: UplinkKernel, entry: GatewayProbeRouting): Promise<void> {
  await kernel.routes.replace({
    destination: anyAddress(entry.family),
    prefixLength: 0,
    table: entry.table,
    type: 'unreachable',
    metric: CATCH_ALL_METRIC,
  });
  await kernel.rules.add({
    priority: entry.rulePriority,
    fwmark: entry.fwmark,
    table: entry.table,
    family: entry.family,
  });
  await installProbeRoute(kernel, entry);
}

/** Removes the rule and every route of the gateway's probe table. Errors are collected, not thrown. */
export async function removeProbeRouting(
  kernel: UplinkKernel,
  entry: GatewayProbeRouting,
): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${errorMessage(error)}`);
    }
  };
  await attempt(`rule pref ${entry.rulePriority}`, () =>
    kernel.rules.remove({
      priority: entry.rulePriority,
      fwmark: entry.fwmark,
      table: entry.table,
      family: entry.family,
    }),
  );
  let routes: Awaited<ReturnType<KernelRoutes['list']>> = [];
  await attempt(`routes of table ${entry.table}`, async () => {
    routes = await kernel.routes.list(entry.table, entry.family);
  });
  for (const route of routes) {
    const spec: RouteSpec = {
      destination: route.destination,
      prefixLength: route.prefixLength,
      table: entry.table,
    };
    if (route.gateway !== undefined) spec.gateway = route.gateway;
    if (route.metric !== undefined) spec.metric = route.metric;
    spec.type = route.type;
    await attempt(`route ${route.destination}/${route.prefixLength} table ${entry.table}`, () =>
      kernel.routes.remove(spec),
    );
  }
  return problems;
}

/**
 * Strict reverse-path filtering (rp_filter 1) on a gateway's device drops echo replies that
 * arrive on an uplink other than the one the main table routes through: every backup uplink
 * would look dead. Returns the effective value (max of `all` and the device), null if unknown.
 */
export async function reversePathFilter(
  dev: string,
  readText = (path: string) => readFile(path, 'utf8'),
): Promise<number | null> {
  try {
    const [all, device] = await Promise.all([
      readText('/proc/sys/net/ipv4/conf/all/rp_filter'),
      readText(`/proc/sys/net/ipv4/conf/${dev}/rp_filter`),
    ]);
    return Math.max(Number(all.trim()), Number(device.trim()));
  } catch {
    return null;
  }
}
