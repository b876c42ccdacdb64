// old_unicast_checksum end to end on the fake segment: two routers, VRRPv3 unicast over IPv4.
// A router configured with it sends (and expects) the checksum of keepalived before 1.3.6, whose
// pseudo-header holds the multicast group; a router without the keyword switches to it when it
// hears it (keepalived's automatic switch), one with `never` does not.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeAdvert } from '../../src/packet/vrrp.js';
import { instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';
const GROUP = '224.0.0.18';

function unicast(peer: string, keyword: string): string {
  return `  version 3\n  unicast_peer {\n    ${peer}\n  }\n${keyword}`;
}

/** Whether every advert `from` sent checks in the old form (true) or the RFC form (false). */
function forms(lab: Lab, from: string): boolean[] {
  return lab.segment.sent
    .filter((p) => p.from === from)
    .map((p) => {
      const old = decodeAdvert(p.message, { source: from, destination: GROUP }).ok;
      const rfc = decodeAdvert(p.message, { source: from, destination: p.dest }).ok;
      expect(old !== rfc).toBe(true);
      return old;
    });
}

describe('old_unicast_checksum', () => {
  it('two routers with the keyword elect as usual, every advert in the old form', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: unicast(B, '  old_unicast_checksum') }));
    await b.start(instanceBlock({ priority: 100, extra: unicast(A, '  old_unicast_checksum') }));
    await lab.advance(8000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(b.counters()!.drops).toEqual({});
    expect(forms(lab, A).length).toBeGreaterThan(3);
    expect(forms(lab, A).every((old) => old)).toBe(true);
  });

  it('without the keyword a router hears an old peer, switches, and the pair converges', async () => {
    const lab = new Lab();
    const old = lab.router(A);
    const current = lab.router(B);
    await old.start(instanceBlock({ priority: 100, extra: unicast(B, '  old_unicast_checksum') }));
    await current.start(instanceBlock({ priority: 150, extra: unicast(A, '') }));
    await lab.advance(12_000);
    expect(current.state()).toBe('MASTER');
    expect(old.state()).toBe('BACKUP');
    // The current router's first adverts were in the RFC form (the old one dropped them and became
    // MASTER too); once it heard the old form it answered in that form, and the old one yielded.
    const sent = forms(lab, B);
    expect(sent[0]).toBe(false);
    expect(sent.at(-1)).toBe(true);
    const firstOld = sent.indexOf(true);
    expect(sent.slice(firstOld).every((form) => form)).toBe(true);
    expect(current.logsWith('code', 'VRRPD_OLD_UNICAST_CHECKSUM')).toHaveLength(1);
    expect(current.counters()!.drops).toEqual({});
    expect(old.counters()!.drops.checksum).toBeGreaterThan(0);
  });

  it('`never` keeps the RFC form: the old peer’s adverts are checksum drops, both stay MASTER', async () => {
    const lab = new Lab();
    const old = lab.router(A);
    const strict = lab.router(B);
    await old.start(instanceBlock({ priority: 100, extra: unicast(B, '  old_unicast_checksum') }));
    await strict.start(instanceBlock({ priority: 150, extra: unicast(A, '  old_unicast_checksum never') }));
    await lab.advance(8000);
    expect(strict.state()).toBe('MASTER');
    expect(old.state()).toBe('MASTER');
    expect(strict.counters()!.drops.checksum).toBeGreaterThan(0);
    expect(forms(lab, B).every((form) => !form)).toBe(true);
    expect(strict.logsWith('code', 'VRRPD_OLD_UNICAST_CHECKSUM')).toEqual([]);
  });
});
