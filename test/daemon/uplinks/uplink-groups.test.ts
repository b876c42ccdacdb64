// The daemon's uplink groups with an in-memory kernel and scripted probe sockets: one manager per
// uplink_group, roles following the VRRP view (instance, sync group, standalone), a backup that
// never writes a route, the fallback on leaving MASTER, reload keeping, adding and removing
// groups, and stop removing the probe routing. Waits are bounded polls; no durations asserted.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/config/report/diagnostics.js';
import type { UplinkGroupDecl } from '../../../src/config/model/types.js';
import { parseNetgwmConfig } from '../../../src/config/netgwm/parse.js';
import type { LoadedUplinkGroup, NetgwmConfig } from '../../../src/config/netgwm/types.js';
import type { VrrpState } from '../../../src/vrrp/types.js';
import { DaemonUplinks } from '../../../src/daemon/uplinks/daemon-uplinks.js';
import type { VrrpView } from '../../../src/uplink/vrrp-follow.js';
import { FakeKernel, FakeNetwork } from './fake-kernel.js';
import { silentLogger, type Logger } from '../../../src/runtime/log.js';

const MARK_BASE = 0x76720000;
const SOURCE = { file: '/etc/vrrpd/vrrpd.conf', line: 1 };

const silent: Logger = silentLogger;

