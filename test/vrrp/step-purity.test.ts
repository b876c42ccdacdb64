import { describe, expect, it } from 'vitest';
import { step, type Instance, type VrrpEvent } from '../../src/vrrp/index.js';
import {
  advertEvent,
  fire,
  HIGHER_ADDRESS,
  LOWER_ADDRESS,
  makeInstance,
  master,
  started,
  summarize,
} from './fixtures.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('timer generations', () => {
  it('an expiry of a timer that was re-armed since is ignored', () => {
    const backup = started();
    const firstGeneration = backup.timers.masterDown!.generation;
    const reset = step(backup, advertEvent(backup, 150, HIGHER_ADDRESS), 3000).instance;
    expect(reset.timers.masterDown!.generation).not.toBe(firstGeneration);
    // the old expiry arrives at its old due time: nothing happens
    const stale = step(reset, { type: 'timer', timer: 'masterDown', generation: firstGeneration }, 3609);
    expect(stale.actions).toEqual([]);
    expect(stale.instance).toBe(reset);
    // the current one fires normally
    expect(fire(reset, 'masterDown').instance.state).toBe('MASTER');
  });

  it('an expiry of a cancelled timer is ignored', () => {
    const m = master();
    const advertGeneration = m.timers.advert!.generation;
    const yielded = step(m, advertEvent(m, 200, HIGHER_ADDRESS), 4000).instance;
    const stale = step(yielded, { type: 'timer', timer: 'advert', generation: advertGeneration }, 4609);
    expect(stale.actions).toEqual([]);
    expect(stale.instance.state).toBe('BACKUP');
  });

  it('a generation only counts for the timer it was issued to', () => {
    const m = master();
    const advertGeneration = m.timers.advert!.generation;
    const wrongTimer = step(m, { type: 'timer', timer: 'garpRefresh', generation: advertGeneration }, 5000);
    expect(wrongTimer.actions).toEqual([]);
  });

  it('every arm uses a fresh generation', () => {
    let instance = started();
    const seen = new Set<number>();
    for (let t = 1; t <= 20; t++) {
      const result = step(instance, advertEvent(instance, 150, LOWER_ADDRESS), t * 1000);
      for (const action of result.actions) {
        if (action.type === 'armTimer') {
          expect(seen.has(action.generation)).toBe(false);
          seen.add(action.generation);
        }
      }
      instance = result.instance;
    }
    expect(seen.size).toBe(20);
  });
});

describe('purity', () => {
  it('never mutates its input and is deterministic', () => {
    const events: [VrrpEvent, number][] = [
      [{ type: 'startup' }, 0],
      [{ type: 'tracker', name: 'chk', weight: 10, up: true }, 100],
      [advertEvent(makeInstance(), 50, HIGHER_ADDRESS), 1000],
      [{ type: 'timer', timer: 'masterDown', generation: 1 }, 3609],
      [advertEvent(makeInstance(), 0, LOWER_ADDRESS), 4000],
      [advertEvent(makeInstance(), 90, LOWER_ADDRESS), 4100],
      [{ type: 'fault', source: 'link:eth0', active: true }, 5000],
      [{ type: 'fault', source: 'link:eth0', active: false }, 6000],
      [{ type: 'shutdown' }, 7000],
    ];
    let instance: Instance = deepFreeze(makeInstance());
    const transcript: string[][] = [];
    for (const [event, now] of events) {
      const before = structuredClone(instance);
      const result = step(instance, event, now);
      expect(instance).toEqual(before);
      transcript.push(summarize(result.actions));
      instance = deepFreeze(result.instance);
    }
    // the run went through MASTER, FAULT and back
    expect(transcript.flat()).toEqual(
      expect.arrayContaining([
        'transition BACKUP->MASTER preempt',
        'sendAdvert 110 priority_zero_reply',
        'transition MASTER->FAULT fault',
        'transition FAULT->BACKUP fault_cleared',
        'transition BACKUP->INIT shutdown',
      ]),
    );
    // replaying gives the same transcript
    let replay: Instance = makeInstance();
    const again: string[][] = [];
    for (const [event, now] of events) {
      const result = step(replay, event, now);
      again.push(summarize(result.actions));
      replay = result.instance;
    }
    expect(again).toEqual(transcript);
  });
});
