// keepalived's defaults (checked against `keepalived -d` of 2.2.7) and the mapping of each
// supported instance keyword into the model.
import { describe, expect, it } from 'vitest';
import { defaultGlobals } from '../../src/config/model/defaults.js';
import { parseConfigText } from '../../src/config/parse-config.js';

const minimal =
  'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}';

describe('defaults', () => {
  it('gives a bare instance keepalived’s defaults', () => {
    const result = parseConfigText(minimal);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([]);
    const { vips, ...instance } = result.config.instances[0] as NonNullable<
      (typeof result.config.instances)[0]
    >;
    expect(instance).toEqual({
      name: 'VI_1',
      state: 'BACKUP',
      interface: 'eth0',
      vrid: 51,
      priority: 100,
      advertIntervalCs: 100,
      version: 2,
      family: 'ipv4',
      authType: 'none',
      authPass: null,
      excludedVips: [],
      virtualRoutes: [],
      virtualRules: [],
      trackInterfaces: [],
      trackScripts: [],
      trackFiles: [],
      trackProcesses: [],
      trackBfds: [],
      unicastSrcIp: null,
      unicastPeers: null,
      unicastPeerTtl: [],
      notifyPriorityChanges: false,
      unicastTtl: 255,
      checkUnicastSrc: false,
      mcastSrcIp: null,
      preempt: true,
      preemptDelayMs: 0,
      downTimerAdverts: 3,
      oldUnicastChecksum: 'detect',
      faultNoPeer: false,
      garp: {
        masterDelayMs: 5000,
        masterRepeat: 5,
        masterRefreshMs: 0,
        masterRefreshRepeat: 1,
        intervalUs: 0,
      },
      notify: {
        master: null,
        backup: null,
        fault: null,
        stop: null,
        any: null,
        deleted: null,
        masterRxLowerPri: null,
      },
      notifyDeleted: false,
      mcastDstIp: null,
      trackSrcIp: false,
      vmac: null,
      useVmacAddr: false,
      ipvlan: null,
      configFault: null,
      smtpAlert: false,
      accept: true,
      dontTrackPrimary: false,
      skipCheckAdvAddr: false,
      strict: false,
      lowerPriorityNoAdvert: false,
      higherPrioritySendAdvert: true,
      garpLowerPriority: null,
      source: { file: '/etc/keepalived/keepalived.conf', line: 1 },
    });
    expect(vips).toEqual([
      {
        address: '192.0.2.1',
        prefix: 32,
        family: 'ipv4',
        broadcast: null,
        dev: null,
        scope: null,
        label: null,
        noTrack: false,
        source: { file: '/etc/keepalived/keepalived.conf', line: 5 },
      },
    ]);
    expect(result.config.globals).toEqual(defaultGlobals());
    expect(result.config.globals.mcastGroup4).toBe('224.0.0.18');
  });

  it('uses priority 255 for state MASTER without a priority, as keepalived does, and says so', () => {
    const result = parseConfigText(minimal.replace('interface eth0', 'state MASTER\n  interface eth0'));
    expect(result.config.instances[0]?.priority).toBe(255);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['VRRPD_W_CONFIG_SUSPICIOUS']);
  });

  it('defaults vrrp_script timeout to its interval and rise/fall to 1', () => {
    const result = parseConfigText(
      `vrrp_script chk {\n  script /bin/true\n  interval 3\n}\n${minimal.replace('}\n}', '}\n  track_script {\n    chk\n  }\n}')}`,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config.scripts[0]).toMatchObject({
      intervalMs: 3000,
      timeoutMs: 3000,
      rise: 1,
      fall: 1,
      weight: 0,
    });
  });

  it('inherits global defaults into instances unless overridden', () => {
    const result = parseConfigText(
      `global_defs {\n  vrrp_garp_master_delay 10\n  vrrp_garp_master_repeat 2\n  vrrp_check_unicast_src\n  vrrp_version 3\n  vrrp_skip_check_adv_addr\n}\n${minimal.replace(
        'virtual_router_id 51',
        'virtual_router_id 51\n  garp_master_repeat 7',
      )}`,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config.instances[0]).toMatchObject({
      version: 3,
      checkUnicastSrc: true,
      skipCheckAdvAddr: true,
      garp: { masterDelayMs: 10000, masterRepeat: 7 },
    });
  });

  it('turns vrrp_min_garp into one GARP and no second burst', () => {
    const result = parseConfigText(`global_defs {\n  vrrp_min_garp\n}\n${minimal}`);
    expect(result.config.globals.garp).toMatchObject({ masterRepeat: 1, masterDelayMs: 0 });
  });

  it('IPv6 defaults to version 3; an explicit version 2 runs, with a warning, as keepalived runs it', () => {
    const v6 = minimal.replace('192.0.2.1', '2001:db8::1/64');
    expect(parseConfigText(v6).config.instances[0]).toMatchObject({ version: 3, family: 'ipv6' });
    const v2 = parseConfigText(v6.replace('virtual_router_id 51', 'virtual_router_id 51\n  version 2'));
    expect(v2.ok).toBe(true);
    expect(v2.config.instances[0]).toMatchObject({ version: 2, family: 'ipv6' });
    expect(v2.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'VRRPD_W_CONFIG_SUSPICIOUS' });
    expect(v2.diagnostics[0]?.message).toContain('non-standard VRRPv2 over IPv6');
  });
});

