// NetGWM users migrating to vrrpd, on a real kernel, part two (issue 16's incompatibilities 5-8;
// 1-4 are in netgwm-compat.netns.test.ts): the real `vrrpd --uplinks-only` (or the daemon, with
// VRRP) on one router reaching the three operators of operators-lab.ts, driven as an admin would,
// with files and vrrpctl.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../src/control/status-types.js';
import { DaemonSet, keepalivedConfig, status, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import { requireBuiltDist } from '../lab/dist.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { vrrpctl } from '../netns/vrrpctl.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  NETGWM_GATEWAYS,
  OPERATORS,
  setOperatorForwarding,
  sleep,
  waitForRoute,
} from './operators-lab.js';
import { parse } from 'yaml';
import { fileLines, writeCaseFiles } from './runner-client.js';

const skip = requireRoot();

/** A pin or a mode file change takes effect at the next round (200 ms) plus slack. */
const PIN_BOUND_MS = 2000;

describe.skipIf(skip !== undefined)(
  `NetGWM migration on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    const daemons = new DaemonSet(lab);
    let dir: string;
    let cases = 0;

    const uplinksOnly = (yml: string): RunningDaemon =>
      daemons.start('vrrpd', 'r1', '', ['--uplinks-only', '-c', yml]);
    const snapshot = async (daemon: RunningDaemon): Promise<StatusSnapshot> => {
      const value = await status(daemon);
      if (!value) throw new Error('no status from the control socket');
      return value;
    };

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/uplink', 'test/lab']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-netgwm-migration-'));
      await buildOperatorsLab(lab, { singleRouter: true });
      for (const op of OPERATORS) expect(await lab.pingOnce(op.role, CHECK_SITE)).toBe(true);
    }, 60_000);

    afterAll(async () => {
      try {
        await daemons.cleanup();
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it("5. reads NetGWM's /var/lib/netgwm/mode when the yml has no mode; vrrpctl uplink pin sets it", async () => {
      const files = await writeCaseFiles(
        dir,
        ++cases,
        `${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}]`,
      );
      await writeFile(files.modeFile, 'operator2\n');
      const daemon = uplinksOnly(files.yml);
      try {
        await waitForRoute(lab, 'r1', '198.51.100.17', 5000);
        expect((await snapshot(daemon)).uplinkGroups[0]).toMatchObject({
          name: 'standalone',
          pinned: 'operator2',
        });
        // An admin (or a NetGWM-era script) rewriting the file by hand.
        await writeFile(files.modeFile, 'operator3\n');
        await waitForRoute(lab, 'r1', '198.51.100.33', PIN_BOUND_MS);
        // Back to automatic selection: operator 1 is healthy and stable, so it gets the route.
        const auto = await vrrpctl(lab, daemon, ['uplink', 'pin', 'auto']);
        expect(auto).toMatchObject({ code: 0 });
        expect(auto.stdout).toBe(
          `vrrpd: uplink group standalone selects its gateway automatically again (${files.modeFile}: auto)\n`,
        );
        expect(await readFile(files.modeFile, 'utf8')).toBe('auto\n');
        await waitForRoute(lab, 'r1', '198.51.100.1', PIN_BOUND_MS);
        const pinned = await vrrpctl(lab, daemon, ['uplink', 'pin', 'operator2']);
        expect(pinned.stdout).toBe(
          `vrrpd: uplink group standalone pinned to operator2 (${files.modeFile})\n`,
        );
        expect(await readFile(files.modeFile, 'utf8')).toBe('operator2\n');
        await waitForRoute(lab, 'r1', '198.51.100.17', PIN_BOUND_MS);
        const unknown = await vrrpctl(lab, daemon, ['uplink', 'pin', 'operator9']);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain(
          'no gateway named "operator9" (gateways: operator1, operator2, operator3)',
        );
        // Every pinned switch is a switch: the hooks ran for each.
        expect(await fileLines(files.hooks)).toEqual([
          'operator2 198.51.100.17 eth2 NaN NaN NaN',
          'operator3 198.51.100.33 eth3 operator2 198.51.100.17 eth2',
          'operator1 198.51.100.1 eth1 operator3 198.51.100.33 eth3',
          'operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
        ]);
      } finally {
        expect(await daemons.stop(daemon)).toBe(0);
        await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.1']);
      }
    });

    it("6. writes NetGWM's gwstore.yml and per-gateway status files in NetGWM's formats", async () => {
      const files = await writeCaseFiles(
        dir,
        ++cases,
        `${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}]`,
      );
      const daemon = uplinksOnly(files.yml);
      const read = (name: string) => readFile(join(files.statusDir, name), 'utf8').catch(() => '');
      try {
        await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
        await expect
          .poll(() => read('operator3'), { timeout: 3000 })
          .toMatch(/^up:203\.0\.113\.10:\d+\.\d{3}$/);
        const startedAt = Date.now() / 1000;
        await setOperatorForwarding(lab, 1, false);
        await waitForRoute(lab, 'r1', '198.51.100.17', 5000);
        await expect.poll(() => read('operator1'), { timeout: 3000 }).toBe('down');
        expect(await read('operator2')).toMatch(/^up:203\.0\.113\.10:\d+\.\d{3}$/);
        // The status files and gwstore.yml are separate writes: poll until gwstore.yml caught up.
        const gwstorePattern =
          /^operator1: \{wakeuptime: null\}\noperator2: \{wakeuptime: \d+\.\d+\}\noperator3: \{wakeuptime: \d+\.\d+\}\n$/;
        await expect.poll(() => read('gwstore.yml'), { timeout: 3000 }).toMatch(gwstorePattern);
        const gwstore = await read('gwstore.yml');
        // A reader of NetGWM's file (PyYAML there, the yaml package here) gets Unix times.
        const parsed = parse(gwstore) as Record<string, { wakeuptime: number | null }>;
        expect(parsed.operator1?.wakeuptime).toBeNull();
        expect(parsed.operator2?.wakeuptime).toBeGreaterThan(startedAt - 30);
        expect(parsed.operator2?.wakeuptime).toBeLessThanOrEqual(Date.now() / 1000);
      } finally {
        await setOperatorForwarding(lab, 1, true);
        expect(await daemons.stop(daemon)).toBe(0);
        await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.1']);
      }
    });

    it('7. a broken netgwm.yml never stops VRRP: its group is in a reported error state (status, metrics, log)', async () => {
      await lab.addSwitch('lan');
      await lab.attach('r1', 'eth0', 'lan', '192.0.2.1/24');
      const good = await writeCaseFiles(
        dir,
        ++cases,
        `${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}]`,
      );
      const bad = join(dir, 'broken.yml');
      // What NetGWM would crash on (no priority) next to what it takes (float priority, spaces).
      await writeFile(
        bad,
        `gateways:\n  my uplink: {ip: 198.51.100.1, priority: 1.5}\n  other: {ip: 198.51.100.17}\ncheck_sites: [${CHECK_SITE}]\n`,
      );
      const conf = `${keepalivedConfig([{ name: 'VI_1', interface: 'eth0', vrid: 51, priority: 150, state: 'MASTER' }])}
