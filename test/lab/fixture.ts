// The one lab fixture of the real-kernel suites: a describe block calls useSegmentLab() and gets
// the standard segment (topology.ts) built before its tests and a DaemonSet whose daemons are all
// stopped, by PID, and the namespaces removed after them — even when a beforeAll failed half way.
// Tests then start the daemons their scenario needs from `fixture.daemons`.

import { afterAll, beforeAll } from 'vitest';
import { DaemonSet } from './daemons.js';
import { requireBuiltDist } from './dist.js';
import type { Lab } from './lab.js';
import { createRouterSegment, type RouterSegment } from './topology.js';

export interface SegmentLab {
  readonly segment: RouterSegment;
  readonly lab: Lab;
  readonly daemons: DaemonSet;
}

export interface SegmentLabOptions {
  routers?: 2 | 3;
  ipv6?: boolean;
  /** dist/ folders the scenario runs (default: the daemon only). */
  dist?: string[];
}

/** Registers beforeAll/afterAll for the segment; read the fields inside hooks and tests only. */
export function useSegmentLab(options: SegmentLabOptions = {}): SegmentLab {
  let segment: RouterSegment | undefined;
  let daemons: DaemonSet | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`lab fixture: ${what} used before beforeAll built it`);
    return value;
  };

  beforeAll(async () => {
    requireBuiltDist(options.dist ?? ['src']);
    segment = await createRouterSegment({
      ...(options.routers ? { routers: options.routers } : {}),
      ...(options.ipv6 ? { ipv6: true } : {}),
    });
    daemons = new DaemonSet(segment.lab);
  });

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
  });

  return {
    get segment() {
      return ready(segment, 'segment');
    },
    get lab() {
      return ready(segment, 'segment').lab;
    },
    get daemons() {
      return ready(daemons, 'daemons');
    },
  };
}
