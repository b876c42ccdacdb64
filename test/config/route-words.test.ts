// virtual_routes / static_routes words as keepalived 2.2.7 reads them (vrrp_iproute.c alloc_route):
// route types, tos, the RTAX metrics with `lock`, realms, pref, expires; which mistakes drop the
// route (keepalived drops it) and which it only reports.
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { RouteSpec } from '../../src/config/model/types.js';
import { parseRttTime } from '../../src/config/values/route-attributes.js';
import { keepalivedReportsToo } from '../../src/config/report/diagnostics.js';
import { routeSpecOf } from '../../src/daemon/virtual-resources.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(...routes: string[]): ParseConfigResult {
  const text = [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '  virtual_routes {',
    ...routes.map((r) => `    ${r}`),
    '  }',
    '}',
  ].join('\n');
  return parseConfigText(text, { file: FILE });
}

function routes(result: ParseConfigResult): RouteSpec[] {
  return result.config.instances[0]?.virtualRoutes ?? [];
}

describe('virtual_routes types', () => {
  it('reads TYPE DEST for every RTN type keepalived knows', () => {
    const result = parse(
      'unreachable 198.51.100.0/26 table 100 no_track',
      'prohibit 198.51.100.64/26 table 100 no_track',
      'throw 198.51.100.128/26 table 100 no_track',
      'local 192.0.2.200 dev eth0 table 100',
      'broadcast 192.0.2.255 dev eth0 table 100',
      'brd 192.0.2.254 dev eth0 table 100',
      'anycast 192.0.2.0 dev eth0 table 100',
      'multicast 224.0.0.0/4 dev eth0 table 100',
      'nat 192.0.2.201 dev eth0 table 100',
      'unicast 198.51.100.0/24 via 192.0.2.1 dev eth0',
      'blackhole default table 100 no_track',
    );
    expect(result.diagnostics).toEqual([]);
    expect(routes(result).map((r) => [r.type, r.to])).toEqual([
      ['unreachable', '198.51.100.0/26'],
      ['prohibit', '198.51.100.64/26'],
      ['throw', '198.51.100.128/26'],
      ['local', '192.0.2.200/32'],
      ['broadcast', '192.0.2.255/32'],
      ['broadcast', '192.0.2.254/32'],
      ['anycast', '192.0.2.0/32'],
      ['multicast', '224.0.0.0/4'],
      ['nat', '192.0.2.201/32'],
      ['unicast', '198.51.100.0/24'],
      ['blackhole', '0.0.0.0/0'],
    ]);
  });
});

