// The engine routes each event to `step` for a lone instance and to `stepSyncGroup` for a sync-group
// member, and tags every resulting action with who must carry it out.

import { describe, expect, it } from 'vitest';
import { Engine, type EngineAction } from '../../src/daemon/engine.js';
import { createInstance, type Instance, type TimerName } from '../../src/vrrp/index.js';

function instance(name: string, vrid: number, syncGroup: string | null = null): Instance {
  return createInstance({
    name,
    vrid,
    priority: 100,
    primaryAddress: '192.0.2.1',
    vips: [`192.0.2.${200 + vrid}`],
    syncGroup,
  });
}

function build(): Engine {
  return new Engine(
    [instance('SOLO', 1), instance('LAN', 2, 'G1'), instance('WAN', 3, 'G1')],
    [{ name: 'G1', members: ['LAN', 'WAN'] }],
  );
}

function transitions(actions: EngineAction[]): string[] {
  return actions.flatMap((a) =>
    a.scope === 'instance' && a.action.type === 'transition'
      ? [`${a.instance}:${a.action.from}->${a.action.to}`]
      : [],
  );
}

function groupNotifies(actions: EngineAction[]): string[] {
  return actions.flatMap((a) => (a.scope === 'group' ? [`${a.group}:${a.action.state}`] : []));
}

/** Expires the timer the instance armed last, as the daemon's InstanceTimers would. */
function expire(engine: Engine, name: string, timer: TimerName, now: number): EngineAction[] {
  const armed = engine.get(name)!.timers[timer];
  if (!armed) throw new Error(`${name} has no ${timer} timer`);
  return engine.dispatch(name, { type: 'timer', timer, generation: armed.generation }, now);
}

