// Issue 13: whatever keepalived runs (even with a complaint), vrrpd runs with the same behaviour and
// says precisely where and how. One test per class; each states what keepalived 2.2.7 does (checked
// with `keepalived -t` and, where it matters, a live run) and checks that the model is the same.
import { describe, expect, it } from 'vitest';
import { encodeBytes, rawByteChar } from '../../src/packet/byte-text.js';
import { simpleAuthData } from '../../src/packet/vrrp.js';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { InstanceModel } from '../../src/config/model/types.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string, options: { strict?: boolean; configId?: string } = {}): ParseConfigResult {
  return parseConfigText(text, { file: FILE, ...options });
}

/** `line code` of every diagnostic. */
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

describe('keywords given a stray argument: keepalived reads the slots it knows', () => {
  it('nopreempt 1 and enable_script_security 1 apply, with a warning each', () => {
    const result = parse(`global_defs {\n  enable_script_security 1\n}\n${instance('  nopreempt 1')}`);
    expect(result.ok).toBe(true);
    expect(result.config.globals.enableScriptSecurity).toBe(true);
    expect(only(result).preempt).toBe(false);
    expect(codes(result)).toEqual(['2 VRRPD_W_CONFIG_VALUE', '7 VRRPD_W_CONFIG_VALUE']);
    expect(parse(instance('  nopreempt 1'), { strict: true }).ok).toBe(false);
  });

  it('an unquoted vrrp_script command runs its first word only, as keepalived runs it', () => {
    const result = parse(
      `vrrp_script chk {\n  script /bin/echo hello world\n}\n${instance('  track_script {', '    chk', '  }')}`,
    );
    expect(result.ok).toBe(true);
    expect(result.config.scripts[0]?.script.argv).toEqual(['/bin/echo']);
    expect(result.diagnostics[0]?.message).toBe(
      "'script' takes 1 argument: 'hello' 'world' are ignored, as keepalived ignores them",
    );
  });
});

describe('unknown keywords at the top level, in global_defs and in blocks', () => {
  const text = [
    'global_defs {',
    '  lvs_id LVS_MAIN',
    '  garp_master_delay 3',
    '}',
    'local_address_group laddr {',
    '  192.0.2.200',
    '}',
    'root@fw1:~# systemctl restart keepalived',
    instance('  priorty 150'),
  ].join('\n');

  it('are skipped with file:line and a did-you-mean; the rest of the file runs', () => {
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(only(result).priority).toBe(100);
    expect(codes(result)).toEqual([
      '2 VRRPD_W_CONFIG_KEYWORD',
      '3 VRRPD_W_CONFIG_KEYWORD',
      '5 VRRPD_W_CONFIG_KEYWORD',
      '5 VRRPD_W_CONFIG_SYNTAX',
      '6 VRRPD_W_CONFIG_KEYWORD',
      '7 VRRPD_W_CONFIG_SYNTAX',
      '8 VRRPD_W_CONFIG_KEYWORD',
      '12 VRRPD_W_CONFIG_KEYWORD',
    ]);
    expect(result.diagnostics[1]).toMatchObject({
      message:
        "'garp_master_delay' belongs in vrrp_instance, not in global_defs: skipped, as keepalived skips it",
      hint: "in global_defs the keyword is 'vrrp_garp_master_delay'",
    });
    expect(result.diagnostics[6]?.message).toBe(
      "unknown keyword 'root@fw1:~' in the top level: skipped, as keepalived skips it",
    );
  });

  it('are errors with --strict', () => {
    const result = parse(text, { strict: true });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === 'VRRPD_E_CONFIG_KEYWORD')).toHaveLength(6);
  });
});

describe('state values other than MASTER and BACKUP', () => {
  it.each(['SLAVE', 'PEER', 'master', 'Backup'])('state %s runs as BACKUP, as keepalived', (value) => {
    const result = parse(instance('  priority 150', `  state ${value}`));
    expect(result.ok).toBe(true);
    expect(only(result).state).toBe('BACKUP');
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_VALUE']);
  });
});

