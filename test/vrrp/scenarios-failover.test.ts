// Failover scenarios on the simulated LAN (timings as in scenarios-election.test.ts):
// r1 priority 150 (Master_Down 3414 ms), r2 priority 100 (Master_Down 3609 ms, Skew 609 ms).
// With both started at 0, r1 is MASTER at 3414 and advertises at 3414 + k·1000.

import { describe, expect, it } from 'vitest';
import { AuthType, DropReason } from '../../src/packet/types.js';
import { ADDRESSES, lan, lastHeard, startAll, transitionsTo, VIP, vrrpRouter } from './sim/topologies.js';

describe('failover', () => {
  it('master crash: the backup becomes MASTER exactly Master_Down_Interval after the last advert it heard', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.run(20_000);
    const heard = lastHeard(sim, 'r2', ADDRESSES.r1, 10_000);
    expect(heard).toBe(9415);
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [heard + 3609, 'master_down_timer'],
    ]);
    expect(sim.vipHolders(VIP)).toEqual(['r2']);
  });

  it('graceful stop: priority 0 lets the backup take over after Skew_Time only', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'stop r1', () => sim.stop('r1'));
    sim.run(15_000);
    expect(sim.records.adverts.filter((a) => a.router === 'r1').at(-1)).toMatchObject({
      at: 10_000,
      priority: 0,
      reason: 'release',
    });
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [10_001 + 609, 'priority_zero'],
    ]);
    expect(sim.records.notifies.filter((n) => n.router === 'r1').at(-1)).toMatchObject({
      at: 10_000,
      state: 'STOP',
    });
    expect(sim.vipHolders(VIP)).toEqual(['r2']);
  });

  it('preemption: the higher priority comes back and takes over at its Master_Down expiry', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.at(20_000, 'restart r1', () => sim.start('r1'));
    sim.run(30_000);
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [3414, 'master_down_timer'],
      [23_414, 'preempt'],
    ]);
    expect(sim.records.logs).toContainEqual(
      expect.objectContaining({
        router: 'r1',
        message: `received lower priority (100) advert from ${ADDRESSES.r2} - discarding`,
      }),
    );
    expect(transitionsTo(sim, 'r2', 'BACKUP').at(-1)).toMatchObject({
      at: 23_415,
      reason: 'higher_priority_advert',
    });
    expect(sim.vipHolders(VIP)).toEqual(['r1']);
  });

  it('nopreempt: the returning higher priority stays BACKUP', () => {
    const sim = lan([vrrpRouter('r1', 150, { preempt: false }), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.at(20_000, 'restart r1', () => sim.start('r1'));
    sim.run(60_000);
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => t.at)).toEqual([3414]);
    expect(sim.masters('VI_1')).toEqual(['r2']);
    expect(sim.instance('r1', 'VI_1').masterAddress).toBe(ADDRESSES.r2);
  });

  it('preempt_delay: the returning higher priority waits the delay, then preempts on the next expiry', () => {
    const sim = lan([vrrpRouter('r1', 150, { preemptDelayMs: 10_000 }), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.at(20_000, 'restart r1', () => sim.start('r1'));
    sim.run(40_000);
    // r2 is MASTER from 9415 + 3609 = 13024 and advertises at 13024 + k·1000 (heard 1 ms later).
    // r1 accepts them until 30 000, so the last one it accepts is heard at 29 025; the one heard
    // at 30 025 is discarded and r1 preempts 3414 ms after 29 025.
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [3414, 'master_down_timer'],
      [29_025 + 3414, 'preempt'],
    ]);
    expect(sim.records.logs.filter((l) => l.router === 'r1' && l.message.endsWith('discarding'))[0]?.at).toBe(
      30_025,
    );
  });

  it('FAULT: the master resigns, the backup takes over after Skew_Time, recovery preempts back', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_000, 'link down', () =>
      sim.inject('r1', 'VI_1', { type: 'fault', source: 'link:eth0', active: true }),
    );
    sim.at(15_000, 'link up', () =>
      sim.inject('r1', 'VI_1', { type: 'fault', source: 'link:eth0', active: false }),
    );
    sim.run(25_000);
    expect(transitionsTo(sim, 'r1', 'FAULT').map((t) => t.at)).toEqual([10_000]);
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [10_610, 'priority_zero'],
    ]);
    expect(transitionsTo(sim, 'r1', 'BACKUP').at(-1)).toMatchObject({ at: 15_000, reason: 'fault_cleared' });
    expect(transitionsTo(sim, 'r1', 'MASTER').at(-1)).toMatchObject({ at: 18_414, reason: 'preempt' });
    expect(sim.records.notifies.filter((n) => n.router === 'r1').map((n) => n.state)).toEqual([
      'BACKUP',
      'MASTER',
      'FAULT',
      'BACKUP',
      'MASTER',
    ]);
    expect(sim.vipHolders(VIP)).toEqual(['r1']);
  });

  it('a master answers a priority-0 advert at once, so the backups do not take over', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.at(10_500, 'foreign resign', () =>
      sim.sendForeign('192.0.2.9', {
        version: 2,
        type: 1,
        vrid: 51,
        priority: 0,
        advertIntervalCs: 100,
        addresses: [VIP],
        authType: AuthType.none,
        authData: Buffer.alloc(8),
      }),
    );
    sim.run(20_000);
    const r1Adverts = sim.records.adverts.filter((a) => a.router === 'r1' && a.at >= 10_000);
    expect(r1Adverts.slice(0, 3).map((a) => [a.at, a.reason])).toEqual([
      [10_414, 'timer'],
      [10_501, 'priority_zero_reply'],
      [11_501, 'timer'],
    ]);
    // r2 had shortened its wait to Skew_Time at 10 501, but r1's answer reset it at 10 502
    const r2Arms = sim.records.timerArms.filter((a) => a.router === 'r2' && a.at >= 10_500);
    expect(r2Arms.slice(0, 2).map((a) => [a.at, a.delayMs])).toEqual([
      [10_501, 609],
      [10_502, 3609],
    ]);
    expect(transitionsTo(sim, 'r2', 'MASTER')).toEqual([]);
  });

  it('loss: two consecutive lost adverts are survived, three are a failover', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    // adverts at 10 414 and 11 414 lost
    sim.at(10_000, 'loss on', () => sim.lan.setLinkLoss('r1', 'r2', 1));
    sim.at(11_500, 'loss off', () => sim.lan.clearLoss());
    sim.run(20_000);
    expect(transitionsTo(sim, 'r2', 'MASTER')).toEqual([]);
    // adverts at 30 414, 31 414, 32 414 lost: r2 last heard at 29 415 and fires at 33 024
    sim.at(30_000, 'loss on', () => sim.lan.setLinkLoss('r1', 'r2', 1));
    sim.at(32_500, 'loss off', () => sim.lan.clearLoss());
    sim.run(40_000);
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => t.at)).toEqual([29_415 + 3609]);
    // r2's takeover advert reaches r1 at 33 025; r1 answers at once and r2 yields at 33 026
    expect(transitionsTo(sim, 'r2', 'BACKUP').at(-1)).toMatchObject({
      at: 33_026,
      reason: 'higher_priority_advert',
    });
    expect(sim.masters('VI_1')).toEqual(['r1']);
  });

  it('adverts with the wrong password are dropped by the receiver, so both become MASTER', () => {
    const sim = lan([
      vrrpRouter('r1', 150, { authType: AuthType.simple, authPassword: 'secret1' }),
      vrrpRouter('r2', 100, { authType: AuthType.simple, authPassword: 'secret2' }),
    ]);
    startAll(sim);
    sim.run(10_000);
    expect(sim.masters('VI_1').sort()).toEqual(['r1', 'r2']);
    expect(sim.records.drops.some((d) => d.why === DropReason.authPassword)).toBe(true);
  });
});

