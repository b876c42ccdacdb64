// unicast_ttl end to end on the fake segment (IPv4, where vrrpd writes the header itself):
// `unicast_ttl 0` is sent as TTL 0, as keepalived 2.2.7 sends it, and two such routers elect; the
// TTL is one instance's, so a multicast instance sharing the interface (and its socket) keeps 255.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

const unicast = (peer: string, ttl: number): string =>
  `  unicast_ttl ${ttl}\n  unicast_peer {\n    ${peer}\n  }`;

describe('unicast_ttl', () => {
  it('0: the adverts carry TTL 0 and two routers elect one master', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: unicast(B, 0) }));
    await b.start(instanceBlock({ priority: 100, extra: unicast(A, 0) }));
    await lab.advance(8000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(b.counters()!.drops).toEqual({});
    const fromA = lab.segment.sent.filter((p) => p.from === A);
    expect(fromA.length).toBeGreaterThan(3);
    expect(new Set(fromA.map((p) => p.raw[8]))).toEqual(new Set([0]));
  });

  it('is per instance: a multicast instance on the same interface still sends TTL 255', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(
      instanceBlock({ name: 'UNI', vrid: 51, priority: 150, extra: unicast(B, 7) }) +
        instanceBlock({ name: 'MULTI', vrid: 52, priority: 150, vips: ['192.0.2.200/24'] }),
    );
    await lab.advance(8000);
    const ttls = (dest: string) =>
      new Set(lab.segment.sent.filter((p) => p.from === A && p.dest === dest).map((p) => p.raw[8]));
    expect(ttls(B)).toEqual(new Set([7]));
    expect(ttls('224.0.0.18')).toEqual(new Set([255]));
  });
});
