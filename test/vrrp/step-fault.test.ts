import { describe, expect, it } from 'vitest';
import { step } from '../../src/vrrp/index.js';
import {
  advertEvent,
  fire,
  HIGHER_ADDRESS,
  makeInstance,
  master,
  run,
  started,
  summarize,
  VIP,
} from './fixtures.js';

const linkDown = { type: 'fault', source: 'link:eth0', active: true } as const;
const linkUp = { type: 'fault', source: 'link:eth0', active: false } as const;

describe('FAULT', () => {
  it('from MASTER: resign with priority 0 and release the VIPs', () => {
    const m = master();
    const { instance, actions } = step(m, linkDown, 5000);
    expect(instance.state).toBe('FAULT');
    expect(summarize(actions)).toEqual([
      'log warn fault link:eth0 raised',
      'transition MASTER->FAULT fault',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      'sendAdvert 0 release',
      `removeVips ${VIP}`,
      'notify INSTANCE FAULT',
    ]);
    expect(instance.faults).toEqual(['link:eth0']);
  });

  it('from BACKUP: stop waiting for the master', () => {
    const { instance, actions } = step(started(), linkDown, 1000);
    expect(summarize(actions)).toEqual([
      'log warn fault link:eth0 raised',
      'transition BACKUP->FAULT fault',
      'cancelTimer masterDown',
      'notify INSTANCE FAULT',
    ]);
    expect(instance.timers.masterDown).toBeNull();
  });

  it('several sources hold the fault; BACKUP only when all are cleared', () => {
    const faulty = run(started(), [
      [linkDown, 1000],
      [{ type: 'fault', source: 'track:ping', active: true }, 1100],
      [linkUp, 1200],
    ]).instance;
    expect(faulty.state).toBe('FAULT');
    expect(faulty.faults).toEqual(['track:ping']);
    // adverts are ignored while in FAULT
    expect(step(faulty, advertEvent(faulty, 200, HIGHER_ADDRESS), 1300).actions).toEqual([]);
    const cleared = step(faulty, { type: 'fault', source: 'track:ping', active: false }, 2000);
    expect(cleared.instance.state).toBe('BACKUP');
    expect(summarize(cleared.actions)).toEqual([
      'log info fault track:ping cleared',
      'transition FAULT->BACKUP fault_cleared',
      'notify INSTANCE BACKUP',
      'armTimer masterDown 3609',
    ]);
  });

  it('repeating an active fault or clearing an unknown one changes nothing', () => {
    const faulty = step(started(), linkDown, 1000).instance;
    expect(step(faulty, linkDown, 1100)).toEqual({ instance: faulty, actions: [] });
    const backup = started();
    expect(step(backup, linkUp, 1100)).toEqual({ instance: backup, actions: [] });
  });

  it('a fault reported before startup makes startup enter FAULT', () => {
    const pending = step(makeInstance(), linkDown, 0).instance;
    expect(pending.state).toBe('INIT');
    const { instance, actions } = step(pending, { type: 'startup' }, 10);
    expect(instance.state).toBe('FAULT');
    expect(summarize(actions)).toEqual(['transition INIT->FAULT fault', 'notify INSTANCE FAULT']);
  });

  it('leaving FAULT restarts preempt_delay (keepalived)', () => {
    const faulty = step(started({ preemptDelayMs: 7000 }), linkDown, 1000).instance;
    expect(step(faulty, linkUp, 20_000).instance.preemptNotBefore).toBe(27_000);
  });
});