describe('sync group members written without group { }', () => {
  it('drops the group and runs the instances on their own, as keepalived', () => {
    const text = `${instance()}\n${instance().replace('VI_1', 'VI_2').replace('51', '52')}\nvrrp_sync_group G {\n  VI_1\n  VI_2\n}`;
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(result.config.syncGroups).toEqual([]);
    expect(result.config.instances.map((i) => i.name)).toEqual(['VI_1', 'VI_2']);
    expect(codes(result)).toEqual([
      '15 VRRPD_W_CONFIG_MISSING',
      '16 VRRPD_W_CONFIG_KEYWORD',
      '17 VRRPD_W_CONFIG_KEYWORD',
    ]);
    expect(result.diagnostics[1]?.hint).toMatch(/members are listed inside group \{ … \}/);
  });
});

describe('unicast_src_ip and unicast_peer with a mask or a range', () => {
  it('use the address before the / or -, as keepalived does', () => {
    const result = parse(
      instance(
        '  unicast_src_ip 192.0.2.1/24',
        '  unicast_peer {',
        '    192.0.2.2/24',
        '    192.0.2.5-7',
        '  }',
      ),
    );
    expect(result.ok).toBe(true);
    expect(only(result)).toMatchObject({
      unicastSrcIp: '192.0.2.1',
      unicastPeers: ['192.0.2.2', '192.0.2.5'],
    });
    expect(codes(result)).toEqual([
      '4 VRRPD_W_CONFIG_ADJUSTED',
      '6 VRRPD_W_CONFIG_ADJUSTED',
      '7 VRRPD_W_CONFIG_ADJUSTED',
    ]);
    expect(result.diagnostics[2]).toMatchObject({
      message: "unicast_peer 192.0.2.5-7: '-7' is dropped and 192.0.2.5 is used, as keepalived uses it",
      hint: 'keepalived does not expand ranges here: list each peer on its own line',
    });
  });

  it('keeps the first address of a line with two, and skips a malformed one', () => {
    const result = parse(instance('  unicast_peer {', '    192.0.2.2 192.0.2.3', '    192.0.2.300', '  }'));
    expect(only(result).unicastPeers).toEqual(['192.0.2.2']);
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_VALUE', '6 VRRPD_W_CONFIG_VALUE']);
  });
});

describe('items keepalived skips', () => {
  it('a vrrp_script whose script lines are all for other nodes is removed, and so is its tracking', () => {
    const text = `vrrp_script chk {\n  @other script "/bin/true"\n  interval 2\n}\n${instance('  track_script {', '    chk', '  }')}`;
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(result.config.scripts).toEqual([]);
    expect(only(result).trackScripts).toEqual([]);
    expect(codes(result)).toEqual(['1 VRRPD_W_CONFIG_MISSING', '9 VRRPD_W_CONFIG_REFERENCE']);
    // The node it is meant for tracks it.
    expect(parse(text, { configId: 'other' }).config.instances[0]?.trackScripts.map((t) => t.name)).toEqual([
      'chk',
    ]);
  });

  it('an invalid VIP line is skipped, an unknown option on it is ignored, a bad prefix becomes a host prefix', () => {
    const result = parse(
      instance().replace(
        '192.0.2.10/24',
        '192.0.2.10/24\n    192.0.2.300/24\n    192.0.2.11/24 foo\n    192.0.2.12/40\n    192.0.2.13/24 brd 1.2.3\n    192.0.2.14/24 label averyveryverylonglabel',
      ),
    );
    expect(result.ok).toBe(true);
    expect(only(result).vips.map((v) => `${v.address}/${v.prefix}`)).toEqual([
      '192.0.2.10/24',
      '192.0.2.11/24',
      '192.0.2.12/32',
    ]);
  });

  it('an invalid rule or route line is skipped', () => {
    const result = parse(
      instance(
        '  virtual_rules {',
        '    from 192.0.2.0/24 table 100',
        '    from 192.0.2.0/24 tablex 100',
        '  }',
        '  virtual_routes {',
        '    203.0.113.0/24 via 192.0.2.1',
        '    203.0.113.0/33 via 192.0.2.1',
        '  }',
      ),
    );
    expect(result.ok).toBe(true);
    expect(only(result).virtualRules).toHaveLength(1);
    expect(only(result).virtualRoutes).toHaveLength(1);
  });

  it('track_script naming no vrrp_script, or one defined after the instance, is not tracked', () => {
    const text = `vrrp_script early {\n  script /bin/true\n}\n${instance('  track_script {', '    early', '    nothere', '    late', '  }')}\nvrrp_script late {\n  script /bin/true\n}`;
    const result = parse(text);
    expect(result.ok).toBe(true);
    expect(only(result).trackScripts.map((t) => t.name)).toEqual(['early']);
    expect(codes(result).filter((c) => c.endsWith('REFERENCE'))).toEqual([
      '9 VRRPD_W_CONFIG_REFERENCE',
      '10 VRRPD_W_CONFIG_REFERENCE',
    ]);
  });
});

