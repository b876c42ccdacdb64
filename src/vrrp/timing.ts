// Protocol timers of RFC 3768 §6.1 (VRRPv2) and RFC 5798 §6.1 (VRRPv3), in integer milliseconds.
//
// Precision: keepalived computes Skew_Time in microseconds with integer (truncating) arithmetic.
// We do the same computation in microseconds, then truncate to whole milliseconds because the
// state machine's clock is integer ms. The result is never more than 1 ms shorter than the exact
// value, and stays monotonic in priority, so a higher priority never waits longer than a lower one.
// (With very short v3 intervals two adjacent priorities can round to the same millisecond; the
// RFC's tie-break between two MASTERs then settles it, as it would on a real LAN with jitter.)

import type { VrrpVersion } from '../packet/types.js';

const MICROSECONDS_PER_SECOND = 1_000_000;
const MICROSECONDS_PER_CENTISECOND = 10_000;
const MS_PER_CENTISECOND = 10;
/**
 * RFC 3768 §6.1 / RFC 5798 §6.1: the master is declared down after three missed adverts (+ skew).
 * keepalived's `down_timer_adverts` (1..100) changes the count; 3 is its default too.
 */
export const DEFAULT_DOWN_TIMER_ADVERTS = 3;

/** Advertisement interval in ms. */
export function advertIntervalMs(advertIntervalCs: number): number {
  return advertIntervalCs * MS_PER_CENTISECOND;
}

/**
 * Skew_Time in microseconds (truncated, as keepalived does).
 * v2 (RFC 3768 §6.1): (256 − Priority) / 256 seconds — independent of the advert interval.
 * v3 (RFC 5798 §6.1): ((256 − priority) × Master_Adver_Interval) / 256 centiseconds.
 */
export function skewTimeUs(version: VrrpVersion, priority: number, masterAdverIntervalCs: number): number {
  const weight = 256 - priority;
  if (version === 2) return Math.floor((weight * MICROSECONDS_PER_SECOND) / 256);
  return Math.floor((weight * masterAdverIntervalCs * MICROSECONDS_PER_CENTISECOND) / 256);
}

/** Skew_Time in ms (see the file comment for rounding). */
export function skewTime(version: VrrpVersion, priority: number, masterAdverIntervalCs: number): number {
  return Math.floor(skewTimeUs(version, priority, masterAdverIntervalCs) / 1000);
}

/**
 * Master_Down_Interval = 3 × (Master_)Adver_Interval + Skew_Time, in ms. keepalived's
 * down_timer_adverts replaces the 3 (its VRRP_MS_DOWN_TIMER); Skew_Time is unchanged.
 */
export function masterDownInterval(
  version: VrrpVersion,
  priority: number,
  masterAdverIntervalCs: number,
  downTimerAdverts: number = DEFAULT_DOWN_TIMER_ADVERTS,
): number {
  return (
    downTimerAdverts * advertIntervalMs(masterAdverIntervalCs) +
    skewTime(version, priority, masterAdverIntervalCs)
  );
}
