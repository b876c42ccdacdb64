// The daemon (not just the uplink manager) ties uplinks to VRRP, on a real kernel: two vrrpd
// routers run VI_1 over a shared LAN, each with an uplink_group following VI_1 over the three
// operators of operators-lab.ts. The MASTER installs its best gateway; the BACKUP probes
// (vrrpctl status shows its gateways) but never touches its default route, which goes through
// the other router as in the seed article. When operator 1 loses its path to the check site the
// master moves to operator 2; when the master is stopped, it restores its fallback route through
// the other router, and the new master installs its best gateway at once from the probe data it
// already has. Last, `vrrpd --uplinks-only -c netgwm.yml` runs the module alone on r1.

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../src/control/status-types.js';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import {
  DaemonSet,
  keepalivedConfig,
  status,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  defaultRoute,
  ipRules,
  LAN_ADDRESS,
  NETGWM_GATEWAYS,
  setOperatorForwarding,
  waitForRoute,
} from './operators-lab.js';

const skip = requireRoot();

const INTERVAL_MS = 1000;
const TIMEOUT_MS = 400;
const FALL = 2;
/** fall rounds of detection plus one round in flight, a probe timeout and scheduling slack. */
const FAILOVER_BOUND_MS = (FALL + 1) * INTERVAL_MS + TIMEOUT_MS + 1500;
/** "At once": well under one probe interval after the transition is logged. */
const TAKEOVER_BOUND_MS = INTERVAL_MS / 2;

type Router = 'r1' | 'r2';
const OTHER: Record<Router, Router> = { r1: 'r2', r2: 'r1' };

