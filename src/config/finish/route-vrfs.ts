// `vrf NAME` on virtual_routes and static_routes lines: keepalived 2.2.7 (vrrp_iproute.c) looks
// the device up while it reads the route and takes the VRF's table (a later `table` wins); a name
// that is no interface ("VRF %s not found for route") or not a VRF ("Route specified VRF %s is not
// a VRF") drops the route with a report, whatever follows. The parser is pure, so this runs where the host's links are known: on
// `vrrpd -t` (not --offline) and in the daemon at each load. Routes keep `vrf` until then.

import type { RouteSpec, VrrpdConfig } from '../model/types.js';
import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';

/** The links of the host that reads the file: every name, and the table of each VRF. */
export interface HostLinks {
  names: ReadonlySet<string>;
  vrfTables: ReadonlyMap<string, number>;
}

/** Whether any route of the configuration names a VRF (only then are the links worth listing). */
export function configNamesRouteVrfs(config: VrrpdConfig): boolean {
  return allRoutes(config).some((route) => route.vrf !== undefined);
}

function allRoutes(config: VrrpdConfig): RouteSpec[] {
  return [...config.instances.flatMap((i) => i.virtualRoutes), ...config.statics.routes];
}

/** The configuration with each `vrf` turned into its table, and the routes keepalived drops dropped. */
export function resolveRouteVrfs(config: VrrpdConfig, host: HostLinks, sink: DiagnosticSink): VrrpdConfig {
  if (!configNamesRouteVrfs(config)) return config;
  const resolve = (routes: readonly RouteSpec[], label: string): RouteSpec[] =>
    routes.flatMap((route) => {
      const vrf = route.vrf;
      if (!vrf) return [route];
      const table = host.vrfTables.get(vrf.name);
      if (table !== undefined) {
        const resolved: RouteSpec = vrf.tableWins ? { ...route } : { ...route, table };
        delete resolved.vrf;
        return [resolved];
      }
      sink.report(
        DiagnosticCodes.valueSkipped,
        vrf.source,
        host.names.has(vrf.name)
          ? `${label}: route specified VRF ${vrf.name} is not a VRF`
          : `${label}: VRF ${vrf.name} not found for route`,
        'name a VRF device of this host (ip -d link show type vrf), or write table N',
        'the route is dropped, as keepalived drops it',
      );
      return [];
    });
  return {
    ...config,
    instances: config.instances.map((instance) =>
      instance.virtualRoutes.some((r) => r.vrf)
        ? { ...instance, virtualRoutes: resolve(instance.virtualRoutes, 'virtual_routes') }
        : instance,
    ),
    statics: { ...config.statics, routes: resolve(config.statics.routes, 'static_routes') },
  };
}
