// Issue 13, the keepalived 2.2.7 features wired end to end (docs/design/ka-features.md): what each
// keyword turns into in the model, and the warnings keepalived gives for the same mistakes.
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { InstanceModel } from '../../src/config/model/types.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string, options: { strict?: boolean } = {}): ParseConfigResult {
  return parseConfigText(text, { file: FILE, ...options });
}

function codes(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.line} ${d.code}`);
}

function only(result: ParseConfigResult, name = 'VI_1'): InstanceModel {
  const found = result.config.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no ${name}: ${JSON.stringify(result.diagnostics)}`);
  return found;
}

const instance = (...lines: string[]): string =>
  [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    ...lines,
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '}',
  ].join('\n');

describe('unicast_peer min_ttl/max_ttl', () => {
  it('reads each window as keepalived does and turns on check_unicast_src', () => {
    const result = parse(
      instance(
        '  unicast_peer {',
        '    192.0.2.2 min_ttl 250',
        '    192.0.2.3 max_ttl 300 min_ttl 10',
        '    192.0.2.4 min_ttl 200 max_ttl 100',
        '    192.0.2.5 hops 3',
        '    192.0.2.6 max_ttl',
        '    192.0.2.7',
        '  }',
      ),
    );
    expect(result.ok).toBe(true);
    const model = only(result);
    expect(model.unicastPeers).toEqual([
      '192.0.2.2',
      '192.0.2.3',
      '192.0.2.4',
      '192.0.2.5',
      '192.0.2.6',
      '192.0.2.7',
    ]);
    expect(model.unicastPeerTtl).toEqual([
      { address: '192.0.2.2', min: 250, max: 255 },
      { address: '192.0.2.3', min: 10, max: 255 },
      { address: '192.0.2.4', min: 200, max: 100 },
    ]);
    expect(model.checkUnicastSrc).toBe(true);
    expect(codes(result)).toEqual([
      '6 VRRPD_W_CONFIG_VALUE',
      '7 VRRPD_W_CONFIG_SUSPICIOUS',
      '8 VRRPD_W_CONFIG_VALUE',
      '9 VRRPD_W_CONFIG_VALUE',
    ]);
    expect(parse(instance('  unicast_peer {', '    192.0.2.2 hops 3', '  }'), { strict: true }).ok).toBe(
      false,
    );
  });

  it('a peer listed twice stays twice (one advert per line, as keepalived); the first window applies', () => {
    const result = parse(
      instance(
        '  unicast_peer {',
        '    192.0.2.2 min_ttl 250',
        '    192.0.2.3',
        '    192.0.2.2 max_ttl 10',
        '  }',
      ),
    );
    expect(codes(result)).toEqual(['7 VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(result.diagnostics[0]?.message).toMatch(/listed twice .*first at line 5.*sent to it twice/);
    expect(only(result).unicastPeers).toEqual(['192.0.2.2', '192.0.2.3', '192.0.2.2']);
    expect(only(result).unicastPeerTtl).toEqual([{ address: '192.0.2.2', min: 250, max: 255 }]);
  });

  it('IPv6 peers and addresses are compared as addresses, however they are written', () => {
    const text = [
      'vrrp_instance V6 {',
      '  interface eth0',
      '  virtual_router_id 52',
      '  unicast_peer {',
      '    2001:db8::2',
      '    2001:DB8:0:0::2',
      '  }',
      '  virtual_ipaddress {',
      '    2001:db8::10/64',
      '    2001:db8:0::10/64',
      '  }',
      '}',
    ].join('\n');
    const result = parse(text);
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_SUSPICIOUS', '10 VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(result.diagnostics[0]?.message).toMatch(
      /unicast_peer 2001:db8:0:0::2 is listed twice .*first at line 5/,
    );
    expect(result.diagnostics[1]?.message).toMatch(
      /virtual address 2001:db8:0::10 is listed twice .*first at line 9/,
    );
  });

  it('no window: check_unicast_src stays as written', () => {
    const model = only(parse(instance('  unicast_peer {', '    192.0.2.2', '  }')));
    expect(model.unicastPeerTtl).toEqual([]);
    expect(model.checkUnicastSrc).toBe(false);
  });
});

describe('notify_priority_changes', () => {
  it('instance, else sync group, else global vrrp_notify_priority_changes; a bad value is skipped', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/25-notify-priority-changes.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(result.config.globals.notifyPriorityChanges).toBe(true);
    expect(result.config.syncGroups[0]?.notifyPriorityChanges).toBe(false);
    expect(only(result, 'VI_A').notifyPriorityChanges).toBe(true);
    expect(only(result, 'VI_B').notifyPriorityChanges).toBe(false);
    expect(only(result, 'VI_C').notifyPriorityChanges).toBe(true);
    expect(codes(result)).toContain('53 VRRPD_W_CONFIG_VALUE');
  });
});

describe('static entries and track groups', () => {
  it('reads corpus 26 as keepalived does', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/26-static-entries.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    const { statics, trackGroups } = result.config;
    expect(trackGroups).toMatchObject([{ name: 'TG_UPLINK', instances: ['VI_STATIC'] }]);
    expect(statics.addresses.map((a) => [a.address, a.dev, a.trackGroup, a.noTrack])).toEqual([
      ['198.51.100.10', 'eth2', 'TG_UPLINK', false],
      ['203.0.113.10', 'eth0', null, true],
    ]);
    expect(statics.routes.map((r) => [r.to, r.trackGroup])).toEqual([
      ['203.0.113.128/25', 'TG_UPLINK'],
      ['192.0.2.128/25', null],
      ['203.0.113.64/26', null],
    ]);
    // keepalived numbers rules without a priority from 16384 down, in file order.
    expect(statics.rules.map((r) => r.priority)).toEqual([100, 16384]);
    expect(codes(result)).toEqual(
      expect.arrayContaining(['18 VRRPD_W_CONFIG_CONFLICT', '19 VRRPD_W_CONFIG_REFERENCE']),
    );
  });

  it('a rule without a priority gets one warning, naming the number it gets (keepalived: "Rule has no preference specified")', () => {
    const result = parse(
      `${instance('  virtual_rules {', '    from 192.0.2.0/24 table 100', '  }')}\nstatic_rules {\n  from 198.51.100.0/24 table 101\n}\n`,
    );
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_ADJUSTED', '12 VRRPD_W_CONFIG_ADJUSTED']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'virtual_rules entry of vrrp_instance VI_1 has no priority: 16384 is used, as keepalived assigns it',
      'static_rules entry has no priority: 16383 is used, as keepalived assigns it',
    ]);
    expect(result.diagnostics.every((d) => d.keepalivedReports === true)).toBe(true);
  });
});

