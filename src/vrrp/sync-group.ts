// Sync groups (keepalived vrrp_sync_group): instances that must change state together, e.g. the
// LAN and WAN gateways of one router. keepalived's rules, kept pure here:
//  - FAULT: if any member has a fault of its own, every other member is held in FAULT too;
//  - BACKUP: if a MASTER member falls back to BACKUP, the other MASTER members follow it;
//  - MASTER: a member whose master-down timer expires only *wants* MASTER (see step.ts); the
//    group goes MASTER when every member is MASTER or wants to be, preferring BACKUP otherwise
//    so two routers never thrash with half the members on each.
// The group is driven through stepSyncGroup, which steps the addressed member and then feeds the
// other members the events that restore those rules, until nothing changes.

import { step } from './step.js';
import type { GroupNotifyAction, Instance, VrrpAction, VrrpEvent, VrrpState } from './types.js';

export interface SyncGroupConfig {
  readonly name: string;
  readonly members: readonly string[];
}

export interface SyncGroup {
  readonly config: SyncGroupConfig;
  /** Last state notified for the group (INIT until the members have started). */
  readonly state: VrrpState;
}

export type SyncGroupAction =
  | { readonly scope: 'instance'; readonly instance: string; readonly action: VrrpAction }
  | { readonly scope: 'group'; readonly group: string; readonly action: GroupNotifyAction };

export interface SyncGroupStepResult {
  readonly group: SyncGroup;
  readonly instances: Readonly<Record<string, Instance>>;
  readonly actions: readonly SyncGroupAction[];
}

export function createSyncGroup(config: SyncGroupConfig): SyncGroup {
  if (new Set(config.members).size !== config.members.length) {
    throw new RangeError(`sync group ${config.name} lists a member twice`);
  }
  return { config: { name: config.name, members: [...config.members] }, state: 'INIT' };
}

/** The fault source a group puts on members held in FAULT because of another member. */
export function syncGroupFaultSource(groupName: string): string {
  return `sync_group:${groupName}`;
}

/** FAULT if any member is; MASTER if all are; INIT while any has not started; else BACKUP. */
export function groupStateOf(members: readonly Instance[]): VrrpState {
  if (members.some((m) => m.state === 'FAULT')) return 'FAULT';
  if (members.every((m) => m.state === 'MASTER')) return 'MASTER';
  if (members.some((m) => m.state === 'INIT')) return 'INIT';
  return 'BACKUP';
}

export function stepSyncGroup(
  group: SyncGroup,
  instances: Readonly<Record<string, Instance>>,
  member: string,
  event: VrrpEvent,
  now: number,
): SyncGroupStepResult {
  const { name, members } = group.config;
  if (!members.includes(member)) throw new RangeError(`${member} is not a member of sync group ${name}`);
  for (const m of members) {
    const instance = instances[m];
    if (!instance) throw new RangeError(`sync group ${name}: no instance ${m}`);
    if (instance.config.syncGroup !== name) {
      throw new RangeError(`instance ${m} is not configured with syncGroup ${name}`);
    }
  }
  const faultSource = syncGroupFaultSource(name);
  const current: Record<string, Instance> = { ...instances };
  const actions: SyncGroupAction[] = [];
  let masterFellBack = false;

  const apply = (target: string, memberEvent: VrrpEvent): void => {
    const result = step(current[target]!, memberEvent, now);
    current[target] = result.instance;
    for (const action of result.actions) {
      actions.push({ scope: 'instance', instance: target, action });
      if (
        action.type === 'transition' &&
        action.from === 'MASTER' &&
        action.to === 'BACKUP' &&
        action.reason !== 'sync_group'
      ) {
        masterFellBack = true;
      }
    }
  };
  const ownFaults = (m: string): boolean => current[m]!.faults.some((f) => f !== faultSource);

  // The addressed member acts first, so its own transition is logged before the ones it causes.
  const ordered = [member, ...members.filter((m) => m !== member)];
  // A planned handover or its end is for the group as a whole: every member resigns (make before
  // break) rather than being pushed to BACKUP, which would drop its addresses at once.
  if (event.type === 'handover' || event.type === 'resume') for (const m of ordered) apply(m, event);
  else apply(member, event);
  // Each round either changes a member's state or stops; the bound only guards against a bug.
  const maxRounds = members.length * 4 + 4;
  for (let round = 0; round < maxRounds; round++) {
    let changed = false;
    for (const m of ordered) {
      const heldByPeer = members.some((other) => other !== m && ownFaults(other));
      if (heldByPeer !== current[m]!.faults.includes(faultSource)) {
        apply(m, { type: 'fault', source: faultSource, active: heldByPeer });
        changed = true;
      }
    }
    if (masterFellBack) {
      masterFellBack = false;
      for (const m of ordered) {
        if (current[m]!.state === 'MASTER') {
          apply(m, { type: 'syncBackup' });
          changed = true;
        }
      }
    }
    const states = members.map((m) => current[m]!);
    const allWillingMaster = states.every(
      (i) => i.state === 'MASTER' || (i.state === 'BACKUP' && i.wantsMaster),
    );
    if (allWillingMaster && states.some((i) => i.state === 'BACKUP')) {
      for (const m of ordered) {
        if (current[m]!.state === 'BACKUP') apply(m, { type: 'syncMaster' });
      }
      changed = true;
    }
    if (!changed) break;
  }

  const state = groupStateOf(members.map((m) => current[m]!));
  if (state !== group.state && state !== 'INIT') {
    actions.push({ scope: 'group', group: name, action: { type: 'notify', scope: 'GROUP', name, state } });
  }
  return { group: { ...group, state }, instances: current, actions };
}
