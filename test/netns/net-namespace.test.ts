// net_namespace on a real kernel: two routers' namespaces and a LAN (the lab's segment), and an
// "outer" namespace the daemons are started from (`ip netns exec <outer> vrrpd …`), so every
// namespace involved is the test's own. Each vrrpd names its router's namespace in the file and
// must enter it: the election happens between them, the VIP appears in the router's namespace
// (never in the outer one), the notify scripts run inside it, the pid file and control socket of
// the daemon started with default paths appear under /run/vrrpd/<namespace>/ (reached with
// `vrrpctl --netns`), `vrrpd -t` checks the interfaces of the named namespace, and a stop releases
// the VIP and removes /run/vrrpd/<namespace>.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DaemonSet,
  holdsAddress,
  keepalivedConfig,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { distPath, requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, VIP, type RouterSegment } from '../lab/topology.js';
import { vrrpdCommand } from '../lab/vrrpd-command.js';
import { ScriptDir } from './script-dir.js';
import { vrrpctl } from './vrrpctl.js';

const skip = requireRoot();
const OUTER = 'out';

describe.skipIf(skip !== undefined)('net_namespace: vrrpd enters the namespace its file names', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let scripts: ScriptDir;
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  /** r1 runs with the default pid file and socket: seen from here under /run/vrrpd/<namespace>. */
  let r1RunDir = '';
  let r1Config = '';

  /** A notify script recording, per call, its argv and the inode of the network namespace it runs in. */
  function notifyScript(role: string): string {
    const log = scripts.file(`${role}.log`);
    return scripts.script(`${role}-notify.sh`, `echo "$3 $(stat -L -c %i /proc/self/ns/net)" >> '${log}'`);
  }

  const inode = (role: string): string => String(statSync(`/run/netns/${segment.lab.ns(role)}`).ino);

  beforeAll(async () => {
    requireBuiltDist(['src']);
    segment = await createRouterSegment();
    await segment.lab.addNamespace(OUTER);
    daemons = new DaemonSet(segment.lab);
    scripts = new ScriptDir();
    const config = (role: string, priority: number) =>
      `net_namespace ${segment.lab.ns(role)}\n` +
      keepalivedConfig([{ priority, extra: [`notify ${notifyScript(role)}`] }], ['enable_script_security']);
    r1RunDir = `/run/vrrpd/${segment.lab.ns('r1')}`;
    r1Config = config('r1', 150);
    // The defaults, written out: the last --socket / --pid wins over the lab's temporary ones.
    r1 = daemons.start('vrrpd', OUTER, r1Config, [
      '--socket',
      '/run/vrrpd/vrrpd.sock',
      '--pid',
      '/run/vrrpd/vrrpd.pid',
    ]);
    r2 = daemons.start('vrrpd', OUTER, config('r2', 100));
  }, 60_000);

  afterAll(async () => {
    await daemons?.cleanup();
    scripts?.remove();
    await segment?.lab.teardown();
  }, 60_000);

  const r1Here = (): RunningDaemon => ({ ...r1, socketPath: `${r1RunDir}/vrrpd.sock` });

  it('elects r1 MASTER and r2 BACKUP, with the VIP in r1’s namespace only', async () => {
    expect(await waitForState(r1Here(), 'MASTER', 15_000), r1.logs.join('\n')).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 15_000), r2.logs.join('\n')).not.toBeNull();
    expect(await waitFor(() => holdsAddress(segment.lab, 'r1', 'eth0', VIP), 5000)).toBe(true);
    expect(await holdsAddress(segment.lab, 'r2', 'eth0', VIP)).toBe(false);
    const outer = await segment.lab.ip(OUTER, ['-j', 'addr', 'show']);
    expect(outer.stdout).not.toContain(VIP);
    expect(await segment.lab.pingOnce('c1', VIP, 2000)).toBe(true);
    const entered = r1.records().find((record) => record.code === 'VRRPD_NETNS');
    expect(entered).toMatchObject({ netns: segment.lab.ns('r1'), runDirectory: r1RunDir });
  }, 40_000);

  it('runs the notify scripts inside the router’s namespace', async () => {
    expect(await waitFor(() => scripts.lines('r1.log').length > 0, 5000)).toBe(true);
    expect(await waitFor(() => scripts.lines('r2.log').length > 0, 5000)).toBe(true);
    expect(scripts.lines('r1.log')).toContain(`MASTER ${inode('r1')}`);
    expect(scripts.lines('r2.log')).toContain(`BACKUP ${inode('r2')}`);
  }, 15_000);

  it('keeps the pid file and socket in /run/vrrpd/<namespace>, which vrrpctl --netns finds', async () => {
    expect(readFileSync(`${r1RunDir}/vrrpd.pid`, 'utf8').trim()).toBe(String(r1.pid));
    expect(statSync(`${r1RunDir}/vrrpd.sock`).isSocket()).toBe(true);
    const result = await segment.lab.exec(
      OUTER,
      [process.execPath, distPath('src/cli/vrrpctl.ts'), '--netns', segment.lab.ns('r1'), 'status', '--json'],
      { check: false, timeoutMs: 10_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ instances: [{ name: 'VI_1', state: 'MASTER' }] });
  }, 20_000);

  it('vrrpd -t checks the interfaces of the named namespace (the outer one has no eth0)', async () => {
    const file = `${r1.dir}/keepalived.conf`;
    const test = await segment.lab.exec(OUTER, [...vrrpdCommand(), '-t', '-f', file], {
      check: false,
      timeoutMs: 20_000,
    });
    expect(test.code, test.stderr).toBe(0);
    const scratch = new ScriptDir('vrrpd-netns-t-');
    try {
      const absent = scratch.file('absent.conf');
      writeFileSync(absent, r1Config.replace(segment.lab.ns('r1'), `${segment.lab.id}-gone`));
      const missing = await segment.lab.exec(OUTER, [...vrrpdCommand(), '-t', '-f', absent], {
        check: false,
        timeoutMs: 20_000,
      });
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain('VRRPD_E_CONFIG_NETNS');
      expect(missing.stderr).not.toContain('VRRPD_E_CONFIG_INTERFACE');
    } finally {
      scratch.remove();
    }
  }, 40_000);

  it('refuses a reload whose file names another namespace, and keeps running as it was', async () => {
    const before = daemons.readConfig(r2);
    daemons.rewriteConfig(r2, before.replace(segment.lab.ns('r2'), segment.lab.ns('r1')));
    try {
      const reload = await vrrpctl(segment.lab, r2, ['reload']);
      expect(reload.code).not.toBe(0);
      expect(reload.stdout + reload.stderr).toContain('VRRPD_E_CONFIG_NETNS');
      expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
    } finally {
      daemons.rewriteConfig(r2, before);
    }
  }, 20_000);

  it('stops cleanly: r2 takes over, the VIP leaves r1, /run/vrrpd/<namespace> is removed', async () => {
    expect(await daemons.stop(r1)).toBe(0);
    expect(await waitForState(r2, 'MASTER', 10_000)).not.toBeNull();
    expect(await waitFor(async () => !(await holdsAddress(segment.lab, 'r1', 'eth0', VIP)), 5000)).toBe(true);
    expect(await holdsAddress(segment.lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(existsSync(r1RunDir)).toBe(false);
  }, 30_000);
});
