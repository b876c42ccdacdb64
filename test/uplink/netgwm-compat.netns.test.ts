// NetGWM users migrating to vrrpd, on a real kernel (issue 16's incompatibilities): one router
// (r1) reaching the three operators of operators-lab.ts, the uplink manager running alone in r1
// (uplink-runner.ts) unless a case needs the real daemon. Every case starts its own runner with
// its own netgwm.yml and leaves the routes as the next case expects them (default via operator 1).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distPath, requireBuiltDist } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  defaultRoute,
  NETGWM_GATEWAYS,
  OPERATORS,
  setOperatorForwarding,
  sleep,
  waitForRoute,
} from './operators-lab.js';
import {
  fileLines,
  startUplinkRunner,
  withoutStamps,
  writeCaseFiles,
  type CaseFiles,
} from './runner-client.js';
import type { UplinkStatus } from '../../src/uplink/status.js';

const skip = requireRoot();

const INTERVAL_MS = 200;
const TIMEOUT_MS = 150;
const FALL = 3;
/** A repair follows a route notification after a 50 ms quiet period, plus scheduling slack. */
const REPAIR_BOUND_MS = 1500;
/** The LAN resolver of r1 (the `dns` namespace) and the second check site, known by name only. */
const RESOLVER = '192.0.2.53';
const NAMED_SITE = { name: 'check.example', address: '203.0.113.20' };
const RESOLVE_INTERVAL_MS = 2000;

describe.skipIf(skip !== undefined)(
  `NetGWM compatibility on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let dir: string;
    let runner: JsonLinesChild | null = null;
    let dns: JsonLinesChild;
    let cases = 0;

    interface CaseOptions {
      /** More lines of the vrrpd: section (two-space indented). */
      vrrpd?: string;
      /** Leave log_file out (its default applies) and run with this $LOGS_DIRECTORY. */
      logsDirectory?: string;
    }

    /** Writes a netgwm.yml (NetGWM keys as given, vrrpd: section with short timers) and starts a runner on it. */
    const startCase = async (netgwm: string, options: CaseOptions = {}): Promise<CaseFiles> => {
      cases++;
      const files = await writeCaseFiles(dir, cases, netgwm, {
        intervalMs: INTERVAL_MS,
        timeoutMs: TIMEOUT_MS,
        fall: FALL,
        ...(options.vrrpd ? { vrrpd: options.vrrpd } : {}),
        defaultLogFile: options.logsDirectory !== undefined,
      });
      runner = await startUplinkRunner(
        lab,
        'r1',
        options.logsDirectory ? { env: { ...process.env, LOGS_DIRECTORY: options.logsDirectory } } : {},
      );
      await runner.request('start', { configPath: files.yml, role: 'standalone', name: 'ISP' }, 15_000);
      return files;
    };

    const stopCase = async (): Promise<void> => {
      await runner?.request('stop', {}, 10_000);
      runner?.end();
      runner = null;
    };

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/uplink', 'test/lab']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-netgwm-compat-'));
      await buildOperatorsLab(lab, { singleRouter: true });
      await lab.addAddress('site', 'br0', `${NAMED_SITE.address}/24`);
      // r1's resolver sits on its LAN, reachable whatever the uplinks do.
      await lab.addNamespace('dns');
      await lab.addVethPair('r1', 'eth0', 'dns', 'eth0');
      await lab.addAddress('r1', 'eth0', '192.0.2.1/24');
      await lab.addAddress('dns', 'eth0', `${RESOLVER}/24`);
      lab.useResolver('r1', RESOLVER);
      dns = new JsonLinesChild(lab.spawnIn('dns', [process.execPath, distPath('test/lab/dns-responder.ts')]));
      await dns.waitForEvent((e) => e.event === 'ready', 10_000);
      await dns.request('start', {
        address: RESOLVER,
        answering: false,
        records: { [NAMED_SITE.name]: [NAMED_SITE.address] },
      });
      for (const op of OPERATORS) expect(await lab.pingOnce(op.role, CHECK_SITE)).toBe(true);
    }, 60_000);

    afterAll(async () => {
      try {
        runner?.end();
        dns?.end();
        await sleep(200);
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('1. repairs the default route when it is deleted, rewritten by another tool, or lost in a link bounce', async () => {
      const { hooks } = await startCase(`${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}]`);
      try {
        await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
        await lab.ip('r1', ['route', 'del', 'default']);
        await waitForRoute(lab, 'r1', '198.51.100.1', REPAIR_BOUND_MS);
        // A DHCP client or `ip route replace` pointing elsewhere (here: at a backup uplink).
        await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.33']);
        await waitForRoute(lab, 'r1', '198.51.100.1', REPAIR_BOUND_MS);
        // A link bounce shorter than fall × interval: the kernel drops the route with the link,
        // the gateway never goes DOWN, and the route comes back once the link does.
        await lab.linkDown('r1', 'eth1');
        await sleep(INTERVAL_MS / 2);
        await lab.linkUp('r1', 'eth1');
        await waitForRoute(lab, 'r1', '198.51.100.1', (FALL + 2) * INTERVAL_MS + REPAIR_BOUND_MS);
        // Repairs are not switches: the hooks ran once, at the first install.
        expect(await fileLines(hooks)).toEqual(['operator1 198.51.100.1 eth1 NaN NaN NaN']);
        const repaired = runner!.events.filter(
          (e) => e.event === 'log' && (e.fields as { event?: string }).event === 'uplink_route_changed',
        );
        expect(repaired.length).toBeGreaterThanOrEqual(3);
      } finally {
        await stopCase();
      }
    });

    it('2. a check site named in DNS that is down at start counts once DNS is back', async () => {
      await lab.ip('r1', ['route', 'del', 'default']);
      // Both sites must answer (quorum 2): while the name does not resolve, every gateway is DOWN.
      await startCase(`${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}, ${NAMED_SITE.name}]`, {
        vrrpd: `  quorum: 2\n  resolve_interval: ${RESOLVE_INTERVAL_MS / 1000}\n`,
      });
      try {
        await sleep(1000);
        const down = await runner!.request<UplinkStatus[]>('status');
        expect(down.map((u) => u.state)).toEqual(['DOWN', 'DOWN', 'DOWN']);
        expect(await lab.ip('r1', ['route', 'show', 'default']).then((r) => r.stdout.trim())).toBe('');
        await dns.request('set', { answering: true });
        // The next retry (at most resolve_interval away, plus one 1 s lookup timeout in flight)
        // resolves it; the next round then succeeds through operator 1.
        await waitForRoute(lab, 'r1', '198.51.100.1', RESOLVE_INTERVAL_MS + 1000 + 4 * INTERVAL_MS + 1500);
        const resolved = runner!.events.find(
          (e) =>
            e.event === 'log' && String(e.message).startsWith(`check site ${NAMED_SITE.name} resolves to`),
        );
        expect(resolved).toBeDefined();
      } finally {
        await dns.request('set', { answering: false });
        await stopCase();
      }
    });

    it('3. writes the NetGWM switch log by default, in the directory the systemd unit can write', async () => {
      const logs = join(dir, 'logs');
      await lab.ip('r1', ['route', 'del', 'default']);
      // The seed's netgwm.yml keys only (no log_file): as NetGWM, the log is on.
      await startCase(`${NETGWM_GATEWAYS}min_uptime: 60\ncheck_sites: [${CHECK_SITE}]`, {
        logsDirectory: logs,
      });
      try {
        await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
        await expect
          .poll(async () => withoutStamps(await fileLines(join(logs, 'netgwm.log'))), { timeout: 3000 })
          .toEqual(['route replaced to: via 198.51.100.1 dev eth1']);
        expect((await fileLines(join(logs, 'netgwm.log')))[0]).toMatch(
          /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /,
        );
      } finally {
        await stopCase();
      }
    });

    it('4. never switches between gateways of equal priority', async () => {
      const equal = `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 1}
  operator3: {ip: 198.51.100.33, dev: eth3, priority: 2}