describe('split brain', () => {
  it('both are MASTER during a partition; after it heals the lower one yields within one advert interval', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    const healAt = 20_000;
    sim.at(10_000, 'partition', () => sim.lan.partition([['r1'], ['r2']]));
    sim.at(healAt, 'heal', () => sim.lan.heal());
    sim.run(healAt - 1);
    expect(sim.masters('VI_1').sort()).toEqual(['r1', 'r2']);
    expect(sim.vipHolders(VIP).sort()).toEqual(['r1', 'r2']);
    sim.run(30_000);
    const yielded = transitionsTo(sim, 'r2', 'BACKUP').at(-1)!;
    expect(yielded.reason).toBe('higher_priority_advert');
    expect(yielded.at).toBeGreaterThan(healAt);
    expect(yielded.at).toBeLessThanOrEqual(healAt + 1000 + 1);
    // here r2's advert (20 024) reached r1 first, r1 answered at once and r2 yielded 1 ms later
    expect(yielded.at).toBe(20_026);
    expect(sim.records.adverts).toContainEqual(
      expect.objectContaining({ router: 'r1', at: 20_025, reason: 'lower_priority_reply' }),
    );
    expect(sim.masters('VI_1')).toEqual(['r1']);
    expect(sim.vipHolders(VIP)).toEqual(['r1']);
  });
});
