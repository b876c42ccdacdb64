// Two Daemons on one in-memory segment, each with its own fake kernel: election, gratuitous ARP
// after the address is in place, a graceful stop handing over after Skew_Time, and GARP bursts
// paced by vrrp_garp_interval, which must never hold back the removal of a VIP given up.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateStatsSnapshot, validateStatusSnapshot } from '../../src/control/status-validate.js';
import { statsSnapshot, statusSnapshot } from '../../src/daemon/status.js';
import { masterDownInterval, skewTime } from '../../src/vrrp/index.js';
import { ETH0_INDEX, instanceBlock, Lab, VIP, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

async function electedPair(): Promise<{ lab: Lab; a: TestRouter; b: TestRouter; startedAt: number }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  const startedAt = Date.now();
  await a.start(instanceBlock({ priority: 150 }));
  await b.start(instanceBlock({ priority: 100 }));
  await lab.advance(4000);
  return { lab, a, b, startedAt };
}

describe('election', () => {
  it('the higher priority becomes MASTER after Master_Down_Interval; the other stays BACKUP', async () => {
    const { lab, a, b, startedAt } = await electedPair();
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    // One socket per interface, sending from the interface's own address, joined to 224.0.0.18.
    expect(a.transportOptions).toEqual([
      {
        ifname: 'eth0',
        ifindex: ETH0_INDEX,
        sourceAddress: A,
        joinMulticast: true,
        multicastGroups: ['224.0.0.18'],
      },
    ]);
    expect(a.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['INIT->BACKUP', 'BACKUP->MASTER']);
    expect(b.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['INIT->BACKUP']);
    // RFC 3768 §6.1: 3 × 1 s + (256 − 150)/256 s.
    expect(a.transitions[1]!.at - startedAt).toBe(masterDownInterval(2, 150, 100));
    // Only the master speaks: once on becoming MASTER, then every second.
    await lab.advance(3000);
    const fromA = lab.advertsFrom(A);
    expect(fromA.length).toBeGreaterThanOrEqual(4);
    expect(fromA.every((advert) => advert.priority === 150 && advert.vrid === 51)).toBe(true);
    expect(fromA.slice(1).map((advert, i) => advert.at - fromA[i]!.at)).toEqual(
      new Array(fromA.length - 1).fill(1000),
    );
    expect(lab.advertsFrom(B)).toEqual([]);
    expect(b.daemon.instances()[0]!.instance.masterAddress).toBe(A);
  });

  it('a master builds its advert once and sends the same bytes until the advert changes', async () => {
    const { lab, a } = await electedPair();
    const transport = a.transports[0]!;
    const built = vi.spyOn(transport, 'packet');
    const start = lab.segment.sent.length;
    await lab.advance(3000);
    const sent = lab.segment.sent.slice(start).filter((p) => p.from === A);
    expect(sent.length).toBe(3);
    expect(built).toHaveBeenCalledTimes(0);
    expect(sent.every((p) => p.raw.equals(sent[0]!.raw))).toBe(true);
    // A new priority (vrrpctl demote) is a new advert: built once, then sent as it is.
    a.daemon.dispatch('VI_1', { type: 'setPriority', priority: 140 });
    await lab.advance(3000);
    expect(built).toHaveBeenCalledTimes(1);
    expect(
      lab
        .advertsFrom(A)
        .slice(-3)
        .map((advert) => advert.priority),
    ).toEqual([140, 140, 140]);
  });

  it('the master adds the VIP through netlink and sends its gratuitous ARPs only once the VIP is there', async () => {
    const { lab, a, b } = await electedPair();
    expect(a.netlink.operations).toEqual([
      { op: 'addAddress', spec: { ifindex: ETH0_INDEX, address: VIP, prefixLength: 24 } },
    ]);
    expect(a.hasAddress(VIP)).toBe(true);
    // garp_master_repeat 5 at once…
    expect(a.garps).toHaveLength(5);
    expect(a.garps.every((g) => g.ifname === 'eth0' && g.vip === VIP && g.vipPresent)).toBe(true);
    // …and 5 more after garp_master_delay (5 s).
    const becameMaster = a.transitions[1]!.at;
    await lab.advance(5000);
    expect(a.garps).toHaveLength(10);
    expect(a.garps.slice(5).every((g) => g.at === becameMaster + 5000 && g.vipPresent)).toBe(true);
    expect(b.netlink.operations).toEqual([]);
    expect(b.garps).toEqual([]);
    expect(a.counters()).toMatchObject({ becameMaster: 1, releasedMaster: 0 });
    expect(b.counters()!.advertsRx).toBe(lab.advertsFrom(A).length);
  });

  it('a stopped master keeps its VIP until the backup has taken over (make before break), then leaves', async () => {
    const { lab, a, b } = await electedPair();
    const sentBefore = lab.advertsFrom(A).length;
    const stoppedAt = Date.now();
    let exitedAt: number | null = null;
    void a.daemon.stop().then(() => {
      exitedAt = Date.now();
    });
    await lab.advance(1);
    expect(
      lab
        .advertsFrom(A)
        .slice(sentBefore)
        .map((advert) => advert.priority),
    ).toEqual([0]);
    expect(a.transitions.at(-1)).toMatchObject({ from: 'MASTER', to: 'INIT' });
    // Still serving: the VIP stays while the backup waits its Skew_Time.
    await lab.advance(skewTime(2, 100, 100) - 10);
    expect(a.hasAddress(VIP)).toBe(true);
    expect(exitedAt).toBeNull();
    await lab.advance(20);
    expect(b.state()).toBe('MASTER');
    const takeover = b.transitions.at(-1)!.at;
    expect(takeover - stoppedAt).toBe(skewTime(2, 100, 100));
    expect(b.hasAddress(VIP)).toBe(true);
    // The new master's advert reached a: the VIP goes after the grace (its GARPs went first).
    expect(a.hasAddress(VIP)).toBe(true);
    await lab.advance(200);
    expect(a.hasAddress(VIP)).toBe(false);
    expect(a.addressOps(VIP)).toEqual(['addAddress', 'removeAddress']);
    expect(exitedAt).not.toBeNull();
    expect(exitedAt! - takeover).toBeLessThanOrEqual(110);
    expect(a.counters()!.priorityZeroTx).toBe(1);
    expect(a.events.closed).toBe(true);
    expect(a.transports.every((t) => t.closed)).toBe(true);
  });

  it('with immediate release (the RFC): priority 0, VIP removed at once, the backup takes over after Skew_Time', async () => {
    const { lab, a, b } = await electedPair();
    const sentBefore = lab.advertsFrom(A).length;
    await a.daemon.stop({ immediate: true });
    expect(a.hasAddress(VIP)).toBe(false);
    expect(a.addressOps(VIP)).toEqual(['addAddress', 'removeAddress']);
    expect(a.transitions.at(-1)).toMatchObject({ from: 'MASTER', to: 'INIT' });
    const stoppedAt = Date.now();
    lab.flush();
    const release = lab.advertsFrom(A).slice(sentBefore);
    expect(release.map((advert) => advert.priority)).toEqual([0]);
    expect(a.counters()!.priorityZeroTx).toBe(1);
    expect(a.events.closed).toBe(true);
    expect(a.transports.every((t) => t.closed)).toBe(true);

    await lab.advance(5000);
    expect(b.state()).toBe('MASTER');
    const takeover = b.transitions.at(-1)!;
    expect(takeover).toMatchObject({ from: 'BACKUP', to: 'MASTER' });
    // RFC 3768 §6.4.2: a priority-0 advert shortens the wait to Skew_Time (609 ms for 100),
    // far below Master_Down_Interval (3.6 s).
    expect(takeover.at - stoppedAt).toBe(skewTime(2, 100, 100));
    expect(b.hasAddress(VIP)).toBe(true);
    expect(b.garps.length).toBeGreaterThanOrEqual(5);
    expect(b.garps.every((g) => g.vipPresent)).toBe(true);
    expect(b.counters()!.priorityZeroRx).toBe(1);
    // The stopped daemon is silent for good.
    expect(lab.advertsFrom(A).slice(sentBefore)).toHaveLength(1);
    await a.daemon.stop({ immediate: true });
    expect(a.addressOps(VIP)).toEqual(['addAddress', 'removeAddress']);
  });

  /** b (100) MASTER alone, then a (150) started: a is about to preempt. */
  async function preemptingPair(): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await b.start(instanceBlock({ priority: 100 }));
    await lab.advance(4000);
    expect(b.state()).toBe('MASTER');
    await a.start(instanceBlock({ priority: 150 }));
    return { lab, a, b };
  }

  it('a higher priority router started later preempts, and the old master gives the VIP up', async () => {
    const { lab, a, b } = await preemptingPair();
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(b.addressOps(VIP)).toEqual(['addAddress', 'removeAddress']);
    expect(b.hasAddress(VIP)).toBe(false);
    expect(a.hasAddress(VIP)).toBe(true);
    expect(b.counters()).toMatchObject({ becameMaster: 1, releasedMaster: 1 });
  });

  it('the preempting router holds the VIP before its first advert tells the old master to let go', async () => {
    const { lab, a } = await preemptingPair();
    // Each advert a sends, with whether a already held the VIP when it left.
    const sent: Array<{ at: number; held: boolean }> = [];
    const transport = a.transports[0]!;
    const send = transport.sendIpPacket.bind(transport);
    vi.spyOn(transport, 'sendIpPacket').mockImplementation((...args: Parameters<typeof send>) => {
      sent.push({ at: Date.now(), held: a.hasAddress(VIP) });
      return send(...args);
    });
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.held).toBe(true);
    // Its gratuitous ARPs follow that advert at once, so the old master's clients move with it.
    expect(a.garps.length).toBeGreaterThan(0);
    expect(a.garps[0]!.at).toBe(sent[0]!.at);
  });
});

