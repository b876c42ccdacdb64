import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/runtime/iso-time.js';

describe('isoTime', () => {
  it('prints what Date.prototype.toISOString prints, for any time in years 0–9999', () => {
    const min = Date.UTC(0, 0, 1) - 5 * 86_400_000; // a few days before: the fallback's side too
    const max = Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 5 * 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('gets the edges right: epoch, leap days, century years, the last millisecond of a day', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.001Z',
      '1900-03-01T00:00:00.000Z',
      '2100-02-28T23:59:59.999Z',
      '2024-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoTime(Date.parse(text))).toBe(text);
    }
  });

  it('drops fractions of a millisecond as Date does, and throws as toISOString does for NaN', () => {
    expect(isoTime(1.9)).toBe('1970-01-01T00:00:00.001Z');
    expect(isoTime(-1.5)).toBe(new Date(-1.5).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
