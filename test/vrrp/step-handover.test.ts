// Planned handover, make before break (issue 14): a MASTER that stops or hands over sends its
// priority-0 advert but keeps the addresses until the new master speaks (plus a grace for its
// gratuitous ARPs), or until no one took over within any backup's Master_Down_Interval.
// Maintenance keeps a handed-over instance in BACKUP until resumed; demote changes the base priority.

import { describe, expect, it } from 'vitest';
import { masterDownInterval, skewTime, step } from '../../src/vrrp/index.js';
import {
  advertEvent,
  fire,
  HIGHER_ADDRESS,
  LOWER_ADDRESS,
  master,
  run,
  started,
  summarize,
  VIP,
} from './fixtures.js';

const NEW_MASTER = LOWER_ADDRESS;

describe('stop, make before break (default)', () => {
  it('resigns with priority 0 but keeps the addresses, arming the release bound', () => {
    const { instance, actions } = step(master(), { type: 'shutdown' }, 5000);
    expect(instance).toMatchObject({ state: 'INIT', running: false, releasing: true });
    expect(summarize(actions)).toEqual([
      'transition MASTER->INIT shutdown',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      'sendAdvert 0 release',
      // The longest Skew_Time (priority 1) plus the grace and a margin.
      `armTimer release ${skewTime(2, 1, 100) + 100 + 200}`,
      'notify INSTANCE STOP',
    ]);
  });

  it('the new master’s first advert lets the addresses go after the grace, not before', () => {
    const stopped = step(master(), { type: 'shutdown' }, 5000).instance;
    // The backup took over after its Skew_Time and advertised.
    const heard = step(stopped, advertEvent(stopped, 100, NEW_MASTER), 5610);
    expect(summarize(heard.actions)).toEqual(['armTimer release 100']);
    expect(heard.instance.releasing).toBe(true);
    // Its next adverts do not push the release further away.
    const again = step(heard.instance, advertEvent(stopped, 100, NEW_MASTER), 5650);
    expect(again.actions).toEqual([]);
    const released = fire(again.instance, 'release');
    expect(released.instance.releasing).toBe(false);
    expect(summarize(released.actions)).toEqual([`removeVips ${VIP}`]);
  });

  it('with nobody taking over, the addresses go at the bound', () => {
    const stopped = step(master(), { type: 'shutdown' }, 5000).instance;
    const released = fire(stopped, 'release');
    expect(released.instance.timers.release).toBeNull();
    expect(summarize(released.actions)).toEqual([`removeVips ${VIP}`]);
  });

  it('immediate (flag or makeBeforeBreak off) is the RFC: addresses removed with the priority-0 advert', () => {
    for (const instance of [master({ makeBeforeBreak: false })]) {
      const { actions } = step(instance, { type: 'shutdown' }, 5000);
      expect(summarize(actions)).toContain(`removeVips ${VIP}`);
    }
    // A release in progress is cut short by an immediate shutdown (the daemon's deadline).
    const stopped = step(master(), { type: 'shutdown' }, 5000).instance;
    const cut = step(stopped, { type: 'shutdown', immediate: true }, 5100);
    expect(summarize(cut.actions)).toEqual(['cancelTimer release', `removeVips ${VIP}`]);
  });
});

describe('handover and maintenance', () => {
  it('a MASTER hands over: priority 0, BACKUP held in maintenance, addresses kept until the new master', () => {
    const { instance, actions } = step(master(), { type: 'handover' }, 5000);
    expect(instance).toMatchObject({ state: 'BACKUP', maintenance: true, releasing: true });
    expect(summarize(actions)).toEqual([
      'transition MASTER->BACKUP handover',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      'sendAdvert 0 release',
      `armTimer release ${skewTime(2, 1, 100) + 100 + 200}`,
      'notify INSTANCE BACKUP',
      `armTimer masterDown ${masterDownInterval(2, 100, 100)}`,
    ]);
    const heard = step(instance, advertEvent(instance, 50, NEW_MASTER), 5700);
    expect(heard.instance.masterAddress).toBe(NEW_MASTER);
    expect(summarize(fire(heard.instance, 'release').actions)).toEqual([`removeVips ${VIP}`]);
  });

  it('to a chosen unicast peer: the resignation goes to that peer only', () => {
    const { actions } = step(master(), { type: 'handover', to: '192.0.2.9' }, 5000);
    expect(summarize(actions)).toContain('sendAdvert 0 release to 192.0.2.9');
  });

  it('in maintenance, a BACKUP never takes mastership, even preempting a lower priority; resume ends it', () => {
    const held = step(started({ priority: 200 }), { type: 'handover' }, 10).instance;
    expect(held).toMatchObject({ state: 'BACKUP', maintenance: true, releasing: false });
    // A lower-priority master appears: preemption would discard its adverts; maintenance waits.
    const lower = step(held, advertEvent(held, 100, HIGHER_ADDRESS), 100).instance;
    const expired = fire(lower, 'masterDown');
    expect(expired.instance.state).toBe('BACKUP');
    expect(expired.actions.filter((a) => a.type === 'transition')).toEqual([]);
    // Resume: the next Master_Down_Interval decides as usual (here: preempt the lower master).
    const resumed = step(expired.instance, { type: 'resume' }, 5000);
    expect(resumed.instance.maintenance).toBe(false);
    expect(summarize(resumed.actions)).toEqual([`armTimer masterDown ${masterDownInterval(2, 200, 100)}`]);
    expect(fire(resumed.instance, 'masterDown').instance.state).toBe('MASTER');
  });

  it('back to MASTER before the release finished: the addresses never leave', () => {
    const handed = step(master(), { type: 'handover' }, 5000).instance;
    const resumed = step(handed, { type: 'resume' }, 5100).instance;
    const again = fire(resumed, 'masterDown');
    expect(again.instance).toMatchObject({ state: 'MASTER', releasing: false });
    expect(summarize(again.actions)).toContain('cancelTimer release');
    expect(summarize(again.actions).some((a) => a.startsWith('removeVips'))).toBe(false);
  });

  it('a fault during the release removes the addresses at once', () => {
    const handed = step(master(), { type: 'handover' }, 5000).instance;
    const faulted = step(handed, { type: 'fault', source: 'interface:eth0', active: true }, 5100);
    expect(faulted.instance.releasing).toBe(false);
    expect(summarize(faulted.actions)).toContain(`removeVips ${VIP}`);
  });
});

describe('demote (runtime priority)', () => {
  it('sets the base priority, keeps tracker contributions, and advertises it from the next advert', () => {
    const tracked = run(master({ priority: 150 }), [
      [{ type: 'tracker', name: 'script:chk', weight: 10, up: true }, 5000],
      [{ type: 'setPriority', priority: 90 }, 5001],
    ]);
    expect(tracked.instance.config.priority).toBe(90);
    expect(tracked.instance.effectivePriority).toBe(100);
    expect(tracked.instance.state).toBe('MASTER');
    const next = fire(tracked.instance, 'advert');
    expect(summarize(next.actions)[0]).toBe('sendAdvert 100 timer');
  });

  it('refuses a priority outside 1..255 (the control socket checks first)', () => {
    expect(() => step(master(), { type: 'setPriority', priority: 0 }, 5000)).toThrow(RangeError);
  });
});
