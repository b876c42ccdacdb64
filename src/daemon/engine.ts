// The set of VRRP instances one daemon runs, stepped as values. Routes each event to `step` for a
// lone instance or to `stepSyncGroup` for a sync-group member, and flattens what comes out into
// one ordered list of actions tagged with who must carry them out. No I/O: the executor does that.

import {
  createSyncGroup,
  step,
  stepSyncGroup,
  type GroupNotifyAction,
  type Instance,
  type SyncGroup,
  type SyncGroupConfig,
  type VrrpAction,
  type VrrpEvent,
} from '../vrrp/index.js';

export type EngineAction =
  | { readonly scope: 'instance'; readonly instance: string; readonly action: VrrpAction }
  | { readonly scope: 'group'; readonly group: string; readonly action: GroupNotifyAction };

export class Engine {
  private readonly instances = new Map<string, Instance>();
  private readonly groups = new Map<string, SyncGroup>();

  constructor(instances: readonly Instance[], groups: readonly SyncGroupConfig[] = []) {
    for (const instance of instances) this.instances.set(instance.config.name, instance);
    for (const group of groups) this.groups.set(group.name, createSyncGroup(group));
  }

  names(): string[] {
    return [...this.instances.keys()];
  }

  get(name: string): Instance | undefined {
    return this.instances.get(name);
  }

  all(): Instance[] {
    return [...this.instances.values()];
  }

  groupList(): SyncGroup[] {
    return [...this.groups.values()];
  }

  /** Replaces an instance value outright (reload of an unchanged instance keeps its state). */
  replace(instance: Instance): void {
    this.instances.set(instance.config.name, instance);
  }

  remove(name: string): void {
    this.instances.delete(name);
  }

  setGroups(groups: readonly SyncGroupConfig[]): void {
    const next = new Map<string, SyncGroup>();
    for (const config of groups) {
      const old = this.groups.get(config.name);
      const sameMembers = old && old.config.members.join('\0') === config.members.join('\0');
      next.set(config.name, sameMembers ? old : createSyncGroup(config));
    }
    this.groups.clear();
    for (const [name, group] of next) this.groups.set(name, group);
  }

  private stepAlone(name: string, instance: Instance, event: VrrpEvent, now: number): EngineAction[] {
    const result = step(instance, event, now);
    this.instances.set(name, result.instance);
    return result.actions.map((action) => ({ scope: 'instance', instance: name, action }));
  }

  dispatch(name: string, event: VrrpEvent, now: number): EngineAction[] {
    const instance = this.instances.get(name);
    if (!instance) return [];
    const groupName = instance.config.syncGroup;
    const group = groupName ? this.groups.get(groupName) : undefined;
    if (!group) return this.stepAlone(name, instance, event, now);
    // While a reload reshapes a group, a listed member may not exist yet (or any more), or may
    // no longer name the group: step the group with the members it has rather than fail, which
    // would lose the event (an expiry lost leaves its timer never re-armed).
    const members: Record<string, Instance> = {};
    for (const member of group.config.members) {
      const value = this.instances.get(member);
      if (value?.config.syncGroup === group.config.name) members[member] = value;
    }
    const present = Object.keys(members);
    const whole = present.length === group.config.members.length;
    const view = whole ? group : { ...group, config: { ...group.config, members: present } };
    if (!present.includes(name)) return this.stepAlone(name, instance, event, now);
    const result = stepSyncGroup(view, members, name, event, now);
    this.groups.set(group.config.name, { ...result.group, config: group.config });
    for (const [member, value] of Object.entries(result.instances)) this.instances.set(member, value);
    return [...result.actions];
  }
}
