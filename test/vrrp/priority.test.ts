import { describe, expect, it } from 'vitest';
import { effectivePriority, trackerEffect } from '../../src/vrrp/index.js';

describe('tracker effects (keepalived weight rules)', () => {
  it('positive weights add while up, negative subtract while down, zero faults while down', () => {
    expect(trackerEffect(10, true)).toEqual({ delta: 10, fault: false });
    expect(trackerEffect(10, false)).toEqual({ delta: 0, fault: false });
    expect(trackerEffect(-20, true)).toEqual({ delta: 0, fault: false });
    expect(trackerEffect(-20, false)).toEqual({ delta: -20, fault: false });
    expect(trackerEffect(0, true)).toEqual({ delta: 0, fault: false });
    expect(trackerEffect(0, false)).toEqual({ delta: 0, fault: true });
  });
});

describe('effective priority', () => {
  it('is base plus the sum of contributions', () => {
    expect(effectivePriority(100, { a: 10, b: -30 })).toBe(80);
    expect(effectivePriority(100, {})).toBe(100);
  });

  it('is clamped to 1..254', () => {
    expect(effectivePriority(250, { a: 50 })).toBe(254);
    expect(effectivePriority(10, { a: -50 })).toBe(1);
  });

  it('never moves for the address owner (255)', () => {
    expect(effectivePriority(255, { a: -100 })).toBe(255);
    expect(effectivePriority(255, { a: 10 })).toBe(255);
  });
});
