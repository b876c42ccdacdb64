// virtual_rules / static_rules words as keepalived 2.2.7 reads them (vrrp_iprule.c alloc_rule):
// selectors, actions, and which mistakes drop the rule (keepalived drops it) or only the selector
// (keepalived reports it and keeps the rule). Its -t exits 5 after either, and vrrpd's warnings
// are the lenient ones that make `vrrpd -t` exit 5 too.
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { RuleSpec } from '../../src/config/model/types.js';
import { keepalivedReportsToo } from '../../src/config/report/diagnostics.js';
import { ruleSpecOf } from '../../src/daemon/virtual-resources.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(...rules: string[]): ParseConfigResult {
  const text = [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '  virtual_rules {',
    ...rules.map((r) => `    ${r}`),
    '  }',
    '}',
  ].join('\n');
  return parseConfigText(text, { file: FILE });
}

function rules(result: ParseConfigResult): RuleSpec[] {
  return result.config.instances[0]?.virtualRules ?? [];
}

/** `LINE CODE` of each diagnostic, counted from the first rule line (1). */
function reports(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.line - 7} ${d.code}`);
}

describe('virtual_rules selectors', () => {
  it('reads every selector into the model', () => {
    const result = parse(
      'not from 192.0.2.0/24 to 198.51.100.0/24 tos 0x10 fwmark 7/0xff iif eth0 oif eth1 table 100 priority 100',
      'from 192.0.2.0/24 realms 3/4 table 100 suppress_prefixlength 0 suppress_ifgroup 5 priority 101',
      'uidrange 1000-2000 tunnel-id 18446744073709551615 table 100 order 102',
      'ipproto tcp sport 1000-2000 dport 80-80 table 100 priority 103',
      'dsfield EF realms 9 sup_pl 8 sup_group default lookup 100 preference 104',
      'dev eth0 ipproto 17 table main priority 105',
    );
    expect(reports(result)).toEqual([]);
    const [a, b, c, d, e, f] = rules(result);
    expect(a).toMatchObject({
      invert: true,
      tos: 16,
      fwmark: 7,
      fwmask: 255,
      iif: 'eth0',
      oif: 'eth1',
      table: 100,
      action: 'table',
    });
    expect(b).toMatchObject({ realms: (3 << 16) | 4, suppressPrefixLength: 0, suppressIfgroup: 5 });
    expect(c).toMatchObject({
      uidRange: { start: 1000, end: 2000 },
      tunnelId: '18446744073709551615',
      priority: 102,
    });
    expect(d).toMatchObject({ ipProto: 6, sport: { start: 1000, end: 2000 }, dport: { start: 80, end: 80 } });
    expect(e).toMatchObject({
      tos: 0xb8,
      realms: 9,
      suppressPrefixLength: 8,
      suppressIfgroup: 0,
      priority: 104,
    });
    expect(f).toMatchObject({ iif: 'eth0', ipProto: 17, table: 254 });
    // keepalived marks every tracked rule with its protocol (RTPROT_KEEPALIVED, 18).
    expect(rules(result).map((r) => r.protocol)).toEqual([18, 18, 18, 18, 18, 18]);
  });

  it('reads the actions: goto, nop, blackhole, unreachable, prohibit (with or without type), l3mdev', () => {
    const result = parse(
      'from 192.0.2.0/24 goto 200 priority 103',
      'from 192.0.2.0/24 nop priority 104',
      'from 192.0.2.0/24 blackhole priority 105',
      'from 192.0.2.0/24 type unreachable priority 106',
      'from 192.0.2.0/24 type prohibit priority 107',
      'from 192.0.2.0/24 type 7 priority 108',
      'l3mdev priority 109',
    );
    expect(reports(result)).toEqual([]);
    expect(rules(result).map((r) => [r.action, r.table, r.gotoTarget, r.l3mdev])).toEqual([
      ['goto', null, 200, false],
      ['nop', null, null, false],
      ['blackhole', null, null, false],
      ['unreachable', null, null, false],
      ['prohibit', null, null, false],
      ['unreachable', null, null, false],
      ['table', null, null, true],
    ]);
  });

  it('keeps the rule without the selector keepalived only reports', () => {
    const result = parse(
      'from 192.0.2.0/24 dport 80 table 100 priority 1',
      'from 192.0.2.0/24 sport 70000 table 100 priority 2',
      'from 192.0.2.0/24 ipproto bogus table 100 priority 3',
      'from 192.0.2.0/24 ipproto 200 table 100 priority 4',
      'from 192.0.2.0/24 protocol 300 table 100 priority 5 no_track',
    );
    expect(rules(result).map((r) => [r.priority, r.dport, r.sport, r.ipProto, r.protocol])).toEqual([
      [1, null, null, null, 18],
      [2, null, null, null, 18],
      [3, null, null, null, 18],
      [4, null, null, null, 18],
      [5, null, null, null, null],
    ]);
    expect(reports(result)).toEqual([
      '1 VRRPD_W_CONFIG_VALUE',
      '2 VRRPD_W_CONFIG_VALUE',
      '3 VRRPD_W_CONFIG_VALUE',
      '4 VRRPD_W_CONFIG_VALUE',
      '5 VRRPD_W_CONFIG_VALUE',
    ]);
  });

  it('resets the protocol of a tracked rule to 18 and says so, as keepalived', () => {
    const result = parse(
      'fwmark 1 protocol 4 table 100 priority 1',
      'fwmark 1 protocol 4 table 100 priority 2 no_track',
    );
    expect(rules(result).map((r) => r.protocol)).toEqual([18, 4]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]?.code).toBe('VRRPD_W_CONFIG_ADJUSTED');
    expect(keepalivedReportsToo(result.diagnostics[0]!)).toBe(true);
  });

  it('drops the rules keepalived drops', () => {
    const dropped = [
      'from 192.0.2.0/24 tos 300 table 100 priority 1',
      'from 192.0.2.0/24 realms 256 table 100 priority 2',
      'from 2001:db8::/64 realms 3 table 100 priority 3',
      'from 192.0.2.0/24 suppress_prefixlength -1 table 100 priority 4',
      'from 192.0.2.0/24 goto 5 priority 12',
      'from 192.0.2.0/24 goto 50',
      'from 192.0.2.0/24 table 100 l3mdev priority 13',
      'from 192.0.2.0/24 l3mdev table 100 priority 14',
      'from 192.0.2.0/24 uidrange 100 table 100 priority 15',
      'from 192.0.2.0/24 goto 50 realms 2 priority 19',
      'from 192.0.2.0/24 nat priority 20',
      'from 192.0.2.0/24 ip_proto 6 table 100 priority 21',
      'from 192.0.2.0/24 track_group TG table 100 priority 22',
      'from 192.0.2.0/24 priority 23',
      'from 192.0.2.0/24 table 0 priority 24',
      'from 192.0.2.0/24 blackhole table 100 priority 25',
      'from 192.0.2.0/24 tunnel-id x table 100 priority 26',
    ];
    const result = parse(...dropped, 'from 192.0.2.0/24 table 100 priority 30');
    expect(rules(result).map((r) => r.priority)).toEqual([30]);
    expect(new Set(result.diagnostics.map((d) => d.line - 7)).size).toBe(dropped.length);
    expect(result.diagnostics.every((d) => keepalivedReportsToo(d))).toBe(true);
    expect(result.ok).toBe(true);
  });
});

describe('ruleSpecOf', () => {
  it('carries every selector and the action to the kernel spec', () => {
    const result = parse(
      'not from 192.0.2.0/24 tos 16 fwmark 7 iif eth0 realms 3/4 uidrange 1-2 ipproto udp sport 1-2 dport 3-4 tunnel-id 9 table 1000 priority 100',
      'from 192.0.2.0/24 goto 200 priority 103 no_track',
      'l3mdev suppress_prefixlength 0 suppress_ifgroup 3 priority 109',
    );
    const [a, b, c] = rules(result).map(ruleSpecOf);
    expect(a).toEqual({
      table: 1000,
      invert: true,
      tos: 16,
      from: { address: '192.0.2.0', prefixLength: 24 },
      fwmark: 7,
      priority: 100,
      iif: 'eth0',
      realms: (3 << 16) | 4,
      tunnelId: '9',
      uidRange: { start: 1, end: 2 },
      protocol: 18,
      ipProto: 17,
      sport: { start: 1, end: 2 },
      dport: { start: 3, end: 4 },
    });
    expect(b).toEqual({
      type: 'goto',
      goto: 200,
      from: { address: '192.0.2.0', prefixLength: 24 },
      priority: 103,
    });
    expect(c).toEqual({
      l3mdev: true,
      suppressPrefixLength: 0,
      suppressIfgroup: 3,
      priority: 109,
      protocol: 18,
    });
  });
});
