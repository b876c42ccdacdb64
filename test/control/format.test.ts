import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatInstanceDetail,
  formatStats,
  formatStatusLine,
  formatStatusSummary,
  formatUplinks,
} from '../../src/control/format.js';
import { formatAge, formatSeconds } from '../../src/control/format-values.js';
import { ellipsize, renderTable } from '../../src/control/text-table.js';
import type { InstanceStatus, StatusSnapshot } from '../../src/control/status-types.js';
import {
  FIXED_NOW,
  backupInstance,
  faultInstance,
  masterInstance,
  sampleStats,
  sampleStatus,
} from './fixtures.js';

const plain = { now: FIXED_NOW, color: false };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line.replace(ANSI, '')].length));
}

describe('status summary table', () => {
  it('prints the fixed snapshot exactly, squeezing long names to fit 80 columns', () => {
    const text = formatStatusSummary(sampleStatus(), plain);
    expect(text).toBe(
      [
        'Instance        Interface     VRID  State   Prio     Master        VIPs    Since',
        'VI_LAN          eth0            51  MASTER  150/150  192.0.2.1     1 VIP   3m12s',
        'VI_WAN_with_a…  enp3s0f1.100    52  BACKUP  100/80   198.51.100.2  3 VIPs  1d02h',
        'VI_DMZ          eth3            53  FAULT   90/90    -             -       5s',
        '',
        'Uplink group ISP: master, follows instance VI_LAN, active isp1, 3 switches',
        'Uplink  Gateway       Dev   Prio  State       RTT±jitter  Loss  Healthy  Active',
        'isp1    198.51.100.1  eth1    10  UP           1.2±0.2ms    0%  2h05m    *',
        'isp2    203.0.113.1   eth2    20  DOWN loss!           -   75%  -',
        '',
      ].join('\n'),
    );
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it('shows VIP addresses, first +N when several, and a count only when short of room', () => {
    const roomy: StatusSnapshot = {
      instances: [
        masterInstance(),
        {
          ...backupInstance(),
          name: 'VI_B',
          interface: 'eth1',
          masterAddress: '192.0.2.2',
          vips: ['192.0.2.10/32', '192.0.2.11/32 dev eth1'],
        },
      ],
      uplinks: [],
      uplinkGroups: [],
    };
    expect(formatStatusSummary(roomy, plain)).toBe(
      [
        'Instance  Interface  VRID  State   Prio     Master     VIPs           Since',
        'VI_LAN    eth0         51  MASTER  150/150  192.0.2.1  192.0.2.254    3m12s',
        'VI_B      eth1         52  BACKUP  100/80   192.0.2.2  192.0.2.10 +1  1d02h',
        '',
      ].join('\n'),
    );
    const tight: StatusSnapshot = {
      instances: [
        masterInstance(),
        { ...backupInstance(), name: 'VI_WAN', interface: 'eth1' },
        faultInstance(),
      ],
      uplinks: [],
      uplinkGroups: [],
    };
    expect(formatStatusSummary(tight, plain)).toBe(
      [
        'Instance  Interface  VRID  State   Prio     Master        VIPs         Since',
        'VI_LAN    eth0         51  MASTER  150/150  192.0.2.1     192.0.2.254  3m12s',
        'VI_WAN    eth1         52  BACKUP  100/80   198.51.100.2  3 VIPs       1d02h',
        'VI_DMZ    eth3         53  FAULT   90/90    -             -            5s',
        '',
      ].join('\n'),
    );
  });

  it('colours states only when asked, without disturbing alignment', () => {
    const coloured = formatStatusSummary(sampleStatus(), { ...plain, color: true });
    expect(coloured).toContain('\u001b[32mMASTER\u001b[0m');
    expect(coloured).toContain('\u001b[31mFAULT\u001b[0m');
    expect(coloured).not.toContain('\u001b[32mBACKUP');
    expect(coloured.replace(ANSI, '')).toBe(formatStatusSummary(sampleStatus(), plain));
    expect(formatStatusSummary(sampleStatus(), plain)).not.toMatch(ANSI);
  });

  it('prints each uplink group under its own heading, also without VRRP instances (--uplinks-only)', () => {
    const [isp1, isp2] = sampleStatus().uplinks;
    const snapshot: StatusSnapshot = {
      instances: [],
      uplinks: [
        { ...isp1!, group: 'standalone' },
        { ...isp2!, group: 'DMZ', ip: '', dev: 'ppp0', active: false },
      ],
      uplinkGroups: [
        {
          name: 'standalone',
          role: 'standalone',
          follows: null,
          active: 'isp1',
          switches: 1,
          routeErrors: 2,
          pinned: 'isp1',
          error: null,
        },
        {
          name: 'DMZ',
          role: 'backup',
          follows: 'group G1',
          active: null,
          switches: 0,
          routeErrors: 0,
          pinned: null,
          error: null,
        },
      ],
    };
    expect(formatStatusSummary(snapshot, plain)).toBe(
      [
        'No VRRP instances are configured.',
        '',
        'Uplink group standalone: standalone, active isp1, pinned to isp1, 1 switch, 2 failed route writes',
        'Uplink  Gateway       Dev   Prio  State  RTT±jitter  Loss  Healthy  Active',
        'isp1    198.51.100.1  eth1    10  UP      1.2±0.2ms    0%  2h05m    *',
        '',
        'Uplink group DMZ: backup, follows group G1, active none, 0 switches',
        'Uplink  Gateway  Dev   Prio  State       RTT±jitter  Loss  Healthy  Active',
        'isp2             ppp0    20  DOWN loss!           -   75%  -',
        '',
      ].join('\n'),
    );
    const broken = {
      ...snapshot,
      uplinks: [],
      uplinkGroups: [
        { ...snapshot.uplinkGroups[1]!, error: '/etc/netgwm/dmz.yml:3: error: gateways is empty' },
      ],
    };
    expect(formatStatusSummary(broken, plain)).toBe(
      'No VRRP instances are configured.\n\nUplink group DMZ: ERROR /etc/netgwm/dmz.yml:3: error: gateways is empty\n',
    );
  });

  it('says so when nothing is configured', () => {
    expect(formatStatusSummary({ instances: [], uplinks: [], uplinkGroups: [] }, plain)).toBe(
      'No VRRP instances are configured.\n',
    );
    expect(formatUplinks([], plain)).toBe('No uplinks are configured.\n');
  });

  it('never exceeds 80 columns, whatever the names and addresses', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,60}$/);
    const ipv4 = fc.ipV4();
    const instance = fc.record({
      name,
      iface: fc.stringMatching(/^[a-z0-9.]{1,15}$/),
      vrid: fc.integer({ min: 1, max: 255 }),
      priority: fc.integer({ min: 1, max: 255 }),
      effective: fc.integer({ min: 0, max: 255 }),
      master: fc.option(ipv4, { nil: null }),
      vips: fc.array(
        ipv4.map((a) => `${a}/32`),
        { maxLength: 30 },
      ),
      ageMs: fc.integer({ min: 0, max: 400 * 86_400_000 }),
    });
    fc.assert(
      fc.property(fc.array(instance, { minLength: 1, maxLength: 6 }), (drafts) => {
        const instances: InstanceStatus[] = drafts.map((d) => ({
          ...masterInstance(),
          name: d.name,
          interface: d.iface,
          vrid: d.vrid,
          priority: d.priority,
          effectivePriority: d.effective,
          masterAddress: d.master,
          vips: d.vips,
          lastTransition: new Date(FIXED_NOW - d.ageMs).toISOString(),
        }));
        const snapshot: StatusSnapshot = { ...sampleStatus(), instances };
        expect(widest(formatStatusSummary(snapshot, plain))).toBeLessThanOrEqual(80);
        for (const one of instances) expect(widest(formatInstanceDetail(one, plain))).toBeLessThanOrEqual(80);
      }),
    );
  });
});

