// Reload, for an instance whose identity did not change: it keeps its state (no transition) and
// takes the new configuration. A MASTER's addresses, routes and rules are diffed (keptChanges,
// pure and unit-tested in reload-diff.ts) and the difference applied on its kernel queue; the
// addresses it gained are announced at once, as on becoming MASTER.

import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import { reconfigure } from '../vrrp/index.js';
import type { ActionExecutor } from './executor.js';
import type { InstanceTable } from './instance-table.js';
import type { InstancePlan } from './plan.js';
import { keptChanges } from './reload-diff.js';
import type { VirtualResources } from './virtual-resources.js';

export interface KeptInstanceDeps {
  table: InstanceTable;
  resources: VirtualResources;
  executor: Pick<ActionExecutor, 'garpBurst'>;
  logger: Logger;
}

export function applyKeptPlan(deps: KeptInstanceDeps, plan: InstancePlan): void {
  const { table, resources, logger } = deps;
  const runtime = table.runtime(plan.name);
  const instance = table.value(plan.name);
  if (!runtime || !instance) return;
  const before = runtime.plan;
  const changes = keptChanges(before, plan, runtime.held);
  runtime.plan = plan;
  runtime.held = changes.held;
  table.replaceValue(reconfigure(instance, { ...plan.core, primaryAddress: instance.config.primaryAddress }));
  if (instance.state !== 'MASTER') return;
  const { removedVips, addedVips, routesChanged } = changes;
  if (removedVips.length === 0 && addedVips.length === 0 && !routesChanged) return;
  runtime.kernel.push('reload virtual addresses', async () => {
    runtime.held = runtime.held.filter((v) => !removedVips.includes(v));
    await resources.removeAddresses(plan.name, removedVips, plan.interfaceName);
    runtime.held.push(...(await resources.addAddresses(plan.name, addedVips, plan.interfaceName)));
    if (routesChanged) {
      await resources.removeRoutesAndRules(plan.name, before.routes, before.rules);
      await resources.addRoutesAndRules(plan.name, plan.routes, plan.rules);
    }
    say(logger, LOG.vipsReloaded, {
      instance: plan.name,
      added: addedVips.map((v) => v.address),
      removed: removedVips.map((v) => v.address),
    });
  });
  if (addedVips.length > 0) {
    const { garp } = instance.config;
    deps.executor.garpBurst(
      runtime,
      addedVips.map((v) => v.address),
      garp.masterRepeat,
      garp.intervalMs,
    );
  }
}