describe('Engine', () => {
  it('steps a lone instance on its own: only its actions, no group notification', () => {
    const engine = build();
    const actions = engine.dispatch('SOLO', { type: 'startup' }, 0);
    expect(actions.every((a) => a.scope === 'instance' && a.instance === 'SOLO')).toBe(true);
    expect(transitions(actions)).toEqual(['SOLO:INIT->BACKUP']);
    expect(engine.get('SOLO')!.state).toBe('BACKUP');
    expect(engine.get('LAN')!.state).toBe('INIT');
    const master = expire(engine, 'SOLO', 'masterDown', 3609);
    expect(transitions(master)).toEqual(['SOLO:BACKUP->MASTER']);
    expect(groupNotifies(master)).toEqual([]);
  });

  it('steps a sync-group member through the group: the group notifies once all members started', () => {
    const engine = build();
    const first = engine.dispatch('LAN', { type: 'startup' }, 0);
    expect(transitions(first)).toEqual(['LAN:INIT->BACKUP']);
    expect(groupNotifies(first)).toEqual([]);
    const second = engine.dispatch('WAN', { type: 'startup' }, 0);
    expect(transitions(second)).toEqual(['WAN:INIT->BACKUP']);
    expect(groupNotifies(second)).toEqual(['G1:BACKUP']);
    expect(engine.groupList()[0]!.state).toBe('BACKUP');
  });

  it('a member whose master-down timer expires waits for the others; then the group goes MASTER together', () => {
    const engine = build();
    engine.dispatch('LAN', { type: 'startup' }, 0);
    engine.dispatch('WAN', { type: 'startup' }, 0);
    const lanAlone = expire(engine, 'LAN', 'masterDown', 3609);
    expect(transitions(lanAlone)).toEqual([]);
    expect(engine.get('LAN')!.wantsMaster).toBe(true);
    const both = expire(engine, 'WAN', 'masterDown', 3609);
    expect(transitions(both).sort()).toEqual(['LAN:BACKUP->MASTER', 'WAN:BACKUP->MASTER']);
    expect(groupNotifies(both)).toEqual(['G1:MASTER']);
    // Actions of the other member are tagged with that member, so its VIPs go to its interface.
    const addVips = both.flatMap((a) =>
      a.scope === 'instance' && a.action.type === 'addVips' ? [[a.instance, ...a.action.addresses]] : [],
    );
    expect(addVips.sort()).toEqual([
      ['LAN', '192.0.2.202'],
      ['WAN', '192.0.2.203'],
    ]);
  });

  it('a fault on one member holds the other in FAULT; the lone instance is untouched', () => {
    const engine = build();
    for (const name of ['SOLO', 'LAN', 'WAN']) engine.dispatch(name, { type: 'startup' }, 0);
    const actions = engine.dispatch('LAN', { type: 'fault', source: 'interface:eth0', active: true }, 100);
    expect(transitions(actions)).toEqual(['LAN:BACKUP->FAULT', 'WAN:BACKUP->FAULT']);
    expect(groupNotifies(actions)).toEqual(['G1:FAULT']);
    expect(engine.get('SOLO')!.state).toBe('BACKUP');
    const cleared = engine.dispatch('LAN', { type: 'fault', source: 'interface:eth0', active: false }, 200);
    expect(transitions(cleared)).toEqual(['LAN:FAULT->BACKUP', 'WAN:FAULT->BACKUP']);
  });

  it('an event for an unknown instance does nothing', () => {
    expect(build().dispatch('NOPE', { type: 'startup' }, 0)).toEqual([]);
  });

  it('setGroups keeps a group whose members are unchanged and restarts one whose members changed', () => {
    const engine = build();
    engine.dispatch('LAN', { type: 'startup' }, 0);
    engine.dispatch('WAN', { type: 'startup' }, 0);
    const before = engine.groupList()[0]!;
    engine.setGroups([{ name: 'G1', members: ['LAN', 'WAN'] }]);
    expect(engine.groupList()[0]).toBe(before);
    engine.setGroups([{ name: 'G1', members: ['LAN'] }]);
    expect(engine.groupList()[0]!.state).toBe('INIT');
    engine.setGroups([]);
    expect(engine.groupList()).toEqual([]);
  });

  it('replace and remove change the set of instances', () => {
    const engine = build();
    engine.remove('SOLO');
    expect(engine.names()).toEqual(['LAN', 'WAN']);
    engine.replace(instance('SOLO', 9));
    expect(engine.get('SOLO')!.config.vrid).toBe(9);
    expect(engine.all()).toHaveLength(3);
  });
});

describe('Engine while a reload reshapes a sync group', () => {
  it('steps a group with the members present instead of failing (a member not created yet)', () => {
    const engine = new Engine([instance('LAN', 2, 'G1')], [{ name: 'G1', members: ['LAN', 'NEW'] }]);
    const started = engine.dispatch('LAN', { type: 'startup' }, 0);
    expect(transitions(started)).toEqual(['LAN:INIT->BACKUP']);
    // Alone in the group for now, LAN goes MASTER when its own timer says so.
    const master = expire(engine, 'LAN', 'masterDown', 3609);
    expect(transitions(master)).toEqual(['LAN:BACKUP->MASTER']);
    expect(groupNotifies(master)).toEqual(['G1:MASTER']);
    // Once NEW exists, the group is whole again.
    engine.replace(instance('NEW', 4, 'G1'));
    const newStarted = engine.dispatch('NEW', { type: 'startup' }, 4000);
    expect(transitions(newStarted)).toEqual(['NEW:INIT->BACKUP']);
    expect(engine.groupList()[0]!.config.members).toEqual(['LAN', 'NEW']);
  });

  it('a member whose configuration no longer names the group is stepped alone', () => {
    const engine = build();
    engine.replace(instance('WAN', 3, null));
    const actions = engine.dispatch('LAN', { type: 'startup' }, 0);
    expect(transitions(actions)).toEqual(['LAN:INIT->BACKUP']);
    expect(transitions(engine.dispatch('WAN', { type: 'startup' }, 0))).toEqual(['WAN:INIT->BACKUP']);
  });
});
