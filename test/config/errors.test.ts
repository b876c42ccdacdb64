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
      `${FILE}:5: error: unknown keyword 'priorty' in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]`,
      "  hint: did you mean 'priority'?",
    ]);
    expect(diagnose(instance('  advert_interval 1'))).toEqual([
      `${FILE}:5: error: unknown keyword 'advert_interval' in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]`,
      "  hint: did you mean 'advert_int'?",
    ]);
  });

  it('points out that keywords are case-sensitive', () => {
    expect(diagnose(instance('  Nopreempt'))).toEqual([
      `${FILE}:5: error: unknown keyword 'Nopreempt' in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]`,
      "  hint: did you mean 'nopreempt'? keywords and values are case-sensitive",
    ]);
  });

  it('gives no suggestion when nothing is close', () => {
    expect(diagnose(instance('  frobnicate_everything yes'))).toEqual([
      `${FILE}:5: error: unknown keyword 'frobnicate_everything' in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]`,
    ]);
  });

  it('says where a misplaced keyword belongs, and its local spelling', () => {
    expect(diagnose(instance('  vrrp_garp_master_delay 1'))).toEqual([
      `${FILE}:5: error: 'vrrp_garp_master_delay' belongs in global_defs, not in vrrp_instance VI_1 [VRRPD_E_CONFIG_KEYWORD]`,
      "  hint: in vrrp_instance the keyword is 'garp_master_delay'",
    ]);
    expect(diagnose('global_defs {\n  priority 100\n}')).toEqual([
      `${FILE}:2: error: 'priority' belongs in vrrp_instance, not in global_defs [VRRPD_E_CONFIG_KEYWORD]`,
      '  hint: move it into vrrp_instance',
    ]);
  });

  it('suggests at the top level too', () => {
    expect(diagnose('vrrp_instanse VI_1 {\n}')).toEqual([
      `${FILE}:1: error: unknown keyword 'vrrp_instanse' in the top level [VRRPD_E_CONFIG_KEYWORD]`,
      "  hint: did you mean 'vrrp_instance'?",
    ]);
  });
});

describe('enum values', () => {
  it("refuses 'state Master', which keepalived runs as BACKUP", () => {
    expect(diagnose(instance('  state Master'))).toEqual([
      `${FILE}:5: error: invalid state 'Master' in vrrp_instance VI_1: expected MASTER or BACKUP [VRRPD_E_CONFIG_VALUE]`,
      "  hint: did you mean 'MASTER'? keywords and values are case-sensitive (keepalived would run it as BACKUP)",
    ]);
  });

  it('refuses auth_type AH and unknown auth types', () => {
    expect(diagnose(instance('  authentication {', '    auth_type AH', '    auth_pass x', '  }'))).toEqual([
      `${FILE}:6: error: auth_type AH is not supported by vrrpd: IPsec AH authentication is not implemented [VRRPD_E_CONFIG_UNSUPPORTED]`,
      '  hint: use auth_type PASS, or remove the authentication block (RFC 3768 dropped authentication)',
      `${FILE}:7: warning: auth_pass without auth_type in vrrp_instance VI_1 is ignored: adverts are sent without authentication [VRRPD_W_CONFIG_SUSPICIOUS]`,
      '  hint: add auth_type PASS',
    ]);
    expect(diagnose(instance('  authentication {', '    auth_type pass', '    auth_pass x', '  }'))[0]).toBe(
      `${FILE}:6: error: unknown auth_type 'pass': expected PASS [VRRPD_E_CONFIG_VALUE]`,
    );
  });
});

