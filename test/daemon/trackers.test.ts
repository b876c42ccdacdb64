// trackers.ts turns keepalived's verdict for a tracked object (a TrackEffect) into the (weight, up)
// pair of the core's `tracker` event. Whatever the effect, the core must then compute exactly that
// contribution and that fault (src/vrrp/priority.ts trackerEffect), and the instance's effective
// priority must move by exactly the contribution.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrackerBinding } from '../../src/daemon/plan.js';
import {
  bindingEffect,
  coreTrackerEvent,
  trackerEvents,
  type TrackerSources,
} from '../../src/daemon/trackers.js';
import type { TrackEffect } from '../../src/scripts/track-effect.js';
import type { FileTrackerState } from '../../src/scripts/track-file.js';
import type { ScriptTrackerState } from '../../src/scripts/tracker.js';
import type { TrackStatus } from '../../src/scripts/track-status.js';
import { createInstance, step, trackerEffect, trackerFaultSource } from '../../src/vrrp/index.js';

const trackEffects: fc.Arbitrary<TrackEffect> = fc.oneof(
  fc.record({ contribution: fc.constant(0), fault: fc.constant(true), pending: fc.boolean() }),
  fc.record({
    // track_file contributions go up to 253 and down to -253; scripts and links to ±253.
    contribution: fc.integer({ min: -253, max: 253 }),
    fault: fc.constant(false),
    pending: fc.boolean(),
  }),
);

