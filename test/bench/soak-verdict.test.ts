// The soak verdict on synthetic runs: a healthy sawtooth passes, each kind of leak or instability
// fails on its own criterion and only there.

import { describe, expect, it } from 'vitest';
import { judgeSoak, type SoakRouterSample, type SoakSample } from './soak-verdict.js';

const MiB = 1024 * 1024;

/** 21 samples, 30 s apart: RSS warms up then plateaus, heap saw-tooths with a collection at 300 s. */
function healthyRun(edit: (router: SoakRouterSample, index: number) => void = () => {}): SoakSample[] {
  return Array.from({ length: 21 }, (_, i) => {
    const router: SoakRouterSample = {
      rssBytes: (68 + Math.min(i, 8) + (i % 2) * 0.3) * MiB,
      heapUsedBytes: (13 + (i % 10) * 0.7) * MiB,
      openFds: 25,
      cpuFraction: 0.004,
      transitions: 50,
      wrongStates: 0,
    };
    edit(router, i);
    return { elapsedSeconds: i * 30, routers: { r1: router }, vipProblems: 0 };
  });
}

const failing = (samples: SoakSample[]): string[] =>
  judgeSoak(samples, ['r1'])
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('soak verdict', () => {
  it('passes a healthy run: warm-up growth, then a plateau and a heap sawtooth', () => {
    expect(failing(healthyRun())).toEqual([]);
  });

  it('fails a heap whose floor rises from one collection to the next', () => {
    const leaking = healthyRun((r, i) => {
      r.heapUsedBytes += i * 0.3 * MiB;
    });
    expect(failing(leaking)).toEqual(['r1 V8 heap floor']);
  });

  it('fails resident memory that keeps growing after the warm-up', () => {
    const leaking = healthyRun((r, i) => {
      r.rssBytes += i * 0.6 * MiB;
    });
    expect(failing(leaking)).toEqual(['r1 resident memory']);
  });

  it('fails leaked descriptors, a transition, and instances or VIPs out of place', () => {
    expect(failing(healthyRun((r, i) => void (r.openFds += i >= 15 ? 2 : 0)))).toEqual([
      'r1 file descriptors',
    ]);
    expect(failing(healthyRun((r, i) => void (r.transitions += i >= 20 ? 1 : 0)))).toEqual([
      'r1 transitions after settling',
    ]);
    expect(failing(healthyRun((r, i) => void (r.wrongStates = i === 7 ? 1 : 0)))).toEqual([
      'r1 instances in the expected state',
    ]);
    const vips = healthyRun();
    vips[3]!.vipProblems = 2;
    expect(failing(vips)).toEqual(['each VIP on its master only']);
  });

  it('refuses to judge a run with too few samples', () => {
    expect(failing(healthyRun().slice(0, 3))).toEqual(['samples']);
  });
});