describe('instance detail view', () => {
  it('prints every field, trackers, counters and drops by reason', () => {
    expect(formatInstanceDetail(masterInstance(), plain)).toBe(
      [
        'Instance VI_LAN',
        '  State                 MASTER',
        '  Since                 2024-05-01T11:56:48.000Z (3m12s ago)',
        '  Reason                master down timer expired',
        '  Interface             eth0',
        '  VRID                  51 (VRRPv2)',
        '  Priority              150 configured, 150 effective',
        '  Master                192.0.2.1',
        '  Advert interval       1 s',
        '  Master down interval  3.414 s',
        '  VIPs                  192.0.2.254/24',
        '  Trackers',
        '    Kind       Name        Status  Weight  Now  Streak',
        '    script     chk_uplink  UP         -20    0    4 ok',
        '    interface  eth1        UP           0    0       -',
        '  Counters',
        '    Adverts received            12',
        '    Adverts sent              3456',
        '    Became master                2',
        '    Released master              1',
        '    Priority 0 received          1',
        '    Priority 0 sent              0',
        '  Drops',
        '    auth_password                1',
        '    checksum                     2',
        '',
      ].join('\n'),
    );
  });

  it('lists every VIP on its own line and says none for empty sections', () => {
    const backup = formatInstanceDetail(backupInstance(), plain);
    expect(backup).toContain(
      [
        '  VIPs                  198.51.100.254/24',
        '                        198.51.100.253/24 dev eth2',
        '                        203.0.113.10/32',
      ].join('\n'),
    );
    expect(backup).toContain('  Drops                 none\n');
    expect(backup).toContain('  Advert interval       0.5 s\n');
    const fault = formatInstanceDetail(faultInstance(), plain);
    expect(fault).toContain('  Master                -\n');
    expect(fault).toContain('  VIPs                  -\n');
    expect(fault).toContain('  Trackers              none\n');
  });

  it('shows the VMACs an instance runs on (use_vmac), one per line under the interface', () => {
    const instance = {
      ...masterInstance(),
      vmacs: [
        { name: 'vrrp.51', base: 'eth0', mac: '00:00:5e:00:01:33' },
        { name: 'vrrp6.51', base: 'eth0', mac: '00:00:5e:00:02:33' },
      ],
    };
    expect(formatInstanceDetail(instance, plain)).toContain(
      [
        '  Interface             eth0',
        '  VMAC                  vrrp.51 on eth0, 00:00:5e:00:01:33',
        '                        vrrp6.51 on eth0, 00:00:5e:00:02:33',
        '  VRID                  51 (VRRPv2)',
      ].join('\n'),
    );
    expect(formatInstanceDetail(masterInstance(), plain)).not.toContain('VMAC');
  });

  it('shows the ipvlan an instance sends on (use_ipvlan) under the interface', () => {
    const instance = {
      ...masterInstance(),
      ipvlans: [{ name: 'vrrp.51', base: 'eth0', kind: 'bridge', address: '192.0.2.10/24' }],
    };
    expect(formatInstanceDetail(instance, plain)).toContain(
      ['  Interface             eth0', '  IPVLAN                vrrp.51 on eth0, bridge, 192.0.2.10/24'].join(
        '\n',
      ),
    );
    expect(formatInstanceDetail(masterInstance(), plain)).not.toContain('IPVLAN');
  });
});