describe('virtual_routes "or" and nexthop', () => {
  it('reads corpus 27 as keepalived does', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/27-multipath-routes.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    const routes = only(result, 'VI_ROUTES').virtualRoutes;
    expect(
      routes.map((r) => [
        r.to,
        r.via,
        r.dev,
        r.nexthops?.map((n) => [n.via, n.dev, n.weight, n.onlink]),
        r.mode,
      ]),
    ).toEqual([
      [
        '198.51.100.0/25',
        null,
        null,
        [
          ['192.0.2.2', null, null, false],
          ['192.0.2.3', null, null, false],
        ],
        'prepend',
      ],
      [
        '203.0.113.0/25',
        null,
        'eth1',
        [
          ['192.0.2.2', 'eth1', null, false],
          ['192.0.2.3', 'eth1', null, false],
        ],
        'prepend',
      ],
      [
        '203.0.113.128/25',
        null,
        null,
        [
          ['192.0.2.2', 'eth1', 2, false],
          ['192.0.2.3', null, 1, true],
        ],
        'prepend',
      ],
      ['192.0.2.192/26', '192.0.2.5', 'eth1', undefined, 'append'],
    ]);
    const lines = result.diagnostics.map((d) => `${d.line} ${d.message}`);
    expect(lines.filter((l) => l.includes('deprecated'))).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('15 ') && l.includes('already specified'))).toBe(true);
    expect(lines.some((l) => l.startsWith('17 ') && l.includes('cannot specify nexthops'))).toBe(true);
    expect(lines.some((l) => l.startsWith('18 ') && l.includes('trailing nonsense'))).toBe(true);
  });
});

