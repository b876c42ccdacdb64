// static_ipaddress / static_routes / static_rules as keepalived applies them (vrrp_daemon.c):
// installed at start-up whatever the VRRP state — leftovers of the same entries deleted first,
// then addresses, routes, rules added in that order — removed at stop (rules, routes, addresses),
// diffed on reload, and re-added when someone deletes one (unless `no_track`). Plans are pure
// values; applyStaticPlan runs one against the rtnetlink adapters, collecting failures as values
// (keepalived logs them and carries on). Route defaults keepalived gives every virtual and static
// route: keepalivedRouteDefaults. Syntax and messages: docs/design/ka-features.md §5–6.

import type { AddressSpec } from './addresses.js';
import type { KernelNetlink } from './netlink.js';
import type { RouteAddMode, RouteSpec } from './routes.js';
import type { RuleSpec } from './rules.js';
import { errorMessage } from '../runtime/errors.js';

export interface StaticEntries {
  addresses: readonly AddressSpec[];
  routes: readonly StaticRoute[];
  rules: readonly RuleSpec[];
}

export interface StaticRoute {
  spec: RouteSpec;
  /** keepalived adds with NLM_F_CREATE alone ('prepend') unless the line says `add` or `append`. */
  mode: RouteAddMode;
}

export type StaticStep =
  | { op: 'add' | 'remove'; kind: 'address'; spec: AddressSpec }
  | { op: 'add' | 'remove'; kind: 'route'; spec: RouteSpec; mode: RouteAddMode }
  | { op: 'add' | 'remove'; kind: 'rule'; spec: RuleSpec };

/**
 * keepalived's defaults for a virtual or static route line: protocol `keepalived` (18) unless
 * the route is `no_track` and names its own protocol (a tracked route with another protocol is
 * reset to 18 with a warning); scope universe (global) unless given — even without a gateway,
 * where iproute2 would pick link.
 */
export function keepalivedRouteDefaults(
  spec: RouteSpec,
  line: { noTrack: boolean; protocolGiven: boolean; scopeGiven: boolean },
): RouteSpec {
  const protocol = line.noTrack && line.protocolGiven ? spec.protocol : 'keepalived';
  const scope = line.scopeGiven ? spec.scope : 'global';
  return {
    ...spec,
    ...(protocol === undefined ? {} : { protocol }),
    ...(scope === undefined ? {} : { scope }),
  };
}

/** Start-up: remove what a previous run may have left, then add everything. */
export function startupPlan(entries: StaticEntries): StaticStep[] {
  return [...removalSteps(entries, 'start'), ...additionSteps(entries)];
}

/** Stop: rules, then routes, then addresses (the reverse of adding). */
export function shutdownPlan(entries: StaticEntries): StaticStep[] {
  return removalSteps(entries, 'stop');
}

/** Reload: remove entries that are gone, add new ones; unchanged ones are left alone. */
export function reloadPlan(previous: StaticEntries, next: StaticEntries): StaticStep[] {
  const gone: StaticEntries = {
    addresses: missingFrom(previous.addresses, next.addresses, addressKey),
    routes: missingFrom(previous.routes, next.routes, (r) => routeKey(r.spec)),
    rules: missingFrom(previous.rules, next.rules, ruleKey),
  };
  const added: StaticEntries = {
    addresses: missingFrom(next.addresses, previous.addresses, addressKey),
    routes: missingFrom(next.routes, previous.routes, (r) => routeKey(r.spec)),
    rules: missingFrom(next.rules, previous.rules, ruleKey),
  };
  return [...removalSteps(gone, 'stop'), ...additionSteps(added)];
}

function additionSteps(entries: StaticEntries): StaticStep[] {
  return [
    ...entries.addresses.map((spec): StaticStep => ({ op: 'add', kind: 'address', spec })),
    ...entries.routes.map((route): StaticStep => ({
      op: 'add',
      kind: 'route',
      spec: route.spec,
      mode: route.mode,
    })),
    ...entries.rules.map((spec): StaticStep => ({ op: 'add', kind: 'rule', spec })),
  ];
}

/** keepalived clears leftovers addresses-first at start, rules-first at stop. */
function removalSteps(entries: StaticEntries, when: 'start' | 'stop'): StaticStep[] {
  const addresses = entries.addresses.map((spec): StaticStep => ({ op: 'remove', kind: 'address', spec }));
  const routes = entries.routes.map((route): StaticStep => ({
    op: 'remove',
    kind: 'route',
    spec: route.spec,
    mode: route.mode,
  }));
  const rules = entries.rules.map((spec): StaticStep => ({ op: 'remove', kind: 'rule', spec }));
  return when === 'start' ? [...addresses, ...routes, ...rules] : [...rules, ...routes, ...addresses];
}

function missingFrom<T>(items: readonly T[], others: readonly T[], key: (item: T) => string): T[] {
  const present = new Set(others.map(key));
  return items.filter((item) => !present.has(key(item)));
}

/** Every field counts: a changed flag, peer or lifetime on reload means remove and add again. */
export function addressKey(spec: AddressSpec): string {
  return JSON.stringify([
    spec.ifindex,
    spec.address,
    spec.prefixLength,
    spec.label ?? null,
    spec.broadcast ?? null,
    spec.peer ?? null,
    spec.scope ?? null,
    spec.noPrefixRoute ?? false,
    spec.noDad ?? true,
    spec.homeAddress ?? false,
    spec.manageTempAddress ?? false,
    spec.multicastAutoJoin ?? false,
    spec.preferredLifetime ?? null,
  ]);
}

export function routeKey(spec: RouteSpec): string {
  return JSON.stringify({ ...spec, nexthops: spec.nexthops?.map((n) => ({ ...n })) ?? null });
}

export function ruleKey(spec: RuleSpec): string {
  return JSON.stringify(spec);
}

export interface StaticStepResult {
  step: StaticStep;
  outcome: 'added' | 'exists' | 'removed' | 'absent' | 'failed';
  error?: string;
}

/** Runs the steps in order; a failure is recorded and the next step still runs. */
export async function applyStaticPlan(
  kernel: Pick<KernelNetlink, 'addresses' | 'routes' | 'rules'>,
  steps: readonly StaticStep[],
): Promise<StaticStepResult[]> {
  const results: StaticStepResult[] = [];
  for (const step of steps) {
    try {
      let outcome: StaticStepResult['outcome'];
      if (step.kind === 'address') {
        outcome =
          step.op === 'add'
            ? await kernel.addresses.add(step.spec)
            : await kernel.addresses.remove(step.spec);
      } else if (step.kind === 'route') {
        outcome =
          step.op === 'add'
            ? await kernel.routes.add(step.spec, step.mode)
            : await kernel.routes.remove(step.spec);
      } else {
        outcome =
          step.op === 'add' ? await kernel.rules.add(step.spec) : await kernel.rules.remove(step.spec);
      }
      results.push({ step, outcome });
    } catch (error) {
      results.push({ step, outcome: 'failed', error: errorMessage(error) });
    }
  }
  return results;
}