describe('shutdown', () => {
  it('from MASTER, immediate (the RFC, keepalived): priority 0, VIPs released, STOP notified, back to INIT', () => {
    const { instance, actions } = step(master(), { type: 'shutdown', immediate: true }, 5000);
    expect(instance.state).toBe('INIT');
    expect(instance.running).toBe(false);
    expect(summarize(actions)).toEqual([
      'transition MASTER->INIT shutdown',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      'sendAdvert 0 release',
      `removeVips ${VIP}`,
      'notify INSTANCE STOP',
    ]);
  });

  it('from BACKUP and FAULT: STOP notified, timers cancelled', () => {
    expect(summarize(step(started(), { type: 'shutdown' }, 10).actions)).toEqual([
      'transition BACKUP->INIT shutdown',
      'cancelTimer masterDown',
      'notify INSTANCE STOP',
    ]);
    const faulty = step(started(), linkDown, 5).instance;
    expect(summarize(step(faulty, { type: 'shutdown' }, 10).actions)).toEqual([
      'transition FAULT->INIT shutdown',
      'notify INSTANCE STOP',
    ]);
  });

  it('during the startup delay: cancel it and notify STOP; a stopped instance ignores a second shutdown', () => {
    const waiting = step(makeInstance({ startupDelayMs: 1000 }), { type: 'startup' }, 0).instance;
    const stopped = step(waiting, { type: 'shutdown' }, 10);
    expect(summarize(stopped.actions)).toEqual(['cancelTimer startupDelay', 'notify INSTANCE STOP']);
    expect(step(stopped.instance, { type: 'shutdown' }, 20).actions).toEqual([]);
    // its stale startup delay does not start it
    expect(
      step(stopped.instance, { type: 'timer', timer: 'startupDelay', generation: 1 }, 1000).instance.state,
    ).toBe('INIT');
  });

  it('can start again after a shutdown', () => {
    const stopped = step(master(), { type: 'shutdown' }, 5000).instance;
    const again = step(stopped, { type: 'startup' }, 6000);
    expect(again.instance.state).toBe('BACKUP');
    expect(again.instance.timers.masterDown?.dueAt).toBe(9609);
  });
});

describe('trackers and effective priority', () => {
  it('a MASTER whose priority drops advertises the new value in its next advert', () => {
    const m = master();
    const dropped = step(m, { type: 'tracker', name: 'chk_wan', weight: -30, up: false }, 4000);
    expect(dropped.instance.effectivePriority).toBe(70);
    expect(dropped.instance.state).toBe('MASTER');
    expect(summarize(dropped.actions)).toEqual(['log info effective priority changed from 100 to 70']);
    expect(summarize(fire(dropped.instance, 'advert').actions)[0]).toBe('sendAdvert 70 timer');
  });

  it('a BACKUP whose priority rises above its master preempts at Master_Down expiry', () => {
    const backup = run(started(), [[advertEvent(started(), 110, HIGHER_ADDRESS), 1000]]).instance;
    const raised = step(backup, { type: 'tracker', name: 'chk', weight: 20, up: true }, 1500).instance;
    expect(raised.effectivePriority).toBe(120);
    const discard = step(raised, advertEvent(raised, 110, HIGHER_ADDRESS), 2000);
    expect(summarize(discard.actions)[0]).toMatch(/received lower priority \(110\).*discarding/);
    // the timer armed at 1000 with the old priority still runs: 1000 + 3609
    const takeover = fire(discard.instance, 'masterDown');
    expect(takeover.instance.lastTransition).toMatchObject({ at: 4609, reason: 'preempt' });
    expect(summarize(takeover.actions)).toContain('sendAdvert 120 become_master');
  });

  it('a weight-0 tracker that fails means FAULT; recovering clears it', () => {
    const down = step(started(), { type: 'tracker', name: 'chk_if', weight: 0, up: false }, 1000);
    expect(down.instance.state).toBe('FAULT');
    expect(down.instance.faults).toEqual(['track:chk_if']);
    const up = step(down.instance, { type: 'tracker', name: 'chk_if', weight: 0, up: true }, 2000);
    expect(up.instance.state).toBe('BACKUP');
  });

  it('the owner keeps 255 whatever the trackers say', () => {
    const owner = started({ priority: 255, initialState: 'MASTER' });
    const after = step(owner, { type: 'tracker', name: 'chk', weight: -100, up: false }, 1000);
    expect(after.instance.effectivePriority).toBe(255);
    expect(after.actions).toEqual([]);
  });

  it('the effective priority is clamped to 1..254 and also drives Skew_Time', () => {
    const backup = started();
    const high = step(backup, { type: 'tracker', name: 'a', weight: 200, up: true }, 0).instance;
    expect(high.effectivePriority).toBe(254);
    const heard = step(high, advertEvent(high, 254, HIGHER_ADDRESS), 100);
    expect(summarize(heard.actions)).toEqual(['armTimer masterDown 3007']);
    const low = step(backup, { type: 'tracker', name: 'a', weight: -200, up: false }, 0).instance;
    expect(low.effectivePriority).toBe(1);
  });
});