describe.skipIf(skip !== undefined)(
  `vrrpd ties uplinks to VRRP on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    const daemons = new DaemonSet(lab);
    let dir: string;
    const running: Partial<Record<Router, RunningDaemon>> = {};

    const hookLines = async (router: string): Promise<string[]> =>
      (await readFile(join(dir, `hooks-${router}.out`), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const snapshot = async (router: Router): Promise<StatusSnapshot> => {
      const value = await status(running[router] as RunningDaemon);
      if (!value) throw new Error(`${router}: no status from the control socket`);
      return value;
    };
    const records = (router: Router, event: string) =>
      (running[router] as RunningDaemon).records().filter((record) => record.event === event);

    /** netgwm.yml for one router, with its hooks, switch log and state file under `dir`. */
    const writeNetgwm = async (router: string): Promise<string> => {
      const hooks = join(dir, `hooks-${router}.d`);
      await mkdir(hooks, { recursive: true });
      const hook = join(hooks, '10-record');
      await writeFile(hook, `#!/bin/sh\necho "$@" >> ${join(dir, `hooks-${router}.out`)}\n`);
      await chmod(hook, 0o755);
      const path = join(dir, `netgwm-${router}.yml`);
      await writeFile(
        path,
        `${NETGWM_GATEWAYS}min_uptime: 30
check_sites:
  - ${CHECK_SITE}
vrrpd:
  interval: ${INTERVAL_MS / 1000}
  timeout: ${TIMEOUT_MS / 1000}
  count: 1
  fall: ${FALL}
  rise: 1
  post_replace_dir: ${hooks}
  log_file: ${join(dir, `netgwm-${router}.log`)}
  status_dir: ${join(dir, `run-${router}`)}
  mode_file: ${join(dir, `mode-${router}`)}
  state_file: ${join(dir, `state-${router}.json`)}
`,
      );
      return path;
    };

    const vrrpdConfig = (router: Router, netgwmPath: string): string =>
      `${keepalivedConfig([
        {
          name: 'VI_1',
          interface: 'eth0',
          vrid: 51,
          priority: router === 'r1' ? 200 : 100,
          state: router === 'r1' ? 'MASTER' : 'BACKUP',
          unicastSrc: LAN_ADDRESS[router],
          unicastPeers: [LAN_ADDRESS[OTHER[router]]],
          vips: ['192.0.2.254/24'],
        },
      ])}
uplink_group OPERATORS {
  config ${netgwmPath}
  follow_instance VI_1
  on_leave_master fallback via ${LAN_ADDRESS[OTHER[router]]} dev eth0
}
`;

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-daemon-'));
      await buildOperatorsLab(lab, { lan: true });
      // r2 starts as the seed's backup router: its own traffic goes through r1.
      await lab.ip('r2', ['route', 'add', 'default', 'via', LAN_ADDRESS.r1, 'dev', 'eth0']);
      expect(await lab.pingOnce('op2', CHECK_SITE)).toBe(true);

      for (const router of ['r1', 'r2'] as const) {
        running[router] = daemons.start('vrrpd', router, vrrpdConfig(router, await writeNetgwm(router)));
      }
      expect(await waitForState(running.r1 as RunningDaemon, 'MASTER', 15_000)).not.toBeNull();
      expect(await waitForState(running.r2 as RunningDaemon, 'BACKUP', 5_000)).not.toBeNull();
    }, 60_000);

    afterAll(async () => {
      try {
        await daemons.cleanup();
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('the MASTER installs the best gateway; vrrpctl status shows the group and its gateways', async () => {
      await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
      expect((await defaultRoute(lab, 'r1'))?.dev).toBe('eth1');
      await expect
        .poll(() => hookLines('r1'), { timeout: 5000 })
        .toEqual(['operator1 198.51.100.1 eth1 NaN NaN NaN']);

      const master = await snapshot('r1');
      expect(validateStatusSnapshot(JSON.parse(JSON.stringify(master)))).toEqual([]);
      expect(master.uplinkGroups).toEqual([
        {
          name: 'OPERATORS',
          role: 'master',
          follows: 'instance VI_1',
          active: 'operator1',
          switches: 1,
          routeErrors: 0,
          pinned: null,
          error: null,
        },
      ]);
      expect(master.uplinks.map((u) => [u.group, u.id, u.state, u.active])).toEqual([
        ['OPERATORS', 'operator1', 'UP', true],
        ['OPERATORS', 'operator2', 'UP', false],
        ['OPERATORS', 'operator3', 'UP', false],
      ]);
    });

    it('the BACKUP probes every gateway but never touches its default route', async () => {
      await expect
        .poll(async () => (await snapshot('r2')).uplinks.map((u) => u.state), { timeout: 5000 })
        .toEqual(['UP', 'UP', 'UP']);
      const backup = await snapshot('r2');
      expect(backup.uplinkGroups[0]).toMatchObject({ role: 'backup', switches: 0 });
      expect(backup.uplinks.every((u) => !u.active)).toBe(true);
      expect(await defaultRoute(lab, 'r2')).toMatchObject({ gateway: LAN_ADDRESS.r1, dev: 'eth0' });
      expect(await hookLines('r2')).toEqual([]);
    });

    it('the MASTER leaves operator 1 when its path to the check site breaks; the BACKUP still does nothing', async () => {
      await setOperatorForwarding(lab, 1, false);
      const brokenAt = Date.now();
      const movedAt = await waitForRoute(lab, 'r1', '198.51.100.17', FAILOVER_BOUND_MS);
      expect(movedAt - brokenAt).toBeLessThanOrEqual(FAILOVER_BOUND_MS);
      await expect
        .poll(() => hookLines('r1'), { timeout: 5000 })
        .toEqual([
          'operator1 198.51.100.1 eth1 NaN NaN NaN',
          'operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
        ]);
      // The backup saw operator 1 go down too, and left its route alone.
      await expect
        .poll(async () => (await snapshot('r2')).uplinks[0]?.state, { timeout: FAILOVER_BOUND_MS })
        .toBe('DOWN');
      expect(await defaultRoute(lab, 'r2')).toMatchObject({ gateway: LAN_ADDRESS.r1, dev: 'eth0' });
      expect(await hookLines('r2')).toEqual([]);
      expect(records('r2', 'uplink_switch')).toEqual([]);
    });

    it('when the MASTER stops, it falls back through the other router and the new MASTER installs its best gateway at once', async () => {
      const r1 = running.r1 as RunningDaemon;
      expect(await daemons.stop(r1)).toBe(0);
      // The stopped master left MASTER first: its fallback route goes through r2; its probe
      // routing is gone.
      expect(await defaultRoute(lab, 'r1')).toMatchObject({ gateway: LAN_ADDRESS.r2, dev: 'eth0' });
      expect((await ipRules(lab, 'r1')).filter((rule) => rule.fwmark !== undefined)).toEqual([]);

      const r2 = running.r2 as RunningDaemon;
      expect(await waitForState(r2, 'MASTER', 5000)).not.toBeNull();
      // Operator 1 is still broken: the best gateway is operator 2, taken without waiting for a round.
      await waitForRoute(lab, 'r2', '198.51.100.17', 3000);
      expect((await defaultRoute(lab, 'r2'))?.dev).toBe('eth2');
      const became = r2.records().find((record) => record.event === 'transition' && record.to === 'MASTER');
      const switched = records('r2', 'uplink_switch')[0];
      expect(switched).toMatchObject({
        from: null,
        to: 'operator2',
        reason: 'master',
        uplinkGroup: 'OPERATORS',
      });
      const elapsed = Date.parse(String(switched?.time)) - Date.parse(String(became?.time));
      expect(elapsed).toBeGreaterThanOrEqual(0);
      expect(elapsed).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
      await expect
        .poll(() => hookLines('r2'), { timeout: 5000 })
        .toEqual(['operator2 198.51.100.17 eth2 NaN NaN NaN']);
      expect((await snapshot('r2')).uplinkGroups[0]).toMatchObject({ role: 'master', active: 'operator2' });
    });

    it('vrrpd --uplinks-only -c netgwm.yml runs the module alone, serves status and cleans up on SIGTERM', async () => {
      await setOperatorForwarding(lab, 1, true);
      const netgwm = join(dir, 'netgwm-r1.yml');
      const alone = daemons.start('vrrpd', 'r1', '', ['--uplinks-only', '-c', netgwm]);
      running.r1 = alone;
      // Operator 1 failed within min_uptime (the state file remembers it): operator 2 first.
      await waitForRoute(lab, 'r1', '198.51.100.17', 5000);
      const value = await snapshot('r1');
      expect(value.instances).toEqual([]);
      expect(value.uplinkGroups).toMatchObject([{ name: 'standalone', role: 'standalone', follows: null }]);
      expect(value.uplinks.map((u) => [u.group, u.id])).toEqual([
        ['standalone', 'operator1'],
        ['standalone', 'operator2'],
        ['standalone', 'operator3'],
      ]);
      expect(
        await waitFor(async () => (await ipRules(lab, 'r1')).some((r) => r.fwmark !== undefined), 2000),
      ).toBe(true);
      expect(await daemons.stop(alone)).toBe(0);
      expect((await ipRules(lab, 'r1')).filter((rule) => rule.fwmark !== undefined)).toEqual([]);
    });
  },
);
