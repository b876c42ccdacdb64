// RTM_NEWROUTE bodies for keepalived's route words, byte for byte (rtmsg, then RTA_* attributes,
// RTA_METRICS nesting RTAX_* with the lock mask), and the decoding of the same bytes, which is how
// a dump is matched against what vrrpd installed.
import { endianness } from 'node:os';
import * as rt from 'netlink/dist/rt/structs.js';
import { describe, expect, it } from 'vitest';
import { kernelRouteFrom, routeMessageBytes, type RouteSpec } from '../../src/kernel/routes.js';

const hex = (text: string): string => text.replace(/\s+/g, '');

describe.skipIf(endianness() !== 'LE')('route messages (little-endian host)', () => {
  const withMetrics: RouteSpec = {
    destination: '198.51.100.192',
    prefixLength: 27,
    gateway: '192.0.2.1',
    ifindex: 4,
    table: 100,
    protocol: 18,
    scope: 'global',
    tos: 16,
    realms: 0x10002,
    metrics: { mtu: 1400, rtt: 2400, congctl: 'cubic', features: 1, lock: ['mtu'] },
  };

  it('encodes tos in rtmsg, realms as RTA_FLOW, metrics nested with RTAX_LOCK last', () => {
    expect(routeMessageBytes(withMetrics).toString('hex')).toBe(
      hex(`
        02 1b 00 10  64 12 00 01  00 00 00 00
        08 00 0f 00  64 00 00 00
        08 00 01 00  c6 33 64 c0
        08 00 05 00  c0 00 02 01
        08 00 04 00  04 00 00 00
        08 00 0b 00  02 00 01 00
        30 00 08 00
          08 00 02 00  78 05 00 00
          08 00 04 00  60 09 00 00
          08 00 0c 00  01 00 00 00
          0a 00 10 00  63 75 62 69 63 00 00 00
          08 00 01 00  04 00 00 00`),
    );
    // rtmsg: AF_INET, /27, tos 0x10, table 100, protocol 18, scope universe, RTN_UNICAST; then
    // RTA_TABLE, RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_FLOW 1/2, RTA_METRICS { RTAX_MTU 1400,
    // RTAX_RTT 2400 (300 ms in 1/8 ms), RTAX_FEATURES ecn, RTAX_CC_ALGO "cubic", RTAX_LOCK 1<<RTAX_MTU }.
  });

  it('encodes the route type in rtmsg, and IPv6 pref and expires', () => {
    expect(
      routeMessageBytes({
        destination: '198.51.100.0',
        prefixLength: 26,
        type: 'unreachable',
        table: 100,
        protocol: 18,
      }).toString('hex'),
    ).toBe(hex('02 1a 00 00  64 12 00 07  00 00 00 00   08 00 0f 00 64 00 00 00   08 00 01 00 c6 33 64 00'));
    expect(
      routeMessageBytes({
        destination: '2001:db8:1::',
        prefixLength: 48,
        gateway: '2001:db8::1',
        ifindex: 4,
        protocol: 18,
        pref: 1,
        expires: 300,
      })
        .subarray(-24)
        .toString('hex'),
    ).toBe(hex('08 00 04 00 04 00 00 00   05 00 14 00 01 00 00 00   08 00 17 00 2c 01 00 00'));
  });

  it('decodes tos, realms, metrics and pref back', () => {
    const decoded = kernelRouteFrom(rt.parseRouteMessage(routeMessageBytes(withMetrics)));
    expect(decoded).toMatchObject({
      destination: '198.51.100.192',
      tos: 16,
      realms: 0x10002,
      type: 1,
      metrics: { mtu: 1400, rtt: 2400, congctl: 'cubic', features: 1, lock: ['mtu'] },
    });
    const ipv6 = kernelRouteFrom(
      rt.parseRouteMessage(
        routeMessageBytes({ destination: '2001:db8:1::', prefixLength: 48, ifindex: 4, pref: 3 }),
      ),
    );
    expect(ipv6?.pref).toBe(3);
  });
});
