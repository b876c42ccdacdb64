// In-memory stand-ins for the rtnetlink adapters and the ICMP prober, so the uplink manager's
// I/O shell can be driven without root: routes and rules live in arrays the test inspects, and
// each probe socket answers according to which gateways the test says are reachable.

import type { IcmpProber, IcmpProberOptions, EchoResult } from '../../../src/kernel/icmp-prober.js';
import type { LinkInfo } from '../../../src/kernel/links.js';
import type { KernelRoute, RouteSpec } from '../../../src/kernel/routes.js';
import type { KernelRule, RuleSpec } from '../../../src/kernel/rules.js';
import type { UplinkKernel } from '../../../src/daemon/uplinks/uplink-routes.js';

const TYPE_NUMBERS: Record<string, number> = { unicast: 1, unreachable: 7 };

function typeOf(spec: RouteSpec): number {
  if (spec.type === undefined) return 1;
  return typeof spec.type === 'number' ? spec.type : (TYPE_NUMBERS[spec.type] ?? 0);
}

export class FakeKernel implements UplinkKernel {
  routeTable: KernelRoute[] = [];
  ruleTable: KernelRule[] = [];
  readonly writes: Array<{ table: number; gateway?: string; ifindex?: number }> = [];
  /** Tables whose next replace throws (once per entry). */
  failNextReplace: number[] = [];
  readonly linkList: LinkInfo[] = ['lo', 'eth0', 'eth1', 'eth2', 'eth3'].map((name, index) => ({
    ifindex: index + 1,
    name,
    mac: null,
    adminUp: true,
    running: true,
    lowerUp: true,
    operState: 'up',
  }));

  private key(spec: { destination: string; prefixLength: number; table?: number; metric?: number }): string {
    return `${spec.destination}/${spec.prefixLength}@${spec.table ?? 254}#${spec.metric ?? 0}`;
  }

  private toRoute(spec: RouteSpec): KernelRoute {
    const route: KernelRoute = {
      destination: spec.destination,
      prefixLength: spec.prefixLength,
      table: spec.table ?? 254,
      scope: 0,
      protocol: 3,
      type: typeOf(spec),
      onlink: false,
    };
    if (spec.gateway !== undefined) route.gateway = spec.gateway;
    if (spec.ifindex !== undefined) route.ifindex = spec.ifindex;
    if (spec.metric !== undefined) route.metric = spec.metric;
    return route;
  }

  routes = {
    add: async (spec: RouteSpec) => {
      if (this.routeTable.some((r) => this.key(r) === this.key(spec))) return 'exists' as const;
      this.routeTable.push(this.toRoute(spec));
      return 'added' as const;
    },
    replace: async (spec: RouteSpec) => {
      const table = spec.table ?? 254;
      const failing = this.failNextReplace.indexOf(table);
      if (failing >= 0) {
        this.failNextReplace.splice(failing, 1);
        throw new Error('replace route: kernel refused (ENETUNREACH)');
      }
      this.routeTable = this.routeTable.filter((r) => this.key(r) !== this.key(spec));
      this.routeTable.push(this.toRoute(spec));
      if (typeOf(spec) === 1) {
        const write: { table: number; gateway?: string; ifindex?: number } = { table };
        if (spec.gateway !== undefined) write.gateway = spec.gateway;
        if (spec.ifindex !== undefined) write.ifindex = spec.ifindex;
        this.writes.push(write);
      }
    },
    remove: async (spec: RouteSpec) => {
      const before = this.routeTable.length;
      this.routeTable = this.routeTable.filter((r) => this.key(r) !== this.key(spec));
      return before === this.routeTable.length ? ('absent' as const) : ('removed' as const);
    },
    list: async (table?: number) => this.routeTable.filter((r) => table === undefined || r.table === table),
  };

  rules = {
    add: async (spec: RuleSpec) => {
      if (
        this.ruleTable.some(
          (r) => r.priority === spec.priority && r.fwmark === spec.fwmark && r.table === spec.table,
        )
      ) {
        return 'exists' as const;
      }
      this.ruleTable.push({ ...spec, table: spec.table ?? 0, action: 1 });
      return 'added' as const;
    },
    remove: async (spec: RuleSpec) => {
      const index = this.ruleTable.findIndex(
        (r) => r.priority === spec.priority && r.fwmark === spec.fwmark && r.table === spec.table,
      );
      if (index < 0) return 'absent' as const;
      this.ruleTable.splice(index, 1);
      return 'removed' as const;
    },
    list: async () => [...this.ruleTable],
  };

  links = {
    list: async () => this.linkList,
    byName: async (name: string) => this.linkList.find((link) => link.name === name),
  };

  defaultRoute(table = 254): KernelRoute | undefined {
    return this.routeTable.find((r) => r.table === table && r.prefixLength === 0 && r.type === 1);
  }
}

/** Probers whose replies depend on `reachable` (fwmarks that currently get through). */
export class FakeNetwork {
  readonly reachable = new Set<number>();
  readonly opened: number[] = [];
  /** Every echo call: which socket mark probed which address. */
  readonly echoes: Array<{ mark: number; address: string }> = [];
  probes = 0;

  open = (options: IcmpProberOptions): IcmpProber => {
    const mark = options.fwmark ?? 0;
    this.opened.push(mark);
    let open = true;
    return {
      identifier: this.opened.length,
      echo: async (address: string, count: number): Promise<EchoResult[]> => {
        this.probes += count;
        this.echoes.push({ mark, address });
        await new Promise((resolve) => setTimeout(resolve, 1));
        const ok = this.reachable.has(mark);
        return Array.from({ length: count }, () =>
          ok ? { outcome: 'reply' as const, rttMs: 1.5 } : { outcome: 'timeout' as const, rttMs: null },
        );
      },
      isOpen: () => open,
      close: () => {
        open = false;
      },
    };
  };
}