describe('ranges', () => {
  it('checks virtual_router_id, priority and junk numbers', () => {
    expect(diagnose(instance().replace('virtual_router_id 51', 'virtual_router_id 256'))).toEqual([
      `${FILE}:3: error: virtual_router_id 256 is out of range (1-255) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance().replace('priority 100', 'priority 0'))).toEqual([
      `${FILE}:4: error: priority 0 is out of range (1-255) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance().replace('priority 100', 'priority 10x'))).toEqual([
      `${FILE}:4: error: priority expects an integer, got '10x' [VRRPD_E_CONFIG_VALUE]`,
    ]);
  });

  it('checks advert_int per VRRP version, rounding as keepalived does with a warning', () => {
    expect(diagnose(instance('  advert_int 1.5'))).toEqual([
      `${FILE}:5: warning: advert_int 1.5 is rounded to 2 seconds: VRRPv2 adverts carry whole seconds [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived rounds it the same way; write a whole number, or use version 3 for fractions',
    ]);
    expect(diagnose(instance('  advert_int 0.2'))).toEqual([
      `${FILE}:5: error: advert_int 0.2 is out of range for VRRPv2 (1-255 seconds) [VRRPD_E_CONFIG_VALUE]`,
      '  hint: sub-second intervals need version 3',
    ]);
    expect(diagnose(instance('  version 3', '  advert_int 41'))).toEqual([
      `${FILE}:6: error: advert_int 41 is out of range for VRRPv3 (0.01-40.95 seconds) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance('  advert_int 0'))).toEqual([
      `${FILE}:5: error: advert_int 0 is out of range (0.01-255 seconds) [VRRPD_E_CONFIG_VALUE]`,
    ]);
  });

  it('keeps the first 8 characters of a long auth_pass, with a warning', () => {
    const result = parseConfigText(
      instance('  authentication {', '    auth_type PASS', '    auth_pass verylongpassword', '  }'),
    );
    expect(result.config.instances[0]?.authPass).toBe('verylong');
    expect(result.diagnostics.flatMap(formatDiagnostic)).toEqual([
      `${FILE}:7: warning: auth_pass is longer than 8 characters; only 'verylong' is used [VRRPD_W_CONFIG_ADJUSTED]`,
      '  hint: keepalived truncates it the same way; shorten it in the file so both ends visibly agree',
    ]);
  });

  it('checks addresses and prefix lengths', () => {
    const text = instance().replace(
      '192.0.2.10/24',
      '192.0.2.300/24\n    192.0.2.11/33\n    2001:db8::1/129',
    );
    expect(diagnose(text)).toEqual(
      [
        `${FILE}:6: error: virtual_ipaddress: '192.0.2.300' is not a valid IPv4 or IPv6 address [VRRPD_E_CONFIG_VALUE]`,
        `${FILE}:7: error: virtual_ipaddress: prefix length '33' in '192.0.2.11/33' is not valid for IPv4 (0-32) [VRRPD_E_CONFIG_VALUE]`,
        `${FILE}:8: error: virtual_ipaddress: prefix length '129' in '2001:db8::1/129' is not valid for IPv6 (0-128) [VRRPD_E_CONFIG_VALUE]`,
        `${FILE}:1: warning: vrrp_instance VI_1 has no virtual_ipaddress: it will elect a master but move no address [VRRPD_W_CONFIG_SUSPICIOUS]`,
      ].sort(byLine),
    );
  });

  it('checks interface names and arities', () => {
    expect(diagnose(instance().replace('interface eth0', 'interface averyveryverylongname'))).toEqual([
      `${FILE}:2: error: interface 'averyveryverylongname' is longer than 15 characters (the kernel limit, IFNAMSIZ) [VRRPD_E_CONFIG_VALUE]`,
    ]);
    expect(diagnose(instance('  nopreempt now'))).toEqual([
      `${FILE}:5: error: 'nopreempt' takes no arguments, got 1 [VRRPD_E_CONFIG_VALUE]`,
      '  hint: syntax: nopreempt',
    ]);
  });
});

function byLine(a: string, b: string): number {
  const line = (s: string) => Number(/:(\d+): /.exec(s)?.[1] ?? 0);
  return line(a) - line(b);
}

