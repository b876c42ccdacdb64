// Fixed snapshots for the control tests: two routers' worth of instances, an uplink pair, and a
// `now` they are measured against.

import type { InstanceStatus, StatsSnapshot, StatusSnapshot } from '../../src/control/status-types.js';

/** 2024-05-01T12:00:00Z */
export const FIXED_NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

export function masterInstance(): InstanceStatus {
  return {
    name: 'VI_LAN',
    interface: 'eth0',
    vrid: 51,
    version: 2,
    state: 'MASTER',
    priority: 150,
    effectivePriority: 150,
    masterAddress: '192.0.2.1',
    advertInterval: 1,
    masterDownInterval: 3.414,
    vips: ['192.0.2.254/24'],
    lastTransition: '2024-05-01T11:56:48.000Z',
    lastTransitionReason: 'master down timer expired',
    maintenance: null,
    priorityOverride: null,
    releasing: false,
    vmacs: [],
    ipvlans: [],
    trackers: [
      {
        kind: 'script',
        name: 'chk_uplink',
        status: 'UP',
        weight: -20,
        contribution: 0,
        consecutiveSuccesses: 4,
        consecutiveFailures: 0,
      },
      {
        kind: 'interface',
        name: 'eth1',
        status: 'UP',
        weight: 0,
        contribution: 0,
        consecutiveSuccesses: null,
        consecutiveFailures: null,
      },
    ],
    counters: {
      advertsRx: 12,
      advertsTx: 3456,
      becameMaster: 2,
      releasedMaster: 1,
      priorityZeroRx: 1,
      priorityZeroTx: 0,
      drops: { checksum: 2, auth_password: 1 },
    },
  };
}

export function backupInstance(): InstanceStatus {
  return {
    name: 'VI_WAN_with_a_rather_long_name',
    interface: 'enp3s0f1.100',
    vrid: 52,
    version: 3,
    state: 'BACKUP',
    priority: 100,
    effectivePriority: 80,
    masterAddress: '198.51.100.2',
    advertInterval: 0.5,
    masterDownInterval: 1.805,
    vips: ['198.51.100.254/24', '198.51.100.253/24 dev eth2', '203.0.113.10/32'],
    lastTransition: '2024-04-30T09:30:00.000Z',
    lastTransitionReason: 'higher priority advertisement from 198.51.100.2',
    maintenance: null,
    priorityOverride: null,
    releasing: false,
    vmacs: [],
    ipvlans: [],
    trackers: [
      {
        kind: 'script',
        name: 'chk_wan',
        status: 'DOWN',
        weight: -20,
        contribution: -20,
        consecutiveSuccesses: 0,
        consecutiveFailures: 3,
      },
    ],
    counters: {
      advertsRx: 98765,
      advertsTx: 0,
      becameMaster: 0,
      releasedMaster: 0,
      priorityZeroRx: 0,
      priorityZeroTx: 0,
      drops: {},
    },
  };
}

export function faultInstance(): InstanceStatus {
  return {
    ...backupInstance(),
    name: 'VI_DMZ',
    interface: 'eth3',
    vrid: 53,
    version: 2,
    state: 'FAULT',
    priority: 90,
    effectivePriority: 90,
    masterAddress: null,
    advertInterval: 1,
    masterDownInterval: 3.648,
    vips: [],
    lastTransition: '2024-05-01T11:59:55.000Z',
    lastTransitionReason: 'interface eth3 down',
    maintenance: null,
    priorityOverride: null,
    releasing: false,
    vmacs: [],
    ipvlans: [],
    trackers: [],
  };
}

export function sampleStatus(): StatusSnapshot {
  return {
    instances: [masterInstance(), backupInstance(), faultInstance()],
    uplinks: [
      {
        group: 'ISP',
        id: 'isp1',
        ip: '198.51.100.1',
        dev: 'eth1',
        priority: 10,
        state: 'UP',
        rttMs: 1.234,
        loss: 0,
        healthySince: '2024-05-01T09:55:00.000Z',
        active: true,
        latencyMs: 1.3,
        jitterMs: 0.2,
        alarm: null,
      },
      {
        group: 'ISP',
        id: 'isp2',
        ip: '203.0.113.1',
        dev: 'eth2',
        priority: 20,
        state: 'DOWN',
        rttMs: null,
        loss: 0.75,
        healthySince: null,
        active: false,
        latencyMs: null,
        jitterMs: null,
        alarm: 'loss',
      },
    ],
    uplinkGroups: [
      {
        name: 'ISP',
        role: 'master',
        follows: 'instance VI_LAN',
        active: 'isp1',
        switches: 3,
        routeErrors: 0,
        pinned: null,
        error: null,
      },
    ],
  };
}

export function sampleStats(): StatsSnapshot {
  return {
    since: '2024-05-01T10:00:00.000Z',
    instances: sampleStatus().instances.map(({ name, interface: iface, vrid, counters }) => ({
      name,
      interface: iface,
      vrid,
      counters,
    })),
  };
}
