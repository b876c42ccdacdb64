// mcast_dst_ip, track_src_ip and a repeated unicast_peer through the daemon (keepalived 2.2.7
// behaviour): adverts go to the instance's group and the socket joins it; an instance tracking its
// configured source address is FAULT while that address is missing from its interface; a peer
// listed twice gets every advert twice.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ETH0_INDEX, instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

describe('mcast_dst_ip', () => {
  it('two routers on group 224.0.0.19 elect each other; the socket joins that group', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(instanceBlock({ priority: 150, extra: '  mcast_dst_ip 224.0.0.19' }));
    await b.start(instanceBlock({ priority: 100, extra: '  mcast_dst_ip 224.0.0.19' }));
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.transportOptions[0]).toMatchObject({ joinMulticast: true, multicastGroups: ['224.0.0.19'] });
    const sent = lab.segment.sent.filter((p) => p.from === A);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((p) => p.dest))).toEqual(new Set(['224.0.0.19']));
  });
});

describe('track_src_ip', () => {
  it('FAULT while unicast_src_ip is missing from the interface, back when it returns', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const source = '192.0.2.11';
    await a.start(
      instanceBlock({
        priority: 150,
        extra: `  unicast_src_ip ${source}\n  track_src_ip\n  unicast_peer {\n    ${B}\n  }`,
      }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    const address = { ifindex: ETH0_INDEX, address: source, prefixLength: 24, scope: 0, secondary: true };
    a.netlink.addressTable.set(`${ETH0_INDEX}/${source}/24`, address);
    a.events.emit({ kind: 'address', address, removed: false });
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    a.netlink.addressTable.delete(`${ETH0_INDEX}/${source}/24`);
    a.events.emit({ kind: 'address', address, removed: true });
    await lab.advance(10);
    expect(a.state()).toBe('FAULT');
  });
});

describe('a unicast_peer listed twice', () => {
  it('gets each advert twice, as keepalived sends one advert per unicast_peer line', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    const third = '192.0.2.3';
    await a.start(
      instanceBlock({
        priority: 150,
        extra: `  unicast_peer {\n    ${B}\n    ${third}\n    ${B}\n  }`,
      }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    const sent = lab.segment.sent.filter((p) => p.from === A);
    const toB = sent.filter((p) => p.dest === B).length;
    const toThird = sent.filter((p) => p.dest === third).length;
    expect(toThird).toBeGreaterThan(0);
    expect(toB).toBe(2 * toThird);
  });
});
