// The AH sequence counter of one auth_type AH instance, as keepalived keeps it (vrrp.c, its
// `ipsecah_counter`): ONE number shared by what the instance sends and what it accepts, so a
// backup follows the master's count and, when it takes over, continues above it — its adverts are
// then not replays to the other routers. Pure values: every function returns a new counter.
//
// Where the state machine calls what (keepalived's places):
//   every advert sent          → nextAdvertSequence (the advert carries `.sequence`)
//   advert accepted (any state) → acceptedSequence(counter, advert's ahSequence) — the ladder
//                                 (validate-ah.ts) has already refused numbers ≤ the counter
//   MASTER hears lower priority → syncedFromLowerPriority (keepalived: "Syncing seq_num")
//   MASTER hears higher priority, BACKUP accepts one → cycle cleared (clearCycle)
//   becoming MASTER            → onBecomingMaster (restarts from 0 only after the counter cycled)
//   reload                     → keep the counter as it is

import { AH_SEQUENCE_LIMIT } from '../packet/ipsec-ah.js';

export interface AhSequenceCounter {
  /** The last sequence number sent or accepted (0 before any). */
  readonly sequence: number;
  /** Set when the counter reached its limit; cleared by any advert from another router. */
  readonly cycled: boolean;
}

export const INITIAL_AH_SEQUENCE: AhSequenceCounter = Object.freeze({ sequence: 0, cycled: false });

/**
 * The counter after sending one advert; the advert carries `counter.sequence`. Above
 * 0xFFFFFFFD keepalived stops counting and marks the counter cycled (the number repeats).
 */
export function nextAdvertSequence(counter: AhSequenceCounter): AhSequenceCounter {
  if (counter.sequence > AH_SEQUENCE_LIMIT) return { sequence: counter.sequence, cycled: true };
  return { sequence: counter.sequence + 1, cycled: counter.cycled };
}

/** An advert carrying `received` was accepted: the counter follows it (never goes down). */
export function acceptedSequence(counter: AhSequenceCounter, received: number): AhSequenceCounter {
  if (received <= counter.sequence) return counter;
  return { sequence: received, cycled: counter.cycled };
}

/** A BACKUP accepting an advert, or a MASTER hearing a higher priority: the cycle mark goes. */
export function clearCycle(counter: AhSequenceCounter): AhSequenceCounter {
  return counter.cycled ? { sequence: counter.sequence, cycled: false } : counter;
}

/**
 * A MASTER heard a lower-priority advert carrying `received`: keepalived continues from just above
 * that router's number (so the lower router, which follows ours, keeps accepting us).
 */
export function syncedFromLowerPriority(received: number): AhSequenceCounter {
  // uint32 arithmetic, as keepalived: 0xFFFFFFFF + 1 wraps to 0.
  return { sequence: (received + 1) >>> 0, cycled: false };
}

/** Becoming MASTER: a cycled counter restarts from 0; otherwise it continues. */
export function onBecomingMaster(counter: AhSequenceCounter): AhSequenceCounter {
  return counter.cycled ? INITIAL_AH_SEQUENCE : counter;
}
