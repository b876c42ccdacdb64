// Probe methods, quality thresholds and per-gateway event hooks on a real kernel, with the uplink
// manager alone in r1 (topology: operators-lab.ts, one router). Operator 1 is checked by TCP
// connect (a refusal from the check site counts) and operator 2 by DNS query to a responder, both
// to their own track_ip (203.0.113.10) rather than the group's check site (203.0.113.20);
// operator 3 by ARP to the gateway itself. Every TCP/DNS probe leaves through its own gateway
// (socket mark + probe table), so breaking one operator's forwarding fails only its gateway; the
// ARP probe keeps operator 3 UP while it drops ICMP and forwards nothing, and fails it when its
// link is gone. A DNS responder that answers slowly raises operator 2's latency alarm, which holds
// until the latency is back under rtt_recover (hysteresis). The event hooks record every UP/DOWN.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkStatus } from '../../src/control/status-types.js';
import { distPath, requireBuiltDist } from '../lab/dist.js';
import { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  NETGWM_GATEWAYS,
  setOperatorForwarding,
  setSiteBlackhole,
  sleep,
  waitForRoute,
} from './operators-lab.js';
import { fileLines, recordingHookDir, startUplinkRunner } from './runner-client.js';

const skip = requireRoot();
/** The group's check site; operators 1 and 2 probe CHECK_SITE (their track_ip) instead. */
const OTHER_SITE = '203.0.113.20';