describe('cross-checks', () => {
  it('refuses a duplicate VRID on one interface and family', () => {
    const text = `${instance()}\n${instance().replace('VI_1', 'VI_2').replace('192.0.2.10', '192.0.2.20')}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:9: error: virtual_router_id 51 is already used on eth0 (IPv4) by vrrp_instance VI_1 (line 1) [VRRPD_E_CONFIG_CONFLICT]`,
      '  hint: give each virtual router on an interface its own virtual_router_id',
    ]);
  });

  it('allows the same VRID on another interface or in the other family', () => {
    const otherInterface = instance().replace('VI_1', 'VI_2').replace('eth0', 'eth1');
    const otherFamily = instance().replace('VI_1', 'VI_3').replace('192.0.2.10/24', '2001:db8::10/64');
    expect(diagnose(`${instance()}\n${otherInterface}\n${otherFamily}`)).toEqual([]);
  });

  it('refuses an empty unicast_peer block (keepalived falls back to multicast)', () => {
    expect(diagnose(instance('  unicast_peer {', '  }'))).toEqual([
      `${FILE}:5: error: unicast_peer block of vrrp_instance VI_1 is empty [VRRPD_E_CONFIG_MISSING]`,
      '  hint: list the other routers’ addresses, or remove the block to use multicast (keepalived would fall back to multicast)',
    ]);
  });

  it('refuses a sync group naming an unknown instance', () => {
    const text = `${instance()}\nvrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:9: warning: vrrp_sync_group G has only one member (VI_1); a sync group needs two or more to do anything [VRRPD_W_CONFIG_SUSPICIOUS]`,
      `${FILE}:12: error: vrrp_sync_group G names unknown vrrp_instance 'VI_2' [VRRPD_E_CONFIG_REFERENCE]`,
      "  hint: did you mean 'VI_1'?",
    ]);
  });

  it('refuses track_script naming an unknown vrrp_script', () => {
    const text = `vrrp_script chk_haproxy {\n  script "/usr/bin/pkill -0 haproxy"\n}\n${instance(
      '  track_script {',
      '    chk_hapoxy',
      '  }',
    )}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:1: warning: vrrp_script chk_haproxy is not tracked by any instance or sync group, so it never runs [VRRPD_W_CONFIG_SUSPICIOUS]`,
      '  hint: add it to a track_script { chk_haproxy } block',
      `${FILE}:9: error: track_script 'chk_hapoxy' in vrrp_instance VI_1 names no vrrp_script [VRRPD_E_CONFIG_REFERENCE]`,
      "  hint: did you mean 'chk_haproxy'?",
    ]);
  });

  it('warns when a tracked vrrp_script is defined after its tracker (keepalived would not track it)', () => {
    const text = `${instance('  track_script {', '    chk', '  }')}\nvrrp_script chk {\n  script /bin/true\n}`;
    expect(diagnose(text)).toEqual([
      `${FILE}:6: warning: vrrp_script chk is defined after vrrp_instance VI_1, which tracks it; keepalived would not track it [VRRPD_W_CONFIG_SUSPICIOUS]`,
      '  hint: move vrrp_script chk above vrrp_instance VI_1 so keepalived and vrrpd agree',
    ]);
  });

  it('refuses an instance in two sync groups and duplicate names', () => {
    const two = `${instance()}\n${instance().replace('VI_1', 'VI_2').replace('51', '52')}`;
    const groups =
      'vrrp_sync_group A {\n  group { VI_1 VI_2 }\n}\nvrrp_sync_group B {\n  group { VI_1 VI_2 }\n}';
    expect(diagnose(`${two}\n${groups}`).filter((l) => l.includes('error'))).toEqual([
      `${FILE}:21: error: vrrp_instance VI_1 is already in vrrp_sync_group A; an instance can be in one group only [VRRPD_E_CONFIG_CONFLICT]`,
      `${FILE}:21: error: vrrp_instance VI_2 is already in vrrp_sync_group A; an instance can be in one group only [VRRPD_E_CONFIG_CONFLICT]`,
    ]);
    expect(diagnose(`${instance()}\n${instance()}`)).toContain(
      `${FILE}:9: error: vrrp_instance VI_1 is defined twice (first at line 1) [VRRPD_E_CONFIG_CONFLICT]`,
    );
  });

  it('reports a missing interface or virtual_router_id', () => {
    expect(
      diagnose('vrrp_instance X {\n  priority 100\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}'),
    ).toEqual([
      `${FILE}:1: error: vrrp_instance X has no 'interface' [VRRPD_E_CONFIG_MISSING]`,
      '  hint: add: interface <IFNAME> (vrrpd needs it even in unicast mode)',
      `${FILE}:1: error: vrrp_instance X has no 'virtual_router_id' [VRRPD_E_CONFIG_MISSING]`,
      '  hint: add: virtual_router_id <1-255>, the same on every router of this virtual router',
    ]);
  });

  it('refuses mixed address families among the advertised addresses', () => {
    expect(diagnose(instance().replace('192.0.2.10/24', '192.0.2.10/24\n    2001:db8::1/64'))).toEqual([
      `${FILE}:7: error: virtual_ipaddress 2001:db8::1 is IPv6 but vrrp_instance VI_1 is IPv4 [VRRPD_E_CONFIG_CONFLICT]`,
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
      'bfd_instance b1 {',
      '  neighbor_ip 192.0.2.2',
      '}',
    ].join('\n');
    expect(diagnose(text)).toEqual([
      `${FILE}:1: warning: virtual_server 192.0.2.80 80 { … } is skipped: vrrpd does not implement LVS/IPVS; the VRRP part of the file still runs [VRRPD_W_CONFIG_IGNORED]`,
      `${FILE}:8: warning: bfd_instance b1 { … } is skipped: vrrpd does not implement BFD [VRRPD_W_CONFIG_IGNORED]`,
      '  hint: an instance that tracks it with track_bfd is refused',
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

  it('refuses features that would change behaviour if ignored', () => {
    expect(diagnose(instance('  use_vmac'))).toEqual([
      `${FILE}:5: error: 'use_vmac' is not supported by vrrpd: virtual MAC (macvlan/ipvlan) interfaces are not implemented; VIPs use the interface MAC and gratuitous ARP [VRRPD_E_CONFIG_UNSUPPORTED]`,
      '  hint: remove it: failover still works through gratuitous ARP, as in the default keepalived setup',
    ]);
    expect(diagnose(instance().replace('192.0.2.10/24', '192.0.2.10/24 noprefixroute'))).toEqual(
      [
        `${FILE}:6: error: virtual_ipaddress option 'noprefixroute' is not supported by vrrpd: prefix-route suppression is not implemented [VRRPD_E_CONFIG_UNSUPPORTED]`,
        `${FILE}:1: warning: vrrp_instance VI_1 has no virtual_ipaddress: it will elect a master but move no address [VRRPD_W_CONFIG_SUSPICIOUS]`,
      ].sort(byLine),
    );
  });
});

describe('syntax', () => {
  it('reports braces and quotes at the line where they go wrong', () => {
    expect(diagnose('global_defs {\n  router_id "r1\n')).toEqual([
      `${FILE}:1: error: block opened here is never closed: missing '}' [VRRPD_E_CONFIG_SYNTAX]`,
      "  hint: a '}' is missing before the end of the configuration",
      `${FILE}:2: error: missing closing " quote [VRRPD_E_CONFIG_SYNTAX]`,
      '  hint: quoted text ends at the end of the line; close the double quote',
    ]);
  });

  it('reports a block given to a keyword that takes none, and a block missing', () => {
    expect(diagnose(instance('  priority { 100 }'))).toEqual([
      `${FILE}:5: error: 'priority' does not take a { … } block [VRRPD_E_CONFIG_SYNTAX]`,
    ]);
    expect(diagnose(instance('  track_interface eth1'))).toEqual([
      `${FILE}:5: error: 'track_interface' needs a { … } block [VRRPD_E_CONFIG_SYNTAX]`,
      '  hint: syntax: track_interface { <IF> [weight <-253..253> [reverse]] … }',
    ]);
  });
});
