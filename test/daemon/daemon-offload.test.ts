// The steady-state offload (src/daemon/offload.ts) must change nothing anyone can see: the same
// adverts at the same times, the same transitions at the same times, the same counters, with the
// sockets pacing a master's adverts and taking a backup's repeats (the fake transport does what
// native/src/advert_offload.h does, on the fake clock) as without them. Each scenario runs twice
// on identical labs, offload off and on, and the records are compared whole.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instanceBlock, Lab, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

type Layout = (self: string, peer: string, priority: number) => string;

const multicastPair: Layout = (_self, _peer, priority) =>
  instanceBlock({ name: 'VI_1', vrid: 51, priority }) +
  instanceBlock({ name: 'VI_2', vrid: 52, priority: 250 - priority, vips: ['192.0.2.253/24'] });

const unicastPair: Layout = (self, peer, priority) =>
  instanceBlock({
    priority,
    extra: `  unicast_src_ip ${self}\n  unicast_peer {\n    ${peer}\n  }`,
  });

interface Scenario {
  name: string;
  layout: Layout;
  /** What happens after the pair settled (20 s in). */
  then(lab: Lab, a: TestRouter, b: TestRouter): Promise<void>;
}

interface Record {
  adverts: Lab['adverts'];
  transitions: string[];
  counters: unknown[];
  /** What the sockets carried out at the 20 s mark (empty without offload). */
  handedOver: string[];
}

async function play(offload: boolean, scenario: Scenario): Promise<Record> {
  vi.setSystemTime(0);
  const lab = new Lab();
  lab.segment.offload = offload;
  const a = lab.router(A);
  const b = lab.router(B);
  await a.start(scenario.layout(A, B, 150));
  await b.start(scenario.layout(B, A, 100));
  await lab.advance(20_000);
  const handedOver = [a, b].flatMap((r) => r.transports.flatMap((t) => t.offload?.kinds() ?? []));
  await scenario.then(lab, a, b);
  const names = a.daemon.instances().map((i) => i.instance.config.name);
  // Two routers' timers due in the same millisecond may fire in either order: compare per time.
  const adverts = [...lab.adverts].sort(
    (x, y) => x.at - y.at || x.from.localeCompare(y.from) || x.vrid - y.vrid || x.priority - y.priority,
  );
  return {
    adverts,
    transitions: [a, b].flatMap((r) =>
      r.transitions.map((t) => `${r.address} ${t.instance} ${t.from}->${t.to} @${t.at}`),
    ),
    counters: [a, b].flatMap((r) => names.map((name) => ({ router: r.address, name, ...r.counters(name) }))),
    handedOver: handedOver.sort(),
  };
}

const scenarios: Scenario[] = [
  {
    name: 'steady state, then the master is cut off and comes back (it preempts again)',
    layout: multicastPair,
    async then(lab, a) {
      await lab.advance(10_000);
      lab.segment.setIsolated(a.transports[0]!, true);
      await lab.advance(8_000);
      lab.segment.setIsolated(a.transports[0]!, false);
      await lab.advance(8_000);
    },
  },
  {
    name: 'unicast peers: the backup is reloaded with a higher priority and preempts',
    layout: unicastPair,
    async then(lab, _a, b) {
      await lab.advance(5_000);
      await b.reload(unicastPair(B, A, 200));
      await lab.advance(10_000);
    },
  },
  {
    name: 'the master stops (priority 0), the backup takes over after Skew_Time',
    layout: multicastPair,
    async then(lab, a) {
      await lab.advance(3_000);
      const stopped = a.daemon.stop();
      await lab.advance(6_000);
      await stopped;
    },
  },
  {
    name: 'the backup stops and the master carries on alone',
    layout: unicastPair,
    async then(lab, _a, b) {
      await lab.advance(2_000);
      const stopped = b.daemon.stop();
      await lab.advance(6_000);
      await stopped;
    },
  },
];

describe('steady-state offload', () => {
  for (const scenario of scenarios) {
    it(`changes nothing seen: ${scenario.name}`, async () => {
      const without = await play(false, scenario);
      const withOffload = await play(true, scenario);
      expect(without.handedOver).toEqual([]);
      // Every master paces and every backup watches once the pair settled.
      const instances = scenario.layout === multicastPair ? 2 : 1;
      expect(withOffload.handedOver).toEqual([
        ...new Array<string>(instances).fill('pace'),
        ...new Array<string>(instances).fill('watch'),
      ]);
      expect(withOffload.transitions).toEqual(without.transitions);
      expect(withOffload.counters).toEqual(without.counters);
      expect(withOffload.adverts).toEqual(without.adverts);
      expect(withOffload.adverts.length).toBeGreaterThan(20);
    });
  }

  it('counts what the sockets did when counters are read, without taking the instances back', async () => {
    vi.setSystemTime(0);
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(unicastPair(A, B, 150));
    await b.start(unicastPair(B, A, 100));
    await lab.advance(20_000);
    const sentBefore = a.counters()!.advertsTx;
    const heardBefore = b.counters()!.advertsRx;
    await lab.advance(10_000);
    expect(a.counters()!.advertsTx - sentBefore).toBe(10);
    expect(b.counters()!.advertsRx - heardBefore).toBe(10);
    expect(a.transports[0]!.offload!.kinds()).toEqual(['pace']);
    expect(b.transports[0]!.offload!.kinds()).toEqual(['watch']);
  });
});
