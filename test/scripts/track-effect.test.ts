import { describe, expect, it } from 'vitest';
import {
  combineTrackEffects,
  fileTrackEffect,
  interfaceTrackEffect,
  scriptTrackEffect,
} from '../../src/scripts/track-effect.js';

describe('scriptTrackEffect (keepalived weight semantics)', () => {
  it('weight 0: FAULT while failing, nothing while OK, pending while INIT', () => {
    expect(scriptTrackEffect('FAIL', 0, false)).toEqual({ contribution: 0, fault: true, pending: false });
    expect(scriptTrackEffect('OK', 0, false)).toEqual({ contribution: 0, fault: false, pending: false });
    expect(scriptTrackEffect('INIT', 0, false)).toEqual({ contribution: 0, fault: false, pending: true });
  });

  it('weight 0 reverse: FAULT while the script succeeds', () => {
    expect(scriptTrackEffect('OK', 0, true).fault).toBe(true);
    expect(scriptTrackEffect('FAIL', 0, true).fault).toBe(false);
  });

  it('positive weight is added while OK, nothing while failing', () => {
    expect(scriptTrackEffect('OK', 20, false).contribution).toBe(20);
    expect(scriptTrackEffect('FAIL', 20, false).contribution).toBe(0);
  });

  it('negative weight is added while failing, nothing while OK', () => {
    expect(scriptTrackEffect('FAIL', -30, false).contribution).toBe(-30);
    expect(scriptTrackEffect('OK', -30, false).contribution).toBe(0);
  });

  it('reverse inverts the direction', () => {
    expect(scriptTrackEffect('OK', 20, true).contribution).toBe(-20);
    expect(scriptTrackEffect('FAIL', 20, true).contribution).toBe(0);
    expect(scriptTrackEffect('FAIL', -30, true).contribution).toBe(30);
    expect(scriptTrackEffect('OK', -30, true).contribution).toBe(0);
  });

  it('a weighted script in INIT contributes nothing and holds nothing', () => {
    expect(scriptTrackEffect('INIT', 20, false)).toEqual({ contribution: 0, fault: false, pending: false });
    expect(scriptTrackEffect('INIT', -20, false)).toEqual({ contribution: 0, fault: false, pending: false });
  });
});

describe('interfaceTrackEffect', () => {
  it('unweighted: FAULT while down (reverse: while up)', () => {
    expect(interfaceTrackEffect(false, 0, false).fault).toBe(true);
    expect(interfaceTrackEffect(true, 0, false).fault).toBe(false);
    expect(interfaceTrackEffect(true, 0, true).fault).toBe(true);
  });

  it('weighted: +weight while up, -|weight| while down for negative weights', () => {
    expect(interfaceTrackEffect(true, 10, false).contribution).toBe(10);
    expect(interfaceTrackEffect(false, 10, false)).toEqual({ contribution: 0, fault: false, pending: false });
    expect(interfaceTrackEffect(false, -10, false).contribution).toBe(-10);
    expect(interfaceTrackEffect(false, -10, true).contribution).toBe(10);
  });
});

describe('fileTrackEffect', () => {
  it('weight 0: a non-zero value is a failure, zero is OK', () => {
    expect(fileTrackEffect(0, 0, false)).toEqual({ contribution: 0, fault: false, pending: false });
    expect(fileTrackEffect(5, 0, false).fault).toBe(true);
    expect(fileTrackEffect(-1, 0, false).fault).toBe(true);
    expect(fileTrackEffect(0, 0, true).fault).toBe(true);
  });

  it('value × weight is added, capped at 253', () => {
    expect(fileTrackEffect(10, 2, false).contribution).toBe(20);
    expect(fileTrackEffect(-10, 2, false).contribution).toBe(-20);
    expect(fileTrackEffect(200, 2, false).contribution).toBe(253);
    expect(fileTrackEffect(10, 2, true).contribution).toBe(-20);
  });

  it('a result of -254 or below puts the instance in FAULT', () => {
    expect(fileTrackEffect(-254, 1, false)).toEqual({ contribution: 0, fault: true, pending: false });
    expect(fileTrackEffect(-127, 2, false).fault).toBe(true);
    expect(fileTrackEffect(-253, 1, false)).toEqual({ contribution: -253, fault: false, pending: false });
  });
});

describe('combineTrackEffects', () => {
  it('sums contributions and ORs fault and pending', () => {
    expect(
      combineTrackEffects([
        scriptTrackEffect('OK', 20, false),
        interfaceTrackEffect(false, -10, false),
        fileTrackEffect(3, 1, false),
      ]),
    ).toEqual({ fault: false, pending: false, totalWeight: 13 });
    expect(
      combineTrackEffects([scriptTrackEffect('FAIL', 0, false), scriptTrackEffect('INIT', 0, false)]),
    ).toEqual({
      fault: true,
      pending: true,
      totalWeight: 0,
    });
    expect(combineTrackEffects([])).toEqual({ fault: false, pending: false, totalWeight: 0 });
  });
});
