// auth_type AH between two vrrpd daemons on the deterministic lab: adverts leave as IP protocol 51
// with keepalived's AH header, sequence numbers rise by one per advert, the backup follows them,
// a replayed advert is dropped (ah_sequence), another password is an ICV failure on both sides.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPSEC_AH_PROTOCOL, readAhHeader } from '../../src/packet/ipsec-ah.js';
import { instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const ah = (password: string) => `  authentication {\n    auth_type AH\n    auth_pass ${password}\n  }`;

describe('auth_type AH', () => {
  it('two vrrpd elect over AH; sequence numbers rise; a replay is dropped', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: ah('secret12') }));
    await b.start(instanceBlock({ priority: 100, extra: ah('secret12') }));
    await lab.advance(8000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.transportOptions.map((o) => o.protocol ?? 112)).toEqual([112, IPSEC_AH_PROTOCOL]);
    const fromA = lab.segment.sent.filter((p) => p.from === A);
    expect(fromA.length).toBeGreaterThan(2);
    expect(new Set(fromA.map((p) => p.raw[9]))).toEqual(new Set([IPSEC_AH_PROTOCOL]));
    const sequences = fromA.map((p) => {
      const read = readAhHeader(p.raw.subarray(20));
      if (!read.ok) throw new Error(read.detail);
      expect(read.value.header.spi).toBe(A);
      return read.value.header.sequence;
    });
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
    // IP identification: 1, 2, 3… per instance.
    expect(fromA.slice(0, 3).map((p) => p.raw.readUInt16BE(4))).toEqual([1, 2, 3]);
    const counters = b.counters()!;
    expect(counters.drops).toEqual({});
    // A replay of an advert b has already seen.
    b.inject(Buffer.from(fromA[0]!.raw), A);
    await lab.advance(10);
    expect(b.counters()!.drops).toEqual({ ah_sequence: 1 });
    expect(b.state()).toBe('BACKUP');
  });

  it('another password: every advert fails the ICV and both become MASTER', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: ah('secret12') }));
    await b.start(instanceBlock({ priority: 100, extra: ah('other123') }));
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('MASTER');
    expect(b.counters()!.drops.ah_icv).toBeGreaterThan(0);
  });

  it('failover and back: the restarted router learns the sequence number as BACKUP', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: ah('secret12') }));
    await b.start(instanceBlock({ priority: 100, extra: ah('secret12') }));
    await lab.advance(5000);
    const stopping = a.daemon.stop();
    await lab.advance(4000);
    await stopping;
    expect(b.state()).toBe('MASTER');
    const a2 = lab.router(A);
    await a2.start(instanceBlock({ priority: 150, extra: ah('secret12') }));
    await lab.advance(6000);
    expect(a2.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a2.counters()!.drops.ah_sequence ?? 0).toBe(0);
  });
});
