// The small pure helpers around the manager: conntrack argv, which configured gateway the
// kernel's default route matches, and the VRRP-state mapping. (Their I/O neighbours, check-site
// resolution, post-replace.d listing and the state file, are tested in test/daemon/uplinks.)

import { describe, expect, it } from 'vitest';
import { conntrackFlushArgv } from '../../src/uplink/conntrack.js';
import { matchActiveGateway } from '../../src/uplink/route-match.js';
import { uplinkRoleForFollow } from '../../src/uplink/vrrp-follow.js';
import type { VrrpState } from '../../src/vrrp/types.js';
import { gateway } from './policy-helpers.js';

describe('conntrack flush argv', () => {
  it('restricts the flush to the old uplink address when known', () => {
    expect(conntrackFlushArgv('udp', '198.51.100.14')).toEqual([
      'conntrack',
      '-D',
      '-p',
      'udp',
      '--reply-dst',
      '198.51.100.14',
    ]);
    expect(conntrackFlushArgv('udp', null)).toEqual(['conntrack', '-D', '-p', 'udp']);
    expect(conntrackFlushArgv('all', '198.51.100.14')).toEqual([
      'conntrack',
      '-D',
      '--reply-dst',
      '198.51.100.14',
    ]);
  });
});

describe('matching the current default route', () => {
  const gateways = [
    gateway('a', 1, '198.51.100.1', 'eth1'),
    gateway('b', 2, '198.51.100.17'),
    gateway('ppp', 3, null, 'ppp0'),
  ];

  it('matches by next hop (and device when the gateway names one), or by device for dev-only gateways', () => {
    expect(matchActiveGateway(gateways, { gateway: '198.51.100.1', dev: 'eth1' })).toBe('a');
    expect(matchActiveGateway(gateways, { gateway: '198.51.100.1', dev: 'eth9' })).toBeNull();
    expect(matchActiveGateway(gateways, { gateway: '198.51.100.17', dev: 'eth2' })).toBe('b');
    expect(matchActiveGateway(gateways, { gateway: null, dev: 'ppp0' })).toBe('ppp');
    expect(matchActiveGateway(gateways, { gateway: '192.0.2.2', dev: 'eth0' })).toBeNull();
    expect(matchActiveGateway(gateways, null)).toBeNull();
  });
});

describe('VRRP state to uplink role', () => {
  it('only MASTER owns the route', () => {
    const role = (state: VrrpState) =>
      uplinkRoleForFollow(
        { kind: 'instance', name: 'VI_1' },
        { instances: new Map([['VI_1', state]]), syncGroups: new Map() },
      );
    expect(role('MASTER')).toBe('master');
    for (const state of ['BACKUP', 'FAULT', 'INIT'] as const) expect(role(state)).toBe('backup');
  });
});

describe('the role of an uplink_group from what it follows', () => {
  const view = {
    instances: new Map([
      ['VI_1', 'MASTER'],
      ['VI_2', 'MASTER'],
      ['VI_3', 'BACKUP'],
      ['VI_4', 'FAULT'],
    ] as const),
    syncGroups: new Map([
      ['ALL_MASTER', ['VI_1', 'VI_2']],
      ['HALF', ['VI_2', 'VI_3']],
      ['EMPTY', []],
    ]),
  };

  it('follows an instance, owns nothing when the name is unknown, and is standalone without follow', () => {
    expect(uplinkRoleForFollow({ kind: 'instance', name: 'VI_1' }, view)).toBe('master');
    expect(uplinkRoleForFollow({ kind: 'instance', name: 'VI_4' }, view)).toBe('backup');
    expect(uplinkRoleForFollow({ kind: 'instance', name: 'VI_9' }, view)).toBe('backup');
    expect(uplinkRoleForFollow(null, view)).toBe('standalone');
  });

  it('takes a sync group as MASTER only when every member is', () => {
    expect(uplinkRoleForFollow({ kind: 'group', name: 'ALL_MASTER' }, view)).toBe('master');
    expect(uplinkRoleForFollow({ kind: 'group', name: 'HALF' }, view)).toBe('backup');
    expect(uplinkRoleForFollow({ kind: 'group', name: 'EMPTY' }, view)).toBe('backup');
    expect(uplinkRoleForFollow({ kind: 'group', name: 'NONE' }, view)).toBe('backup');
  });

  it('keeps the route while a planned release still holds the addresses (make-before-break)', () => {
    const releasing = { ...view, releasing: new Set(['VI_3']) };
    expect(uplinkRoleForFollow({ kind: 'instance', name: 'VI_3' }, releasing)).toBe('master');
    expect(uplinkRoleForFollow({ kind: 'group', name: 'HALF' }, releasing)).toBe('master');
    expect(uplinkRoleForFollow({ kind: 'instance', name: 'VI_4' }, releasing)).toBe('backup');
  });
});