describe('unicast', () => {
  it('two unicast peers elect over unicast only, without joining the multicast group', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    const unicast = (self: string, peer: string) =>
      `  unicast_src_ip ${self}\n  unicast_peer {\n    ${peer}\n  }`;
    await a.start(instanceBlock({ priority: 150, extra: unicast(A, B) }));
    await b.start(instanceBlock({ priority: 100, extra: unicast(B, A) }));
    await lab.advance(6000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.transportOptions[0]).toMatchObject({ sourceAddress: A, joinMulticast: false });
    const sent = lab.segment.sent.filter((p) => p.from === A);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((p) => p.dest === B)).toBe(true);
    expect(b.counters()!.advertsRx).toBe(sent.length);
  });
});

describe('status', () => {
  it('the status and stats snapshots match the documented schema', async () => {
    const { a, b } = await electedPair();
    for (const router of [a, b]) {
      const status = statusSnapshot(router.daemon);
      expect(validateStatusSnapshot(JSON.parse(JSON.stringify(status)))).toEqual([]);
      expect(validateStatsSnapshot(JSON.parse(JSON.stringify(statsSnapshot(router.daemon, false))))).toEqual(
        [],
      );
    }
    const [instance] = statusSnapshot(a.daemon).instances;
    expect(instance).toMatchObject({
      name: 'VI_1',
      interface: 'eth0',
      vrid: 51,
      state: 'MASTER',
      priority: 150,
      effectivePriority: 150,
      masterAddress: A,
      advertInterval: 1,
      vips: [`${VIP}/24`],
      lastTransitionReason: 'master_down_timer',
    });
    expect(statusSnapshot(b.daemon).instances[0]).toMatchObject({ state: 'BACKUP', masterAddress: A });
  });
});

