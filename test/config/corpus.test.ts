// A corpus of real-world-shaped configurations (written for this project; keepalived's own samples
// are GPL and stay out). Each is read from disk through the filesystem loader, as `vrrpd -f` would,
// and checked for what it should mean, not just for "no errors".
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/daemon/config-files.js';
import type { InstanceModel } from '../../src/config/model/types.js';
import type { ParseConfigResult } from '../../src/config/parse-config.js';

const corpus = (name: string): string => fileURLToPath(new URL(`./corpus/${name}`, import.meta.url));

function load(name: string, configId = 'vrrpd'): ParseConfigResult {
  return loadConfig({ file: corpus(name), configId });
}

function instance(result: ParseConfigResult, name: string): InstanceModel {
  const found = result.config.instances.find((i) => i.name === name);
  if (!found)
    throw new Error(`no instance ${name} in ${result.config.instances.map((i) => i.name).join(', ')}`);
  return found;
}

/** `code line` pairs, enough to say which warnings a file produces and where. */
function warnings(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}`);
}

function addresses(vips: ReadonlyArray<{ address: string; prefix: number }>): string[] {
  return vips.map((v) => `${v.address}/${v.prefix}`);
}

describe('corpus', () => {
  it('01: minimal multicast instance', () => {
    const result = load('01-minimal-multicast.conf');
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals.routerId).toBe('fw-a');
    expect(instance(result, 'VI_1')).toMatchObject({
      state: 'BACKUP',
      interface: 'eth0',
      vrid: 51,
      priority: 100,
      authType: 'PASS',
      authPass: '1111',
      unicastPeers: null,
    });
    expect(addresses(instance(result, 'VI_1').vips)).toEqual(['192.0.2.100/32']);
  });

  it('02: braces on the next line, # and ! comments, tabs', () => {
    const result = load('02-braces-next-line.conf');
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals.routerId).toBe('edge-1');
    const internal = instance(result, 'INTERNAL');
    expect(internal).toMatchObject({ state: 'MASTER', priority: 150, interface: 'eth1', vrid: 7 });
    expect(internal.vips.map((v) => [v.address, v.prefix, v.dev, v.label, v.source.line])).toEqual([
      ['192.0.2.254', 24, 'eth1', 'eth1:gw', 16],
      ['192.0.2.253', 24, null, null, 17],
    ]);
    expect(internal.trackInterfaces.map((t) => [t.name, t.weight])).toEqual([['eth0', -30]]);
  });

  it('03: LVS and VRRP mixed: the VRRP part runs, each LVS section is one warning', () => {
    const result = load('03-lvs-mixed.conf');
    expect(result.ok).toBe(true);
    expect(warnings(result)).toEqual([
      'warning VRRPD_W_CONFIG_IGNORED 4', // notification_email { … }
      'warning VRRPD_W_CONFIG_IGNORED 8', // notification_email_from
      'warning VRRPD_W_CONFIG_IGNORED 9', // smtp_server
      'warning VRRPD_W_CONFIG_IGNORED 10', // smtp_connect_timeout
      'warning VRRPD_W_CONFIG_IGNORED 12', // enable_snmp_vrrp
      'warning VRRPD_W_CONFIG_IGNORED 21', // smtp_alert
      'warning VRRPD_W_CONFIG_IGNORED 27', // virtual_server_group
      'warning VRRPD_W_CONFIG_IGNORED 32', // virtual_server … 80 (two real_servers inside)
      'warning VRRPD_W_CONFIG_IGNORED 56', // virtual_server … 443
    ]);
    expect(result.config.globals.routerId).toBe('LB_A');
    expect(instance(result, 'VI_WEB')).toMatchObject({
      priority: 120,
      advertIntervalCs: 200,
      smtpAlert: true,
    });
    expect(result.config.instances).toHaveLength(1);
  });

  it('04: includes with a relative parent path, a glob, a brace pattern and a missing optional file', () => {
    const result = load('04-includes/keepalived.conf');
    expect(warnings(result)).toEqual(['warning VRRPD_W_CONFIG_INCLUDE 7']);
    expect(result.diagnostics[0]?.message).toBe("include: no file matches 'local/site.conf'");
    expect(result.filesRead.map((f) => f.slice(f.indexOf('04-includes')))).toEqual([
      '04-includes/keepalived.conf',
      '04-includes/shared/globals.conf',
      '04-includes/scripts/dns.conf',
      '04-includes/instances/wan.conf',
      '04-includes/conf.d/10-lan.conf',
    ]);
    expect(result.config.globals).toMatchObject({ routerId: 'split-1', garp: { masterRepeat: 3 } });
    expect(
      result.config.instances.map((i) => [i.name, i.source.file.slice(i.source.file.indexOf('04-'))]),
    ).toEqual([
      ['WAN', '04-includes/instances/wan.conf'],
      ['LAN', '04-includes/conf.d/10-lan.conf'],
    ]);
    // The reference from conf.d/10-lan.conf resolves to a script defined in an earlier included file.
    expect(instance(result, 'LAN').trackScripts.map((t) => t.name)).toEqual(['chk_dns']);
    expect(instance(result, 'LAN').garp.masterRepeat).toBe(3);
    expect(result.config.scripts[0]?.script.argv).toEqual([
      '/bin/sh',
      '-c',
      'exec dig +time=1 +tries=1 @127.0.0.1 example.org',
    ]);
  });

  it('05: one file for two nodes, with parameters, a macro, ~SEQ and ~LST', () => {
    const main = load('05-conditionals-params.conf', 'main');
    expect(main.diagnostics).toEqual([]);
    expect(main.config.globals.routerId).toBe('main_router');
    expect(main.config.globals.garp.masterDelayMs).toBe(5000);
    expect(main.config.instances.map((i) => [i.name, i.state, i.interface, i.vrid, i.priority])).toEqual([
      ['VI_10', 'MASTER', 'eth0', 10, 200],
      ['VI_20', 'MASTER', 'eth0', 20, 200],
      ['VI_SEQ', 'BACKUP', 'eth1', 30, 200],
    ]);
    expect(addresses(instance(main, 'VI_10').vips)).toEqual(['192.0.2.10/24']);
    const seq = instance(main, 'VI_SEQ');
    expect(addresses(seq.vips)).toEqual(['203.0.113.10/24', '203.0.113.12/24', '203.0.113.14/24']);
    expect(addresses(seq.excludedVips)).toEqual(['198.51.100.128/25', '198.51.100.64/26']);
    expect(seq.unicastPeers).toEqual(['198.51.100.2']);
    expect(seq.notify.master?.argv).toEqual(['/usr/local/bin/announce', 'main', '#master']);

    const backup = load('05-conditionals-params.conf', 'backup');
    expect(backup.diagnostics).toEqual([]);
    expect(backup.config.globals.routerId).toBe('backup_router');
    expect(backup.config.globals.garp.masterDelayMs).toBe(1000);
    expect(backup.config.instances.map((i) => [i.name, i.state, i.priority])).toEqual([
      ['VI_10', 'BACKUP', 100],
      ['VI_20', 'BACKUP', 100],
      ['VI_SEQ', 'BACKUP', 100],
    ]);
    expect(instance(backup, 'VI_SEQ').unicastPeers).toEqual(['198.51.100.1']);
  });

  it('06: quotes and escapes in names and scripts', () => {
    const result = load('06-quotes-escapes.conf');
    expect(result.diagnostics).toEqual([]);
    const frontEnd = instance(result, 'front end');
    expect(frontEnd.notify.master?.argv).toEqual([
      '/usr/local/bin/notify.sh',
      'master',
      'front end',
      '#',
      'not',
      'a',
      'comment',
    ]);
    expect(frontEnd.notify.backup?.argv).toEqual(['/usr/local/bin/notify.sh', 'backup', 'AB']);
    expect(frontEnd.notify.fault).toMatchObject({
      argv: ['/usr/local/bin/fault.sh'],
      user: 'nobody',
      group: 'nogroup',
    });
    expect(frontEnd.notify.stop?.argv).toEqual(['/usr/local/bin/notify.sh', 'stop', 'now']);
    expect(frontEnd.notify.any?.argv).toEqual(['/usr/local/bin/all.sh', 'now']);
  });

  it('07: IPv6 with VRRPv3 and the same VRID reused by an IPv4 instance on the same interface', () => {
    const result = load('07-ipv6-v3.conf');
    expect(result.diagnostics).toEqual([]);
    expect(instance(result, 'V6')).toMatchObject({
      family: 'ipv6',
      version: 3,
      advertIntervalCs: 50,
      vrid: 66,
    });
    expect(addresses(instance(result, 'V6').vips)).toEqual(['fe80::1/64', '2001:db8:10::1/64']);
    expect(addresses(instance(result, 'V6').excludedVips)).toEqual(['192.0.2.66/24']);
    expect(instance(result, 'V6').virtualRoutes[0]).toMatchObject({
      family: 'ipv6',
      to: '2001:db8:20::/48',
      via: '2001:db8:10::ff',
      dev: 'eth1',
    });
    expect(instance(result, 'V4_ON_V3')).toMatchObject({
      family: 'ipv4',
      version: 3,
      advertIntervalCs: 25,
      vrid: 66,
    });
  });

  it('08: virtual routes and rules in ip route / ip rule syntax', () => {
    const result = load('08-routes-rules.conf');
    expect(warnings(result)).toEqual([
      'warning VRRPD_W_CONFIG_ADJUSTED 13',
      'warning VRRPD_W_CONFIG_ADJUSTED 14',
    ]);
    const router = instance(result, 'ROUTER');
    const route = (i: number) => router.virtualRoutes[i];
    expect(route(0)).toMatchObject({
      to: '0.0.0.0/0',
      via: '198.51.100.1',
      dev: 'eth2',
      table: 100,
      type: 'unicast',
    });
    expect(route(1)).toMatchObject({
      to: '203.0.113.0/24',
      src: '192.0.2.254',
      via: '198.51.100.1',
      metric: 10,
    });
    // Tracked, so keepalived (and vrrpd) mark it with protocol 18 instead of "static".
    expect(route(2)).toMatchObject({ to: '198.51.100.128/25', dev: 'eth2', scope: 'link', protocol: 18 });
    // No interface: cannot be tracked.
    expect(route(3)).toMatchObject({ type: 'blackhole', to: '203.0.113.128/25', noTrack: true });
    expect(route(4)).toMatchObject({
      to: '192.0.2.128/25',
      via: '198.51.100.2',
      onlink: true,
      noTrack: true,
    });
    expect(
      router.virtualRules.map((r) => [
        r.from,
        r.to,
        r.table,
        r.fwmark,
        r.fwmask,
        r.priority,
        r.iif,
        r.noTrack,
      ]),
    ).toEqual([
      ['192.0.2.0/24', null, 100, null, null, 100, null, false],
      [null, '203.0.113.0/24', 254, null, null, 110, null, false],
      [null, null, 200, 16, 255, 120, null, false],
      [null, null, 100, null, null, 130, 'eth1', true],
    ]);
  });

  it('09: scripts, track files, interfaces and a sync group', () => {
    const result = load('09-tracking.conf');
    // keepalived: "(FRONT) Ignoring track_interface eth0 since own interface".
    expect(warnings(result)).toEqual(['warning VRRPD_W_CONFIG_ADJUSTED 36']);
    expect(
      result.config.scripts.map((s) => [
        s.name,
        s.intervalMs,
        s.timeoutMs,
        s.weight,
        s.rise,
        s.fall,
        s.initFail,
      ]),
    ).toEqual([
      ['chk_haproxy', 2000, 1000, 30, 2, 3, false],
      ['chk_disk', 1000, 1000, 0, 1, 1, true],
    ]);
    expect(result.config.scripts[0]?.script).toMatchObject({
      argv: ['/usr/bin/pkill', '-0', 'haproxy'],
      user: 'nobody',
      group: 'nogroup',
    });
    expect(result.config.trackFiles.map((f) => [f.name, f.path, f.weight, f.init])).toEqual([
      ['maintenance', '/run/vrrpd/maintenance', -50, { value: 0, overwrite: true }],
      ['legacy', '/run/vrrpd/legacy', 1, null],
    ]);
    const front = instance(result, 'FRONT');
    expect(front.trackInterfaces.map((t) => [t.name, t.weight, t.reverse])).toEqual([['eth2', -20, true]]);
    expect(front.trackScripts.map((t) => [t.name, t.weight])).toEqual([
      ['chk_haproxy', null],
      ['chk_disk', -40],
    ]);
    expect(front.trackFiles.map((t) => [t.name, t.weight])).toEqual([
      ['maintenance', null],
      ['legacy', 5],
    ]);
    const [pair] = result.config.syncGroups;
    expect(pair).toMatchObject({ name: 'PAIR', instances: ['FRONT', 'BACK'], trackingWeight: true });
    expect(pair?.trackInterfaces.map((t) => [t.name, t.weight])).toEqual([['eth1', 10]]);
    expect(pair?.notify.master?.argv).toEqual(['/usr/local/bin/pair.sh', 'master']);
    expect(pair?.notify.any?.argv).toEqual(['/usr/local/bin/pair-any.sh']);
  });

  it('10: unicast peers, nopreempt, per-instance GARP and daemon tuning', () => {
    const result = load('10-unicast-many.conf');
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals).toMatchObject({
      checkUnicastSrc: true,
      startupDelayMs: 2500,
      enableScriptSecurity: true,
      scriptUser: { user: 'nobody', group: null },
      vrrpNotifyFifo: { path: '/run/vrrpd/notify.fifo', user: 'root', group: null },
      noSwap: true,
      realtimePriority: 10,
      maxAutoPriority: 99,
      garp: { masterRefreshMs: 30000, intervalUs: 1000 },
    });
    expect(instance(result, 'A')).toMatchObject({
      preempt: false,
      advertIntervalCs: 300,
      unicastSrcIp: '198.51.100.12',
      unicastPeers: ['198.51.100.11', '198.51.100.13'],
      unicastTtl: 1,
      checkUnicastSrc: true,
      garp: {
        masterDelayMs: 0,
        masterRepeat: 2,
        masterRefreshMs: 30000,
        masterRefreshRepeat: 1,
        intervalUs: 1000,
      },
    });
    expect(instance(result, 'A').vips[0]).toMatchObject({
      broadcast: '198.51.100.255',
      dev: 'eth0',
      scope: 'global',
    });
    expect(instance(result, 'B')).toMatchObject({
      vrid: 101,
      preemptDelayMs: 15500,
      mcastSrcIp: '192.0.2.12',
      accept: false,
      dontTrackPrimary: true,
      skipCheckAdvAddr: true,
      unicastPeers: null,
    });
    expect(instance(result, 'B').vips[0]?.noTrack).toBe(true);
  });

  it('11: a distribution-style default file runs in strict mode (vrrp_strict), as keepalived runs it', () => {
    const result = load('11-distribution-sample.conf');
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'notification_email { … } is skipped: vrrpd sends no e-mail',
      "'notification_email_from' is ignored: vrrpd sends no e-mail",
      "'smtp_server' is ignored: vrrpd sends no e-mail",
      "'smtp_connect_timeout' is ignored: vrrpd sends no e-mail",
      'vrrp_gna_interval 0 is out of range (0.000001-4294 seconds): ignored, as keepalived ignores it',
      'state MASTER with priority 100 (not the address owner) is not allowed in strict mode (global vrrp_strict) in vrrp_instance VI_1: the instance starts as BACKUP, as keepalived does',
      'authentication is not allowed in strict mode (global vrrp_strict) in vrrp_instance VI_1: adverts are sent without it, as keepalived does',
    ]);
    expect(addresses(instance(result, 'VI_1').vips)).toEqual([
      '192.0.2.16/32',
      '192.0.2.17/32',
      '192.0.2.18/32',
    ]);
    // keepalived's strict mode: BACKUP, no authentication, accept mode off, no answers to lower priorities.
    expect(instance(result, 'VI_1')).toMatchObject({
      state: 'BACKUP',
      priority: 100,
      authType: 'none',
      authPass: null,
      accept: false,
      strict: true,
      lowerPriorityNoAdvert: true,
      higherPrioritySendAdvert: false,
      garpLowerPriority: { repeat: 0, delayMs: 0 },
    });
    expect(result.config.globals.skipCheckAdvAddr).toBe(true);
  });

  it('31: use_vmac — default, named with a MAC and vmac_xmit_base, and unicast (xmit_base set)', () => {
    const result = load('31-use-vmac.conf');
    expect(result.ok).toBe(true);
    expect(warnings(result)).toEqual(['warning VRRPD_W_CONFIG_ADJUSTED 38']);
    expect(result.config.globals.vmacPrefix).toBe('vrrp');
    expect(instance(result, 'VI_VMAC').vmac).toEqual({ name: null, mac: null, xmitBase: false });
    expect(instance(result, 'VI_NAMED').vmac).toEqual({
      name: 'vmac62',
      mac: '02:00:5e:10:20',
      xmitBase: true,
    });
    expect(instance(result, 'VI_UNICAST').vmac).toEqual({ name: null, mac: null, xmitBase: true });
  });

  it('32: net_namespace inside global_defs — ignored as keepalived ignores it (unknown there), the instance runs', () => {
    const result = load('32-net-namespace-in-global-defs.conf');
    expect(result.ok).toBe(true);
    expect(warnings(result)).toEqual(['warning VRRPD_W_CONFIG_IGNORED 8']);
    expect(result.config.globals.netNamespace).toBeNull();
    expect(instance(result, 'LAN')).toMatchObject({ interface: 'eth1', vrid: 62, priority: 120 });
  });

  it('33: top-level net_namespace — the namespace the daemon runs in', () => {
    const result = load('33-net-namespace-absent.conf');
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals.netNamespace).toMatchObject({
      name: 'tenant-green-vrrp',
      source: { line: 6 },
    });
  });

  it('34: native_ipv6 — IPv6 before the addresses, ignored after an IPv4 one', () => {
    const result = load('40-native-ipv6.conf');
    expect(result.ok).toBe(true);
    // version 2 after native_ipv6, the IPv4 address of LAN6, native_ipv6 after LAN4's address.
    expect(warnings(result)).toEqual([
      'warning VRRPD_W_CONFIG_CONFLICT 8',
      'warning VRRPD_W_CONFIG_CONFLICT 13',
      'warning VRRPD_W_CONFIG_CONFLICT 26',
    ]);
    expect(instance(result, 'LAN6')).toMatchObject({ family: 'ipv6', version: 3 });
    expect(addresses(instance(result, 'LAN6').vips)).toEqual(['2001:db8:62::1/64']);
    expect(instance(result, 'LAN4')).toMatchObject({ family: 'ipv4', version: 2 });
    expect(addresses(instance(result, 'LAN4').vips)).toEqual(['192.0.2.42/24']);
  });

  it('42: a unicast instance without interface is refused, as keepalived 2.2.7 refuses it', () => {
    const result = load('42-unicast-no-interface.conf');
    expect(result.ok).toBe(false);
    // The missing interface (at the block), use_vmac cleared first (its line), as keepalived does;
    // the refused instance leaves its script untracked.
    expect(warnings(result)).toEqual([
      'warning VRRPD_W_CONFIG_SUSPICIOUS 10',
      'error VRRPD_E_CONFIG_MISSING 16',
      'warning VRRPD_W_CONFIG_ADJUSTED 21',
    ]);
    expect(result.config.instances).toEqual([]);
  });
});
