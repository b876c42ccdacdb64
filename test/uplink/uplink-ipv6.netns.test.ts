// IPv6 uplinks on a real kernel: the same failover as IPv4 (probes through each gateway by mark
// and an IPv6 probe table, `ip -6 route replace default`), with a global next hop (operator 1)
// and a link-local one (operator 2, fe80::2 on eth2, probed by TCP connect). Operator 1 stops
// forwarding while its gateway keeps answering: only probes through it can tell.
//
//   r1 eth1 2001:db8:1::14 ─ isp1 ─ op1 eth0 2001:db8:1::1 ─ eth1 2001:db8:ff::1 ┐
//   r1 eth2 2001:db8:2::14 ─ isp2 ─ op2 eth0 fe80::2, 2001:db8:2::1 ─ eth1 ::2 ──┴─ site 2001:db8:ff::10

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkStatus } from '../../src/control/status-types.js';
import { requireBuiltDist } from '../lab/dist.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { sleep } from './operators-lab.js';
import { fileLines, recordingHookDir, startUplinkRunner } from './runner-client.js';

const skip = requireRoot();
const SITE = '2001:db8:ff::10';

interface Ip6Route {
  gateway?: string;
  dev?: string;
}

describe.skipIf(skip !== undefined)(
  `IPv6 uplinks on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let dir: string;
    let r1: JsonLinesChild;
    let hooks: string;
    let startHooks: string[] = [];

    const addAddress = (role: string, dev: string, cidr: string) =>
      lab.ip(role, ['-6', 'addr', 'add', cidr, 'dev', dev, 'nodad']);
    const defaultRoute = async (): Promise<Ip6Route | undefined> => {
      const { stdout } = await lab.ip('r1', ['-6', '-j', 'route', 'show', 'default']);
      return (JSON.parse(stdout || '[]') as Ip6Route[])[0];
    };
    const forwarding = (op: string, on: boolean) =>
      lab.exec(op, ['sysctl', '-qw', `net.ipv6.conf.all.forwarding=${on ? 1 : 0}`]);

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab', 'test/uplink']);
      dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-ipv6-'));
      await lab.addSwitch('site');
      await addAddress('site', 'br0', `${SITE}/64`);
      await lab.addNamespace('r1');
      for (const n of [1, 2]) {
        const op = `op${n}`;
        await lab.addSwitch(`isp${n}`);
        await lab.addNamespace(op);
        await lab.attach(op, 'eth0', `isp${n}`);
        await lab.attach(op, 'eth1', 'site');
        await addAddress(op, 'eth0', `2001:db8:${n}::1/64`);
        await addAddress(op, 'eth1', `2001:db8:ff::${n}/64`);
        await forwarding(op, true);
        await lab.attach('r1', `eth${n}`, `isp${n}`);
        await addAddress('r1', `eth${n}`, `2001:db8:${n}::14/64`);
        await lab.ip('site', ['-6', 'route', 'add', `2001:db8:${n}::/64`, 'via', `2001:db8:ff::${n}`]);
      }
      await addAddress('op2', 'eth0', 'fe80::2/64');
      hooks = join(dir, 'hooks.out');
      const postReplace = await recordingHookDir(dir, 'post-replace.d', hooks);
      const yml = join(dir, 'netgwm.yml');
      await writeFile(
        yml,
        `gateways:
  operator1: {ip: '2001:db8:1:0::1', dev: eth1, priority: 1}
  operator2: {ip: 'fe80::2', dev: eth2, priority: 2}
min_uptime: 0
check_sites: ['${SITE}']
vrrpd:
  interval: 0.2
  timeout: 0.15
  count: 1
  rise: 2
  fall: 2
  post_replace_dir: ${postReplace}
  event_dir: null
  log_file: null
  mode_file: null
  status_dir: null
  state_file: ${join(dir, 'uplinks.json')}
  gateways:
    operator2: {probe: tcp, port: 9}
`,
      );
      r1 = await startUplinkRunner(lab, 'r1');
      await r1.request('start', { configPath: yml, role: 'standalone', name: 'ISP6' }, 15_000);
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

    it('installs the IPv6 default route via operator 1 and IPv6 probe rules', async () => {
      await expect.poll(async () => (await defaultRoute())?.gateway, { timeout: 5000 }).toBe('2001:db8:1::1');
      // Operator 2 may still be rising (its first probe waits for neighbour discovery of fe80::2).
      const states = async () =>
        (await r1.request<UplinkStatus[]>('status')).map((s) => [s.id, s.ip, s.state, s.active]);
      await expect.poll(states, { timeout: 5000 }).toEqual([
        ['operator1', '2001:db8:1::1', 'UP', true],
        ['operator2', 'fe80::2', 'UP', false],
      ]);
      const { stdout } = await lab.ip('r1', ['-6', '-j', 'rule', 'show']);
      const marked = (
        JSON.parse(stdout) as Array<{ priority: number; fwmark?: string; table?: string }>
      ).filter((rule) => rule.fwmark !== undefined);
      expect(marked.map((rule) => [rule.priority, rule.fwmark, rule.table])).toEqual([
        [3401, '0x76720001', '3401'],
        [3402, '0x76720002', '3402'],
      ]);
      // Whichever gateway answers first is installed first (min_uptime 0), so operator 2 may have
      // been used for a moment while operator 1's first probes waited for neighbour discovery.
      await expect
        .poll(async () => (await fileLines(hooks)).at(-1), { timeout: 3000 })
        .toMatch(/^operator1 2001:db8:1::1 eth1 /);
      startHooks = await fileLines(hooks);
      expect([
        ['operator1 2001:db8:1::1 eth1 NaN NaN NaN'],
        ['operator2 fe80::2 eth2 NaN NaN NaN', 'operator1 2001:db8:1::1 eth1 operator2 fe80::2 eth2'],
      ]).toContainEqual(startHooks);
    });

    it('fails over to the link-local gateway when operator 1 stops forwarding, and back', async () => {
      await forwarding('op1', false);
      await expect.poll(async () => (await defaultRoute())?.gateway, { timeout: 5000 }).toBe('fe80::2');
      expect((await defaultRoute())?.dev).toBe('eth2');
      await forwarding('op1', true);
      await expect.poll(async () => (await defaultRoute())?.gateway, { timeout: 5000 }).toBe('2001:db8:1::1');
      // Post-replace hooks run after the route is replaced, so the last line may trail it.
      await expect
        .poll(() => fileLines(hooks), { timeout: 3000 })
        .toEqual([
          ...startHooks,
          'operator2 fe80::2 eth2 operator1 2001:db8:1::1 eth1',
          'operator1 2001:db8:1::1 eth1 operator2 fe80::2 eth2',
        ]);
    });

    it('the TCP probe over IPv6 goes through the link-local gateway, and stop removes the rules', async () => {
      await forwarding('op2', false);
      await expect
        .poll(async () => (await r1.request<UplinkStatus[]>('status'))[1]?.state, { timeout: 5000 })
        .toBe('DOWN');
      await forwarding('op2', true);
      await r1.request('stop', {}, 10_000);
      const { stdout } = await lab.ip('r1', ['-6', '-j', 'rule', 'show']);
      expect((JSON.parse(stdout) as Array<{ fwmark?: string }>).filter((rule) => rule.fwmark)).toEqual([]);
      for (const table of ['3401', '3402']) {
        const routes = await lab.ip('r1', ['-6', '-j', 'route', 'show', 'table', table]);
        expect(JSON.parse(routes.stdout || '[]')).toEqual([]);
      }
    });
  },
);
