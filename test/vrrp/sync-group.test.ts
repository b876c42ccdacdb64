import { describe, expect, it } from 'vitest';
import {
  createInstance,
  createSyncGroup,
  stepSyncGroup,
  type Instance,
  type SyncGroup,
  type SyncGroupAction,
  type VrrpEvent,
} from '../../src/vrrp/index.js';
import { advertLike, HIGHER_ADDRESS, summarize } from './fixtures.js';

const GROUP = 'VG_1';

interface Group {
  group: SyncGroup;
  instances: Record<string, Instance>;
  log: SyncGroupAction[];
}

function makeGroup(): Group {
  const common = { priority: 100, primaryAddress: '192.0.2.2', syncGroup: GROUP } as const;
  return {
    group: createSyncGroup({ name: GROUP, members: ['LAN', 'WAN'] }),
    instances: {
      LAN: createInstance({ ...common, name: 'LAN', vrid: 1, vips: ['192.0.2.254'] }),
      WAN: createInstance({ ...common, name: 'WAN', vrid: 2, vips: ['198.51.100.254'] }),
    },
    log: [],
  };
}

function apply(g: Group, member: string, event: VrrpEvent, now: number): SyncGroupAction[] {
  const result = stepSyncGroup(g.group, g.instances, member, event, now);
  g.group = result.group;
  g.instances = { ...result.instances };
  g.log.push(...result.actions);
  return [...result.actions];
}

function fireMasterDown(g: Group, member: string): SyncGroupAction[] {
  const armed = g.instances[member]!.timers.masterDown!;
  return apply(g, member, { type: 'timer', timer: 'masterDown', generation: armed.generation }, armed.dueAt);
}

function groupNotifies(actions: readonly SyncGroupAction[]): string[] {
  return actions.flatMap((a) => (a.scope === 'group' ? [`${a.group} ${a.action.state}`] : []));
}

function transitions(actions: readonly SyncGroupAction[]): string[] {
  return actions.flatMap((a) =>
    a.scope === 'instance' && a.action.type === 'transition'
      ? [`${a.instance} ${summarize([a.action])[0]}`]
      : [],
  );
}

function startedGroup(): Group {
  const g = makeGroup();
  apply(g, 'LAN', { type: 'startup' }, 0);
  apply(g, 'WAN', { type: 'startup' }, 0);
  return g;
}

function masterGroup(): Group {
  const g = startedGroup();
  fireMasterDown(g, 'LAN');
  fireMasterDown(g, 'WAN');
  return g;
}