describe('virtual_routes attributes', () => {
  it('reads tos, every metric (lock where keepalived takes it), realms', () => {
    const result = parse(
      '198.51.100.192/27 via 192.0.2.1 dev eth0 tos 0x10 mtu lock 1400 advmss 1360 rtt 300ms rttvar 50ms reordering lock 3 window 65535 cwnd 10 ssthresh lock 20 realms 1/2 rto_min 1s initcwnd 10 initrwnd 20 features ecn quickack 1 congctl lock cubic fastopen_no_cookie 1 hoplimit 64',
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'virtual_routes: rttvar 50ms is outside 200 ms … 120 s and is set to the nearest bound, as keepalived sets it',
    ]);
    // keepalived only logs the reset: its -t does not exit 5 for it.
    expect(keepalivedReportsToo(result.diagnostics[0]!)).toBe(false);
    const [route] = routes(result);
    expect(route).toMatchObject({ tos: 16, realms: (1 << 16) | 2 });
    expect(route?.metrics).toEqual({
      mtu: 1400,
      lock: ['mtu', 'reordering', 'ssthresh', 'congctl'],
      advmss: 1360,
      rtt: 2400,
      rttvar: 800,
      reordering: 3,
      window: 65535,
      cwnd: 10,
      ssthresh: 20,
      rtoMin: 1000,
      initcwnd: 10,
      initrwnd: 20,
      features: 1,
      quickack: 1,
      congctl: 'cubic',
      fastopenNoCookie: 1,
      hoplimit: 64,
    });
  });

  it('reads pref and expires, which make the route IPv6', () => {
    const result = parse(
      '2001:db8:1::/48 via 2001:db8::1 dev eth0 pref high expires 300',
      'pref low default dev eth0',
      '2001:db8:2::/48 dev eth0 pref 7',
    );
    expect(result.diagnostics).toEqual([]);
    expect(routes(result).map((r) => [r.to, r.family, r.pref, r.expires])).toEqual([
      ['2001:db8:1::/48', 'ipv6', 1, 300],
      ['::/0', 'ipv6', 3, undefined],
      ['2001:db8:2::/48', 'ipv6', 7, undefined],
    ]);
  });

  it('reads times as keepalived: bare numbers in kernel units, ms/s converted, clamped to 200 ms … 120 s', () => {
    expect(parseRttTime('300ms', 8)).toEqual({ value: 2400, clamped: false });
    expect(parseRttTime('1.5s', 8)).toEqual({ value: 12000, clamped: false });
    expect(parseRttTime('2secs', 1)).toEqual({ value: 2000, clamped: false });
    expect(parseRttTime('2000', 8)).toEqual({ value: 2000, clamped: false });
    expect(parseRttTime('100ms', 8)).toEqual({ value: 1600, clamped: true });
    expect(parseRttTime('121s', 1)).toBeNull();
    expect(parseRttTime('1e3', 1)).toBeNull();
    expect(parseRttTime('10m', 1)).toBeNull();
    expect(parseRttTime('1.5ms', 1)).toBeNull();
  });

  it('reports an unknown feature and keeps the route, as keepalived', () => {
    const result = parse('203.0.113.0/24 dev eth0 features sack');
    expect(routes(result)).toHaveLength(1);
    expect(result.diagnostics.map((d) => [d.code, keepalivedReportsToo(d)])).toEqual([
      ['VRRPD_W_CONFIG_VALUE', true],
    ]);
  });

  it('drops the routes keepalived drops', () => {
    const dropped = [
      '203.0.113.0/26 dev eth0 mtu 0x10',
      '203.0.113.0/27 dev eth0 pref high',
      '203.0.113.0/28 dev eth0 quickack 2',
      '2001:db8:6::/48 dev eth0 realms 2',
      '203.0.113.0/29 dev eth0 hoplimit 300',
      '203.0.113.16/29 dev eth0 tos 300',
      '203.0.113.24/29 dev eth0 rtt 1000000',
      '203.0.113.32/29 dev eth0 weight 3',
      '203.0.113.40/29 dev eth0 lock 3',
      '2001:db8:7::/48 dev eth0 expires soon',
      '203.0.113.48/29 dev eth0 expires 30',
    ];
    const result = parse(...dropped, '203.0.113.64/29 dev eth0');
    expect(routes(result).map((r) => r.to)).toEqual(['203.0.113.64/29']);
    expect(new Set(result.diagnostics.map((d) => d.line)).size).toBe(dropped.length);
    expect(result.diagnostics.every((d) => keepalivedReportsToo(d))).toBe(true);
  });
});

describe('routeSpecOf', () => {
  it('carries the type and attributes to the kernel spec', () => {
    const [a, b] = routes(
      parse(
        'unreachable 198.51.100.0/26 table 100 no_track',
        '198.51.100.192/27 via 192.0.2.1 dev eth0 tos 16 mtu lock 1400 realms 3 congctl cubic',
      ),
    ).map((r) => routeSpecOf(r, () => 4));
    expect(a).toMatchObject({
      type: 'unreachable',
      destination: '198.51.100.0',
      prefixLength: 26,
      table: 100,
    });
    expect(b).toMatchObject({
      tos: 16,
      realms: 3,
      metrics: { mtu: 1400, congctl: 'cubic', lock: ['mtu'] },
      gateway: '192.0.2.1',
      ifindex: 4,
    });
  });
});