describe.skipIf(skip !== undefined)(
  `uplink probe methods, thresholds and event hooks on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let dir: string;
    let r1: JsonLinesChild;
    let dns: JsonLinesChild;
    let events: string;

    const status = async (): Promise<UplinkStatus[]> => r1.request<UplinkStatus[]>('status');
    const gateway = async (id: string): Promise<UplinkStatus | undefined> =>
      (await status()).find((s) => s.id === id);

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab', 'test/uplink']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-probe-methods-'));
      await buildOperatorsLab(lab, { singleRouter: true });
      await lab.addAddress('site', 'br0', `${OTHER_SITE}/24`);
      dns = new JsonLinesChild(
        lab.spawnIn('site', [process.execPath, distPath('test/lab/dns-responder.ts')]),
      );
      await dns.waitForEvent((e) => e.event === 'ready', 10_000);
      await dns.request('start', { address: CHECK_SITE, records: { 'uplink.example': ['192.0.2.80'] } });
      events = join(dir, 'events');
      const eventDir = await recordingHookDir(dir, 'event.d', events, '"$ACTION" "$GATEWAY" "$DEVICE"');
      const yml = join(dir, 'netgwm.yml');
      await writeFile(
        yml,
        `${NETGWM_GATEWAYS}min_uptime: 0
check_sites: [${OTHER_SITE}]
vrrpd:
  interval: 0.2
  timeout: 0.15
  count: 1
  rise: 2
  fall: 2
  loss_window: 3
  max_rtt: 0.08
  rtt_recover: 0.03
  event_dir: ${eventDir}
  post_replace_dir: null
  log_file: null
  mode_file: null
  status_dir: null
  state_file: ${join(dir, 'uplinks.json')}
  gateways:
    operator1: {probe: tcp, port: 9, track_ip: [${CHECK_SITE}]}
    operator2: {probe: dns, dns_query: uplink.example, interval: 0.4, timeout: 0.35, track_ip: ${CHECK_SITE}}
    operator3: {probe: arp, failure_interval: 0.1}
`,
      );
      r1 = await startUplinkRunner(lab, 'r1');
      await r1.request('start', { configPath: yml, role: 'standalone', name: 'ISP' }, 15_000);
    }, 60_000);

    afterAll(async () => {
      try {
        r1?.end();
        dns?.end();
        await sleep(300);
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('brings every gateway UP through its own probe method and runs the up hooks', async () => {
      await expect
        .poll(async () => (await status()).map((s) => s.state), { timeout: 5000 })
        .toEqual(['UP', 'UP', 'UP']);
      await waitForRoute(lab, 'r1', '198.51.100.1', 3000);
      await expect
        .poll(async () => (await fileLines(events)).sort(), { timeout: 5000 })
        .toEqual(['up operator1 eth1', 'up operator2 eth2', 'up operator3 eth3']);
      const queried = await dns.request<{ queries: number }>('set', {});
      expect(queried.queries).toBeGreaterThan(0);
    });

    it('a slow DNS path raises the latency alarm, held until the latency is back under rtt_recover', async () => {
      await dns.request('set', { delayMs: 150 });
      await expect.poll(async () => (await gateway('operator2'))?.state, { timeout: 6000 }).toBe('DOWN');
      const raised = await gateway('operator2');
      expect(raised?.alarm).toBe('rtt');
      expect(raised?.latencyMs).toBeGreaterThan(80);
      await expect.poll(() => fileLines(events), { timeout: 3000 }).toContain('down operator2 eth2');

      // Between rtt_recover and max_rtt: the alarm stays (hysteresis), so the gateway stays DOWN.
      await dns.request('set', { delayMs: 50 });
      await expect
        .poll(async () => (await gateway('operator2'))?.latencyMs ?? 0, { timeout: 6000 })
        .toBeLessThan(75);
      expect(await gateway('operator2')).toMatchObject({ state: 'DOWN', alarm: 'rtt' });

      await dns.request('set', { delayMs: 0 });
      await expect.poll(async () => (await gateway('operator2'))?.state, { timeout: 6000 }).toBe('UP');
      expect((await gateway('operator2'))?.alarm).toBeNull();
      expect((await fileLines(events)).filter((line) => line.endsWith('operator2 eth2'))).toEqual([
        'up operator2 eth2',
        'down operator2 eth2',
        'up operator2 eth2',
      ]);
    });

    it('the TCP probe goes through its gateway: operator 1 without forwarding fails, and only it', async () => {
      await setOperatorForwarding(lab, 1, false);
      try {
        await waitForRoute(lab, 'r1', '198.51.100.17', 5000);
        expect((await status()).map((s) => [s.id, s.state])).toEqual([
          ['operator1', 'DOWN'],
          ['operator2', 'UP'],
          ['operator3', 'UP'],
        ]);
        await expect.poll(() => fileLines(events), { timeout: 3000 }).toContain('down operator1 eth1');
      } finally {
        await setOperatorForwarding(lab, 1, true);
      }
      await waitForRoute(lab, 'r1', '198.51.100.1', 5000);
    });

    it('operator 1 probes its track_ip, not the check site', async () => {
      await setSiteBlackhole(lab, 1, CHECK_SITE, true);
      try {
        // Only its track_ip is cut off behind operator 1; the group's check site is not.
        await expect.poll(async () => (await gateway('operator1'))?.state, { timeout: 5000 }).toBe('DOWN');
      } finally {
        await setSiteBlackhole(lab, 1, CHECK_SITE, false);
      }
      await expect.poll(async () => (await gateway('operator1'))?.state, { timeout: 5000 }).toBe('UP');
    });

    it('the ARP probe keeps a gateway that drops ICMP UP, and fails when its link is gone', async () => {
      // Operator 3 ignores echo requests and forwards nothing: no ICMP probe could pass.
      const icmp = (on: boolean) =>
        lab.exec('op3', ['sysctl', '-qw', `net.ipv4.icmp_echo_ignore_all=${on ? 0 : 1}`]);
      await icmp(false);
      await setOperatorForwarding(lab, 3, false);
      try {
        expect(await lab.pingOnce('r1', '198.51.100.33', 500)).toBe(false);
        await sleep(600);
        expect((await gateway('operator3'))?.state).toBe('UP');
      } finally {
        await setOperatorForwarding(lab, 3, true);
        await icmp(true);
      }
      await lab.ip('op3', ['link', 'set', 'eth0', 'down']);
      try {
        await expect.poll(async () => (await gateway('operator3'))?.state, { timeout: 5000 }).toBe('DOWN');
        await expect.poll(() => fileLines(events), { timeout: 3000 }).toContain('down operator3 eth3');
      } finally {
        await lab.ip('op3', ['link', 'set', 'eth0', 'up']);
      }
      await expect.poll(async () => (await gateway('operator3'))?.state, { timeout: 5000 }).toBe('UP');
      expect((await gateway('operator3'))?.rttMs).toBeGreaterThan(0);
    });

    it('removes its probe routing on stop', async () => {
      await r1.request('stop', {}, 10_000);
      const { stdout } = await lab.ip('r1', ['-j', 'rule', 'show']);
      expect((JSON.parse(stdout || '[]') as Array<{ fwmark?: string }>).filter((r) => r.fwmark)).toEqual([]);
    });
  },
);
