// The drop log's two limits: once per (reason, peer) until something changes, and a per-reason
// budget per window whose overflow is summarised once. Virtual time: plain integers.

import { describe, expect, it } from 'vitest';
import { DropLog } from '../../src/daemon/drop-log.js';

describe('DropLog', () => {
  it('logs a (reason, peer) pair once, then stays silent until reset()', () => {
    const log = new DropLog();
    expect(log.decide('checksum', '192.0.2.7', 0)).toEqual({ log: true, suppressedBefore: 0 });
    for (let t = 1; t <= 50; t++) expect(log.decide('checksum', '192.0.2.7', t).log).toBe(false);
    // Another reason from the same peer, or the same reason from another peer, is news.
    expect(log.decide('ip_ttl', '192.0.2.7', 60).log).toBe(true);
    expect(log.decide('checksum', '192.0.2.8', 61).log).toBe(true);
    log.reset();
    expect(log.decide('checksum', '192.0.2.7', 62).log).toBe(true);
  });

  it('resetPeer forgets one peer only', () => {
    const log = new DropLog();
    log.decide('checksum', '192.0.2.7', 0);
    log.decide('checksum', '192.0.2.17', 0);
    log.resetPeer('192.0.2.7');
    expect(log.decide('checksum', '192.0.2.7', 1).log).toBe(true);
    // '192.0.2.17' ends with '7' too: only an exact peer match may be forgotten.
    expect(log.decide('checksum', '192.0.2.17', 1).log).toBe(false);
  });

  it('resetPeer can keep the reasons the peer still shows (an accepted advert with a warning)', () => {
    const log = new DropLog();
    log.decide('address_mismatch', '192.0.2.7', 0);
    log.decide('auth_password', '192.0.2.7', 0);
    log.resetPeer('192.0.2.7', ['address_mismatch']);
    expect(log.decide('address_mismatch', '192.0.2.7', 1).log).toBe(false);
    expect(log.decide('auth_password', '192.0.2.7', 1).log).toBe(true);
  });

  it('spends at most `budget` lines per reason per window, then summarises what it suppressed', () => {
    const log = new DropLog(5, 60_000);
    let logged = 0;
    // 1000 distinct spoofed peers inside one window.
    for (let i = 0; i < 1000; i++) {
      const decision = log.decide('auth_password', `198.51.100.${i % 250}:${i}`, i);
      expect(decision.suppressedBefore).toBe(0);
      if (decision.log) logged++;
    }
    expect(logged).toBe(5);
    // Other reasons have their own budget.
    expect(log.decide('checksum', '198.51.100.1', 1000).log).toBe(true);
    // The next window opens with the first drop after 60 s: one summary of the 995 silent ones.
    const next = log.decide('auth_password', '198.51.100.1:new', 60_000);
    expect(next).toEqual({ log: true, suppressedBefore: 995 });
    expect(log.decide('auth_password', '198.51.100.2:new', 60_001).suppressedBefore).toBe(0);
  });

  it('a repeated pair counts in the summary but does not use the budget', () => {
    const log = new DropLog(2, 1000);
    expect(log.decide('ip_ttl', 'a', 0).log).toBe(true);
    for (let t = 1; t < 10; t++) log.decide('ip_ttl', 'a', t);
    expect(log.decide('ip_ttl', 'b', 10).log).toBe(true);
    expect(log.decide('ip_ttl', 'c', 11).log).toBe(false);
    expect(log.decide('ip_ttl', 'a', 1000)).toEqual({ log: false, suppressedBefore: 10 });
  });

  it('keeps a bounded key set under a flood of distinct peers', () => {
    const maxKeys = 64;
    const log = new DropLog(1_000_000, 60_000, maxKeys);
    for (let i = 0; i < 10_000; i++) log.decide('checksum', `peer-${i}`, 0);
    expect(log.size).toBeLessThanOrEqual(maxKeys);
    expect(log.size).toBeGreaterThan(0);
  });
});
