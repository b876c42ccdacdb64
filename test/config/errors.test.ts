// The exact text users see, one test per class of mistake. These messages are part of the interface
// (docs and support answers quote them), so changes here should be deliberate.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { parseConfigText } from '../../src/config/parse-config.js';

const FILE = '/etc/keepalived/keepalived.conf';

/** Formatted diagnostics of a configuration (without the usual instance boilerplate noise). */
function diagnose(text: string, configId = 'vrrpd'): string[] {
  return parseConfigText(text, { file: FILE, configId }).diagnostics.flatMap(formatDiagnostic);
}

/** An otherwise valid instance with `lines` inserted at line 5. */
function instance(...lines: string[]): string {
  return [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    '  priority 100',
    ...lines,
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '}',
  ].join('\n');
}

describe('unknown keywords', () => {
  it('names file:line and suggests the closest keyword', () => {
    expect(diagnose(instance('  priorty 100'))).toEqual([
      `${FILE}:5: warning: unknown keyword 'priorty' in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      "  hint: did you mean 'priority'?",
    ]);
    expect(diagnose(instance('  advert_interval 1'))).toEqual([
      `${FILE}:5: warning: unknown keyword 'advert_interval' in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      "  hint: did you mean 'advert_int'?",
    ]);
  });

  it('points out that keywords are case-sensitive', () => {
    expect(diagnose(instance('  Nopreempt'))).toEqual([
      `${FILE}:5: warning: unknown keyword 'Nopreempt' in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      "  hint: did you mean 'nopreempt'? keywords and values are case-sensitive",
    ]);
  });

  it('gives no suggestion when nothing is close', () => {
    expect(diagnose(instance('  frobnicate_everything yes'))).toEqual([
      `${FILE}:5: warning: unknown keyword 'frobnicate_everything' in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
    ]);
  });

  it('says where a misplaced keyword belongs, and its local spelling', () => {
    expect(diagnose(instance('  vrrp_garp_master_delay 1'))).toEqual([
      `${FILE}:5: warning: 'vrrp_garp_master_delay' belongs in global_defs, not in vrrp_instance VI_1: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      "  hint: in vrrp_instance the keyword is 'garp_master_delay'",
    ]);
    expect(diagnose('global_defs {\n  priority 100\n}')).toEqual([
      `${FILE}:2: warning: 'priority' belongs in vrrp_instance, not in global_defs: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      '  hint: move it into vrrp_instance',
    ]);
  });

  it('suggests at the top level too, and says what keepalived makes of the braces after it', () => {
    expect(diagnose('vrrp_instanse VI_1 {\n}')).toEqual([
      `${FILE}:1: warning: unknown keyword 'vrrp_instanse' in the top level: skipped, as keepalived skips it [VRRPD_W_CONFIG_KEYWORD]`,
      "  hint: did you mean 'vrrp_instance'?",
      `${FILE}:1: warning: '{' here opens no block (no keyword before it takes one): keepalived ignores it, so the lines after it are read as part of the top level [VRRPD_W_CONFIG_SYNTAX]`,
      '  hint: a block keyword above is probably misspelt or misplaced',
      `${FILE}:2: warning: '}' (which balances the ignored '{' at line 1) closes nothing at the top level: ignored, as keepalived ignores it [VRRPD_W_CONFIG_SYNTAX]`,
    ]);
  });

  it('reads the block of a misspelt block keyword as keepalived does: its } ends the instance', () => {
    const result = parseConfigText(
      [
        'vrrp_instance VI_1 {',
        '  interface eth0',
        '  virtual_router_id 51',
        '  virtual_ipadress {',
        '    192.0.2.10/24',
        '  }',
        '  priority 150',
        '}',
      ].join('\n'),
      { file: FILE },
    );
    // keepalived: the instance ends at line 6; `priority 150` is an unknown top-level keyword.
    expect(result.ok).toBe(true);
    expect(result.config.instances[0]).toMatchObject({ priority: 100, vips: [] });
    expect(result.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual([
      '1 VRRPD_W_CONFIG_SUSPICIOUS',
      '4 VRRPD_W_CONFIG_KEYWORD',
      '4 VRRPD_W_CONFIG_SYNTAX',
      '5 VRRPD_W_CONFIG_KEYWORD',
      '6 VRRPD_W_CONFIG_SYNTAX',
      '7 VRRPD_W_CONFIG_KEYWORD',
      '8 VRRPD_W_CONFIG_SYNTAX',
    ]);
    expect(result.diagnostics[4]?.message).toBe(
      "this '}' (which balances the ignored '{' at line 4) ends vrrp_instance VI_1, as keepalived reads it: what follows is read one level up",
    );
  });
});

describe('enum values', () => {
  it("runs 'state Master' as BACKUP, as keepalived does, with a warning", () => {
    expect(diagnose(instance('  state Master'))).toEqual([
      `${FILE}:5: warning: invalid state 'Master' in vrrp_instance VI_1: expected MASTER or BACKUP: the instance starts as BACKUP, as keepalived starts it [VRRPD_W_CONFIG_VALUE]`,
      "  hint: did you mean 'MASTER'? keywords and values are case-sensitive",
    ]);
    expect(parseConfigText(instance('  state MASTER', '  state SLAVE')).config.instances[0]?.state).toBe(
      'BACKUP',
    );
  });

  it('takes auth_type AH and skips unknown auth types', () => {
    expect(diagnose(instance('  authentication {', '    auth_type AH', '    auth_pass x', '  }'))).toEqual(
      [],
    );
    expect(diagnose(instance('  authentication {', '    auth_type pass', '    auth_pass x', '  }'))[0]).toBe(
      `${FILE}:6: warning: unknown auth_type 'pass': expected PASS or AH: the line is ignored, as keepalived ignores it [VRRPD_W_CONFIG_VALUE]`,
    );
  });
});

describe('ranges', () => {
  it('checks virtual_router_id (keepalived refuses a bad one), priority and junk numbers (it ignores those)', () => {
    expect(diagnose(instance().replace('virtual_router_id 51', 'virtual_router_id 256'))).toEqual([
      `${FILE}:3: error: virtual_router_id 256 is out of range (1-255) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance().replace('priority 100', 'priority 0'))).toEqual([
      `${FILE}:4: warning: priority 0 is out of range (1-255): the line is ignored, as keepalived ignores it [VRRPD_W_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance().replace('priority 100', 'priority 10x'))).toEqual([
      `${FILE}:4: warning: priority expects an integer, got '10x': the line is ignored, as keepalived ignores it [VRRPD_W_CONFIG_VALUE]`,
    ]);
    // keepalived's running daemon reads the leading number of most other numbers.
    expect(diagnose(instance('  garp_master_delay 3s'))).toEqual([
      `${FILE}:5: warning: garp_master_delay '3s' is not a number: 3 is used, as the running keepalived uses it (its -t ignores the line) [VRRPD_W_CONFIG_VALUE]`,
      '  hint: write 3',
    ]);
  });

  it('checks advert_int per VRRP version, rounding as keepalived does with a warning', () => {
    expect(diagnose(instance('  advert_int 1.5'))).toEqual([
      `${FILE}:5: warning: advert_int 1.5 is rounded to 2 seconds: VRRPv2 adverts carry whole seconds [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived rounds it the same way; write a whole number, or use version 3 for fractions',
    ]);
    expect(diagnose(instance('  advert_int 0.2'))).toEqual([
      `${FILE}:5: warning: advert_int 0.2 is rounded to 1 second: VRRPv2 adverts carry whole seconds [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived rounds it the same way; write a whole number, or use version 3 for fractions',
    ]);
    expect(diagnose(instance('  version 3', '  advert_int 41'))).toEqual([
      `${FILE}:6: warning: advert_int 41 is more than VRRPv3 can carry: 40.95 seconds is used, as keepalived uses it [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived rounds it the same way',
    ]);
    expect(diagnose(instance('  advert_int 0'))).toEqual([
      `${FILE}:5: warning: advert_int 0 is out of range (0.01-255 seconds): the line is ignored, as keepalived ignores it [VRRPD_W_CONFIG_VALUE]`,
    ]);
  });

  it('keeps the first 8 bytes of a long auth_pass, with a warning', () => {
    const result = parseConfigText(
      instance('  authentication {', '    auth_type PASS', '    auth_pass verylongpassword', '  }'),
    );
    expect(result.config.instances[0]?.authPass).toBe('verylong');
    expect(result.diagnostics.flatMap(formatDiagnostic)).toEqual([
      `${FILE}:7: warning: auth_pass is longer than 8 bytes; only the first 8 are used ('verylong') [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived truncates it the same way; shorten it in the file so both ends visibly agree',
    ]);
  });

  it('checks addresses and prefix lengths, skipping or fixing them as keepalived does', () => {
    const text = instance().replace(
      '192.0.2.10/24',
      '192.0.2.300/24\n    192.0.2.11/33\n    2001:db8::1/129',
    );
    expect(diagnose(text)).toEqual([
      `${FILE}:6: warning: virtual_ipaddress: '192.0.2.300' is not a valid IPv4 or IPv6 address: the address is skipped, as keepalived skips it [VRRPD_W_CONFIG_VALUE]`,
      `${FILE}:7: warning: virtual_ipaddress: prefix length '33' in '192.0.2.11/33' is not valid for IPv4 (0-32): the address is added as /32, as keepalived adds it [VRRPD_W_CONFIG_VALUE]`,
      '  hint: write 192.0.2.11/32 if a host address is meant',
      `${FILE}:8: warning: virtual_ipaddress: prefix length '129' in '2001:db8::1/129' is not valid for IPv6 (0-128): the address is added as /128, as keepalived adds it [VRRPD_W_CONFIG_VALUE]`,
      '  hint: write 2001:db8::1/128 if a host address is meant',
      `${FILE}:8: warning: virtual_ipaddress 2001:db8::1 is IPv6 but vrrp_instance VI_1 is IPv4: skipped, as keepalived skips it [VRRPD_W_CONFIG_CONFLICT]`,
      '  hint: an instance advertises one family; put the others in virtual_ipaddress_excluded or in another instance',
    ]);
    expect(parseConfigText(text).config.instances[0]?.vips.map((v) => `${v.address}/${v.prefix}`)).toEqual([
      '192.0.2.11/32',
    ]);
  });

  it('checks interface names and arities', () => {
    expect(diagnose(instance().replace('interface eth0', 'interface averyveryverylongname'))).toEqual([
      `${FILE}:2: error: interface 'averyveryverylongname' is longer than 15 characters (the kernel limit, IFNAMSIZ) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance('  nopreempt now'))).toEqual([
      `${FILE}:5: warning: 'nopreempt' takes no arguments: 'now' is ignored, as keepalived ignores it [VRRPD_W_CONFIG_VALUE]`,
      '  hint: syntax: nopreempt',
    ]);
    expect(parseConfigText(instance('  nopreempt 1')).config.instances[0]?.preempt).toBe(false);
  });
});

describe('cross-checks', () => {
  it('refuses a duplicate VRID on one interface and family', () => {
    const text = `${instance()}\n${instance().replace('VI_1', 'VI_2').replace('192.0.2.10', '192.0.2.20')}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:9: error: virtual_router_id 51 is already used on eth0 (IPv4) by vrrp_instance VI_1 (line 1), with adverts that cannot be told apart [VRRPD_E_CONFIG_CONFLICT]`,
      '  hint: give each virtual router on an interface its own virtual_router_id (or, as keepalived allows, disjoint unicast_peer lists or different mcast_dst_ip groups)',
    ]);
  });

  it('allows a shared VRID where keepalived tells the adverts apart (peers, unicast/multicast, groups)', () => {
    const peers = (list: string) => `  unicast_peer {\n${list}\n  }`;
    const second = (extra: string) =>
      instance(extra).replace('VI_1', 'VI_2').replace('192.0.2.10', '192.0.2.20');
    // Disjoint peers, unicast beside multicast, different groups: all run, as in keepalived.
    expect(diagnose(`${instance(peers('    192.0.2.2'))}\n${second(peers('    192.0.2.3'))}`)).toEqual([]);
    expect(diagnose(`${instance(peers('    192.0.2.2'))}\n${second('')}`)).toEqual([]);
    expect(diagnose(`${instance('  mcast_dst_ip 224.0.0.19')}\n${second('')}`)).toEqual([]);
    // A peer in common: keepalived refuses it too.
    expect(diagnose(`${instance(peers('    192.0.2.2'))}\n${second(peers('    192.0.2.2'))}`)[0]).toMatch(
      /already used on eth0 .* \[VRRPD_E_CONFIG_CONFLICT\]/,
    );
  });

  it('allows the same VRID on another interface or in the other family', () => {
    const otherInterface = instance().replace('VI_1', 'VI_2').replace('eth0', 'eth1');
    const otherFamily = instance().replace('VI_1', 'VI_3').replace('192.0.2.10/24', '2001:db8::10/64');
    expect(diagnose(`${instance()}\n${otherInterface}\n${otherFamily}`)).toEqual([]);
  });

  it('runs an empty unicast_peer block with multicast, as keepalived does, with a warning', () => {
    expect(diagnose(instance('  unicast_peer {', '  }'))).toEqual([
      `${FILE}:5: warning: unicast_peer block of vrrp_instance VI_1 lists no usable peer: adverts are multicast, as keepalived falls back to multicast [VRRPD_W_CONFIG_MISSING]`,
      '  hint: list the other routers’ addresses in unicast_peer { … }, or remove the unicast keywords',
    ]);
    expect(parseConfigText(instance('  unicast_peer {', '  }')).config.instances[0]?.unicastPeers).toBe(null);
  });

  it('ignores a sync group member naming an unknown instance, as keepalived does', () => {
    const text = `${instance()}\nvrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:9: warning: vrrp_sync_group G has only one member (VI_1); a sync group needs two or more to do anything [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:12: warning: vrrp_sync_group G names unknown vrrp_instance 'VI_2': ignored, as keepalived ignores it [VRRPD_W_CONFIG_REFERENCE]`,
      "  hint: did you mean 'VI_1'?",
    ]);
  });

  it('drops a track_script naming an unknown vrrp_script, as keepalived does', () => {
    const text = `vrrp_script chk_haproxy {\n  script "/usr/bin/pkill -0 haproxy"\n}\n${instance(
      '  track_script {',
      '    chk_hapoxy',
      '  }',
    )}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:1: warning: vrrp_script chk_haproxy is not tracked by any instance or sync group, so it never runs [VRRPD_W_CONFIG_SUSPICIOUS]`,
      '  hint: add it to a track_script { chk_haproxy } block',
      `${FILE}:9: warning: track_script 'chk_hapoxy' in vrrp_instance VI_1 names no vrrp_script: not tracked, as keepalived does not track it [VRRPD_W_CONFIG_REFERENCE]`,
      "  hint: did you mean 'chk_haproxy'?",
    ]);
  });

  it('does not track a vrrp_script defined after its tracker, as keepalived does not', () => {
    const text = `${instance('  track_script {', '    chk', '  }')}\nvrrp_script chk {\n  script /bin/true\n}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:6: warning: vrrp_script chk is defined after vrrp_instance VI_1, which tracks it: not tracked, as keepalived does not track it (it resolves the name while reading vrrp_instance VI_1) [VRRPD_W_CONFIG_REFERENCE]`,
      '  hint: move vrrp_script chk above vrrp_instance VI_1',
      `${FILE}:12: warning: vrrp_script chk is not tracked by any instance or sync group, so it never runs [VRRPD_W_CONFIG_SUSPICIOUS]`,
      '  hint: add it to a track_script { chk } block',
    ]);
    expect(parseConfigText(text).config.instances[0]?.trackScripts).toEqual([]);
  });

  it('keeps an instance in its first sync group and the first block of a name, as keepalived does', () => {
    const two = `${instance()}\n${instance().replace('VI_1', 'VI_2').replace('51', '52')}`;
    const groups =
      'vrrp_sync_group A {\n  group { VI_1 VI_2 }\n}\nvrrp_sync_group B {\n  group { VI_1 VI_2 }\n}';
    expect(diagnose(`${two}\n${groups}`)).toEqual([
      `${FILE}:20: warning: vrrp_sync_group B has no member that exists: the group is dropped, as keepalived drops it [VRRPD_W_CONFIG_MISSING]`,
      `${FILE}:21: warning: vrrp_instance VI_1 is already in vrrp_sync_group A; an instance can be in one group only: ignored here, as keepalived ignores it [VRRPD_W_CONFIG_CONFLICT]`,
      `${FILE}:21: warning: vrrp_instance VI_2 is already in vrrp_sync_group A; an instance can be in one group only: ignored here, as keepalived ignores it [VRRPD_W_CONFIG_CONFLICT]`,
    ]);
    expect(diagnose(`${instance()}\n${instance()}`)).toContain(
      `${FILE}:9: warning: vrrp_instance VI_1 is defined twice (first at line 1): this one is skipped, as keepalived skips it [VRRPD_W_CONFIG_CONFLICT]`,
    );
  });

  it('reports a missing interface or virtual_router_id', () => {
    expect(
      diagnose('vrrp_instance X {\n  priority 100\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}'),
    ).toEqual([
      `${FILE}:1: error: vrrp_instance X has no 'interface' [VRRPD_E_CONFIG_MISSING]`,
      '  hint: add: interface <IFNAME>; keepalived 2.2.7 refuses it too ("Unknown interface!"), even for a unicast instance with unicast_src_ip',
      `${FILE}:1: error: vrrp_instance X has no 'virtual_router_id' [VRRPD_E_CONFIG_MISSING]`,
      '  hint: add: virtual_router_id <1-255>, the same on every router of this virtual router',
    ]);
  });

  it('refuses a unicast instance without interface, as keepalived 2.2.7 does; use_vmac is first cleared, as keepalived clears it', () => {
    const unicast = instance(
      '  unicast_src_ip 192.0.2.1',
      '  use_vmac',
      '  unicast_peer {',
      '    192.0.2.2',
      '  }',
    )
      .replace('  interface eth0\n', '')
      .replace('192.0.2.10/24', '192.0.2.10/24 dev eth0');
    expect(diagnose(unicast)).toEqual([
      `${FILE}:1: error: vrrp_instance VI_1 has no 'interface' [VRRPD_E_CONFIG_MISSING]`,
      '  hint: add: interface <IFNAME>; keepalived 2.2.7 refuses it too ("Unknown interface!"), even for a unicast instance with unicast_src_ip',
      `${FILE}:5: warning: vrrp_instance VI_1: cannot use a VMAC with unicast and no interface - use_vmac is cleared, as keepalived clears it [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: name the interface (interface …) to use a VMAC',
    ]);
    expect(diagnose(unicast.replace('  use_vmac', '  use_ipvlan'))).toContain(
      `${FILE}:5: warning: vrrp_instance VI_1: cannot use an ipvlan with unicast and no interface - use_ipvlan is cleared, as keepalived clears it [VRRPD_W_CONFIG_ADJUSTED]`,
    );
  });

  it('skips an advertised address of the other family, as keepalived does', () => {
    expect(diagnose(instance().replace('192.0.2.10/24', '192.0.2.10/24\n    2001:db8::1/64'))).toEqual([
      `${FILE}:7: warning: virtual_ipaddress 2001:db8::1 is IPv6 but vrrp_instance VI_1 is IPv4: skipped, as keepalived skips it [VRRPD_W_CONFIG_CONFLICT]`,
      '  hint: an instance advertises one family; put the others in virtual_ipaddress_excluded or in another instance',
    ]);
  });
});

describe('ignored and refused keepalived features', () => {
  it('skips each non-VRRP section with one warning, whatever it contains', () => {
    const text = [
      'virtual_server 192.0.2.80 80 {',
      '  lb_algo rr',
      '  real_server 198.51.100.1 80 {',
      '    weight 1',
      '    HTTP_GET { url { path / } }',
      '  }',
      '}',
    ].join('\n');
    expect(diagnose(text)).toEqual([
      `${FILE}:1: warning: virtual_server 192.0.2.80 80 { … } is skipped: vrrpd does not implement LVS/IPVS; the VRRP part of the file still runs [VRRPD_W_CONFIG_IGNORED]`,
    ]);
  });

  it('accepts e-mail, SNMP, D-Bus and LVS global keywords with a warning', () => {
    const text = 'global_defs {\n  smtp_server 192.0.2.25\n  enable_snmp_rfc\n  enable_dbus\n  lvs_flush\n}';
    expect(diagnose(text)).toEqual([
      `${FILE}:2: warning: 'smtp_server' is ignored: vrrpd sends no e-mail [VRRPD_W_CONFIG_IGNORED]`,
      '  hint: use a notify script or the notify FIFO to send alerts',
      `${FILE}:3: warning: 'enable_snmp_rfc' is ignored: vrrpd has no SNMP agent [VRRPD_W_CONFIG_IGNORED]`,
      '  hint: vrrpctl status/stats and the Prometheus exporter give the same data',
      `${FILE}:4: warning: 'enable_dbus' is ignored: vrrpd has no D-Bus interface [VRRPD_W_CONFIG_IGNORED]`,
      `${FILE}:5: warning: 'lvs_flush' is ignored: vrrpd does not implement LVS/IPVS or its health checkers [VRRPD_W_CONFIG_IGNORED]`,
    ]);
  });

  it('ignores smtp_alert with a warning but keeps it in the model', () => {
    const result = parseConfigText(instance('  smtp_alert'));
    expect(result.config.instances[0]?.smtpAlert).toBe(true);
    expect(result.diagnostics.flatMap(formatDiagnostic)).toEqual([
      `${FILE}:5: warning: 'smtp_alert' is ignored: vrrpd sends no e-mail (the setting is kept in the dump) [VRRPD_W_CONFIG_IGNORED]`,
      '  hint: use a notify script or the notify FIFO to send alerts',
    ]);
  });
});

describe('syntax', () => {
  it('reports braces and quotes at the line where they go wrong', () => {
    expect(diagnose('global_defs {\n  router_id "r1\n')).toEqual([
      `${FILE}:1: warning: global_defs is never closed: missing '}'; keepalived reads it to the end of the configuration, and so does vrrpd [VRRPD_W_CONFIG_SYNTAX]`,
      "  hint: a '}' is missing before the end of the configuration",
      `${FILE}:2: warning: missing closing " quote: the quoted text runs to the end of the line (keepalived drops the quoted word instead) [VRRPD_W_CONFIG_SYNTAX]`,
      '  hint: close the double quote',
    ]);
  });

  it('reads a block given to a keyword that takes none, and a block missing, as keepalived does', () => {
    // keepalived: `priority` without its number is fatal; the `{ 100 }` opens nothing and its `}`
    // ends the instance.
    const priorityBlock = diagnose(instance('  priority { 100 }'));
    expect(priorityBlock).toContain(
      `${FILE}:5: error: 'priority' takes 1 argument, got 0 [VRRPD_E_CONFIG_VALUE]`,
    );
    expect(priorityBlock).toContain(
      `${FILE}:5: warning: this '}' (which balances the ignored '{' at line 5) ends vrrp_instance VI_1, as keepalived reads it: what follows is read one level up [VRRPD_W_CONFIG_SYNTAX]`,
    );
    // A block of entries without its `{` takes the following lines, to the first `}`, as entries.
    const noBrace = diagnose(instance('  track_interface eth1'));
    expect(noBrace).toContain(
      `${FILE}:5: warning: 'track_interface' is not followed by '{': the lines after it are read as its entries anyway, as keepalived reads them [VRRPD_W_CONFIG_SYNTAX]`,
    );
    expect(noBrace).toContain(
      `${FILE}:1: warning: vrrp_instance VI_1 has no virtual_ipaddress: it will elect a master but move no address [VRRPD_W_CONFIG_SUSPICIOUS]`,
    );
  });
});