describe('coreTrackerEvent', () => {
  it('the chosen (weight, up) pair gives exactly the effect through the core arithmetic', () => {
    fc.assert(
      fc.property(trackEffects, (effect) => {
        const event = coreTrackerEvent('script:chk', effect);
        if (event.type !== 'tracker') throw new Error('not a tracker event');
        expect(event.name).toBe('script:chk');
        expect(trackerEffect(event.weight, event.up)).toEqual({
          delta: effect.contribution,
          fault: effect.fault,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('a running instance moves its effective priority by exactly the contribution, or faults', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 254 }), trackEffects, (base, effect) => {
        const started = step(
          createInstance({
            name: 'VI_1',
            vrid: 51,
            priority: base,
            primaryAddress: '192.0.2.1',
            vips: ['192.0.2.254'],
          }),
          { type: 'startup' },
          0,
        ).instance;
        const { instance } = step(started, coreTrackerEvent('file:maint', effect), 10);
        expect(instance.effectivePriority).toBe(Math.min(254, Math.max(1, base + effect.contribution)));
        expect(instance.faults.includes(trackerFaultSource('file:maint'))).toBe(effect.fault);
        expect(instance.state).toBe(effect.fault ? 'FAULT' : 'BACKUP');
      }),
      { numRuns: 300 },
    );
  });
});

describe('trackerEvents', () => {
  const bindings: TrackerBinding[] = [
    { key: 'interface:eth1', kind: 'interface', name: 'eth1', weight: -30, reverse: false },
    { key: 'interface:eth2', kind: 'interface', name: 'eth2', weight: 0, reverse: false },
    { key: 'script:chk_web', kind: 'script', name: 'chk_web', weight: 10, reverse: false },
    { key: 'script:chk_new', kind: 'script', name: 'chk_new', weight: 0, reverse: false },
    { key: 'file:maint', kind: 'file', name: 'maint', weight: 2, reverse: true },
    { key: 'file:absent', kind: 'file', name: 'absent', weight: 2, reverse: false },
  ];
  const script = (name: string, status: TrackStatus): ScriptTrackerState => ({
    kind: 'script',
    name,
    status,
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    weight: 0,
    reverse: false,
    contribution: 0,
    fault: false,
    runs: 0,
    skippedRuns: 0,
    lastOutcome: null,
    lastExitCode: null,
    lastDurationMs: null,
    lastRunAt: null,
  });
  const file = (name: string, value: number): FileTrackerState => ({
    kind: 'file',
    name,
    path: `/run/${name}`,
    value,
    weight: 1,
    reverse: false,
    contribution: value,
    fault: false,
  });
  const sources: TrackerSources = {
    interfaceUp: (name) => name === 'eth2',
    script: (name) => script(name, name === 'chk_web' ? 'OK' : 'INIT'),
    file: (name) => (name === 'maint' ? file(name, 4) : undefined),
    process: (name) => (name === 'nginx' ? { name, count: 2, up: true, pendingTimer: null } : undefined),
    bfdUp: (name) => name === 'to_r2',
  };

  it('one event per reporting binding; scripts in INIT and unknown files change nothing yet', () => {
    expect(trackerEvents(bindings, sources)).toEqual([
      // eth1 down with weight -30: -30.
      { type: 'tracker', name: 'interface:eth1', weight: -30, up: false },
      // eth2 up with weight 0: no contribution, no fault.
      { type: 'tracker', name: 'interface:eth2', weight: 0, up: true },
      { type: 'tracker', name: 'script:chk_web', weight: 10, up: true },
      // track_file value 4 × weight 2, reversed: -8.
      { type: 'tracker', name: 'file:maint', weight: -8, up: false },
    ]);
    expect(bindingEffect(bindings[3]!, sources)).toBeNull();
    expect(bindingEffect(bindings[5]!, sources)).toBeNull();
  });

  it('a weight-0 interface that goes down is a fault', () => {
    const down = { ...sources, interfaceUp: () => false };
    const event = trackerEvents([bindings[1]!], down)[0]!;
    expect(event).toEqual({ type: 'tracker', name: 'interface:eth2', weight: 0, up: false });
  });

  it('vrrp_track_process: weight with quorum; weight 0 without quorum (or no watch at all) is a fault', () => {
    const binding = (name: string, weight: number, reverse = false) => ({
      key: `process:${name}`,
      kind: 'process' as const,
      name,
      weight,
      reverse,
    });
    expect(trackerEvents([binding('nginx', 20)], sources)).toEqual([
      { type: 'tracker', name: 'process:nginx', weight: 20, up: true },
    ]);
    expect(trackerEvents([binding('nginx', 20, true)], sources)).toEqual([
      { type: 'tracker', name: 'process:nginx', weight: -20, up: false },
    ]);
    expect(trackerEvents([binding('absent', 0)], sources)).toEqual([
      { type: 'tracker', name: 'process:absent', weight: 0, up: false },
    ]);
  });

  // keepalived 2.2.7 (vrrp_track.c initialise_track_bfd_state, vrrp_scheduler.c bfd events): a
  // weight is added while Up (> 0) or while not Up (< 0), `reverse` negates it; weight 0 is FAULT
  // while not Up (reverse: while Up). A session that never came Up counts as not Up.
  it.each([
    ['to_r2', 20, false, { weight: 20, up: true }],
    ['to_r3', 20, false, { weight: 0, up: true }],
    ['to_r2', -20, false, { weight: 0, up: true }],
    ['to_r3', -20, false, { weight: -20, up: false }],
    ['to_r2', 20, true, { weight: -20, up: false }],
    ['to_r3', 20, true, { weight: 0, up: true }],
    ['to_r2', -20, true, { weight: 0, up: true }],
    ['to_r3', -20, true, { weight: 20, up: true }],
    ['to_r2', 0, false, { weight: 0, up: true }],
    ['to_r3', 0, false, { weight: 0, up: false }],
    ['to_r2', 0, true, { weight: 0, up: false }],
    ['to_r3', 0, true, { weight: 0, up: true }],
  ] as const)('track_bfd %s weight %i reverse %s', (name, weight, reverse, expected) => {
    const binding = { key: `bfd:${name}`, kind: 'bfd' as const, name, weight, reverse };
    expect(trackerEvents([binding], sources)).toEqual([
      { type: 'tracker', name: `bfd:${name}`, ...expected },
    ]);
  });
});