uplink_group BROKEN {
  config ${bad}
  follow_instance VI_1
}
uplink_group OPERATORS {
  config ${good.yml}
  follow_instance VI_1
}
`;
      const daemon = daemons.start('vrrpd', 'r1', conf, ['--metrics-listen', '127.0.0.1:9650']);
      try {
        expect(await waitForState(daemon, 'MASTER', 10_000)).not.toBeNull();
        await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
        const value = await snapshot(daemon);
        expect(validateStatusSnapshot(JSON.parse(JSON.stringify(value)))).toEqual([]);
        expect(value.uplinkGroups.map((g) => [g.name, g.role, g.active, g.error])).toEqual([
          ['OPERATORS', 'master', 'operator1', null],
          [
            'BROKEN',
            'master',
            null,
            `${bad}:3: error: gateway other has no priority (key path: gateways.other.priority) [VRRPD_E_CONFIG_MISSING]`,
          ],
        ]);
        expect(
          daemon.records().some((r) => r.event === 'uplink_group_error' && r.uplinkGroup === 'BROKEN'),
        ).toBe(true);
        // The accepted-with-a-warning parts were logged as warnings, with file and line.
        const warnings = daemon
          .records()
          .filter((r) => r.event === 'config' && r.code === 'VRRPD_W_CONFIG_SUSPICIOUS');
        expect(warnings.map((r) => r.line)).toEqual([2, 2]);
        const metrics = await lab.exec('r1', [
          process.execPath,
          '-e',
          "fetch('http://127.0.0.1:9650/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))",
        ]);
        expect(metrics.stdout).toContain('vrrpd_uplink_group_error{group="BROKEN"} 1');
        expect(metrics.stdout).toContain('vrrpd_uplink_group_error{group="OPERATORS"} 0');

        // Reload with the running group's file broken too: VRRP and that group carry on.
        await writeFile(good.yml, 'gateways: [\n');
        process.kill(daemon.pid, 'SIGHUP');
        await expect
          .poll(async () => (await snapshot(daemon)).uplinkGroups[0]?.error ?? null, { timeout: 5000 })
          .toMatch(/^netgwm\.yml rejected, the previous one keeps running: .*netgwm-\d+\.yml:\d+: error: /);
        const after = await snapshot(daemon);
        expect(after.instances[0]?.state).toBe('MASTER');
        expect(after.uplinkGroups[0]).toMatchObject({
          name: 'OPERATORS',
          role: 'master',
          active: 'operator1',
        });
        expect(after.uplinks.filter((u) => u.group === 'OPERATORS').map((u) => u.state)).toEqual([
          'UP',
          'UP',
          'UP',
        ]);
      } finally {
        expect(await daemons.stop(daemon)).toBe(0);
        await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.1']);
      }
    });

    it('8. min_uptime counts from the last failed round, even one shorter than fall', async () => {
      const MIN_UPTIME_MS = 3000;
      const files = await writeCaseFiles(
        dir,
        ++cases,
        `${NETGWM_GATEWAYS}min_uptime: ${MIN_UPTIME_MS / 1000}\ncheck_sites: [${CHECK_SITE}]`,
      );
      const daemon = uplinksOnly(files.yml);
      try {
        await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
        await setOperatorForwarding(lab, 1, false);
        await waitForRoute(lab, 'r1', '198.51.100.17', 5000);
        await setOperatorForwarding(lab, 1, true);
        await expect
          .poll(async () => (await snapshot(daemon)).uplinks[0]?.state, { timeout: 3000 })
          .toBe('UP');
        await sleep(MIN_UPTIME_MS / 2);
        // One lost round (200 ms, fall is 3): operator 1 stays UP, but its min_uptime starts again.
        await setOperatorForwarding(lab, 1, false);
        await sleep(250);
        await setOperatorForwarding(lab, 1, true);
        const blipEnd = Date.now();
        const backAt = await waitForRoute(lab, 'r1', '198.51.100.1', MIN_UPTIME_MS + 3000);
        expect(backAt - blipEnd).toBeGreaterThanOrEqual(MIN_UPTIME_MS - 300);
        const downs = daemon
          .records()
          .filter((r) => r.event === 'uplink_health' && r.uplink === 'operator1' && r.to === 'DOWN');
        expect(downs).toHaveLength(1);
      } finally {
        expect(await daemons.stop(daemon)).toBe(0);
      }
    });
  },
);
