// Effective priority from weighted trackers, following keepalived's documented rules
// (keepalived.conf(5), track_script / track_interface / track_file):
//  - weight > 0: the weight is added while the tracked thing is up;
//  - weight < 0: the weight is subtracted (added, being negative) while it is down;
//  - weight 0: no priority change, but the instance goes to FAULT while it is down;
//  - the result is clamped to 1..254, and a configured priority of 255 (address owner) never moves.

import { MAX_TRACKED_PRIORITY, MIN_TRACKED_PRIORITY, OWNER_PRIORITY } from './types.js';

export interface TrackerEffect {
  /** Contribution to the priority. */
  readonly delta: number;
  /** true if this tracker holds the instance in FAULT. */
  readonly fault: boolean;
}

export function trackerEffect(weight: number, up: boolean): TrackerEffect {
  if (weight === 0) return { delta: 0, fault: !up };
  if (weight > 0) return { delta: up ? weight : 0, fault: false };
  return { delta: up ? 0 : weight, fault: false };
}

/** Fault source name used for a weight-0 tracker that is down. */
export function trackerFaultSource(trackerName: string): string {
  return `track:${trackerName}`;
}

export function effectivePriority(
  basePriority: number,
  contributions: Readonly<Record<string, number>>,
): number {
  if (basePriority === OWNER_PRIORITY) return OWNER_PRIORITY;
  const total = Object.values(contributions).reduce((sum, delta) => sum + delta, basePriority);
  return Math.min(MAX_TRACKED_PRIORITY, Math.max(MIN_TRACKED_PRIORITY, total));
}
