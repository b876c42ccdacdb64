// bfd_instance and track_bfd as keepalived 2.2.7 reads them (bfd_parser.c, vrrp_track.c, vrrp.c):
// the session's settings and defaults, what makes the BFD process drop an instance while the VRRP
// process still tracks its name, and the weights of track_bfd entries. The whole-file agreement
// with keepalived is corpus/41-bfd.conf in keepalived-agreement.test.ts.
import { describe, expect, it } from 'vitest';
import { parseConfigText, type ParseConfigResult } from '../../src/config/parse-config.js';
import { planInstance } from '../../src/daemon/plan.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string): ParseConfigResult {
  return parseConfigText(text, { file: FILE });
}

function codes(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.line} ${d.code}`);
}

const instance = (name: string, priority: number, ...lines: string[]): string =>
  [
    `vrrp_instance ${name} {`,
    '  interface eth0',
    `  virtual_router_id ${priority === 255 ? 52 : 51}`,
    `  priority ${priority}`,
    ...lines,
    '  virtual_ipaddress {',
    `    192.0.2.${priority === 255 ? 11 : 10}/24`,
    '  }',
    '}',
  ].join('\n');

describe('bfd_instance', () => {
  it('reads the session settings: ms with 3 decimals, keepalived defaults, TTL by family', () => {
    const result = parse(
      [
        'bfd_instance to_r2 {',
        '  neighbor_ip 192.0.2.2',
        '  source_ip 192.0.2.1',
        '  min_rx 2.5',
        '  min_tx 2.0005',
        '  multiplier 3',
        '  weight -20 reverse',
        '}',
        'bfd_instance to_r3 {',
        '  neighbour_ip 2001:DB8::3',
        '  passive',
        '}',
      ].join('\n'),
    );
    const [r2, r3] = result.config.bfdInstances;
    expect(r2).toMatchObject({
      neighbor: '192.0.2.2',
      sourceAddress: '192.0.2.1',
      minRxUs: 2500,
      // More than 3 decimals: rounded, and reported as keepalived reports it.
      minTxUs: 2001,
      idleTxUs: 1_000_000,
      multiplier: 3,
      ttl: 255,
      maxHops: 0,
      weight: -20,
      weightReverse: true,
      vrrp: true,
    });
    expect(r3).toMatchObject({
      neighbor: '2001:db8::3',
      sourceAddress: null,
      minRxUs: 10_000,
      minTxUs: 10_000,
      multiplier: 5,
      passive: true,
      ttl: 64,
    });
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_ADJUSTED']);
  });

  it('runs no session without a usable neighbour, with a source of the other family, or twice to one neighbour', () => {
    const result = parse(
      [
        'bfd_instance none {',
        '  min_rx 20',
        '}',
        'bfd_instance bad {',
        '  neighbor_ip 192.0.2.300',
        '}',
        'bfd_instance mixed {',
        '  neighbor_ip 192.0.2.2',
        '  source_ip 2001:db8::1',
        '}',
        'bfd_instance first {',
        '  neighbor_ip 192.0.2.2',
        '}',
        'bfd_instance twin {',
        '  neighbor_ip 192.0.2.2',
        '  source_ip 192.0.2.1',
        '}',
        'bfd_instance max {',
        '  neighbor_ip 192.0.2.9',
        '  ttl 10',
        '  max_hops 20',
        '}',
        instance('VI_1', 100, '  track_bfd {', '    none', '    bad', '    mixed', '    twin', '  }'),
      ].join('\n'),
    );
    const byName = new Map(result.config.bfdInstances.map((b) => [b.name, b]));
    expect([...byName.values()].map((b) => [b.name, b.neighbor])).toEqual([
      ['none', null],
      ['bad', null],
      ['mixed', null],
      ['first', '192.0.2.2'],
      ['twin', null],
      ['max', '192.0.2.9'],
    ]);
    expect(byName.get('max')).toMatchObject({ ttl: 10, maxHops: 10 });
    // keepalived's VRRP process reads none of those keywords: it still tracks every name.
    expect(result.config.instances[0]!.trackBfds.map((t) => t.name)).toEqual([
      'none',
      'bad',
      'mixed',
      'twin',
    ]);
    expect(codes(result)).toEqual([
      '1 VRRPD_W_CONFIG_MISSING',
      '5 VRRPD_W_CONFIG_VALUE',
      '9 VRRPD_W_CONFIG_CONFLICT',
      '15 VRRPD_W_CONFIG_CONFLICT',
      '18 VRRPD_W_CONFIG_ADJUSTED',
    ]);
  });

  it('a checker-only instance cannot be tracked; a too-long name skips the block', () => {
    const result = parse(
      [
        'bfd_instance lvs {',
        '  neighbor_ip 192.0.2.2',
        '  checker',
        '}',
        `bfd_instance ${'n'.repeat(32)} {`,
        '  neighbor_ip 192.0.2.3',
        '}',
        instance('VI_1', 100, '  track_bfd {', '    lvs', '  }'),
      ].join('\n'),
    );
    expect(result.config.bfdInstances.map((b) => [b.name, b.vrrp])).toEqual([['lvs', false]]);
    expect(result.config.instances[0]!.trackBfds).toEqual([]);
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_VALUE', '13 VRRPD_W_CONFIG_REFERENCE']);
  });
});

describe('track_bfd', () => {
  const bfds = [
    'bfd_instance a {',
    '  neighbor_ip 192.0.2.2',
    '  weight 10 reverse',
    '}',
    'bfd_instance b {',
    '  neighbor_ip 192.0.2.3',
    '}',
  ].join('\n');

  it('takes the bfd_instance weight and reverse unless the entry gives its own (noreverse too)', () => {
    const result = parse(
      `${bfds}\n${instance('VI_1', 100, '  track_bfd {', '    a', '    b weight -30', '  }')}\n${instance(
        'VI_2',
        101,
        '  virtual_router_id 53',
        '  track_bfd {',
        '    a weight 5 noreverse',
        '    b weight 300',
        '  }',
      )}`,
    );
    const trackers = (name: string) =>
      planInstance(
        result.config.instances.find((i) => i.name === name)!,
        result.config,
      ).trackers.map((t) => [t.key, t.weight, t.reverse]);
    expect(trackers('VI_1')).toEqual([
      ['bfd:a', 10, true],
      ['bfd:b', -30, false],
    ]);
    // weight 300: reported, and the entry kept with the bfd_instance's weight, as keepalived keeps it.
    expect(trackers('VI_2')).toEqual([
      ['bfd:a', 5, false],
      ['bfd:b', 0, false],
    ]);
  });

  it('drops what keepalived drops: an option other than weight, weight without value, an unknown direction', () => {
    const result = parse(
      `${bfds}\n${instance('VI_1', 100, '  track_bfd {', '    a reverse', '    a weight', '    a weight 3 sideways', '    b', '  }')}`,
    );
    expect(result.config.instances[0]!.trackBfds.map((t) => t.name)).toEqual(['b']);
    expect(codes(result)).toEqual([
      '13 VRRPD_W_CONFIG_VALUE',
      '14 VRRPD_W_CONFIG_VALUE',
      '15 VRRPD_W_CONFIG_VALUE',
    ]);
  });

  it('an address owner drops a weighted track_bfd; a sync group with an owner member makes its own 0', () => {
    const result = parse(
      [
        bfds,
        instance('VI_1', 100),
        instance('VI_OWN', 255, '  track_bfd {', '    a', '    b', '  }'),
        'vrrp_sync_group G {',
        '  group {',
        '    VI_1',
        '    VI_OWN',
        '  }',
        '  track_bfd {',
        '    a',
        '  }',
        '}',
      ].join('\n'),
    );
    const owner = result.config.instances.find((i) => i.name === 'VI_OWN')!;
    expect(owner.trackBfds.map((t) => t.name)).toEqual(['b']);
    expect(result.config.syncGroups[0]!.trackBfds.map((t) => [t.name, t.weight])).toEqual([['a', 0]]);
  });
});
