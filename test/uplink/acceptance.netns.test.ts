// Issue 16's acceptance test: the seed article's three operators (documentation addresses), two
// vrrpd routers whose uplink_group follows the VRRP instance, short timers. Steps build on each
// other, as an outage story: (0) start, (1) one check site lost, (2) both lost behind a gateway
// that still answers ping, (3) restored, (4) a flapping primary, (5) everything down, (6) the
// master killed, (7) the master back, (8) the route deleted by hand and a check site that was
// known by name only while DNS was down at start. Bounds are protocol bounds plus margin for a
// loaded 2-CPU machine; they are not performance claims.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../src/control/status-types.js';
import { DaemonSet, keepalivedConfig, status, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { distPath, requireBuiltDist } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  defaultRoute,
  LAN_ADDRESS,
  NETGWM_GATEWAYS,
  setOperatorForwarding,
  setSiteBlackhole,
  sleep,
  waitForRoute,
} from './operators-lab.js';
import { fileLines, withoutStamps, writeCaseFiles, type CaseFiles } from './runner-client.js';

const skip = requireRoot();

const INTERVAL_MS = 200;
const TIMEOUT_MS = 150;
const FALL = 3;
const MIN_UPTIME_MS = 2000;
/** CI margin on top of every protocol bound. */
const MARGIN_MS = 1500;
const FAILOVER_BOUND_MS = (FALL + 1) * INTERVAL_MS + TIMEOUT_MS;
const RESOLVER = '192.0.2.53';
const NAMED_SITE = { name: 'check.example', address: '203.0.113.20' };
const OP = {
  1: 'operator1 198.51.100.1 eth1',
  2: 'operator2 198.51.100.17 eth2',
  3: 'operator3 198.51.100.33 eth3',
} as const;

type Router = 'r1' | 'r2';
const OTHER: Record<Router, Router> = { r1: 'r2', r2: 'r1' };