describe('sync group', () => {
  it('notifies the group once every member has started', () => {
    const g = makeGroup();
    expect(groupNotifies(apply(g, 'LAN', { type: 'startup' }, 0))).toEqual([]);
    expect(groupNotifies(apply(g, 'WAN', { type: 'startup' }, 0))).toEqual([`${GROUP} BACKUP`]);
  });

  it('a member whose timer expires only wants MASTER until every member does', () => {
    const g = startedGroup();
    const first = fireMasterDown(g, 'LAN');
    expect(g.instances.LAN!.state).toBe('BACKUP');
    expect(g.instances.LAN!.wantsMaster).toBe(true);
    expect(transitions(first)).toEqual([]);
    // it keeps asking at each Master_Down_Interval
    expect(g.instances.LAN!.timers.masterDown?.dueAt).toBe(3609 * 2);
    const second = fireMasterDown(g, 'WAN');
    expect(transitions(second)).toEqual([
      'WAN transition BACKUP->MASTER master_down_timer',
      'LAN transition BACKUP->MASTER master_down_timer',
    ]);
    expect(groupNotifies(second)).toEqual([`${GROUP} MASTER`]);
    expect(g.instances.LAN!.wantsMaster).toBe(false);
  });

  it('a member hearing a master again stops wanting MASTER', () => {
    const g = startedGroup();
    fireMasterDown(g, 'LAN');
    const lan = g.instances.LAN!;
    apply(
      g,
      'LAN',
      { type: 'advert', advert: advertLike(lan, { priority: 150 }), source: HIGHER_ADDRESS },
      3700,
    );
    expect(g.instances.LAN!.wantsMaster).toBe(false);
    fireMasterDown(g, 'WAN');
    expect(g.instances.WAN!.state).toBe('BACKUP');
    expect(g.instances.WAN!.wantsMaster).toBe(true);
  });

  it('one MASTER falling back to BACKUP drags the others', () => {
    const g = masterGroup();
    const wan = g.instances.WAN!;
    const actions = apply(
      g,
      'WAN',
      { type: 'advert', advert: advertLike(wan, { priority: 200 }), source: HIGHER_ADDRESS },
      5000,
    );
    expect(transitions(actions)).toEqual([
      'WAN transition MASTER->BACKUP higher_priority_advert',
      'LAN transition MASTER->BACKUP sync_group',
    ]);
    expect(groupNotifies(actions)).toEqual([`${GROUP} BACKUP`]);
    const lanActions = actions.flatMap((a) =>
      a.scope === 'instance' && a.instance === 'LAN' ? [a.action] : [],
    );
    expect(summarize(lanActions)).toEqual([
      'transition MASTER->BACKUP sync_group',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      'removeVips 192.0.2.254',
      'notify INSTANCE BACKUP',
      'armTimer masterDown 3609',
    ]);
  });

  it("one member's fault drags the whole group to FAULT, and its recovery releases it", () => {
    const g = masterGroup();
    const down = apply(g, 'LAN', { type: 'fault', source: 'link:eth0', active: true }, 5000);
    expect(transitions(down)).toEqual([
      'LAN transition MASTER->FAULT fault',
      'WAN transition MASTER->FAULT fault',
    ]);
    expect(g.instances.WAN!.faults).toEqual([`sync_group:${GROUP}`]);
    expect(groupNotifies(down)).toEqual([`${GROUP} FAULT`]);
    // both resigned with priority 0
    const releases = down.filter((a) => a.scope === 'instance' && a.action.type === 'sendAdvert');
    expect(
      releases.map((a) =>
        a.scope === 'instance' && a.action.type === 'sendAdvert' ? a.action.advert.priority : -1,
      ),
    ).toEqual([0, 0]);
    const up = apply(g, 'LAN', { type: 'fault', source: 'link:eth0', active: false }, 6000);
    expect(transitions(up)).toEqual([
      'LAN transition FAULT->BACKUP fault_cleared',
      'WAN transition FAULT->BACKUP fault_cleared',
    ]);
    expect(groupNotifies(up)).toEqual([`${GROUP} BACKUP`]);
    expect(g.instances.WAN!.faults).toEqual([]);
  });

  it('a member with its own fault stays in FAULT while another member also has one', () => {
    const g = masterGroup();
    apply(g, 'LAN', { type: 'fault', source: 'link:eth0', active: true }, 5000);
    apply(g, 'WAN', { type: 'fault', source: 'link:eth1', active: true }, 5100);
    apply(g, 'LAN', { type: 'fault', source: 'link:eth0', active: false }, 5200);
    expect(g.instances.LAN!.state).toBe('FAULT');
    expect(g.instances.LAN!.faults).toEqual([`sync_group:${GROUP}`]);
    apply(g, 'WAN', { type: 'fault', source: 'link:eth1', active: false }, 5300);
    expect(g.instances.LAN!.state).toBe('BACKUP');
    expect(g.instances.WAN!.state).toBe('BACKUP');
  });

  it('rejects members that are not in the group or not configured for it', () => {
    const g = makeGroup();
    expect(() => stepSyncGroup(g.group, g.instances, 'DMZ', { type: 'startup' }, 0)).toThrow(/not a member/);
    const stray = {
      ...g.instances,
      WAN: createInstance({ name: 'WAN', vrid: 2, priority: 100, primaryAddress: '192.0.2.2' }),
    };
    expect(() => stepSyncGroup(g.group, stray, 'LAN', { type: 'startup' }, 0)).toThrow(/syncGroup/);
  });
});
