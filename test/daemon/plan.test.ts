// Configuration → InstancePlan: what the daemon runs is exactly what keepalived's syntax asked for.

import { describe, expect, it } from 'vitest';
import { expectationsOf, planDaemon, sameIdentity, type InstancePlan } from '../../src/daemon/plan.js';
import { AuthType } from '../../src/packet/types.js';
import { parseOk } from './harness.js';

function plans(text: string): InstancePlan[] {
  return [...planDaemon(parseOk(text)).instances];
}

function onlyPlan(text: string): InstancePlan {
  const [plan] = plans(text);
  return plan!;
}

const MULTICAST = `
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 2
  authentication {
    auth_type PASS
    auth_pass secret1
  }
  virtual_ipaddress {
    192.0.2.254/24
    192.0.2.253/32 dev eth1 label eth1:vip no_track
  }
  virtual_ipaddress_excluded {
    203.0.113.10/24
  }
}
`;

describe('planInstance', () => {
  it('maps identity, priority, interval, auth and addresses of a multicast instance', () => {
    const plan = onlyPlan(MULTICAST);
    expect(plan).toMatchObject({
      name: 'VI_1',
      interfaceName: 'eth0',
      vrid: 51,
      unicastPeers: null,
      configuredSource: null,
      multicastGroup: '224.0.0.18',
      ttl: 255,
      trackPrimary: true,
      syncGroup: null,
      checkUnicastSource: false,
      skipCheckAdvertAddresses: false,
    });
    expect(plan.vips.map((v) => [v.address, v.prefix, v.dev, v.label, v.noTrack])).toEqual([
      ['192.0.2.254', 24, null, null, false],
      ['192.0.2.253', 32, 'eth1', 'eth1:vip', true],
    ]);
    expect(plan.excludedVips.map((v) => v.address)).toEqual(['203.0.113.10']);
    expect(plan.core).toMatchObject({
      name: 'VI_1',
      vrid: 51,
      version: 2,
      priority: 150,
      advertIntervalCs: 200,
      vips: ['192.0.2.254', '192.0.2.253'],
      excludedVips: ['203.0.113.10'],
      authType: AuthType.simple,
      authPassword: 'secret1',
      preempt: true,
      preemptDelayMs: 0,
      startupDelayMs: 0,
      initialState: 'MASTER',
      syncGroup: null,
    });
  });

  it('without authentication the core gets auth type none and an empty password', () => {
    const plan = onlyPlan(`
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress {
    192.0.2.254/24
  }
}
`);
    expect(plan.core).toMatchObject({ authType: AuthType.none, authPassword: '', priority: 100 });
    expect(plan.core.advertIntervalCs).toBe(100);
  });

  it('keepalived GARP defaults: 5 at once, 5 more after 5 s, no refresh, no spacing', () => {
    expect(onlyPlan(MULTICAST).core.garp).toEqual({
      masterRepeat: 5,
      masterDelayMs: 5000,
      masterRefreshMs: 0,
      masterRefreshRepeat: 1,
      intervalMs: 0,
    });
  });

  it('vrrp_garp_interval is microseconds in the model and whole (rounded up) milliseconds in the core', () => {
    const garpWith = (globals: string) => onlyPlan(`global_defs {\n${globals}\n}\n${MULTICAST}`).core.garp;
    expect(garpWith('vrrp_garp_interval 0.25')?.intervalMs).toBe(250);
    // 1500 µs must not become 1 ms: pacing is a floor, so it rounds up.
    expect(garpWith('vrrp_garp_interval 0.0015')?.intervalMs).toBe(2);
    expect(garpWith('vrrp_garp_interval 0.000001')?.intervalMs).toBe(1);
    expect(
      garpWith('vrrp_garp_master_delay 10\nvrrp_garp_master_repeat 3\nvrrp_garp_master_refresh 60'),
    ).toEqual({
      masterRepeat: 3,
      masterDelayMs: 10_000,
      masterRefreshMs: 60_000,
      masterRefreshRepeat: 1,
      intervalMs: 0,
    });
  });

  it('an instance garp_master_* overrides the global default', () => {
    const plan = onlyPlan(
      `global_defs {\nvrrp_garp_master_repeat 3\n}\n` +
        MULTICAST.replace('advert_int 2', 'advert_int 2\n  garp_master_repeat 1\n  garp_master_delay 0'),
    );
    expect(plan.core.garp).toMatchObject({ masterRepeat: 1, masterDelayMs: 0 });
  });

  it('unicast: peers, unicast_src_ip as source, unicast_ttl, check_unicast_src', () => {
    const plan = onlyPlan(`
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 120
  unicast_src_ip 192.0.2.1
  unicast_ttl 64
  check_unicast_src
  unicast_peer {
    192.0.2.2
    192.0.2.3
  }
  virtual_ipaddress {
    192.0.2.254/24
  }
}
`);
    expect(plan).toMatchObject({
      unicastPeers: ['192.0.2.2', '192.0.2.3'],
      configuredSource: '192.0.2.1',
      ttl: 64,
      checkUnicastSource: true,
    });
    expect(expectationsOf(plan)).toMatchObject({
      unicastPeers: ['192.0.2.2', '192.0.2.3'],
      checkUnicastSource: true,
    });
  });

  it('multicast: mcast_src_ip is the source, TTL stays 255 and check_unicast_src does not apply', () => {
    const plan = onlyPlan(
      `global_defs {\nvrrp_check_unicast_src\n}\n` +
        MULTICAST.replace('advert_int 2', 'advert_int 2\n  mcast_src_ip 192.0.2.9\n  unicast_ttl 3'),
    );
    expect(plan).toMatchObject({ unicastPeers: null, configuredSource: '192.0.2.9', ttl: 255 });
    expect(plan.checkUnicastSource).toBe(true);
    const expectations = expectationsOf(plan);
    expect(expectations.checkUnicastSource).toBe(false);
    expect('unicastPeers' in expectations).toBe(false);
  });

  it('dont_track_primary and skip_check_adv_addr', () => {
    const plan = onlyPlan(
      MULTICAST.replace('advert_int 2', 'advert_int 2\n  dont_track_primary\n  skip_check_adv_addr'),
    );
    expect(plan.trackPrimary).toBe(false);
    expect(plan.skipCheckAdvertAddresses).toBe(true);
    expect(expectationsOf(plan).skipCheckAdvertAddresses).toBe(true);
  });
});

