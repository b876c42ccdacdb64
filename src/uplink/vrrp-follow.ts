// The VRRP tie-in: the uplink module owns the default route only while the instance (or sync
// group) it follows is MASTER. BACKUP, FAULT and INIT all mean "keep probing, touch nothing".
// A planned release (handover, graceful stop) is make-before-break: the old master keeps its
// addresses and keeps forwarding until the new master is heard, so its uplink group keeps the
// route as long as the addresses are held, and lets it go when they go.
// Pure: the daemon passes what its instances are doing right now.

import type { UplinkRole } from './types.js';
import type { VrrpState } from '../vrrp/types.js';

/** The VRRP side an uplink_group follows, as the daemon sees it at one instant. */
export interface VrrpView {
  /** State of every running instance, by name. */
  instances: ReadonlyMap<string, VrrpState>;
  /** Members of every sync group, by group name. */
  syncGroups: ReadonlyMap<string, readonly string[]>;
  /** Instances that left MASTER for a planned release and still hold their addresses. */
  releasing?: ReadonlySet<string>;
}

/** MASTER, or still holding the addresses after a planned release (make-before-break). */
function ownsAddresses(view: VrrpView, name: string): boolean {
  return view.instances.get(name) === 'MASTER' || (view.releasing?.has(name) ?? false);
}

/**
 * The role of a group following `follow` (null: standalone, it always owns the route). A sync
 * group counts as MASTER only when every one of its members is: members change state together,
 * and a half-master group (one member still BACKUP) must not take the route yet. A name that
 * does not (or no longer) exist means backup: touch nothing.
 */
export function uplinkRoleForFollow(
  follow: { kind: 'instance' | 'group'; name: string } | null,
  view: VrrpView,
): UplinkRole {
  if (follow === null) return 'standalone';
  if (follow.kind === 'instance') return ownsAddresses(view, follow.name) ? 'master' : 'backup';
  const members = view.syncGroups.get(follow.name) ?? [];
  const allMaster = members.length > 0 && members.every((member) => ownsAddresses(view, member));
  return allMaster ? 'master' : 'backup';
}