min_uptime: 0.5
check_sites: [${CHECK_SITE}]`;
      // The route found at start goes through operator2, as good as operator1: it stays.
      await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.17']);
      let hooks = (await startCase(equal)).hooks;
      try {
        await sleep(1500);
        expect((await defaultRoute(lab, 'r1'))?.gateway).toBe('198.51.100.17');
        expect(await fileLines(hooks)).toEqual([]);
      } finally {
        await stopCase();
      }
      // From operator1, a failover to operator2 (operator1 is down) does happen; the way back,
      // once operator1 is up and past min_uptime, does not.
      await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.1']);
      hooks = (await startCase(equal)).hooks;
      try {
        await sleep(2 * INTERVAL_MS);
        await setOperatorForwarding(lab, 1, false);
        await waitForRoute(lab, 'r1', '198.51.100.17', (FALL + 2) * INTERVAL_MS + 1500);
        await setOperatorForwarding(lab, 1, true);
        await expect
          .poll(async () => (await runner!.request<UplinkStatus[]>('status'))[0]?.state, { timeout: 3000 })
          .toBe('UP');
        await sleep(500 + 1500);
        expect((await defaultRoute(lab, 'r1'))?.gateway).toBe('198.51.100.17');
        expect(await fileLines(hooks)).toEqual(['operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1']);
      } finally {
        await stopCase();
        await lab.ip('r1', ['route', 'replace', 'default', 'via', '198.51.100.1']);
      }
    });
  },
);
