// When each gateway is probed next. Every gateway has its own interval, and a faster one while it
// is changing state (as haproxy's fastinter/downinter): `failure_interval` while an UP gateway
// has failed rounds but not yet `fall` of them, so a real outage is confirmed sooner, and
// `recovery_interval` while a DOWN gateway has answered but not yet `rise` times. Rounds run one
// at a time and probe every gateway that is due, so a round's length is its slowest probe's.

import type { GatewayHealth } from './types.js';

export interface ProbeIntervals {
  intervalMs: number;
  failureIntervalMs: number;
  recoveryIntervalMs: number;
}

/** The interval that applies to a gateway in its present health. */
export function probeIntervalMs(intervals: ProbeIntervals, health: GatewayHealth | undefined): number {
  if (health?.state === 'UP' && health.consecutiveFailures > 0) return intervals.failureIntervalMs;
  if (health?.state === 'DOWN' && health.consecutiveSuccesses > 0) return intervals.recoveryIntervalMs;
  return intervals.intervalMs;
}

/**
 * A gateway due within this much of another one is probed in the same round: rounds are not
 * split for a few milliseconds (timer granularity, a round that ended a little late).
 */
export const ROUND_GATHER_MS = 20;

/** Gateways due at `now` (never-probed ones are due at once). */
export function dueGateways(
  ids: readonly string[],
  nextDue: ReadonlyMap<string, number>,
  now: number,
): string[] {
  return ids.filter((id) => (nextDue.get(id) ?? -Infinity) <= now + ROUND_GATHER_MS);
}

/** When the next round should start: the earliest due time, or `fallbackAt` with nothing scheduled. */
export function nextRoundAt(
  ids: readonly string[],
  nextDue: ReadonlyMap<string, number>,
  fallbackAt: number,
): number {
  let earliest = Infinity;
  for (const id of ids) earliest = Math.min(earliest, nextDue.get(id) ?? -Infinity);
  return Number.isFinite(earliest) ? earliest : earliest === -Infinity ? -Infinity : fallbackAt;
}
