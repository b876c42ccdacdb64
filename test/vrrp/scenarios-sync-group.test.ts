// A sync group of two instances (LAN and WAN gateways) on two routers, on the simulated LAN.
// r1 has priority 150 on both (Master_Down 3414 ms), r2 100 (Master_Down 3609 ms, Skew 609 ms).

import { describe, expect, it } from 'vitest';
import type { RouterSpec } from './sim/simulator.js';
import { ADDRESSES, lan, startAll, transitionsTo } from './sim/topologies.js';

const LAN_VIP = '192.0.2.254';
const WAN_VIP = '198.51.100.254';

function groupedRouter(name: 'r1' | 'r2', priority: number): RouterSpec {
  return {
    name,
    address: ADDRESSES[name],
    instances: [
      { name: 'LAN', vrid: 1, priority, vips: [LAN_VIP], syncGroup: 'VG_1' },
      { name: 'WAN', vrid: 2, priority, vips: [WAN_VIP], syncGroup: 'VG_1' },
    ],
    syncGroups: [{ name: 'VG_1', members: ['LAN', 'WAN'] }],
  };
}

function groupNotifies(sim: ReturnType<typeof lan>, router: string): [number, string][] {
  return sim.records.notifies
    .filter((n) => n.router === router && n.scope === 'GROUP')
    .map((n) => [n.at, n.state]);
}

describe('sync group on the LAN', () => {
  it("one member's fault drags the other; both fail over together and come back together", () => {
    const sim = lan([groupedRouter('r1', 150), groupedRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'LAN link down on r1', () =>
      sim.inject('r1', 'LAN', { type: 'fault', source: 'link:eth0', active: true }),
    );
    sim.at(20_000, 'LAN link up on r1', () =>
      sim.inject('r1', 'LAN', { type: 'fault', source: 'link:eth0', active: false }),
    );
    sim.run(30_000);

    for (const member of ['LAN', 'WAN']) {
      expect(transitionsTo(sim, 'r1', 'MASTER', member).map((t) => t.at)).toEqual([3414, 23_414]);
      expect(transitionsTo(sim, 'r1', 'FAULT', member).map((t) => t.at)).toEqual([10_000]);
      // both r1 members resigned with priority 0, so r2 waited Skew_Time only
      expect(transitionsTo(sim, 'r2', 'MASTER', member).map((t) => t.at)).toEqual([10_001 + 609]);
    }
    expect(sim.instance('r1', 'WAN').lastTransition).toMatchObject({ at: 23_414 });
    expect(transitionsTo(sim, 'r1', 'FAULT', 'WAN')[0]).toMatchObject({ reason: 'fault' });
    expect(sim.instance('r1', 'WAN').faults).toEqual([]);
    // WAN's expiry completed r1's group, so WAN went MASTER (and advertised) first: r2's WAN
    // yields to it and drags LAN along in the same instant
    expect(transitionsTo(sim, 'r2', 'BACKUP', 'WAN').at(-1)).toMatchObject({
      at: 23_415,
      reason: 'higher_priority_advert',
    });
    expect(transitionsTo(sim, 'r2', 'BACKUP', 'LAN').at(-1)).toMatchObject({
      at: 23_415,
      reason: 'sync_group',
    });

    expect(groupNotifies(sim, 'r1')).toEqual([
      [0, 'BACKUP'],
      [3414, 'MASTER'],
      [10_000, 'FAULT'],
      [20_000, 'BACKUP'],
      [23_414, 'MASTER'],
    ]);
    expect(groupNotifies(sim, 'r2')).toEqual([
      [0, 'BACKUP'],
      [10_610, 'MASTER'],
      [23_415, 'BACKUP'],
    ]);
    expect(sim.vipHolders(LAN_VIP)).toEqual(['r1']);
    expect(sim.vipHolders(WAN_VIP)).toEqual(['r1']);
  });

  it('a member only goes MASTER when every member would: one silent VRID is not enough', () => {
    const sim = lan([groupedRouter('r2', 100)]);
    startAll(sim);
    // a foreign router keeps advertising VRID 2 (WAN) until 15 s; nobody speaks for VRID 1 (LAN)
    for (let at = 0; at <= 15_000; at += 1000) {
      sim.at(at, 'foreign WAN advert', () =>
        sim.sendForeign('192.0.2.9', {
          version: 2,
          type: 1,
          vrid: 2,
          priority: 200,
          advertIntervalCs: 100,
          addresses: [WAN_VIP],
          authType: 0,
          authData: Buffer.alloc(8),
        }),
      );
    }
    sim.run(15_000);
    expect(sim.instance('r2', 'LAN').state).toBe('BACKUP');
    expect(sim.instance('r2', 'LAN').wantsMaster).toBe(true);
    expect(sim.masters('LAN')).toEqual([]);
    expect(sim.vipHolders(LAN_VIP)).toEqual([]);
    // the WAN master falls silent: last heard at 15 001, WAN expires 3609 ms later and the group goes
    sim.run(25_000);
    expect(transitionsTo(sim, 'r2', 'MASTER', 'WAN').map((t) => [t.at, t.reason])).toEqual([
      [15_001 + 3609, 'master_down_timer'],
    ]);
    expect(transitionsTo(sim, 'r2', 'MASTER', 'LAN').map((t) => [t.at, t.reason])).toEqual([
      [15_001 + 3609, 'master_down_timer'],
    ]);
    expect(groupNotifies(sim, 'r2')).toEqual([
      [0, 'BACKUP'],
      [18_610, 'MASTER'],
    ]);
  });
});