describe.skipIf(skip !== undefined)(
  `acceptance: three operators behind two VRRP routers${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    const daemons = new DaemonSet(lab);
    let dir: string;
    let dns: JsonLinesChild;
    const files = {} as Record<Router, CaseFiles>;
    const running: Partial<Record<Router, RunningDaemon>> = {};

    const hooks = (router: Router) => fileLines(files[router].hooks);
    const switchLog = async (router: Router) => withoutStamps(await fileLines(files[router].logFile));
    const records = (router: Router, event: string) =>
      (running[router] as RunningDaemon).records().filter((record) => record.event === event);
    const snapshot = async (router: Router): Promise<StatusSnapshot> => {
      const value = await status(running[router] as RunningDaemon);
      if (!value) throw new Error(`${router}: no status`);
      return value;
    };
    const gatewayStates = async (router: Router) => (await snapshot(router)).uplinks.map((u) => u.state);

    const config = (router: Router): string =>
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
  config ${files[router].yml}
  follow_instance VI_1
  on_leave_master fallback via ${LAN_ADDRESS[OTHER[router]]} dev eth0
}
`;

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab', 'test/uplink']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-acceptance-'));
      await buildOperatorsLab(lab, { lan: true });
      await lab.addAddress('site', 'br0', `${NAMED_SITE.address}/24`);
      // The routers' resolver is on their LAN; it is down when they start.
      await lab.addNamespace('dns');
      await lab.attach('dns', 'eth0', 'lan', `${RESOLVER}/24`);
      dns = new JsonLinesChild(lab.spawnIn('dns', [process.execPath, distPath('test/lab/dns-responder.ts')]));
      await dns.waitForEvent((e) => e.event === 'ready', 10_000);
      await dns.request('start', {
        address: RESOLVER,
        answering: false,
        records: { [NAMED_SITE.name]: [NAMED_SITE.address] },
      });
      // The seed's backup router sends its own traffic through the master.
      await lab.ip('r2', ['route', 'add', 'default', 'via', LAN_ADDRESS.r1, 'dev', 'eth0']);
      const netgwm = `${NETGWM_GATEWAYS}min_uptime: ${MIN_UPTIME_MS / 1000}
check_sites:
  - ${CHECK_SITE}
  - ${NAMED_SITE.name}
check_all_gateways: false`;
      for (const [n, router] of [
        [1, 'r1'],
        [2, 'r2'],
      ] as const) {
        lab.useResolver(router, RESOLVER);
        files[router] = await writeCaseFiles(dir, n, netgwm, {
          intervalMs: INTERVAL_MS,
          timeoutMs: TIMEOUT_MS,
          fall: FALL,
          vrrpd: '  resolve_interval: 1\n',
        });
      }
      for (const router of ['r1', 'r2'] as const)
        running[router] = daemons.start('vrrpd', router, config(router));
      expect(await waitForState(running.r1 as RunningDaemon, 'MASTER', 15_000)).not.toBeNull();
      expect(await waitForState(running.r2 as RunningDaemon, 'BACKUP', 5_000)).not.toBeNull();
    }, 60_000);

    afterAll(async () => {
      try {
        dns?.end();
        await daemons.cleanup();
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('(0) the master installs operator1; its hook gets NaN for the unknown old gateway', async () => {
      await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
      await expect.poll(() => hooks('r1'), { timeout: 5000 }).toEqual([`${OP[1]} NaN NaN NaN`]);
      expect(await switchLog('r1')).toEqual(['route replaced to: via 198.51.100.1 dev eth1']);
      await expect
        .poll(async () => (await fileLines(files.r1.events)).sort(), { timeout: 3000 })
        .toEqual(['up operator1 eth1', 'up operator2 eth2', 'up operator3 eth3']);
      // The named check site does not resolve yet: DNS is down. It comes back now.
      expect(
        (running.r1 as RunningDaemon)
          .records()
          .some((r) => String(r.msg).startsWith(`check site ${NAMED_SITE.name} does not resolve`)),
      ).toBe(true);
      await dns.request('set', { answering: true });
      await expect
        .poll(
          () =>
            (['r1', 'r2'] as const).every((router) =>
              (running[router] as RunningDaemon)
                .records()
                .some(
                  (r) => String(r.msg) === `check site ${NAMED_SITE.name} resolves to ${NAMED_SITE.address}`,
                ),
            ),
          { timeout: 5000 },
        )
        .toBe(true);
    });

    it('(1)+(8b) one of the two check sites black-holed beyond operator1: no switch (the named site counts)', async () => {
      await setSiteBlackhole(lab, 1, CHECK_SITE, true);
      await sleep((FALL + 3) * INTERVAL_MS);
      expect((await defaultRoute(lab, 'r1'))?.gateway).toBe('198.51.100.1');
      expect((await gatewayStates('r1'))[0]).toBe('UP');
      expect(await hooks('r1')).toHaveLength(1);
    });

    it('(2) both black-holed while the gateway still answers ping: operator2 within (fall+1)·interval+timeout', async () => {
      await setSiteBlackhole(lab, 1, NAMED_SITE.address, true);
      const brokenAt = Date.now();
      expect(await lab.pingOnce('r1', '198.51.100.1')).toBe(true);
      const movedAt = await waitForRoute(lab, 'r1', '198.51.100.17', FAILOVER_BOUND_MS + MARGIN_MS);
      expect(movedAt - brokenAt).toBeLessThanOrEqual(FAILOVER_BOUND_MS + MARGIN_MS);
      await expect
        .poll(() => hooks('r1'), { timeout: 3000 })
        .toEqual([`${OP[1]} NaN NaN NaN`, `${OP[2]} ${OP[1]}`]);
      expect(await switchLog('r1')).toEqual([
        'route replaced to: via 198.51.100.1 dev eth1',
        'route replaced to: via 198.51.100.17 dev eth2',
      ]);
      // mwan3-style event hooks ran on both routers (the backup sees the same health).
      for (const router of ['r1', 'r2'] as const) {
        await expect
          .poll(async () => (await fileLines(files[router].events)).slice(3), { timeout: 3000 })
          .toEqual(['down operator1 eth1']);
      }
    });

    it('(3) restored: fail-back only after min_uptime', async () => {
      await setSiteBlackhole(lab, 1, CHECK_SITE, false);
      await setSiteBlackhole(lab, 1, NAMED_SITE.address, false);
      const restoredAt = Date.now();
      const backAt = await waitForRoute(
        lab,
        'r1',
        '198.51.100.1',
        MIN_UPTIME_MS + 3 * INTERVAL_MS + MARGIN_MS,
      );
      expect(backAt - restoredAt).toBeGreaterThanOrEqual(MIN_UPTIME_MS - 100);
      await expect.poll(() => hooks('r1'), { timeout: 3000 }).toHaveLength(3);
      expect((await hooks('r1'))[2]).toBe(`${OP[1]} ${OP[2]}`);
      expect((await fileLines(files.r1.events)).slice(3)).toEqual([
        'down operator1 eth1',
        'up operator1 eth1',
      ]);
    });

    it('(4) flapping operator1: one switch; operator2 failing then goes to operator3, not the damped operator1', async () => {
      let lastFlapEnd = 0;
      for (let cycle = 0; cycle < 2; cycle++) {
        await setOperatorForwarding(lab, 1, false);
        await sleep((FALL + 1) * INTERVAL_MS);
        await setOperatorForwarding(lab, 1, true);
        lastFlapEnd = Date.now();
        await sleep(2 * INTERVAL_MS);
      }
      expect((await defaultRoute(lab, 'r1'))?.gateway).toBe('198.51.100.17');
      expect((await hooks('r1')).slice(3)).toEqual([`${OP[2]} ${OP[1]}`]);
      await setOperatorForwarding(lab, 2, false);
      await waitForRoute(lab, 'r1', '198.51.100.33', FAILOVER_BOUND_MS + MARGIN_MS);
      await setOperatorForwarding(lab, 2, true);
      const backAt = await waitForRoute(lab, 'r1', '198.51.100.1', MIN_UPTIME_MS + MARGIN_MS + 1000);
      expect(backAt - lastFlapEnd).toBeGreaterThanOrEqual(MIN_UPTIME_MS - 100);
      await expect.poll(() => hooks('r1'), { timeout: 3000 }).toHaveLength(6);
      expect((await hooks('r1')).slice(3)).toEqual([
        `${OP[2]} ${OP[1]}`,
        `${OP[3]} ${OP[2]}`,
        `${OP[1]} ${OP[3]}`,
      ]);
    });

    it('(5) every operator down: the route is kept, no hook, one all-down record', async () => {
      for (const n of [1, 2, 3] as const) await setOperatorForwarding(lab, n, false);
      await expect.poll(() => gatewayStates('r1'), { timeout: 5000 }).toEqual(['DOWN', 'DOWN', 'DOWN']);
      await sleep(5 * INTERVAL_MS);
      expect((await defaultRoute(lab, 'r1'))?.gateway).toBe('198.51.100.1');
      expect(await hooks('r1')).toHaveLength(6);
      expect(records('r1', 'uplink_all_down')).toHaveLength(1);
      for (const n of [1, 2, 3] as const) await setOperatorForwarding(lab, n, true);
      await expect.poll(() => gatewayStates('r2'), { timeout: 5000 }).toEqual(['UP', 'UP', 'UP']);
    });

    it('(6) master killed: the backup becomes MASTER and installs the best gateway within 0.5 s', async () => {
      const r1 = running.r1 as RunningDaemon;
      await daemons.stop(r1, 'SIGKILL');
      const r2 = running.r2 as RunningDaemon;
      expect(await waitForState(r2, 'MASTER', 10_000)).not.toBeNull();
      await waitForRoute(lab, 'r2', '198.51.100.1', 3000);
      const became = r2.records().find((record) => record.event === 'transition' && record.to === 'MASTER');
      const switched = records('r2', 'uplink_switch')[0];
      expect(switched).toMatchObject({ from: null, to: 'operator1', reason: 'master' });
      const elapsed = Date.parse(String(switched?.time)) - Date.parse(String(became?.time));
      expect(elapsed).toBeGreaterThanOrEqual(0);
      expect(elapsed).toBeLessThanOrEqual(500);
      await expect.poll(() => hooks('r2'), { timeout: 3000 }).toEqual([`${OP[1]} NaN NaN NaN`]);
    });

    it('(7) master back: preemption, the route back on it, no spurious hooks', async () => {
      running.r1 = daemons.start('vrrpd', 'r1', config('r1'));
      expect(await waitForState(running.r1, 'MASTER', 15_000)).not.toBeNull();
      expect(await waitForState(running.r2 as RunningDaemon, 'BACKUP', 5_000)).not.toBeNull();
      await waitForRoute(lab, 'r1', '198.51.100.1', 3000);
      // The backup gives the route back: its own traffic goes through the master again.
      await waitForRoute(lab, 'r2', LAN_ADDRESS.r1, 3000);
      await sleep(5 * INTERVAL_MS);
      // The restarted master found its route via operator1 already: a rewrite, not a switch.
      expect(await hooks('r1')).toHaveLength(6);
      expect(await hooks('r2')).toEqual([`${OP[1]} NaN NaN NaN`]);
      expect(records('r1', 'uplink_switch')).toEqual([]);
    });

    it('(8a) the default route deleted by hand on the master is repaired', async () => {
      await lab.ip('r1', ['route', 'del', 'default']);
      await waitForRoute(lab, 'r1', '198.51.100.1', MARGIN_MS);
      expect(await hooks('r1')).toHaveLength(6);
    });
  },
);
