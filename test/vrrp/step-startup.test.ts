import { describe, expect, it } from 'vitest';
import { step, snapshotOf } from '../../src/vrrp/index.js';
import { advertEvent, fire, HIGHER_ADDRESS, makeInstance, summarize, VIP } from './fixtures.js';

describe('leaving INIT', () => {
  it('a non-owner enters BACKUP and arms Master_Down_Interval', () => {
    const { instance, actions } = step(makeInstance(), { type: 'startup' }, 1000);
    expect(instance.state).toBe('BACKUP');
    expect(summarize(actions)).toEqual([
      'transition INIT->BACKUP startup',
      'notify INSTANCE BACKUP',
      'armTimer masterDown 3609',
    ]);
    expect(instance.timers.masterDown?.dueAt).toBe(4609);
    expect(instance.lastTransition).toEqual({ at: 1000, from: 'INIT', to: 'BACKUP', reason: 'startup' });
  });

  it('`state MASTER` without priority 255 does not shortcut the wait (keepalived)', () => {
    const { instance, actions } = step(makeInstance({ initialState: 'MASTER' }), { type: 'startup' }, 0);
    expect(instance.state).toBe('BACKUP');
    expect(summarize(actions)).toContain('armTimer masterDown 3609');
  });

  it('the address owner configured MASTER becomes MASTER at once (RFC 3768 §6.4.1)', () => {
    const owner = makeInstance({ priority: 255, initialState: 'MASTER' });
    const { instance, actions } = step(owner, { type: 'startup' }, 0);
    expect(instance.state).toBe('MASTER');
    expect(summarize(actions)).toEqual([
      'transition INIT->MASTER startup',
      `addVips ${VIP}`,
      'sendAdvert 255 become_master',
      'sendGarp 5 become_master',
      'armTimer garpDelay 5000',
      'notify INSTANCE MASTER',
      'armTimer advert 1000',
    ]);
    expect(instance.masterAddress).toBe(owner.config.primaryAddress);
    expect(instance.masterPriority).toBe(255);
  });

  it('the owner configured BACKUP waits, with the shortest Master_Down_Interval', () => {
    const { instance } = step(makeInstance({ priority: 255 }), { type: 'startup' }, 0);
    expect(instance.state).toBe('BACKUP');
    expect(instance.timers.masterDown?.dueAt).toBe(3003);
  });

  it('vrrp_startup_delay keeps the instance silent in INIT, then starts it', () => {
    const delayed = makeInstance({ startupDelayMs: 5500 });
    const first = step(delayed, { type: 'startup' }, 0);
    expect(first.instance.state).toBe('INIT');
    expect(summarize(first.actions)).toEqual(['armTimer startupDelay 5500']);
    // adverts during the delay are not acted upon
    const heard = step(first.instance, advertEvent(first.instance, 200, HIGHER_ADDRESS), 1000);
    expect(heard.actions).toEqual([]);
    expect(heard.instance.masterAddress).toBeNull();
    const after = fire(heard.instance, 'startupDelay');
    expect(after.instance.state).toBe('BACKUP');
    expect(summarize(after.actions)).toEqual([
      'transition INIT->BACKUP startup',
      'notify INSTANCE BACKUP',
      'armTimer masterDown 3609',
    ]);
    expect(after.instance.timers.masterDown?.dueAt).toBe(5500 + 3609);
  });

  it('a second startup is ignored', () => {
    const once = step(makeInstance(), { type: 'startup' }, 0).instance;
    const twice = step(once, { type: 'startup' }, 10);
    expect(twice.instance.state).toBe('BACKUP');
    expect(twice.instance.timers).toEqual(once.timers);
    expect(summarize(twice.actions)).toEqual(['log debug startup received while already running - ignored']);
  });

  it('exposes a JSON snapshot for status', () => {
    const { instance } = step(makeInstance(), { type: 'startup' }, 0);
    expect(JSON.parse(JSON.stringify(snapshotOf(instance)))).toEqual({
      name: 'VI_1',
      vrid: 51,
      version: 2,
      state: 'BACKUP',
      basePriority: 100,
      effectivePriority: 100,
      masterAddress: null,
      masterPriority: null,
      masterAdverIntervalCs: 100,
      faults: [],
      wantsMaster: false,
      lastTransition: { at: 0, from: 'INIT', to: 'BACKUP', reason: 'startup' },
    });
  });

  it('rejects invalid configurations and non-integer times', () => {
    expect(() => makeInstance({ vrid: 0 })).toThrow(RangeError);
    expect(() => makeInstance({ priority: 256 })).toThrow(RangeError);
    expect(() => makeInstance({ version: 2, advertIntervalCs: 150 })).toThrow(/whole seconds/);
    expect(() => makeInstance({ version: 3, advertIntervalCs: 4096 })).toThrow(RangeError);
    expect(() => makeInstance({ primaryAddress: '192.0.2' })).toThrow(/not an IPv4/);
    expect(() => step(makeInstance(), { type: 'startup' }, 1.5)).toThrow(RangeError);
  });
});
