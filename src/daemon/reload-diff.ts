// What a reload changes, as values: which running instances keep their state, which leave (gone,
// or their identity changed), which start; and for a kept instance, which addresses, routes and
// rules change. Pure, so every case is unit-tested without a kernel.

import type { VipSpec } from '../config/model/types.js';
import { sameIdentity, type InstancePlan } from './plan.js';

export interface ReloadDiff {
  /** New plans of instances that keep their state (same identity). */
  kept: InstancePlan[];
  /** Names of running instances that stop (removed, or identity changed). */
  leaving: string[];
  /** Plans that start from INIT (new, or identity changed). */
  added: InstancePlan[];
}

export function diffReload(running: readonly InstancePlan[], next: readonly InstancePlan[]): ReloadDiff {
  const nextByName = new Map(next.map((p) => [p.name, p]));
  const kept: InstancePlan[] = [];
  const leaving: string[] = [];
  for (const current of running) {
    const replacement = nextByName.get(current.name);
    if (replacement && sameIdentity(current, replacement)) kept.push(replacement);
    else leaving.push(current.name);
  }
  const keptNames = new Set(kept.map((p) => p.name));
  return { kept, leaving, added: next.filter((p) => !keptNames.has(p.name)) };
}

export interface KeptChanges {
  /** Addresses to remove / add if the instance is MASTER. */
  removedVips: VipSpec[];
  addedVips: VipSpec[];
  routesChanged: boolean;
  /** The held addresses re-pointed at the new plan's specs (no_track etc. may have changed). */
  held: VipSpec[];
}

/**
 * An address is the same across a reload when what keepalived 2.2.7 compares is the same (its
 * compare_ipaddress): address, prefix, device, label, scope and use_vmac. Any other option changed
 * (brd, -nodad, preferred_lft…) leaves the address as it is, as keepalived leaves it.
 */
const vipKey = (v: VipSpec) =>
  `${v.address}/${v.prefix}/${v.dev ?? ''}/${v.label ?? ''}/${v.scope ?? 'global'}/${v.useVmac === true}`;

function withoutSources(list: ReadonlyArray<{ source: unknown }>): unknown[] {
  return list.map(({ source: _source, ...rest }) => rest);
}

export function keptChanges(
  before: InstancePlan,
  after: InstancePlan,
  held: readonly VipSpec[],
): KeptChanges {
  const oldVips = [...before.vips, ...before.excludedVips];
  const newVips = [...after.vips, ...after.excludedVips];
  const newKeys = new Set(newVips.map(vipKey));
  const oldKeys = new Set(oldVips.map(vipKey));
  // Where a config line moved, only its file:line changed: not a change of routes or rules.
  const routesChanged =
    JSON.stringify([before.routes, before.rules].map(withoutSources)) !==
    JSON.stringify([after.routes, after.rules].map(withoutSources));
  return {
    removedVips: oldVips.filter((v) => !newKeys.has(vipKey(v))),
    addedVips: newVips.filter((v) => !oldKeys.has(vipKey(v))),
    routesChanged,
    held: held.map((v) => newVips.find((n) => vipKey(n) === vipKey(v)) ?? v),
  };
}

/** The plan's address specs for these addresses (virtual_ipaddress and _excluded). */
export function vipsByAddress(plan: InstancePlan, addresses: readonly string[]): VipSpec[] {
  const all = [...plan.vips, ...plan.excludedVips];
  // An address listed twice is advertised twice but added once, with its first line (as keepalived).
  const specs = addresses
    .map((a) => all.find((v) => v.address === a))
    .filter((v): v is VipSpec => v !== undefined);
  return [...new Set(specs)];
}