describe('expectationsOf', () => {
  it('is what the validation ladder needs: VRID, version, priority, auth, interval, advertised addresses', () => {
    expect(expectationsOf(onlyPlan(MULTICAST))).toEqual({
      instanceKey: 'VI_1',
      vrid: 51,
      version: 2,
      priority: 150,
      authType: AuthType.simple,
      authPassword: 'secret1',
      advertIntervalCs: 200,
      // virtual_ipaddress_excluded is not advertised, so it is not expected either.
      addresses: ['192.0.2.254', '192.0.2.253'],
      // The group a multicast instance sends to tells it from another on the same VRID.
      multicastGroup: '224.0.0.18',
      checkUnicastSource: false,
      skipCheckAdvertAddresses: false,
    });
  });
});

const TRACKING = `
vrrp_script chk_web {
  script "/usr/bin/true"
  interval 2
  weight -20
}
vrrp_script chk_db {
  script "/usr/bin/true"
  weight 10 reverse
}
track_file maint {
  file "/run/maint"
  weight 3
}
vrrp_sync_group G1 {
  group {
    LAN
    WAN
  }
  track_interface {
    eth9 weight -7
  }
  track_script {
    chk_db
  }
}
vrrp_instance LAN {
  interface eth0
  virtual_router_id 51
  priority 150
  virtual_ipaddress {
    192.0.2.254/24
  }
  track_interface {
    eth1
    eth2 weight -30
  }
  track_script {
    chk_web
    chk_db weight 5
  }
  track_file {
    maint weight 2 reverse
  }
}
vrrp_instance WAN {
  interface eth1
  virtual_router_id 52
  priority 150
  virtual_ipaddress {
    198.51.100.254/24
  }
}
vrrp_instance SOLO {
  interface eth0
  virtual_router_id 53
  priority 100
  virtual_ipaddress {
    192.0.2.200/24
  }
  track_script {
    chk_web
  }
}
`;

