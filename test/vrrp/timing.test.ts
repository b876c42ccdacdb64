import { describe, expect, it } from 'vitest';
import { masterDownInterval, resolveInstanceConfig, skewTime, skewTimeUs } from '../../src/vrrp/index.js';

describe('Skew_Time and Master_Down_Interval', () => {
  it('v2 follows RFC 3768 §6.1: (256 − priority)/256 s, truncated in µs then to ms', () => {
    expect(skewTimeUs(2, 100, 100)).toBe(609_375);
    expect(skewTime(2, 100, 100)).toBe(609);
    expect(masterDownInterval(2, 100, 100)).toBe(3609);
    // (256 − 254) × 10^6 / 256 = 7812.5 µs → 7812 µs → 7 ms
    expect(skewTimeUs(2, 254, 100)).toBe(7812);
    expect(masterDownInterval(2, 254, 100)).toBe(3007);
    expect(masterDownInterval(2, 1, 100)).toBe(3996);
    expect(masterDownInterval(2, 255, 100)).toBe(3003);
  });

  it('v2 skew does not scale with the advert interval, the 3 × interval part does', () => {
    expect(skewTime(2, 100, 300)).toBe(609);
    expect(masterDownInterval(2, 100, 300)).toBe(9609);
  });

  it('v3 follows RFC 5798 §6.1: ((256 − priority) × Master_Adver_Interval)/256 cs', () => {
    expect(skewTimeUs(3, 100, 100)).toBe(609_375);
    expect(masterDownInterval(3, 100, 100)).toBe(3609);
    // 156 × 50 cs / 256 = 30.46875 cs = 304687.5 µs → 304 ms
    expect(skewTimeUs(3, 100, 50)).toBe(304_687);
    expect(masterDownInterval(3, 100, 50)).toBe(1804);
    // short intervals: sub-millisecond skews truncate to 0 ms
    expect(skewTime(3, 254, 1)).toBe(0);
    expect(masterDownInterval(3, 254, 1)).toBe(30);
  });

  it('a higher priority never waits longer than a lower one', () => {
    for (const version of [2, 3] as const) {
      for (const interval of [1, 7, 50, 100, 300, 4095]) {
        let previous = Infinity;
        for (let priority = 1; priority <= 255; priority++) {
          const mdi = masterDownInterval(version, priority, interval);
          expect(mdi).toBeLessThanOrEqual(previous);
          expect(Number.isInteger(mdi)).toBe(true);
          previous = mdi;
        }
      }
    }
  });
});

describe('down_timer_adverts (keepalived: Master_Down_Interval = N × interval + Skew_Time)', () => {
  it('replaces the 3 of RFC 3768/5798 §6.1 and leaves Skew_Time alone', () => {
    expect(masterDownInterval(2, 100, 100, 3)).toBe(masterDownInterval(2, 100, 100));
    expect(masterDownInterval(2, 100, 100, 5)).toBe(5609);
    expect(masterDownInterval(2, 100, 100, 1)).toBe(1609);
    // v3 at 50 cs: 10 × 500 ms + 304 ms skew
    expect(masterDownInterval(3, 100, 50, 10)).toBe(5304);
    expect(masterDownInterval(3, 150, 200, 100)).toBe(100 * 2000 + skewTime(3, 150, 200));
  });

  it('the core refuses a count outside keepalived’s 1..100 (the config layer reports it first)', () => {
    const base = { name: 'VI_1', vrid: 1, priority: 100, primaryAddress: '192.0.2.1' };
    expect(resolveInstanceConfig(base).downTimerAdverts).toBe(3);
    expect(resolveInstanceConfig({ ...base, downTimerAdverts: 100 }).downTimerAdverts).toBe(100);
    expect(() => resolveInstanceConfig({ ...base, downTimerAdverts: 0 })).toThrow(RangeError);
    expect(() => resolveInstanceConfig({ ...base, downTimerAdverts: 101 })).toThrow(RangeError);
    expect(() => resolveInstanceConfig({ ...base, downTimerAdverts: 2.5 })).toThrow(RangeError);
  });
});
