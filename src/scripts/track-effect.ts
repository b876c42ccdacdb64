// What a tracked object does to an instance (or sync group), pure. keepalived.conf(5) semantics:
//  - weight 0: the instance goes FAULT while the tracked object is down; `reverse` inverts that
//    ("weight 0 reverse" → FAULT while it is up).
//  - weight > 0: added to the priority while the object is up (with `reverse`: subtracted).
//  - weight < 0: added (so the priority drops by |weight|) while the object is down (with
//    `reverse`: the priority rises by |weight| instead).
//  - track_file: weight 0 → a non-zero value in the file means failure; otherwise the value × weight
//    is added, capped at 253, and a result ≤ -254 puts the instance in FAULT.
// The caller (the VRRP core) adds the contributions to the base priority and clamps the result to
// [1, 254]; an address owner (priority 255) ignores weights. That part is not done here.

import type { TrackStatus } from './track-status.js';

export interface TrackEffect {
  /** Added to the base priority now. */
  contribution: number;
  /** The tracked object forces FAULT now. */
  fault: boolean;
  /** A weight-0 script has not reported yet: the instance should stay in INIT until it does. */
  pending: boolean;
}

/** keepalived's limits: a track_file result at or below this is a fault; above the cap is capped. */
export const TRACK_FILE_FAULT_AT_OR_BELOW = -254;
export const TRACK_FILE_CONTRIBUTION_CAP = 253;

function multiplier(reverse: boolean): number {
  return reverse ? -1 : 1;
}

/** Effect of an up/down object (script status, interface link) for a given weight. */
function upDownEffect(up: boolean, weight: number, reverse: boolean): TrackEffect {
  if (weight === 0) {
    return { contribution: 0, fault: up === reverse, pending: false };
  }
  if (up)
    return { contribution: weight > 0 ? weight * multiplier(reverse) : 0, fault: false, pending: false };
  return { contribution: weight < 0 ? weight * multiplier(reverse) : 0, fault: false, pending: false };
}

/** track_script: `weight` and `reverse` are the ones of the tracking entry (defaulting to the vrrp_script's). */
export function scriptTrackEffect(status: TrackStatus, weight: number, reverse: boolean): TrackEffect {
  if (status === 'INIT') return { contribution: 0, fault: false, pending: weight === 0 };
  return upDownEffect(status === 'OK', weight, reverse);
}

/** track_interface: `up` is the link's operational state. */
export function interfaceTrackEffect(up: boolean, weight: number, reverse: boolean): TrackEffect {
  return upDownEffect(up, weight, reverse);
}

/**
 * track_process: `up` is the tracker's quorum state (process-tracker.ts); track_bfd: whether the
 * session is Up (keepalived's bfd_up: Down, Init, AdminDown and not yet Up all count as down).
 * Same rules as a script.
 */
export function processTrackEffect(up: boolean, weight: number, reverse: boolean): TrackEffect {
  return upDownEffect(up, weight, reverse);
}

/** track_file: `value` is the integer read from the file (see parseTrackFileValue). */
export function fileTrackEffect(value: number, weight: number, reverse: boolean): TrackEffect {
  if (weight === 0) {
    const failing = value !== 0;
    return { contribution: 0, fault: failing !== reverse, pending: false };
  }
  const result = value * weight * multiplier(reverse);
  if (result <= TRACK_FILE_FAULT_AT_OR_BELOW) return { contribution: 0, fault: true, pending: false };
  return { contribution: Math.min(result, TRACK_FILE_CONTRIBUTION_CAP), fault: false, pending: false };
}

export interface CombinedTracking {
  fault: boolean;
  pending: boolean;
  /** Sum of the contributions of the trackers that are not faulting. */
  totalWeight: number;
}

/** All trackers of one instance (its own plus its sync group's) folded into one verdict. */
export function combineTrackEffects(effects: Iterable<TrackEffect>): CombinedTracking {
  let fault = false;
  let pending = false;
  let totalWeight = 0;
  for (const effect of effects) {
    fault ||= effect.fault;
    pending ||= effect.pending;
    totalWeight += effect.contribution;
  }
  return { fault, pending, totalWeight };
}