describe('auth_pass bytes', () => {
  const withPass = (pass: string): string =>
    instance('  authentication {', '    auth_type PASS', `    auth_pass ${pass}`, '  }');

  it('keeps non-ASCII bytes and sends them, cut to 8 bytes as keepalived cuts them', () => {
    // "pässwörd" is 10 bytes in UTF-8: keepalived sends the first 8, splitting the ö.
    const result = parse(withPass('pässwörd'));
    expect(result.ok).toBe(true);
    const pass = only(result).authPass as string;
    expect([...encodeBytes(pass)]).toEqual([0x70, 0xc3, 0xa4, 0x73, 0x73, 0x77, 0xc3, 0xb6]);
    expect([...simpleAuthData(pass)]).toEqual([0x70, 0xc3, 0xa4, 0x73, 0x73, 0x77, 0xc3, 0xb6]);
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_ADJUSTED', '6 VRRPD_W_CONFIG_SUSPICIOUS']);
  });

  it('sends a byte that is not UTF-8 (a Latin-1 file, or \\xe9) as that byte, zero-padded', () => {
    const latin1 = parse(withPass(`caf${rawByteChar(0xe9)}`));
    expect([...simpleAuthData(only(latin1).authPass as string)]).toEqual([
      0x63, 0x61, 0x66, 0xe9, 0, 0, 0, 0,
    ]);
    const escaped = parse(withPass('caf\\xe9'));
    expect(only(escaped).authPass).toBe(only(latin1).authPass);
    expect(latin1.diagnostics[0]?.message).toBe(
      "auth_pass holds bytes outside printable ASCII ('caf\\xe9'): they are sent as written in the file, as keepalived sends them",
    );
  });

  it('an empty password means no authentication, as keepalived decides', () => {
    const result = parse(withPass('""'));
    expect(result.ok).toBe(true);
    expect(only(result).authType).toBe('none');
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_MISSING']);
  });
});

describe('the same VIP listed twice', () => {
  it('is advertised twice and added once with the first line, as keepalived does', () => {
    const result = parse(
      instance().replace('192.0.2.10/24', '192.0.2.10/24\n    192.0.2.10/24 label eth0:1'),
    );
    expect(result.ok).toBe(true);
    expect(only(result).vips.map((v) => [v.address, v.label])).toEqual([
      ['192.0.2.10', null],
      ['192.0.2.10', 'eth0:1'],
    ]);
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_SUSPICIOUS']);
  });
});