const PACED = 'global_defs {\n  vrrp_garp_interval 0.5\n}\n';

describe('paced gratuitous ARP', () => {
  it('sends garp_master_repeat GARPs vrrp_garp_interval apart, each after the VIP is in place', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(PACED + instanceBlock({ priority: 150, extra: '  garp_master_delay 0' }));
    await lab.advance(7000);
    expect(a.state()).toBe('MASTER');
    const becameMaster = a.transitions[1]!.at;
    expect(a.garps.map((g) => g.at - becameMaster)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(a.garps.every((g) => g.vipPresent)).toBe(true);
  });

  it('an immediate stop() in the middle of a burst releases the VIP at once and sends no more GARPs', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(PACED + instanceBlock({ priority: 150 }));
    await lab.advance(4100);
    expect(a.state()).toBe('MASTER');
    const garpsBefore = a.garps.length;
    expect(garpsBefore).toBeGreaterThan(0);
    expect(garpsBefore).toBeLessThan(5);
    const stopAt = Date.now();
    let stoppedAt: number | null = null;
    void a.daemon.stop({ immediate: true }).then(() => {
      stoppedAt = Date.now();
    });
    await lab.advance(3000);
    expect(stoppedAt).not.toBeNull();
    expect(stoppedAt! - stopAt).toBeLessThanOrEqual(5);
    expect(a.hasAddress(VIP)).toBe(false);
    expect(a.garps).toHaveLength(garpsBefore);
  });

  it('a MASTER preempted in the middle of a burst stops announcing the VIP it gave up', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    // B's burst: 20 GARPs 500 ms apart, 9.5 s in all.
    await b.start(PACED + instanceBlock({ priority: 100, extra: '  garp_master_repeat 20' }));
    await lab.advance(3700);
    expect(b.state()).toBe('MASTER');
    // A higher priority router appears and preempts B after its Master_Down_Interval (3.4 s).
    await a.start(PACED + instanceBlock({ priority: 150 }));
    await lab.advance(50);
    expect(b.state()).toBe('MASTER');
    const lostAt = await (async () => {
      for (let i = 0; i < 1000 && b.state() === 'MASTER'; i++) await lab.advance(5, 5);
      return Date.now();
    })();
    expect(b.state()).toBe('BACKUP');
    expect(a.state()).toBe('MASTER');
    expect(b.garps.length).toBeLessThan(20);
    await lab.advance(5);
    expect(b.hasAddress(VIP)).toBe(false);
    await lab.advance(10_000);
    expect(b.garps.filter((g) => g.at > lostAt)).toEqual([]);
    expect(b.garps.every((g) => g.vipPresent)).toBe(true);
  });
});
