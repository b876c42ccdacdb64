// Multi-operator failover on a real kernel, with the uplink manager alone (the daemon test,
// uplink-daemon.netns.test.ts, ties it to VRRP). Two routers (r1 master, r2 backup) reach three
// operators; operator 1's gateway keeps answering ping while its path to the check site is broken
// (forwarding off), which only probes *through* the gateway can notice. Topology:
// operators-lab.ts. The uplink managers run from dist/ (compiled with the project) inside r1 and r2.

import { mkdtemp, readFile, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkStatus } from '../../src/control/status-types.js';
import { requireBuiltDist } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  defaultRoute as routeOf,
  ipRules,
  NETGWM_GATEWAYS,
  OPERATORS,
  setOperatorForwarding,
  sleep,
  waitForRoute as waitForRouteIn,
} from './operators-lab.js';
import { startUplinkRunner } from './runner-client.js';

const skip = requireRoot();

const INTERVAL_MS = 200;
const FALL = 3;
const TIMEOUT_MS = 150;
const MIN_UPTIME_MS = 3000;
const RISE = 2;
/** fall rounds of detection plus one round in flight, a probe timeout and scheduling slack. */
const FAILOVER_BOUND_MS = (FALL + 1) * INTERVAL_MS + TIMEOUT_MS + 1500;
const FAILBACK_BOUND_MS = MIN_UPTIME_MS + (RISE + 1) * INTERVAL_MS + 2000;

