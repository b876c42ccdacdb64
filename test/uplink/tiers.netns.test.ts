// Gateway tiers and sticky flows on a real kernel (topology: operators-lab.ts, one router r1).
// Operators 1 and 2 form tier 1 (weights 2 and 1: a multipath default route), operator 3 is
// tier 2. With both tier-1 operators broken the route moves to operator 3; a TCP connection opened
// then (r1 → check site, one byte every 50 ms) must stay on operator 3 after the route returns to
// tier 1 (connmark via nftables, sticky_flows), and follow the default route again once operator 3
// itself is DOWN. Which operator forwards the connection is counted by an nftables counter in each
// operator namespace.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkStatus } from '../../src/control/status-types.js';
import { requireBuiltDist } from '../lab/dist.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import {
  buildOperatorsLab,
  CHECK_SITE,
  NETGWM_GATEWAYS,
  setOperatorForwarding,
  sleep,
} from './operators-lab.js';
import { startUplinkRunner } from './runner-client.js';

function requireNft(): string | undefined {
  try {
    execFileSync('nft', ['--version'], { stdio: 'pipe', timeout: 5000 });
    return undefined;
  } catch {
    const reason = 'nft (nftables) is not installed: scripts/setup.sh installs it';
    if (process.env.CI === 'true') throw new Error(reason);
    return reason;
  }
}

const skip = requireRoot() ?? requireNft();
const PORT = 7777;

interface RouteJson {
  gateway?: string;
  nexthops?: Array<{ gateway: string; weight?: number }>;
}

describe.skipIf(skip !== undefined)(
  `gateway tiers and sticky flows${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let dir: string;
    let r1: JsonLinesChild;

    const route = async (): Promise<string> => {
      const { stdout } = await lab.ip('r1', ['-j', 'route', 'show', 'default']);
      const found = (JSON.parse(stdout || '[]') as RouteJson[])[0];
      if (!found) return 'none';
      if (found.nexthops) return found.nexthops.map((hop) => `${hop.gateway}*${hop.weight ?? 1}`).join(' ');
      return found.gateway ?? 'none';
    };
    /** Packets of the test connection operator n has forwarded so far. */
    const forwarded = async (n: number): Promise<number> => {
      const { stdout } = await lab.exec(`op${n}`, ['nft', '-j', 'list', 'counter', 'ip', 'tally', 'seen']);
      const entries = (JSON.parse(stdout) as { nftables: Array<{ counter?: { packets: number } }> }).nftables;
      return entries.find((entry) => entry.counter)?.counter?.packets ?? 0;
    };
    /** How many packets each operator forwards while the connection runs for `ms`. */
    const deltas = async (ms: number): Promise<number[]> => {
      const before = await Promise.all([1, 2, 3].map(forwarded));
      await sleep(ms);
      const after = await Promise.all([1, 2, 3].map(forwarded));
      return after.map((value, index) => value - (before[index] as number));
    };

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab', 'test/uplink']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-tiers-'));
      await buildOperatorsLab(lab, { singleRouter: true });
      const counting = join(dir, 'count.nft');
      await writeFile(
        counting,
        `table ip tally {\n  counter seen {}\n  chain forwarded {\n    type filter hook forward priority 0; policy accept;\n    tcp dport ${PORT} counter name "seen"\n  }\n}\n`,
      );
      for (const n of [1, 2, 3]) await lab.exec(`op${n}`, ['nft', '-f', counting]);
      const yml = join(dir, 'netgwm.yml');
      await writeFile(
        yml,
        `${NETGWM_GATEWAYS}min_uptime: 1
check_sites: [${CHECK_SITE}]
vrrpd:
  interval: 0.2
  timeout: 0.15
  count: 1
  rise: 2
  fall: 2
  sticky_flows: true
  post_replace_dir: null
  event_dir: null
  log_file: null
  mode_file: null
  status_dir: null
  state_file: ${join(dir, 'uplinks.json')}
  gateways:
    operator1: {tier: 1, weight: 2}
    operator2: {tier: 1}
    operator3: {tier: 2}
`,
      );
      r1 = await startUplinkRunner(lab, 'r1');
      await r1.request('start', { configPath: yml, role: 'standalone', name: 'ISP' }, 15_000);
    }, 60_000);

    afterAll(async () => {
      try {
        r1?.end();
        await sleep(300);
      } finally {
        await lab.teardown();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });

    it('installs a weighted multipath route over tier 1 and the sticky-flows table', async () => {
      await expect.poll(route, { timeout: 5000 }).toBe('198.51.100.1*2 198.51.100.17*1');
      const status = await r1.request<UplinkStatus[]>('status');
      expect(status.map((s) => [s.id, s.active])).toEqual([
        ['operator1', true],
        ['operator2', true],
        ['operator3', false],
      ]);
      const { stdout } = await lab.exec('r1', ['nft', 'list', 'table', 'inet', 'vrrpd_uplinks_ISP']);
      expect(stdout).toContain('ct mark set 0x76720003');
    });

    it('an established flow keeps its uplink on the switch back, until that uplink is DOWN', async () => {
      await setOperatorForwarding(lab, 1, false);
      await setOperatorForwarding(lab, 2, false);
      await expect.poll(route, { timeout: 5000 }).toBe('198.51.100.33');

      const server = lab.spawnIn('site', [
        process.execPath,
        '-e',
        `const s = require('net').createServer((c) => { c.on('data', () => {}); c.on('error', () => {}); });
       s.listen(${PORT}, '${CHECK_SITE}');
       process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
       setTimeout(() => process.exit(0), 60000);`,
      ]);
      await sleep(300);
      const client = lab.spawnIn('r1', [
        process.execPath,
        '-e',
        `const c = require('net').connect(${PORT}, '${CHECK_SITE}');
       c.on('error', () => {});
       const t = setInterval(() => c.write('x'), 50);
       process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
       setTimeout(() => process.exit(0), 60000);`,
      ]);
      try {
        await expect.poll(async () => (await deltas(300))[2], { timeout: 5000 }).toBeGreaterThan(0);

        await setOperatorForwarding(lab, 1, true);
        await setOperatorForwarding(lab, 2, true);
        await expect.poll(route, { timeout: 8000 }).toBe('198.51.100.1*2 198.51.100.17*1');
        // The route is back on tier 1; the connection opened via operator 3 stays there.
        const sticky = await deltas(500);
        expect(sticky[2]).toBeGreaterThan(3);
        expect(sticky[0]! + sticky[1]!).toBe(0);

        // Operator 3 DOWN: its mark is no longer restored and the flow follows the default route.
        await setOperatorForwarding(lab, 3, false);
        await expect
          .poll(async () => (await r1.request<UplinkStatus[]>('status'))[2]?.state, { timeout: 5000 })
          .toBe('DOWN');
        const moved = await deltas(500);
        expect(moved[0]! + moved[1]!).toBeGreaterThan(0);
      } finally {
        client.stdin?.end();
        server.stdin?.end();
        await setOperatorForwarding(lab, 3, true);
      }
    });

    it('removes the sticky-flows table and probe rules on stop', async () => {
      await r1.request('stop', {}, 10_000);
      const tables = await lab.exec('r1', ['nft', 'list', 'tables']);
      expect(tables.stdout).not.toContain('vrrpd_uplinks_ISP');
    });
  },
);
