// static_ipaddress / static_routes / static_rules in the running daemon (keepalived
// vrrp_daemon.c): installed at start-up whatever the VRRP state (leftovers of the same entries
// removed first), diffed on reload, removed at stop. A static address someone deletes is added
// again unless it is no_track. The plans themselves are pure (src/kernel/static-entries.ts); this
// module turns the model into kernel specs and logs what failed (keepalived logs and carries on).

import type { StaticEntriesModel, VrrpdConfig } from '../config/model/types.js';
import type { InterfaceAddress } from '../kernel/addresses.js';
import type { KernelNetlink } from '../kernel/netlink.js';
import {
  addressKey,
  applyStaticPlan,
  keepalivedRouteDefaults,
  reloadPlan,
  shutdownPlan,
  startupPlan,
  type StaticEntries,
  type StaticStep,
  type StaticStepResult,
} from '../kernel/static-entries.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import { addressSpecOf, routeSpecOf, ruleSpecOf } from './virtual-resources.js';

/** keepalived's default interface (global default_interface, else eth0) for a static address without dev. */
export const STATIC_DEFAULT_INTERFACE = 'eth0';

const EMPTY: StaticEntries = { addresses: [], routes: [], rules: [] };

export class StaticEntriesManager {
  private applied: StaticEntries = EMPTY;
  /** Keys of applied addresses that are re-added when deleted (not no_track). */
  private tracked = new Set<string>();

  constructor(
    private readonly kernel: Pick<KernelNetlink, 'addresses' | 'routes' | 'rules'>,
    private readonly indexOf: (name: string) => number | undefined,
    private readonly logger: Logger,
  ) {}

  async start(config: VrrpdConfig): Promise<void> {
    const next = this.toKernel(config.statics);
    if (isEmpty(next)) return;
    await this.run(startupPlan(next), 'start');
    this.applied = next;
  }

  async reload(config: VrrpdConfig): Promise<void> {
    const next = this.toKernel(config.statics);
    const steps = reloadPlan(this.applied, next);
    if (steps.length > 0) await this.run(steps, 'reload');
    this.applied = next;
  }

  async stop(): Promise<void> {
    if (isEmpty(this.applied)) return;
    await this.run(shutdownPlan(this.applied), 'stop');
    this.applied = EMPTY;
    this.tracked.clear();
  }

  /** An address went away: a tracked static one is put back (keepalived reinstate_static_address). */
  async onAddressRemoved(address: InterfaceAddress): Promise<void> {
    const spec = this.applied.addresses.find(
      (a) =>
        a.ifindex === address.ifindex &&
        a.address === address.address &&
        a.prefixLength === address.prefixLength,
    );
    if (!spec || !this.tracked.has(addressKey(spec))) return;
    say(this.logger, LOG.staticRestored, { address: `${spec.address}/${spec.prefixLength}` });
    await this.run([{ op: 'add', kind: 'address', spec }], 'restore');
  }

  private async run(steps: readonly StaticStep[], when: string): Promise<StaticStepResult[]> {
    const results = await applyStaticPlan(this.kernel, steps);
    let added = 0;
    let removed = 0;
    for (const result of results) {
      if (result.outcome === 'added') added++;
      else if (result.outcome === 'removed' && when !== 'start') removed++;
      else if (result.outcome === 'failed') {
        say(this.logger, LOG.staticFailed, {
          kind: result.step.kind,
          entry: describe(result.step),
          op: result.step.op,
          err: result.error ?? 'unknown error',
        });
      }
    }
    if (when !== 'restore') say(this.logger, LOG.staticApplied, { added, removed, when });
    return results;
  }

  /** Kernel specs of the model's entries; one whose interface does not exist now is left out (logged). */
  private toKernel(model: StaticEntriesModel): StaticEntries {
    const missing = (kind: string, entry: string, dev: string): void =>
      say(this.logger, LOG.staticFailed, { kind, entry, op: 'add', err: `no interface ${dev}` });
    const addresses = [];
    const tracked = new Set<string>();
    for (const vip of model.addresses) {
      const dev = vip.dev ?? STATIC_DEFAULT_INTERFACE;
      const ifindex = this.indexOf(dev);
      if (ifindex === undefined) {
        missing('address', `${vip.address}/${vip.prefix}`, dev);
        continue;
      }
      const spec = addressSpecOf(vip, ifindex);
      addresses.push(spec);
      if (!vip.noTrack) tracked.add(addressKey(spec));
    }
    this.tracked = tracked;
    const routes = [];
    for (const route of model.routes) {
      if (route.dev !== null && this.indexOf(route.dev) === undefined) {
        missing('route', route.to, route.dev);
        continue;
      }
      const spec = keepalivedRouteDefaults(routeSpecOf(route, this.indexOf), {
        noTrack: route.noTrack,
        protocolGiven: route.protocol !== null,
        scopeGiven: route.scope !== null,
      });
      routes.push({ spec, mode: route.mode === 'add' ? ('exclusive' as const) : route.mode });
    }
    return { addresses, routes, rules: model.rules.map((rule) => ruleSpecOf(rule)) };
  }
}

function isEmpty(entries: StaticEntries): boolean {
  return entries.addresses.length === 0 && entries.routes.length === 0 && entries.rules.length === 0;
}

function describe(step: StaticStep): string {
  switch (step.kind) {
    case 'address':
      return `${step.spec.address}/${step.spec.prefixLength}`;
    case 'route':
      return `${step.spec.destination}/${step.spec.prefixLength}`;
    case 'rule':
      return JSON.stringify(step.spec);
  }
}