describe('virtual_routes encap (keepalived vrrp_iproute.c parse_encap)', () => {
  it('reads ip, ip6, mpls and ila encapsulations, on the route and on next hops', () => {
    const result = parse(
      '198.51.100.0/26 dev eth0 encap ip id 10 dst 203.0.113.1 ttl 64 tos 0x10 flags 1 table 100',
      '198.51.100.64/26 encap ip6 id 18446744073709551615 dst 2001:DB8::1 src 2001:db8::2 hoplimit 32 tc CS1 dev eth0',
      '198.51.100.128/26 dev eth0 encap mpls 100/0x200',
      '2001:db8:10::/48 dev eth0 encap ila 2001:DB8:1:2',
      '198.51.100.192/26 nexthop via 192.0.2.1 dev eth0 encap mpls 300 nexthop via 192.0.2.2 dev eth0 encap ip id 7',
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("has no 'dev', so it cannot be tracked"),
    ]);
    const [ip, ip6, mpls, ila, multipath] = routes(result);
    expect(ip).toMatchObject({
      dev: 'eth0',
      table: 100,
      encap: { type: 'ip', id: '10', dst: '203.0.113.1', src: null, dsfield: 0x10, ttl: 64, flags: 1 },
    });
    // The options end at the first word that is not one of them: `dev eth0` is the route's.
    expect(ip6).toMatchObject({
      dev: 'eth0',
      encap: {
        type: 'ip6',
        id: '18446744073709551615',
        dst: '2001:db8::1',
        src: '2001:db8::2',
        dsfield: 32,
        ttl: 32,
        flags: null,
      },
    });
    expect(mpls?.encap).toEqual({ type: 'mpls', labels: [100, 0x200] });
    expect(ila?.encap).toEqual({ type: 'ila', locator: '2001:db8:1:2' });
    expect(multipath?.nexthops?.map((n) => n.encap)).toEqual([
      { type: 'mpls', labels: [300] },
      { type: 'ip', id: '7', dst: null, src: null, dsfield: null, ttl: null, flags: null },
    ]);
    expect(routeSpecOf(ip!, () => 3).encap).toEqual({
      type: 'ip',
      id: '10',
      dst: '203.0.113.1',
      dsfield: 0x10,
      ttl: 64,
      flags: 1,
    });
  });

  it('installs an ip encapsulation without dst or id, as keepalived does, and says so', () => {
    const result = parse('198.51.100.0/26 dev eth0 encap ip ttl 5 table 100');
    expect(routes(result)[0]?.encap).toMatchObject({ type: 'ip', ttl: 5, dst: null, id: null });
    expect(result.diagnostics.map((d) => [d.code, keepalivedReportsToo(d)])).toEqual([
      ['VRRPD_W_CONFIG_ADJUSTED', true],
    ]);
  });

  it('skips the route for an encapsulation keepalived cannot use', () => {
    for (const line of [
      '198.51.100.0/26 dev eth0 table 100 encap',
      '198.51.100.0/26 dev eth0 table 100 encap foo',
      '198.51.100.0/26 dev eth0 encap mpls 1/2/3',
      '198.51.100.0/26 dev eth0 encap mpls 1048576',
      '198.51.100.0/26 dev eth0 encap ip dst 2001:db8::1',
      '198.51.100.0/26 dev eth0 encap ip6 dst 203.0.113.1',
      '198.51.100.0/26 dev eth0 encap ip id 18446744073709551616',
      '198.51.100.0/26 dev eth0 encap ip dst 203.0.113.1 ttl 256',
      '198.51.100.0/26 dev eth0 encap ila 2001:db8:1',
    ]) {
      const result = parse(line);
      expect(routes(result), line).toEqual([]);
      expect(result.diagnostics[0]?.code, line).toBe('VRRPD_W_CONFIG_VALUE');
    }
  });
});

describe('virtual_routes next-hop realms and as', () => {
  it('reads realms per next hop (IPv4 only) and drops a route with as [to], as keepalived', () => {
    const result = parse(
      '198.51.100.0/26 nexthop via 192.0.2.1 dev eth0 realms 1/2 nexthop via 192.0.2.2 dev eth0',
      '198.51.100.64/26 nexthop via 192.0.2.1 dev eth0 as to 100',
      '2001:db8:1::/48 nexthop via 2001:db8::1 dev eth0 realms 3',
    );
    expect(routes(result).map((r) => r.nexthops?.map((n) => n.realms))).toEqual([[0x10002, undefined]]);
    // Line 8 (no dev on the route) is the usual tracking note.
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [8, 'VRRPD_W_CONFIG_ADJUSTED'],
      [9, 'VRRPD_W_CONFIG_VALUE'],
      [10, 'VRRPD_W_CONFIG_VALUE'],
    ]);
    expect(routeSpecOf(routes(result)[0]!, () => 3).nexthops?.[0]).toMatchObject({ realms: 0x10002 });
  });
});