describe('global_defs keywords', () => {
  it('reads every supported global keyword into the model', () => {
    const result = parseConfigText(
      [
        'global_defs {',
        '  router_id edge-1',
        '  enable_script_security',
        '  script_user vrrp vrrpgroup',
        '  vrrp_version 3',
        '  vrrp_garp_master_delay 2',
        '  vrrp_garp_master_repeat 3',
        '  vrrp_garp_master_refresh 60',
        '  vrrp_garp_master_refresh_repeat 2',
        '  vrrp_garp_interval 0.001',
        '  vrrp_startup_delay 5.5',
        '  vrrp_mcast_group4 224.0.0.19',
        '  vrrp_mcast_group6 ff02::13',
        '  vrrp_skip_check_adv_addr',
        '  vrrp_check_unicast_src',
        '  notify_fifo /run/vrrpd/all.fifo root root',
        '  vrrp_notify_fifo /run/vrrpd/vrrp.fifo',
        '  vrrp_priority -10',
        '  vrrp_no_swap',
        '  vrrp_rt_priority 50',
        '  max_auto_priority 20',
        '  startup_script "/etc/vrrpd/start.sh now"',
        '  startup_script_timeout 20',
        '  shutdown_script /etc/vrrpd/stop.sh nobody',
        '  shutdown_script_timeout 30',
        '  vrrp_notify_priority_changes',
        '  vmac_prefix vm',
        '  vmac_addr_prefix va',
        '  disable_local_igmp',
        '  vrrp_down_timer_adverts 4',
        '  notify_fifo_script "/etc/vrrpd/reader.sh all" vrrp',
        '  vrrp_notify_fifo_script /etc/vrrpd/vrrp-reader.sh',
        '}',
      ].join('\n'),
    );
    expect(result.diagnostics).toEqual([]);
    const file = '/etc/keepalived/keepalived.conf';
    expect(result.config.globals).toEqual({
      routerId: 'edge-1',
      enableScriptSecurity: true,
      scriptUser: { user: 'vrrp', group: 'vrrpgroup' },
      vrrpVersion: 3,
      garp: {
        masterDelayMs: 2000,
        masterRepeat: 3,
        masterRefreshMs: 60000,
        masterRefreshRepeat: 2,
        intervalUs: 1000,
      },
      startupDelayMs: 5500,
      downTimerAdverts: 4,
      mcastGroup4: '224.0.0.19',
      mcastGroup6: 'ff02::13',
      skipCheckAdvAddr: true,
      checkUnicastSrc: true,
      gnaIntervalUs: 0,
      vmacPrefix: 'vm',
      vmacAddrPrefix: 'va',
      notifyFifo: { path: '/run/vrrpd/all.fifo', user: 'root', group: 'root', source: { file, line: 16 } },
      vrrpNotifyFifo: { path: '/run/vrrpd/vrrp.fifo', user: null, group: null, source: { file, line: 17 } },
      notifyFifoScript: {
        command: '/etc/vrrpd/reader.sh all',
        argv: ['/etc/vrrpd/reader.sh', 'all'],
        user: 'vrrp',
        source: { file, line: 31 },
      },
      vrrpNotifyFifoScript: {
        command: '/etc/vrrpd/vrrp-reader.sh',
        argv: ['/etc/vrrpd/vrrp-reader.sh'],
        source: { file, line: 32 },
      },
      notifyPriorityChanges: true,
      processPriority: -10,
      noSwap: true,
      disableLocalIgmp: true,
      realtimePriority: 50,
      maxAutoPriority: 20,
      vrrpStrict: false,
      dynamicInterfaces: false,
      startupScript: {
        command: '/etc/vrrpd/start.sh now',
        argv: ['/etc/vrrpd/start.sh', 'now'],
        source: { file, line: 22 },
      },
      startupScriptTimeoutMs: 20000,
      shutdownScript: {
        command: '/etc/vrrpd/stop.sh',
        argv: ['/etc/vrrpd/stop.sh'],
        user: 'nobody',
        source: { file, line: 24 },
      },
      shutdownScriptTimeoutMs: 30000,
      netNamespace: null,
    });
  });

  it('checks multicast groups', () => {
    const result = parseConfigText(
      'global_defs {\n  vrrp_mcast_group4 192.0.2.1\n  vrrp_mcast_group6 ff05::12\n}',
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'vrrp_mcast_group4 192.0.2.1 is not a multicast address (224.0.0.0/4): the line is ignored, as keepalived ignores it',
      'vrrp_mcast_group6 ff05::12 is not a link-local multicast address (ffX2::): the line is ignored, as keepalived ignores it',
    ]);
  });

  it('notify_fifo and vrrp_notify_fifo on one path: the vrrp one and its reader are dropped, as keepalived drops them', () => {
    const result = parseConfigText(
      `global_defs {\n  notify_fifo /run/vrrpd/all.fifo\n  vrrp_notify_fifo /run/vrrpd/all.fifo\n  vrrp_notify_fifo_script /etc/vrrpd/reader.sh\n}\n${minimal}`,
    );
    expect(result.ok).toBe(true);
    expect(result.config.globals.notifyFifo?.path).toBe('/run/vrrpd/all.fifo');
    expect(result.config.globals.vrrpNotifyFifo).toBeNull();
    expect(result.config.globals.vrrpNotifyFifoScript).toBeNull();
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'warning',
        3,
        'vrrp_notify_fifo /run/vrrpd/all.fifo is also notify_fifo: vrrp_notify_fifo and its vrrp_notify_fifo_script are ignored, as keepalived ignores them (each event is written once)',
      ],
    ]);
  });
});