describe('vrrp_strict (keepalived strict mode)', () => {
  const strict = (text: string): string => `global_defs {\n  vrrp_strict\n}\n${text}`;

  it('starts a non-owner as BACKUP, drops authentication and preempt_delay, turns accept mode off', () => {
    const result = parse(
      strict(
        instance(
          '  state MASTER',
          '  priority 150',
          '  preempt_delay 10',
          '  accept',
          '  authentication {',
          '    auth_type PASS',
          '    auth_pass secret',
          '  }',
        ),
      ),
    );
    expect(result.ok).toBe(true);
    expect(only(result)).toMatchObject({
      state: 'BACKUP',
      priority: 150,
      authType: 'none',
      preemptDelayMs: 0,
      accept: false,
      strict: true,
      lowerPriorityNoAdvert: true,
      higherPrioritySendAdvert: false,
      garpLowerPriority: { repeat: 0, delayMs: 0 },
    });
    expect(codes(result)).toEqual([
      '7 VRRPD_W_CONFIG_ADJUSTED',
      '9 VRRPD_W_CONFIG_ADJUSTED',
      '10 VRRPD_W_CONFIG_ADJUSTED',
      '11 VRRPD_W_CONFIG_ADJUSTED',
    ]);
  });

  it('keeps an address owner MASTER with accept mode on', () => {
    const result = parse(strict(instance('  state MASTER', '  priority 255')));
    expect(only(result)).toMatchObject({ state: 'MASTER', accept: true });
  });

  it('runs unicast peers, as keepalived 2.2.7 does, and refuses an instance without addresses, as it does', () => {
    const unicast = parse(strict(instance('  unicast_peer {', '    192.0.2.2', '  }')));
    expect(unicast.ok).toBe(true);
    expect(only(unicast)).toMatchObject({ strict: true, unicastPeers: ['192.0.2.2'] });
    const noVip = parse(strict('vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n}'));
    expect(noVip.ok).toBe(false);
  });

  it('applies per instance with strict_mode, which also turns it off under vrrp_strict', () => {
    const result = parse(strict(instance('  strict_mode off', '  state MASTER', '  priority 150')));
    expect(only(result)).toMatchObject({ strict: false, state: 'MASTER', accept: true });
    expect(only(parse(instance('  strict_mode', '  priority 150')))).toMatchObject({
      strict: true,
      accept: false,
    });
  });
});

describe('what keepalived decides once the instance is read', () => {
  it('an address owner without a state starts as MASTER', () => {
    expect(only(parse(instance('  priority 255'))).state).toBe('MASTER');
  });

  it('state MASTER clears nopreempt and preempt_delay, with a warning each', () => {
    const result = parse(instance('  state MASTER', '  priority 150', '  nopreempt', '  preempt_delay 5'));
    expect(only(result)).toMatchObject({ preempt: true, preemptDelayMs: 0 });
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_ADJUSTED', '7 VRRPD_W_CONFIG_ADJUSTED']);
  });

  it('VRRPv3 without virtual addresses is refused, as keepalived refuses it', () => {
    expect(parse('vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n  version 3\n}').ok).toBe(
      false,
    );
  });
});

describe('sync groups, as keepalived settles them once every instance is read', () => {
  const two = (extraA: string[], groupLines: string[]): string =>
    [
      'vrrp_script chk {\n  script /bin/true\n  weight -20\n}',
      instance('  state MASTER', '  priority 150', ...extraA),
      instance('  state BACKUP', '  priority 100').replace('VI_1', 'VI_2').replace('51', '52'),
      `vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n${groupLines.join('\n')}\n}`,
    ].join('\n');

  it('members start as BACKUP unless every member is an address owner wanting MASTER', () => {
    const result = parse(two([], []));
    expect(result.config.instances.map((i) => i.state)).toEqual(['BACKUP', 'BACKUP']);
    expect(result.diagnostics.map((d) => d.code)).toContain('VRRPD_W_CONFIG_ADJUSTED');
  });

  it("drop a member's own weighted trackers without sync_group_tracking_weight; the group's keep theirs", () => {
    const result = parse(
      two(
        ['  track_script {', '    chk', '  }', '  track_interface {', '    eth1 weight -10', '  }'],
        ['  track_script {', '    chk', '  }'],
      ),
    );
    expect(only(result).trackScripts).toEqual([]);
    expect(only(result).trackInterfaces.map((t) => [t.name, t.weight])).toEqual([['eth1', 0]]);
    expect(result.config.syncGroups[0]?.trackScripts.map((t) => [t.name, t.weight])).toEqual([['chk', null]]);
    const weighted = parse(two(['  track_script {', '    chk', '  }'], ['  sync_group_tracking_weight']));
    expect(only(weighted).trackScripts.map((t) => t.name)).toEqual(['chk']);
  });
});