async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('uplink groups in the daemon (fake kernel)', () => {
  let dir: string;
  let kernel: FakeKernel;
  let network: FakeNetwork;
  let states: Map<string, VrrpState>;
  let syncGroups: Map<string, string[]>;
  let uplinks: DaemonUplinks;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-groups-'));
    kernel = new FakeKernel();
    network = new FakeNetwork();
    for (const n of [1, 2, 3, 11, 12]) network.reachable.add(MARK_BASE + n);
    states = new Map([
      ['VI_1', 'BACKUP'],
      ['VI_2', 'BACKUP'],
      ['VI_3', 'BACKUP'],
    ]);
    syncGroups = new Map([['G1', ['VI_2', 'VI_3']]]);
    const view = (): VrrpView => ({ instances: new Map(states), syncGroups });
    uplinks = new DaemonUplinks({
      logger: silent,
      vrrpView: view,
      deps: { kernel, openProber: network.open, utcOffsetMinutes: () => 0 },
    });
  });

  afterEach(async () => {
    await uplinks.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function netgwm(name: string, table: number, gatewayBase: string, extra = ''): NetgwmConfig {
    const sink = new DiagnosticSink();
    const config = parseNetgwmConfig(
      `gateways:
  a: {ip: ${gatewayBase}.1, dev: eth1, priority: 1}
  b: {ip: ${gatewayBase}.17, dev: eth2, priority: 2}
min_uptime: 60
check_sites: [203.0.113.10]
vrrpd:
  interval: 0.05
  timeout: 0.04
  count: 1
  rise: 1
  fall: 1
  route_table: ${table}
  post_replace_dir: null
  log_file: ${join(dir, `${name}.log`)}
  status_dir: ${join(dir, `${name}-run`)}
  mode_file: ${join(dir, `${name}-mode`)}
  state_file: ${join(dir, `${name}.json`)}
${extra}`,
      `/etc/netgwm/${name}.yml`,
      sink,
    );
    expect(sink.diagnostics).toEqual([]);
    return config as NetgwmConfig;
  }

  function group(
    name: string,
    follow: UplinkGroupDecl['follow'],
    config: NetgwmConfig,
    onLeaveMaster: UplinkGroupDecl['onLeaveMaster'] = { kind: 'leave' },
  ): LoadedUplinkGroup {
    return {
      decl: { name, configPath: config.file, follow, onLeaveMaster, source: SOURCE },
      config,
    };
  }

  const routeVia = (table: number) => kernel.defaultRoute(table)?.gateway;
  const writesTo = (table: number) => kernel.writes.filter((w) => w.table === table);

  it('gives each group the role of what it follows, and only an owner writes its route', async () => {
    const two = `  probe_table_base: 3410\n  probe_rule_priority_base: 3410\n  probe_fwmark_base: ${MARK_BASE + 10}\n`;
    await uplinks.apply([
      group('ISP', { kind: 'instance', name: 'VI_1', source: SOURCE }, netgwm('isp', 100, '198.51.100'), {
        kind: 'fallback',
        via: '192.0.2.2',
        dev: 'eth0',
      }),
      group('DMZ', { kind: 'group', name: 'G1', source: SOURCE }, netgwm('dmz', 101, '203.0.113', two)),
    ]);
    // Both follow BACKUP: they probe (status fills in) but write nothing.
    await waitFor('first round', () => uplinks.snapshot().uplinks.every((u) => u.state === 'UP'));
    expect(uplinks.snapshot().uplinkGroups).toEqual([
      {
        name: 'ISP',
        role: 'backup',
        follows: 'instance VI_1',
        active: null,
        switches: 0,
        routeErrors: 0,
        pinned: null,
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
    ]);
    expect(uplinks.snapshot().uplinks.map((u) => [u.group, u.id, u.active])).toEqual([
      ['ISP', 'a', false],
      ['ISP', 'b', false],
      ['DMZ', 'a', false],
      ['DMZ', 'b', false],
    ]);
    expect(kernel.writes.filter((w) => w.table === 100 || w.table === 101)).toEqual([]);

    // VI_1 becomes MASTER: the ISP group installs its best gateway at once; DMZ does not move.
    states.set('VI_1', 'MASTER');
    uplinks.followVrrp();
    await waitFor('ISP route', () => routeVia(100) === '198.51.100.1');
    expect(writesTo(101)).toEqual([]);

    // Half of G1 MASTER is not the group MASTER; all of it is.
    states.set('VI_2', 'MASTER');
    uplinks.followVrrp();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(writesTo(101)).toEqual([]);
    states.set('VI_3', 'MASTER');
    uplinks.followVrrp();
    await waitFor('DMZ route', () => routeVia(101) === '203.0.113.1');
    expect(uplinks.snapshot().uplinkGroups.map((g) => [g.name, g.role, g.active, g.switches])).toEqual([
      ['ISP', 'master', 'a', 1],
      ['DMZ', 'master', 'a', 1],
    ]);

    // VI_1 leaves MASTER: the fallback route via the other router replaces the default route.
    states.set('VI_1', 'BACKUP');
    uplinks.followVrrp();
    await waitFor('fallback route', () => routeVia(100) === '192.0.2.2');
    expect(uplinks.snapshot().uplinkGroups[0]).toMatchObject({ role: 'backup', active: null });
    // ... and while BACKUP a failing gateway changes nothing.
    const writesBefore = writesTo(100).length;
    network.reachable.delete(MARK_BASE + 1);
    await waitFor('a DOWN', () => uplinks.snapshot().uplinks[0]?.state === 'DOWN');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(writesTo(100)).toHaveLength(writesBefore);
  });

  it('a group that follows nothing always owns its route (standalone)', async () => {
    await uplinks.apply([group('LAB', null, netgwm('lab', 254, '198.51.100'))]);
    await waitFor('route', () => routeVia(254) === '198.51.100.1');
    expect(uplinks.snapshot().uplinkGroups[0]).toMatchObject({ role: 'standalone', follows: null });
  });

  it('reload keeps a group by name, starts new ones and stops removed ones (their probe rules go)', async () => {
    const follow = { kind: 'instance' as const, name: 'VI_1', source: SOURCE };
    states.set('VI_1', 'MASTER');
    await uplinks.apply([group('ISP', follow, netgwm('isp', 100, '198.51.100'))]);
    await waitFor('ISP route', () => routeVia(100) === '198.51.100.1');
    expect(kernel.ruleTable.map((r) => r.priority)).toEqual([3401, 3402]);

    // Gateway a stops answering: ISP fails over to b; the reload must keep that (a's health and
    // flap memory survive), not go back to a.
    network.reachable.delete(MARK_BASE + 1);
    await waitFor('failover', () => routeVia(100) === '198.51.100.17');
    network.reachable.add(MARK_BASE + 1);
    const other = `  probe_table_base: 3410\n  probe_rule_priority_base: 3410\n  probe_fwmark_base: ${MARK_BASE + 10}\n`;
    await uplinks.apply([
      group('ISP', follow, netgwm('isp', 100, '198.51.100')),
      group('NEW', null, netgwm('new', 102, '203.0.113', other)),
    ]);
    await waitFor('NEW route', () => routeVia(102) === '203.0.113.1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(routeVia(100)).toBe('198.51.100.17');
    expect(uplinks.snapshot().uplinkGroups.map((g) => g.name)).toEqual(['ISP', 'NEW']);

    await uplinks.apply([group('NEW', null, netgwm('new', 102, '203.0.113', other))]);
    expect(uplinks.snapshot().uplinkGroups.map((g) => g.name)).toEqual(['NEW']);
    expect(kernel.ruleTable.map((r) => r.priority)).toEqual([3411, 3412]);

    await uplinks.stop();
    expect(kernel.ruleTable).toEqual([]);
    expect(kernel.routeTable.filter((r) => r.table > 3400)).toEqual([]);
    // The default routes themselves are left as they are.
    expect(routeVia(102)).toBe('203.0.113.1');
  });

  it('a group whose netgwm.yml cannot be used is shown in an error state; a broken reload keeps the running one', async () => {
    const decl = (name: string) => ({
      name,
      configPath: `/etc/netgwm/${name}.yml`,
      follow: { kind: 'instance' as const, name: 'VI_1', source: SOURCE },
      onLeaveMaster: { kind: 'leave' as const },
      source: SOURCE,
    });
    const broken = {
      decl: decl('BAD'),
      errors: ['/etc/netgwm/BAD.yml:3: error: gateways is empty', 'second'],
    };
    states.set('VI_1', 'MASTER');
    await uplinks.apply([group('ISP', null, netgwm('isp', 100, '198.51.100'))], [broken]);
    await waitFor('ISP route', () => routeVia(100) === '198.51.100.1');
    expect(uplinks.snapshot().uplinkGroups.map((g) => [g.name, g.role, g.active, g.error])).toEqual([
      ['ISP', 'standalone', 'a', null],
      ['BAD', 'master', null, '/etc/netgwm/BAD.yml:3: error: gateways is empty (and 1 more)'],
    ]);
    // ISP's yml breaks on reload: ISP keeps running its previous file, in an error state; BAD is fixed.
    await uplinks.apply(
      [
        group(
          'BAD',
          null,
          netgwm(
            'bad',
            101,
            '203.0.113',
            `  probe_table_base: 3410\n  probe_rule_priority_base: 3410\n  probe_fwmark_base: ${MARK_BASE + 10}\n`,
          ),
        ),
      ],
      [{ decl: { ...decl('ISP'), follow: null }, errors: ['/etc/netgwm/ISP.yml:1: error: broken'] }],
    );
    await waitFor('BAD route', () => routeVia(101) === '203.0.113.1');
    expect(uplinks.snapshot().uplinkGroups.map((g) => [g.name, g.error])).toEqual([
      ['ISP', 'netgwm.yml rejected, the previous one keeps running: /etc/netgwm/ISP.yml:1: error: broken'],
      ['BAD', null],
    ]);
    expect(kernel.ruleTable.map((r) => r.priority)).toEqual([3401, 3402, 3411, 3412]);
  });
});