describe('stats', () => {
  it('prints counters per instance and drops by reason', () => {
    expect(formatStats(sampleStats(), plain)).toBe(
      [
        'Counters since 2024-05-01T10:00:00.000Z (2h00m ago)',
        'Instance           Adv-Rx  Adv-Tx  Became-M  Released  Prio0-Rx  Prio0-Tx  Drops',
        'VI_LAN                 12    3456         2         1         1         0      3',
        'VI_WAN_with_a_ra…   98765       0         0         0         0         0      0',
        'VI_DMZ              98765       0         0         0         0         0      0',
        '',
        'Drops by reason',
        '  Instance  Reason         Count',
        '  VI_LAN    auth_password      1',
        '  VI_LAN    checksum           2',
        '',
      ].join('\n'),
    );
  });
});

describe('systemd STATUS= line', () => {
  it('counts instances by state and names the active uplink', () => {
    expect(formatStatusLine(sampleStatus())).toBe(
      '3 instances: 1 MASTER, 1 BACKUP, 1 FAULT; uplinks 1/2 up, active isp1',
    );
    expect(formatStatusLine({ instances: [masterInstance()], uplinks: [], uplinkGroups: [] })).toBe(
      '1 instance: 1 MASTER',
    );
    expect(formatStatusLine({ instances: [], uplinks: [], uplinkGroups: [] })).toBe('no instances');
  });
});

describe('value formatting', () => {
  it('formats ages compactly', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(59_999)).toBe('59s');
    expect(formatAge(60_000)).toBe('1m00s');
    expect(formatAge(3_599_000)).toBe('59m59s');
    expect(formatAge(3_600_000)).toBe('1h00m');
    expect(formatAge(86_400_000 + 4 * 3_600_000)).toBe('1d04h');
    expect(formatAge(150 * 86_400_000)).toBe('150d');
    expect(formatAge(-5000)).toBe('0s');
  });

  it('formats seconds without float noise', () => {
    expect(formatSeconds(1)).toBe('1 s');
    expect(formatSeconds(3.609375)).toBe('3.609 s');
    expect(formatSeconds(0.1 + 0.2)).toBe('0.3 s');
  });

  it('ellipsizes and aligns tables', () => {
    expect(ellipsize('abcdef', 4)).toBe('abc…');
    expect(ellipsize('abc', 4)).toBe('abc');
    expect(
      renderTable(
        [{ header: 'A' }, { header: 'Num', align: 'right' }],
        [
          ['x', '1'],
          ['longer', '100'],
        ],
        { width: 80, color: false },
      ),
    ).toEqual(['A       Num', 'x         1', 'longer  100']);
  });
});