function trackersOf(plan: InstancePlan): Array<[string, number, boolean]> {
  return plan.trackers.map((t) => [t.key, t.weight, t.reverse]);
}

describe('tracker bindings', () => {
  it('outside a sync group: own weights, script/file defaults, reverse from the entry or the script', () => {
    const solo = plans(TRACKING).find((p) => p.name === 'SOLO')!;
    expect(solo.syncGroup).toBeNull();
    expect(trackersOf(solo)).toEqual([['script:chk_web', -20, false]]);
    expect(solo.trackers[0]).toMatchObject({ kind: 'script', name: 'chk_web' });
  });

  it('sync-group members: own weighted trackers dropped or made 0, group trackers keep their weights (keepalived -d)', () => {
    const [lan, wan] = plans(TRACKING);
    expect(lan!.syncGroup).toBe('G1');
    expect(lan!.core.syncGroup).toBe('G1');
    // keepalived 2.2.7: "ignoring eth2 tracked interface weight due to SYNC group", "ignoring
    // tracked script chk_web / chk_db with weights", "ignoring tracked file maint with weight 2";
    // the group's eth9 and chk_db apply to every member with their weights.
    expect(trackersOf(lan!)).toEqual([
      ['interface:eth1', 0, false],
      ['interface:eth2', 0, false],
      ['interface:eth9', -7, false],
      ['script:chk_db', 10, true],
    ]);
    expect(trackersOf(wan!)).toEqual([
      ['interface:eth9', -7, false],
      ['script:chk_db', 10, true],
    ]);
  });

  it('sync_group_tracking_weight keeps every weight', () => {
    const text = TRACKING.replace(
      'vrrp_sync_group G1 {',
      'vrrp_sync_group G1 {\n  sync_group_tracking_weight',
    );
    const [lan, wan] = plans(text);
    expect(trackersOf(lan!)).toEqual([
      ['interface:eth1', 0, false],
      ['interface:eth2', -30, false],
      ['script:chk_web', -20, false],
      ['script:chk_db', 5, true],
      ['file:maint', 2, true],
      ['interface:eth9', -7, false],
    ]);
    expect(trackersOf(wan!)).toEqual([
      ['interface:eth9', -7, false],
      ['script:chk_db', 10, true],
    ]);
  });

  it('planDaemon lists the sync groups for the engine', () => {
    expect(planDaemon(parseOk(TRACKING)).syncGroups).toEqual([{ name: 'G1', members: ['LAN', 'WAN'] }]);
  });
});

describe('sameIdentity (may a reload keep the state?)', () => {
  const base = onlyPlan(MULTICAST);
  const variant = (from: string, to: string) => onlyPlan(MULTICAST.replace(from, to));

  it('priority, interval, auth and addresses are not identity', () => {
    expect(sameIdentity(base, onlyPlan(MULTICAST))).toBe(true);
    expect(sameIdentity(base, variant('priority 150', 'priority 90'))).toBe(true);
    expect(sameIdentity(base, variant('advert_int 2', 'advert_int 3'))).toBe(true);
    expect(sameIdentity(base, variant('auth_pass secret1', 'auth_pass other'))).toBe(true);
    expect(sameIdentity(base, variant('192.0.2.254/24', '192.0.2.250/24'))).toBe(true);
  });

  it('VRID, interface, version, unicast setup and source address are', () => {
    expect(sameIdentity(base, variant('virtual_router_id 51', 'virtual_router_id 52'))).toBe(false);
    expect(sameIdentity(base, variant('interface eth0', 'interface eth5'))).toBe(false);
    expect(sameIdentity(base, variant('advert_int 2', 'advert_int 2\n  version 3'))).toBe(false);
    expect(sameIdentity(base, variant('advert_int 2', 'advert_int 2\n  mcast_src_ip 192.0.2.9'))).toBe(false);
    expect(
      sameIdentity(base, variant('advert_int 2', 'advert_int 2\n  unicast_peer {\n    192.0.2.2\n  }')),
    ).toBe(false);
    expect(sameIdentity(base, variant('vrrp_instance VI_1', 'vrrp_instance VI_2'))).toBe(false);
  });
});