describe('vrrp_track_process and track_process', () => {
  it('reads corpus 28 as keepalived does', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/28-track-process.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(result.config.processTracks.map(({ source: _s, ...p }) => p)).toEqual([
      {
        name: 'proc_haproxy',
        process: 'haproxy',
        params: [],
        paramMatch: 'none',
        fullCommand: false,
        quorum: 1,
        quorumMax: null,
        forkDelayMs: 500,
        terminateDelayMs: 500,
        weight: -20,
        weightReverse: false,
      },
      {
        name: 'proc_workers',
        process: '/usr/sbin/nginx',
        params: ['-g', 'daemon on;'],
        paramMatch: 'partial',
        fullCommand: true,
        quorum: 2,
        quorumMax: 8,
        forkDelayMs: 2000,
        terminateDelayMs: 1000,
        weight: 0,
        weightReverse: false,
      },
      {
        name: 'proc_gone',
        process: 'stray_daemon',
        params: [],
        paramMatch: 'none',
        fullCommand: false,
        quorum: 0,
        quorumMax: 0,
        forkDelayMs: 0,
        terminateDelayMs: 0,
        weight: 10,
        weightReverse: true,
      },
    ]);
    expect(only(result, 'VI_PROC').trackProcesses.map((t) => [t.name, t.weight])).toEqual([
      ['proc_haproxy', null],
      ['proc_workers', 0],
      ['proc_gone', null],
    ]);
    expect(codes(result)).toEqual([
      '27 VRRPD_W_CONFIG_MISSING',
      '28 VRRPD_W_CONFIG_VALUE',
      '29 VRRPD_W_CONFIG_VALUE',
      '30 VRRPD_W_CONFIG_VALUE',
      '42 VRRPD_W_CONFIG_REFERENCE',
      '43 VRRPD_W_CONFIG_REFERENCE',
    ]);
  });

  it('quorum and quorum_max are checked against each other in the order written', () => {
    const block = (...lines: string[]) =>
      parse(
        `vrrp_track_process p {\n  process x\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n${instance('  track_process {', '    p', '  }')}`,
      );
    expect(block('quorum 3', 'quorum_max 2').config.processTracks[0]).toMatchObject({
      quorum: 3,
      quorumMax: null,
    });
    expect(block('quorum_max 2', 'quorum 3').config.processTracks[0]).toMatchObject({
      quorum: 1,
      quorumMax: 2,
    });
  });

  it('a second process line is reported once and ignored: the first is kept, as keepalived keeps it', () => {
    const result = parse(
      `vrrp_track_process p {\n  process nginx\n  process haproxy -f /etc/haproxy.cfg\n}\n${instance('  track_process {', '    p', '  }')}`,
    );
    expect(codes(result)).toEqual(['3 VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(result.diagnostics[0]?.message).toMatch(/the first one is kept/);
    // keepalived: "Process already set for track process p - ignoring haproxy" (-t exits 5).
    expect(result.diagnostics[0]?.keepalivedReports).toBe(true);
    expect(result.config.processTracks[0]).toMatchObject({
      process: 'nginx',
      params: [],
      fullCommand: false,
    });
  });
});

describe('notify_deleted, notify_master_rx_lower_pri, mcast_dst_ip, track_src_ip, vrf, vrrp_gna_interval', () => {
  it('reads corpus 29 as keepalived does', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/29-notify-events-mcast-src.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(result.config.globals.gnaIntervalUs).toBe(2000);
    const events = only(result, 'VI_EVENTS');
    expect(events).toMatchObject({ mcastDstIp: '224.0.0.19', trackSrcIp: true, notifyDeleted: true });
    expect(events.notify.deleted?.argv).toEqual(['/usr/bin/logger', '-t', 'vrrpd', 'deleted']);
    expect(events.notify.masterRxLowerPri?.argv).toEqual(['/usr/bin/true']);
    // With unicast peers the group is ignored; without a configured source track_src_ip is cleared.
    expect(only(result, 'VI_UNICAST')).toMatchObject({ mcastDstIp: null, trackSrcIp: false });
    expect(only(result, 'VI_BAD_GROUP')).toMatchObject({ mcastDstIp: null, trackSrcIp: false });
    expect(codes(result)).toEqual([
      '30 VRRPD_W_CONFIG_CONFLICT',
      '31 VRRPD_W_CONFIG_ADJUSTED',
      '46 VRRPD_W_CONFIG_VALUE',
      '48 VRRPD_W_CONFIG_ADJUSTED',
    ]);
  });

  it('an IPv6 instance spaces its neighbour adverts by vrrp_gna_interval', () => {
    const result = parse(
      'global_defs {\n  vrrp_garp_interval 0.01\n  vrrp_gna_interval 0.003\n}\n' +
        instance().replace('192.0.2.10/24', '2001:db8::10/64') +
        instance().replace('VI_1', 'VI_4').replace('51', '52'),
    );
    expect(only(result).garp.intervalUs).toBe(3000);
    expect(only(result, 'VI_4').garp.intervalUs).toBe(10000);
  });
});

describe('auth_type AH', () => {
  it('reads corpus 30 as keepalived does', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('corpus/30-auth-ah.conf', import.meta.url), 'utf8');
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(only(result, 'VI_AH')).toMatchObject({ authType: 'AH', authPass: 'secret12', state: 'BACKUP' });
    expect(only(result, 'VI_AH_OWNER')).toMatchObject({ authType: 'AH', authPass: 'owner', state: 'MASTER' });
    expect(only(result, 'VI_AH_NOPASS')).toMatchObject({ authType: 'none', authPass: null });
    expect(only(result, 'VI_AH_V3')).toMatchObject({ authType: 'none', authPass: null });
  });
});
