// RTA_ENCAP payloads byte for byte (uapi lwtunnel.h, mpls_iptunnel.h, ila.h), as keepalived 2.2.7
// and iproute2 lay them out: big-endian tunnel id, addresses in network order, an MPLS label
// stack with the bottom-of-stack bit on the last entry, an ILA locator as 4 big-endian groups.
// The kernel here has no MPLS or ILA; ip and ip6 are also installed for real in netlink-words.test.ts.
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { encodeRouteEncap } from '../../src/kernel/route-encap.js';
import { encodeMultipath } from '../../src/kernel/route-nexthops.js';

const hex = (text: string): string => text.replace(/\s+/g, '');

describe.skipIf(endianness() !== 'LE')('route encapsulations (little-endian host)', () => {
  it('ip: id (be64), dst, src, ttl (4), tos (5), flags (6, host order as keepalived sends it)', () => {
    const { encapType, encap } = encodeRouteEncap({
      type: 'ip',
      id: '10',
      dst: '203.0.113.1',
      src: '192.0.2.1',
      dsfield: 0x10,
      ttl: 64,
      flags: 1,
    });
    expect(encapType).toBe(2);
    expect(encap.toString('hex')).toBe(
      hex(`
        0c 00 01 00  00 00 00 00 00 00 00 0a
        08 00 02 00  cb 00 71 01
        08 00 03 00  c0 00 02 01
        05 00 05 00  10 00 00 00
        05 00 04 00  40 00 00 00
        06 00 06 00  01 00 00 00`),
    );
  });

  it('ip6: the largest id, dst, hop limit', () => {
    const { encapType, encap } = encodeRouteEncap({
      type: 'ip6',
      id: '18446744073709551615',
      dst: '2001:db8::1',
      ttl: 32,
    });
    expect(encapType).toBe(4);
    expect(encap.toString('hex')).toBe(
      hex(`
        0c 00 01 00  ff ff ff ff ff ff ff ff
        14 00 02 00  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
        05 00 04 00  20 00 00 00`),
    );
  });

  it('mpls: label << 12, bottom of stack on the last; ila: 4 big-endian groups', () => {
    const mpls = encodeRouteEncap({ type: 'mpls', labels: [100, 200] });
    expect(mpls.encapType).toBe(1);
    expect(mpls.encap.toString('hex')).toBe(hex('0c 00 01 00  00 06 40 00  00 0c 81 00'));
    const ila = encodeRouteEncap({ type: 'ila', locator: '2001:db8:1:2' });
    expect(ila.encapType).toBe(3);
    expect(ila.encap.toString('hex')).toBe(hex('0c 00 01 00  20 01 0d b8 00 01 00 02'));
  });

  it('a next hop carries RTA_ENCAP and RTA_ENCAP_TYPE after its gateway', () => {
    const payload = encodeMultipath([
      { gateway: '192.0.2.1', ifindex: 3, encap: { type: 'mpls', labels: [300] } },
    ]);
    expect(payload.toString('hex')).toBe(
      hex(`
        24 00 00 00  03 00 00 00
        08 00 05 00  c0 00 02 01
        0c 00 16 00  08 00 01 00  00 12 c1 00
        06 00 15 00  01 00 00 00`),
    );
  });
});
