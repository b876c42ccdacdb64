// Ready-made LANs for the scenario tests: routers r1, r2, r3 on 192.0.2.0/24 sharing VIP
// 192.0.2.254, like the two-router setup of the project's seed article.

import type { InstanceConfigInput } from '../../../src/vrrp/index.js';
import { assertVipsFollowMastership } from './invariants.js';
import type { TransitionRecord } from './records.js';
import { Simulator, type RouterSpec } from './simulator.js';

export const VIP = '192.0.2.254';
export const ADDRESSES = { r1: '192.0.2.1', r2: '192.0.2.2', r3: '192.0.2.3' } as const;
export type RouterName = keyof typeof ADDRESSES;

export type InstanceOverrides = Partial<Omit<InstanceConfigInput, 'primaryAddress'>>;

export function vrrpRouter(
  name: RouterName,
  priority: number,
  overrides: InstanceOverrides = {},
): RouterSpec {
  return {
    name,
    address: ADDRESSES[name],
    instances: [{ name: 'VI_1', vrid: 51, priority, vips: [VIP], ...overrides }],
  };
}

export interface LanOptions {
  readonly delayMs?: number;
  readonly seed?: number;
  readonly maxTimeMs?: number;
}

/** A simulator with the VIP invariant checked after every event. */
export function lan(routers: readonly RouterSpec[], options: LanOptions = {}): Simulator {
  const sim = new Simulator({
    routers,
    delayMs: options.delayMs ?? 1,
    seed: options.seed ?? 1,
    maxTimeMs: options.maxTimeMs ?? 120_000,
    maxEvents: 200_000,
  });
  sim.afterEach(assertVipsFollowMastership);
  return sim;
}

export function startAll(sim: Simulator, at = 0): void {
  sim.at(at, 'start all', () => sim.routerNames().forEach((r) => sim.start(r)));
}

export function transitionsTo(
  sim: Simulator,
  router: string,
  to: string,
  instance = 'VI_1',
): TransitionRecord[] {
  return sim.records.transitions.filter((t) => t.router === router && t.to === to && t.instance === instance);
}

/** Time of the last advert `router` received from `fromAddress` at or before `before`. */
export function lastHeard(sim: Simulator, router: string, fromAddress: string, before: number): number {
  const heard = sim.records.received.filter(
    (r) => r.router === router && r.from === fromAddress && r.at <= before,
  );
  const last = heard.at(-1);
  if (!last) throw new Error(`${router} never heard ${fromAddress} before ${before}`);
  return last.at;
}
