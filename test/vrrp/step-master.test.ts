import { describe, expect, it } from 'vitest';
import { senderWins, step } from '../../src/vrrp/index.js';
import { advertEvent, fire, HIGHER_ADDRESS, LOWER_ADDRESS, master, summarize, VIP } from './fixtures.js';

describe('MASTER (RFC 3768 §6.4.3)', () => {
  it('advertises at every Adver_Timer expiry', () => {
    const m = master();
    const tick = fire(m, 'advert');
    expect(summarize(tick.actions)).toEqual(['sendAdvert 100 timer', 'armTimer advert 1000']);
    expect(tick.instance.timers.advert?.dueAt).toBe(3609 + 2000);
  });

  it('keeps the advert cadence when a real timer fires late, without bursting after a stall', () => {
    const m = master();
    const due = m.timers.advert!.dueAt;
    const late = fire(m, 'advert', due + 7);
    expect(summarize(late.actions)).toEqual(['sendAdvert 100 timer', 'armTimer advert 993']);
    expect(late.instance.timers.advert?.dueAt).toBe(due + 1000);
    // More than a whole interval late: restart the cadence rather than send a catch-up burst.
    const stalled = fire(m, 'advert', due + 2500);
    expect(summarize(stalled.actions)).toEqual(['sendAdvert 100 timer', 'armTimer advert 1000']);
  });

  it('yields to a higher priority: VIPs removed, BACKUP notified, Master_Down_Timer armed, winner told', () => {
    const m = master();
    const { instance, actions } = step(m, advertEvent(m, 150, LOWER_ADDRESS), 4000);
    expect(instance.state).toBe('BACKUP');
    expect(summarize(actions)).toEqual([
      'transition MASTER->BACKUP higher_priority_advert',
      'cancelTimer advert',
      'cancelTimer garpDelay',
      `removeVips ${VIP}`,
      'notify INSTANCE BACKUP',
      'armTimer masterDown 3609',
      // A healed split brain: the winner learns another master existed and re-announces the VIPs.
      'sendAdvert 100 higher_priority_reply',
    ]);
    expect(instance.masterAddress).toBe(LOWER_ADDRESS);
    expect(instance.masterPriority).toBe(150);
    expect(instance.timers.advert).toBeNull();
  });

  it('equal priority: the higher primary address wins', () => {
    const m = master();
    const fromHigher = step(m, advertEvent(m, 100, HIGHER_ADDRESS), 4000);
    expect(fromHigher.instance.state).toBe('BACKUP');
    expect(fromHigher.instance.lastTransition?.reason).toBe('higher_priority_advert');
    const fromLower = step(m, advertEvent(m, 100, LOWER_ADDRESS), 4000);
    expect(fromLower.instance.state).toBe('MASTER');
    expect(summarize(fromLower.actions)).toContain('sendAdvert 100 lower_priority_reply');
  });

  it('compares addresses as unsigned 32-bit numbers, not text or signed ints', () => {
    expect(senderWins(100, '10.0.0.1', 100, '9.0.0.1')).toBe(true); // text would say "9" > "1"
    expect(senderWins(100, '200.0.0.1', 100, '100.0.0.1')).toBe(true); // signed would be negative
    expect(senderWins(100, '192.0.2.1', 100, '192.0.2.10')).toBe(false);
    expect(senderWins(101, '192.0.2.1', 100, '192.0.2.10')).toBe(true);
  });

  it('answers a priority-0 advert at once and restarts its advert timer', () => {
    const m = master();
    const { instance, actions } = step(m, advertEvent(m, 0, LOWER_ADDRESS), 4200);
    expect(instance.state).toBe('MASTER');
    expect(summarize(actions)).toEqual(['sendAdvert 100 priority_zero_reply', 'armTimer advert 1000']);
    expect(instance.timers.advert?.dueAt).toBe(5200);
  });

  it('answers a lower priority with an advert and GARPs to force a new election (keepalived)', () => {
    const m = master();
    const { instance, actions } = step(m, advertEvent(m, 50, HIGHER_ADDRESS), 4000);
    expect(instance.state).toBe('MASTER');
    expect(summarize(actions)).toEqual([
      `log info received lower priority (50) advert from ${HIGHER_ADDRESS} while MASTER with 100 - sending advert to force a new election`,
      'sendAdvert 100 lower_priority_reply',
      'sendGarp 5 lower_priority',
      'armTimer garpDelay 5000',
    ]);
    expect(instance.pendingGarpRepeat).toBe(5);
  });

  it('lower_prio_no_advert keeps the RFC behaviour: discard silently but for a log', () => {
    const m = master({ lowerPriorityNoAdvert: true });
    const { actions } = step(m, advertEvent(m, 50, HIGHER_ADDRESS), 4000);
    expect(summarize(actions)).toEqual([
      `log info received lower priority (50) advert from ${HIGHER_ADDRESS} while MASTER with 100 - ignoring`,
    ]);
  });

  it('v3: yielding adopts the new master interval', () => {
    const m = master({ version: 3, advertIntervalCs: 100 });
    const { instance, actions } = step(
      m,
      advertEvent(m, 200, HIGHER_ADDRESS, { advertIntervalCs: 25 }),
      4000,
    );
    expect(instance.masterAdverIntervalCs).toBe(25);
    // 3 × 250 ms + (156 × 25 cs / 256 = 152.34 ms → 152)
    expect(summarize(actions)).toContain('armTimer masterDown 902');
  });
});

describe('gratuitous ARP schedule', () => {
  it('sends the second burst after garp_master_delay and refreshes periodically', () => {
    const m = master({
      garp: {
        masterRepeat: 3,
        masterDelayMs: 2000,
        masterRefreshMs: 60_000,
        masterRefreshRepeat: 2,
        intervalMs: 10,
      },
    });
    const garp = m.timers.garpDelay!;
    expect(garp.dueAt).toBe(3609 + 2000);
    expect(m.timers.garpRefresh?.dueAt).toBe(3609 + 60_000);
    const second = fire(m, 'garpDelay');
    expect(second.actions).toEqual([
      { type: 'sendGarp', addresses: [VIP], count: 3, intervalMs: 10, reason: 'master_delay' },
    ]);
    const refresh = fire(second.instance, 'garpRefresh');
    expect(summarize(refresh.actions)).toEqual(['sendGarp 2 refresh', 'armTimer garpRefresh 60000']);
  });

  it('vrrp_min_garp-style settings: one GARP, no second burst', () => {
    const m = master({ garp: { masterRepeat: 1, masterDelayMs: 0 } });
    expect(m.timers.garpDelay).toBeNull();
    expect(m.lastTransition?.to).toBe('MASTER');
  });

  it('excluded VIPs are added and announced but not advertised', () => {
    const m = master({ excludedVips: ['198.51.100.10'] });
    const tick = fire(m, 'advert');
    const sent = tick.actions.find((a) => a.type === 'sendAdvert');
    expect(sent?.type === 'sendAdvert' && sent.advert.addresses).toEqual([VIP]);
    const yielded = step(m, advertEvent(m, 200, HIGHER_ADDRESS), 4000);
    expect(summarize(yielded.actions)).toContain(`removeVips ${VIP},198.51.100.10`);
  });
});
