// Scenario tests on the simulated LAN: exact virtual timings derived from RFC 3768 §6.1.
// r1 = 192.0.2.1 priority 150 → Master_Down_Interval 3000 + 414 = 3414 ms
// r2 = 192.0.2.2 priority 100 → Master_Down_Interval 3000 + 609 = 3609 ms
// Link delay 1 ms unless stated.

import { describe, expect, it } from 'vitest';
import { ADDRESSES, lan, startAll, transitionsTo, VIP, vrrpRouter } from './sim/topologies.js';

describe('election', () => {
  it('the higher priority becomes MASTER after its Master_Down_Interval; the other stays BACKUP', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.run(20_000);
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [3414, 'master_down_timer'],
    ]);
    expect(transitionsTo(sim, 'r2', 'MASTER')).toEqual([]);
    expect(sim.vipHolders(VIP)).toEqual(['r1']);
    // adverts every second from the takeover on, with the configured priority
    const adverts = sim.records.adverts.filter((a) => a.router === 'r1');
    expect(adverts.slice(0, 4).map((a) => [a.at, a.priority, a.reason])).toEqual([
      [3414, 150, 'become_master'],
      [4414, 150, 'timer'],
      [5414, 150, 'timer'],
      [6414, 150, 'timer'],
    ]);
    // r2 learnt who the master is, through the real codec
    expect(sim.instance('r2', 'VI_1').masterAddress).toBe(ADDRESSES.r1);
    expect(sim.instance('r2', 'VI_1').masterPriority).toBe(150);
    // GARP schedule: a burst at takeover, another after garp_master_delay
    expect(sim.records.garps.map((g) => [g.router, g.at, g.count, g.reason])).toEqual([
      ['r1', 3414, 5, 'become_master'],
      ['r1', 8414, 5, 'master_delay'],
    ]);
    expect(sim.records.notifies.filter((n) => n.router === 'r1').map((n) => [n.at, n.state])).toEqual([
      [0, 'BACKUP'],
      [3414, 'MASTER'],
    ]);
  });

  it('stale timer expiries are delivered and ignored: the backup never fires while adverts arrive', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.run(30_000);
    // r2 re-armed its master-down timer on every advert, so each earlier one expired stale
    expect(sim.records.staleTimers).toBeGreaterThan(20);
    expect(sim.state('r2', 'VI_1')).toBe('BACKUP');
    expect(sim.masters('VI_1')).toEqual(['r1']);
  });

  it('equal priorities: both claim MASTER at the same instant, the lower address yields on the first advert', () => {
    const sim = lan([vrrpRouter('r1', 100), vrrpRouter('r2', 100)]);
    startAll(sim);
    sim.run(10_000);
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => t.at)).toEqual([3609]);
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => t.at)).toEqual([3609]);
    expect(transitionsTo(sim, 'r1', 'BACKUP').map((t) => [t.at, t.reason])).toEqual([
      [0, 'startup'],
      [3610, 'higher_priority_advert'],
    ]);
    expect(sim.masters('VI_1')).toEqual(['r2']);
    expect(sim.vipHolders(VIP)).toEqual(['r2']);
  });

  it('three routers: the highest wins, and each failure hands over to the next one', () => {
    const sim = lan([vrrpRouter('r1', 150), vrrpRouter('r2', 100), vrrpRouter('r3', 50)]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.at(20_000, 'crash r2', () => sim.crash('r2'));
    sim.at(30_000, 'restart r1', () => sim.start('r1'));
    sim.run(40_000);
    // r1's last advert was at 9414 (arrives 9415): r2 takes over 3609 ms later; r3 (3800 ms) does not
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => t.at)).toEqual([9415 + 3609]);
    // r2 advertises at 13024 + k·1000; its last before the crash is 19024, heard at 19025
    // r3: priority 50 → 3000 + (206 × 10^6/256 µs = 804.6875 ms → 804) = 3804
    expect(transitionsTo(sim, 'r3', 'MASTER').map((t) => t.at)).toEqual([19_025 + 3804]);
    // r1 comes back and preempts r3 once its own Master_Down_Interval has run out
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => [t.at, t.reason])).toEqual([
      [3414, 'master_down_timer'],
      [30_000 + 3414, 'preempt'],
    ]);
    expect(transitionsTo(sim, 'r3', 'BACKUP').at(-1)).toMatchObject({
      at: 33_415,
      reason: 'higher_priority_advert',
    });
    expect(sim.masters('VI_1')).toEqual(['r1']);
  });

  it('the address owner (255, state MASTER) becomes MASTER at once and the incumbent yields', () => {
    const sim = lan([vrrpRouter('r1', 255, { initialState: 'MASTER' }), vrrpRouter('r2', 100)]);
    sim.at(0, 'start r2', () => sim.start('r2'));
    sim.at(10_000, 'start owner', () => sim.start('r1'));
    sim.run(15_000);
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => t.at)).toEqual([3609]);
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => [t.at, t.reason])).toEqual([[10_000, 'startup']]);
    expect(transitionsTo(sim, 'r2', 'BACKUP').at(-1)).toMatchObject({
      at: 10_001,
      reason: 'higher_priority_advert',
    });
    expect(sim.vipHolders(VIP)).toEqual(['r1']);
  });

  it('v3: a backup learns the master interval and times out on it', () => {
    const sim = lan([
      vrrpRouter('r1', 150, { version: 3, advertIntervalCs: 50 }),
      vrrpRouter('r2', 100, { version: 3, advertIntervalCs: 100 }),
    ]);
    startAll(sim);
    sim.at(10_000, 'crash r1', () => sim.crash('r1'));
    sim.run(20_000);
    // r1: 3 × 500 + (106 × 50 cs / 256 = 207.03 ms → 207) = 1707
    expect(transitionsTo(sim, 'r1', 'MASTER').map((t) => t.at)).toEqual([1707]);
    expect(
      sim.records.adverts
        .filter((a) => a.router === 'r1')
        .slice(0, 3)
        .map((a) => a.at),
    ).toEqual([1707, 2207, 2707]);
    // r2 armed its first master-down with its own 1 s interval, then with the learned 0.5 s one:
    // 3 × 500 + (156 × 50 cs / 256 = 304.69 ms → 304) = 1804
    const r2Arms = sim.records.timerArms.filter((a) => a.router === 'r2' && a.timer === 'masterDown');
    expect(r2Arms[0]?.delayMs).toBe(3609);
    expect(r2Arms[1]?.delayMs).toBe(1804);
    expect(sim.instance('r2', 'VI_1').masterAdverIntervalCs).toBe(100); // own interval again once MASTER
    // r1's last advert: 1707 + 16 × 500 = 9707, heard at 9708
    expect(transitionsTo(sim, 'r2', 'MASTER').map((t) => t.at)).toEqual([9708 + 1804]);
    // and it advertises its own configured interval
    expect(
      sim.records.adverts
        .filter((a) => a.router === 'r2')
        .slice(0, 2)
        .map((a) => a.at),
    ).toEqual([11_512, 12_512]);
  });
});