describe.skipIf(skip !== undefined)(
  `uplink failover on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let dir: string;
    let r1: JsonLinesChild;
    let r2: JsonLinesChild;

    const defaultRoute = (role: string) => routeOf(lab, role);
    const rules = (role: string) => ipRules(lab, role);
    const hookLines = async (router: string): Promise<string[]> =>
      (await readFile(join(dir, `hooks-${router}.out`), 'utf8').catch(() => '')).split('\n').filter(Boolean);

    const waitForRoute = (role: string, gateway: string, boundMs: number) =>
      waitForRouteIn(lab, role, gateway, boundMs);

    const startRunner = (role: string): Promise<JsonLinesChild> => startUplinkRunner(lab, role);

    const writeConfig = async (router: string): Promise<string> => {
      const hooks = join(dir, `hooks-${router}.d`);
      await mkdir(hooks);
      const hook = join(hooks, '10-record');
      await writeFile(hook, `#!/bin/sh\necho "$@" >> ${join(dir, `hooks-${router}.out`)}\n`);
      await chmod(hook, 0o755);
      const path = join(dir, `netgwm-${router}.yml`);
      await writeFile(
        path,
        `# NetGWM keys, unchanged
${NETGWM_GATEWAYS}min_uptime: ${MIN_UPTIME_MS / 1000}
check_sites:
  - ${CHECK_SITE}
check_all_gateways: false
# vrrpd's extensions
vrrpd:
  interval: ${INTERVAL_MS / 1000}
  timeout: ${TIMEOUT_MS / 1000}
  count: 1
  fall: ${FALL}
  rise: ${RISE}
  post_replace_dir: ${hooks}
  log_file: ${join(dir, `netgwm-${router}.log`)}
  status_dir: ${join(dir, `run-${router}`)}
  mode_file: ${join(dir, `mode-${router}`)}
  state_file: ${join(dir, `state-${router}.json`)}
`,
      );
      return path;
    };

    beforeAll(async () => {
      requireBuiltDist([
        'src/uplink',
        'src/daemon/uplinks',
        'src/packet',
        'src/kernel',
        'src/config',
        'src/scripts',
        'test/uplink',
        'test/lab',
      ]);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-netns-'));
      await buildOperatorsLab(lab);
      // r2, the backup, starts with a default route of its own; r1 has none (first start).
      await lab.ip('r2', ['route', 'add', 'default', 'via', '198.51.100.33']);
      for (const op of OPERATORS) expect(await lab.pingOnce(op.role, CHECK_SITE)).toBe(true);

      r1 = await startRunner('r1');
      r2 = await startRunner('r2');
      await r2.request('start', { configPath: await writeConfig('r2'), role: 'backup', name: 'ISP' }, 15_000);
      await r1.request(
        'start',
        {
          configPath: await writeConfig('r1'),
          role: 'master',
          name: 'ISP',
          onLeaveMaster: { kind: 'fallback', via: '198.51.100.29', dev: 'eth2' },
        },
        15_000,
      );
    }, 60_000);

    afterAll(async () => {
      try {
        r1?.end();
        r2?.end();
        await sleep(300);
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('the master installs operator 1 and its hooks get NaN for the unknown old gateway', async () => {
      await waitForRoute('r1', '198.51.100.1', 5000);
      expect((await defaultRoute('r1'))?.dev).toBe('eth1');
      await expect
        .poll(() => hookLines('r1'), { timeout: 5000 })
        .toEqual(['operator1 198.51.100.1 eth1 NaN NaN NaN']);
      // Probe routing is ours: one fwmark rule per gateway and no rule that steers the router's own
      // traffic to the check site.
      const ruleList = await rules('r1');
      const ours = ruleList.filter((rule) => rule.priority >= 3401 && rule.priority <= 3403);
      expect(ours.map((rule) => [rule.priority, rule.fwmark, rule.table])).toEqual([
        [3401, '0x76720001', '3401'],
        [3402, '0x76720002', '3402'],
        [3403, '0x76720003', '3403'],
      ]);
      expect(ruleList.filter((rule) => rule.dst !== undefined)).toEqual([]);
    });

    it('moves the default route to operator 2 within the bound when operator 1 cannot reach the check site', async () => {
      await setOperatorForwarding(lab, 1, false);
      const brokenAt = Date.now();
      // Operator 1's gateway itself still answers: pinging the gateway would prove nothing.
      expect(await lab.pingOnce('r1', '198.51.100.1')).toBe(true);
      const movedAt = await waitForRoute('r1', '198.51.100.17', FAILOVER_BOUND_MS);
      expect(movedAt - brokenAt).toBeLessThanOrEqual(FAILOVER_BOUND_MS);
      expect((await defaultRoute('r1'))?.dev).toBe('eth2');
      await expect
        .poll(() => hookLines('r1'), { timeout: 5000 })
        .toEqual([
          'operator1 198.51.100.1 eth1 NaN NaN NaN',
          'operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
        ]);
      const status = await r1.request<UplinkStatus[]>('status');
      expect(status.map((s) => [s.id, s.state, s.active])).toEqual([
        ['operator1', 'DOWN', false],
        ['operator2', 'UP', true],
        ['operator3', 'UP', false],
      ]);
      expect(status[1]?.rttMs).toBeGreaterThan(0);
      expect(status[0]?.loss).toBeGreaterThan(0);
      // The backup saw it too (it probes on its own rounds, so it may need one more), but did not act.
      await expect
        .poll(async () => (await r2.request<UplinkStatus[]>('status'))[0]?.state, { timeout: 5000 })
        .toBe('DOWN');
    });

    it('fails back to operator 1 only after min_uptime once its path is restored', async () => {
      await setOperatorForwarding(lab, 1, true);
      const restoredAt = Date.now();
      await expect
        .poll(async () => (await r1.request<UplinkStatus[]>('status'))[0]?.state, { timeout: 3000 })
        .toBe('UP');
      expect((await defaultRoute('r1'))?.gateway).toBe('198.51.100.17');
      const backAt = await waitForRoute('r1', '198.51.100.1', FAILBACK_BOUND_MS);
      // A probe answered just as forwarding came back may count from a few ms before restoredAt.
      expect(backAt - restoredAt).toBeGreaterThanOrEqual(MIN_UPTIME_MS - 100);
      await expect
        .poll(() => hookLines('r1'), { timeout: 5000 })
        .toEqual([
          'operator1 198.51.100.1 eth1 NaN NaN NaN',
          'operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
          'operator1 198.51.100.1 eth1 operator2 198.51.100.17 eth2',
        ]);
      const log = (await readFile(join(dir, 'netgwm-r1.log'), 'utf8')).split('\n').filter(Boolean);
      expect(log.map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ''))).toEqual([
        'route replaced to: via 198.51.100.1 dev eth1',
        'route replaced to: via 198.51.100.17 dev eth2',
        'route replaced to: via 198.51.100.1 dev eth1',
      ]);
    });

    it('the backup never touched its routes, and leaving MASTER restores the fallback route', async () => {
      expect(await defaultRoute('r2')).toMatchObject({ gateway: '198.51.100.33', dev: 'eth3' });
      expect(await hookLines('r2')).toEqual([]);
      const backup = await r2.request<UplinkStatus[]>('status');
      expect(backup.map((s) => [s.state, s.active])).toEqual([
        ['UP', false],
        ['UP', false],
        ['UP', true],
      ]);

      expect(await r1.request('setRole', { role: 'backup' })).toBe('backup');
      expect(await defaultRoute('r1')).toMatchObject({ gateway: '198.51.100.29', dev: 'eth2' });
    });

    it('removes its probe rules and tables on exit', async () => {
      await r1.request('stop', {}, 10_000);
      await r2.request('stop', {}, 10_000);
      for (const router of ['r1', 'r2']) {
        expect((await rules(router)).filter((rule) => rule.fwmark !== undefined)).toEqual([]);
        for (const table of ['3401', '3402', '3403']) {
          const { stdout } = await lab.ip(router, ['-j', 'route', 'show', 'table', table]);
          expect(JSON.parse(stdout || '[]')).toEqual([]);
        }
      }
    });
  },
);
