// The AH sequence counter follows keepalived's rules (vrrp.c ipsecah_counter): one number for
// sending and accepting, a cycle mark at the top, resync from a lower-priority master.

import { describe, expect, it } from 'vitest';
import {
  acceptedSequence,
  clearCycle,
  INITIAL_AH_SEQUENCE,
  nextAdvertSequence,
  onBecomingMaster,
  syncedFromLowerPriority,
} from '../../src/vrrp/ah-sequence.js';

describe('AH sequence counter', () => {
  it('starts at 0, so the first advert carries 1, then 2, 3…', () => {
    let counter = INITIAL_AH_SEQUENCE;
    const sent: number[] = [];
    for (let i = 0; i < 3; i++) {
      counter = nextAdvertSequence(counter);
      sent.push(counter.sequence);
    }
    expect(sent).toEqual([1, 2, 3]);
  });

  it('follows accepted adverts upwards only, so a backup continues above the master it heard', () => {
    let counter = acceptedSequence(INITIAL_AH_SEQUENCE, 41);
    expect(counter.sequence).toBe(41);
    counter = acceptedSequence(counter, 7);
    expect(counter.sequence).toBe(41);
    expect(nextAdvertSequence(counter).sequence).toBe(42);
  });

  it('stops at 0xFFFFFFFE and marks the counter cycled; becoming MASTER then restarts from 0', () => {
    let counter = { sequence: 0xfffffffd, cycled: false };
    counter = nextAdvertSequence(counter);
    expect(counter).toEqual({ sequence: 0xfffffffe, cycled: false });
    counter = nextAdvertSequence(counter);
    expect(counter).toEqual({ sequence: 0xfffffffe, cycled: true });
    expect(onBecomingMaster(counter)).toEqual(INITIAL_AH_SEQUENCE);
    expect(onBecomingMaster(clearCycle(counter))).toEqual({ sequence: 0xfffffffe, cycled: false });
  });

  it('resyncs a MASTER just above a lower-priority router’s number (uint32 wrap as keepalived)', () => {
    expect(syncedFromLowerPriority(500)).toEqual({ sequence: 501, cycled: false });
    expect(syncedFromLowerPriority(0xffffffff).sequence).toBe(0);
  });

  it('keeps a counter that has not cycled when becoming MASTER', () => {
    expect(onBecomingMaster({ sequence: 9, cycled: false })).toEqual({ sequence: 9, cycled: false });
  });
});
