import { describe, expect, it } from 'vitest';
import { step } from '../../src/vrrp/index.js';
import {
  advertEvent,
  fire,
  HIGHER_ADDRESS,
  LOWER_ADDRESS,
  OUR_ADDRESS,
  run,
  started,
  summarize,
  VIP,
} from './fixtures.js';

describe('BACKUP (RFC 3768 §6.4.2)', () => {
  it('Master_Down_Timer expiry → MASTER: VIPs, advert (sent once they are in), GARPs, notify, advert timer — in that order', () => {
    const backup = started({ authType: 1, authPassword: 'secret' });
    const { instance, actions } = fire(backup, 'masterDown');
    expect(instance.state).toBe('MASTER');
    expect(summarize(actions)).toEqual([
      'transition BACKUP->MASTER master_down_timer',
      `addVips ${VIP}`,
      'sendAdvert 100 become_master',
      'sendGarp 5 become_master',
      'armTimer garpDelay 5000',
      'notify INSTANCE MASTER',
      'armTimer advert 1000',
    ]);
    const send = actions.find((a) => a.type === 'sendAdvert');
    expect(send?.type === 'sendAdvert' && send.advert).toEqual({
      version: 2,
      type: 1,
      vrid: 51,
      priority: 100,
      advertIntervalCs: 100,
      addresses: [VIP],
      authType: 1,
      authData: Buffer.from('secret\0\0', 'latin1'),
    });
    expect(instance.masterAddress).toBe(OUR_ADDRESS);
    expect(instance.lastTransition).toEqual({
      at: 3609,
      from: 'BACKUP',
      to: 'MASTER',
      reason: 'master_down_timer',
    });
  });

  it('an advert of higher or equal priority resets the timer and records the master', () => {
    const backup = started();
    const higher = step(backup, advertEvent(backup, 150, LOWER_ADDRESS), 1000);
    expect(summarize(higher.actions)).toEqual(['armTimer masterDown 3609']);
    expect(higher.instance.timers.masterDown?.dueAt).toBe(4609);
    expect(higher.instance.masterAddress).toBe(LOWER_ADDRESS);
    expect(higher.instance.masterPriority).toBe(150);
    const equal = step(higher.instance, advertEvent(backup, 100, LOWER_ADDRESS), 2000);
    expect(equal.instance.timers.masterDown?.dueAt).toBe(5609);
    expect(equal.instance.masterPriority).toBe(100);
  });

  it('a priority-0 advert shortens the wait to Skew_Time, then takes over', () => {
    const backup = run(started(), [[advertEvent(started(), 150, HIGHER_ADDRESS), 1000]]).instance;
    const resigning = step(backup, advertEvent(backup, 0, HIGHER_ADDRESS), 2000);
    expect(summarize(resigning.actions)).toEqual(['armTimer masterDown 609']);
    expect(resigning.instance.masterPriority).toBe(0);
    const takeover = fire(resigning.instance, 'masterDown');
    expect(takeover.instance.state).toBe('MASTER');
    expect(takeover.instance.lastTransition).toMatchObject({ at: 2609, reason: 'priority_zero' });
  });

  it('a lower priority with preemption is discarded (logged as keepalived does) and preempted on expiry', () => {
    const backup = started();
    const lower = step(backup, advertEvent(backup, 50, HIGHER_ADDRESS), 1000);
    expect(summarize(lower.actions)).toEqual([
      `log info received lower priority (50) advert from ${HIGHER_ADDRESS} - discarding`,
    ]);
    // the timer armed at startup keeps running
    expect(lower.instance.timers.masterDown).toEqual(backup.timers.masterDown);
    expect(lower.instance.masterAddress).toBe(HIGHER_ADDRESS);
    const preempt = fire(lower.instance, 'masterDown');
    expect(preempt.instance.state).toBe('MASTER');
    expect(preempt.actions[0]).toEqual({
      type: 'transition',
      from: 'BACKUP',
      to: 'MASTER',
      reason: 'preempt',
      priority: 100,
    });
  });

  it('nopreempt accepts a lower-priority master', () => {
    const backup = started({ preempt: false });
    const lower = step(backup, advertEvent(backup, 50, HIGHER_ADDRESS), 1000);
    expect(summarize(lower.actions)).toEqual(['armTimer masterDown 3609']);
    expect(lower.instance.masterPriority).toBe(50);
  });

  it('preempt_delay: a lower master is accepted until the delay after startup has passed', () => {
    const backup = started({ preemptDelayMs: 10_000 }, 0);
    expect(backup.preemptNotBefore).toBe(10_000);
    const early = step(backup, advertEvent(backup, 50, HIGHER_ADDRESS), 9_999);
    expect(summarize(early.actions)).toEqual(['armTimer masterDown 3609']);
    const late = step(early.instance, advertEvent(backup, 50, HIGHER_ADDRESS), 10_000);
    expect(summarize(late.actions)[0]).toMatch(/discarding$/);
    expect(fire(late.instance, 'masterDown').instance.lastTransition).toMatchObject({
      at: 9_999 + 3609,
      reason: 'preempt',
    });
  });

  it('preempt_delay: a master at least as good stops the delay; the next lower master restarts it', () => {
    const backup = started({ preemptDelayMs: 10_000 }, 0);
    const higher = step(backup, advertEvent(backup, 200, HIGHER_ADDRESS), 1_000).instance;
    expect(higher.preemptNotBefore).toBeNull();
    const lower = step(higher, advertEvent(backup, 50, LOWER_ADDRESS), 20_000).instance;
    expect(lower.preemptNotBefore).toBe(30_000);
    expect(lower.timers.masterDown?.dueAt).toBe(23_609);
    const stillAccepted = step(lower, advertEvent(backup, 50, LOWER_ADDRESS), 29_000);
    expect(summarize(stillAccepted.actions)).toEqual(['armTimer masterDown 3609']);
    const discarded = step(stillAccepted.instance, advertEvent(backup, 50, LOWER_ADDRESS), 30_000);
    expect(summarize(discarded.actions)[0]).toMatch(/discarding$/);
  });

  it('v3 backups learn Master_Adver_Interval from the master (RFC 5798 §6.4.2)', () => {
    const backup = started({ version: 3, advertIntervalCs: 100 });
    const heard = step(backup, advertEvent(backup, 150, HIGHER_ADDRESS, { advertIntervalCs: 50 }), 1000);
    expect(heard.instance.masterAdverIntervalCs).toBe(50);
    expect(summarize(heard.actions)).toEqual(['armTimer masterDown 1804']);
    // a priority-0 advert then uses the learned interval for Skew_Time
    const resign = step(
      heard.instance,
      advertEvent(backup, 0, HIGHER_ADDRESS, { advertIntervalCs: 50 }),
      1500,
    );
    expect(summarize(resign.actions)).toEqual(['armTimer masterDown 304']);
    // once MASTER it advertises its own configured interval again
    const master = fire(resign.instance, 'masterDown');
    const sent = master.actions.find((a) => a.type === 'sendAdvert');
    expect(sent?.type === 'sendAdvert' && sent.advert.advertIntervalCs).toBe(100);
    expect(master.instance.masterAdverIntervalCs).toBe(100);
  });

  it('v2 does not learn intervals', () => {
    const backup = started({ version: 2 });
    const heard = step(backup, advertEvent(backup, 150, HIGHER_ADDRESS, { advertIntervalCs: 200 }), 0);
    expect(heard.instance.masterAdverIntervalCs).toBe(100);
  });

  it('ignores adverts for another VRID or version, and its own adverts', () => {
    const backup = started();
    const other = step(backup, advertEvent(backup, 200, HIGHER_ADDRESS, { vrid: 52 }), 100);
    expect(other.instance.timers).toEqual(backup.timers);
    expect(summarize(other.actions)).toEqual([
      `log debug ignoring v2 advert for VRID 52 from ${HIGHER_ADDRESS}`,
    ]);
    const own = step(backup, advertEvent(backup, 200, OUR_ADDRESS), 100);
    expect(own.actions).toEqual([]);
    expect(own.instance).toBe(backup);
  });
});
