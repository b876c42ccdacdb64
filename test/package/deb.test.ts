// The Debian package, end to end on this machine: build it (packaging/build-deb.ts), lintian, dpkg -i,
// the installed files, `vrrpd --version`, `vrrpd -t` on the shipped examples, systemd-analyze on the
// installed unit, one election between two installed daemons in a namespace pair (checked with the
// installed vrrpctl), then dpkg --purge, which must leave nothing behind.
// Needs root, dpkg, lintian and systemd-analyze: CI=true fails loudly without them, elsewhere it skips.
// It installs into this machine's dpkg database, so outside CI it refuses to touch an existing vrrpd.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, holdsAddress, type RunningDaemon } from '../lab/daemons.js';
import { distPath, packageRoot, requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { startPair, unicastConfig } from '../netns/pair.js';
import { vrrpctlJson } from '../netns/vrrpctl.js';
import type { StatusSnapshot } from '../../src/control/status-types.js';

const DOC = '/usr/share/doc/vrrpd';
const TOOLS = ['dpkg', 'dpkg-deb', 'dpkg-shlibdeps', 'lintian', 'systemd-analyze', 'unshare'];

function installedVersion(): string | null {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status} ${Version}', 'vrrpd'], { encoding: 'utf8' });
  const match = /^install ok installed (\S+)$/.exec(query.stdout.trim());
  return match ? match[1]! : null;
}

/** Why this machine cannot run the test (undefined: it can). Throws under CI=true. */
function blocker(): string | undefined {
  const reason = (() => {
    const namespaces = requireRoot();
    if (namespaces) return namespaces;
    const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (missing.length > 0) return `missing ${missing.join(', ')} (scripts/setup.sh installs them)`;
    if (process.env.CI !== 'true' && installedVersion() !== null) {
      return 'vrrpd is already installed here: the test would replace and purge it (purge it first to run this)';
    }
    return undefined;
  })();
  if (reason && process.env.CI === 'true')
    throw new Error(`CI=true but the package test cannot run: ${reason}`);
  if (reason) console.warn(`skipping the Debian package test: ${reason}`);
  return reason;
}

function sh(argv: string[], timeout = 60_000): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function purge(): void {
  if (installedVersion() !== null || spawnSync('dpkg-query', ['-W', 'vrrpd']).status === 0) {
    execFileSync('dpkg', ['--purge', 'vrrpd'], { stdio: 'pipe', timeout: 60_000 });
  }
}

const skip = blocker();

describe.skipIf(skip !== undefined)('the Debian package', () => {
  const version = (
    JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;
  let work: string;
  let deb: string;
  let installOutput: string;
  let installedFiles: string[];
  let segment: RouterSegment | undefined;
  let daemons: DaemonSet | undefined;

  beforeAll(() => {
    requireBuiltDist(['src', 'packaging', 'test/lab']);
    // A leftover from an interrupted run on a CI machine (outside CI, blocker() refused already).
    purge();
    work = mkdtempSync(join(tmpdir(), 'vrrpd-deb-test-'));
    const built = sh([process.execPath, distPath('packaging/build-deb.ts'), '--out', work], 180_000);
    expect(built.code, built.stderr).toBe(0);
    deb = join(work, readdirSync(work).find((name) => name.endsWith('.deb')) ?? 'no .deb built');
    expect(deb).toMatch(new RegExp(`/vrrpd_${version.replace(/\./g, '\\.')}_[a-z0-9]+\\.deb$`));
    const install = sh(['dpkg', '-i', deb], 120_000);
    installOutput = install.stdout + install.stderr;
    expect(install.code, installOutput).toBe(0);
    installedFiles = sh(['dpkg', '-L', 'vrrpd']).stdout.split('\n').filter(Boolean);
  }, 240_000);

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
    purge();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is lintian clean apart from the documented overrides', () => {
    const overrides = readFileSync(join(packageRoot(), 'packaging/deb/lintian-overrides'), 'utf8').split(
      '\n',
    );
    overrides.forEach((line, index) => {
      // Each override says why, in the comment just above it.
      if (line.trim() !== '' && !line.startsWith('#')) expect(overrides[index - 1], line).toMatch(/^#/);
    });
    const lintian = sh(['lintian', '--fail-on', 'error,warning', deb], 180_000);
    expect(lintian.stdout.split('\n').filter((line) => /^[EW]: /.test(line))).toEqual([]);
    expect(lintian.code, lintian.stdout + lintian.stderr).toBe(0);
  }, 200_000);

  it('installs the layout the issue describes, with its two conffiles', () => {
    for (const path of [
      '/usr/bin/vrrpd',
      '/usr/bin/vrrpctl',
      '/usr/lib/vrrpd/dist/vrrpd.cjs',
      '/usr/lib/vrrpd/dist/vrrpctl.cjs',
      '/usr/lib/vrrpd/native/build/Release/vrrpd_native.node',
      '/lib/systemd/system/vrrpd.service',
      '/etc/default/vrrpd',
      '/etc/vrrpd/vrrpd.conf',
      '/usr/share/man/man8/vrrpd.8.gz',
      '/usr/share/man/man8/vrrpctl.8.gz',
      '/usr/share/bash-completion/completions/vrrpd',
      '/usr/share/bash-completion/completions/vrrpctl',
      `${DOC}/copyright`,
      `${DOC}/examples/router1/keepalived.conf`,
    ]) {
      expect(installedFiles, path).toContain(path);
      expect(existsSync(path), path).toBe(true);
    }
    expect(lstatSync('/usr/bin/vrrpd').isSymbolicLink()).toBe(true);
    // Nothing for development: no source maps, TypeScript, compiler headers or build leftovers.
    expect(
      installedFiles.filter((path) => /\.(map|ts|h|cc|o|mk)$|node-addon-api|\/nan\//.test(path)),
    ).toEqual([]);
    const conffiles = sh(['dpkg-query', '-W', '-f=${Conffiles}', 'vrrpd']).stdout;
    expect(conffiles).toContain('/etc/default/vrrpd');
    expect(conffiles).toContain('/etc/vrrpd/vrrpd.conf');
    const depends = sh(['dpkg-query', '-W', '-f=${Depends}', 'vrrpd']).stdout;
    expect(depends).toMatch(/nodejs \(>= 20\)/);
  });

  it('enables the service unless keepalived is in use, and then says how to migrate', () => {
    const keepalivedEnabled = sh(['systemctl', 'is-enabled', '--quiet', 'keepalived.service']).code === 0;
    const wants = '/etc/systemd/system/multi-user.target.wants/vrrpd.service';
    if (keepalivedEnabled) {
      expect(existsSync(wants)).toBe(false);
      expect(installOutput).toContain('systemctl disable --now keepalived && systemctl enable --now vrrpd');
    } else {
      expect(lstatSync(wants).isSymbolicLink()).toBe(true);
      expect(installOutput).not.toContain('keepalived is in use');
    }
  });

  it('runs from the installed paths: --version, --help, every run-time dependency loads', () => {
    const versionRun = sh(['/usr/bin/vrrpd', '--version']);
    expect(versionRun).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(sh(['/usr/bin/vrrpctl', '--help']).stdout).toContain('Usage: vrrpctl');
    const load = sh([
      '/usr/bin/node',
      '--input-type=module',
      '-e',
      [
        "import { createRequire } from 'node:module';",
        "import { readFileSync } from 'node:fs';",
        "const require = createRequire('/usr/lib/vrrpd/package.json');",
        "const { dependencies } = JSON.parse(readFileSync('/usr/lib/vrrpd/package.json', 'utf8'));",
        'for (const name of Object.keys(dependencies)) await import(require.resolve(name));',
        // The addon as native.ts loads it, from the directory holding native/binding.gyp.
        "const native = require('node-gyp-build')('/usr/lib/vrrpd/native');",
        "console.log(Object.keys(dependencies).join(' '), native.interfaceIndex('lo'));",
      ].join('\n'),
    ]);
    expect(load.stderr).toBe('');
    expect(load.stdout).toMatch(/commander .*yaml 1\n$/);
  });

  it('vrrpd -t accepts the conffile and every shipped example, in a namespace with their interfaces', async () => {
    segment = await createRouterSegment();
    const { lab } = segment;
    // veth pairs, not dummies: not every kernel the tests run on has the dummy driver.
    for (const ifname of ['eth1', 'eth2'])
      await lab.ip('r1', ['link', 'add', ifname, 'type', 'veth', 'peer', 'name', `${ifname}peer`]);
    const check = async (argv: string[]) => {
      const result = await lab.exec('r1', argv, { check: false, timeoutMs: 20_000 });
      expect(result.code, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
      expect(result.stderr).toMatch(/configuration OK/);
    };
    await check(['/usr/bin/vrrpd', '-t', '-f', '/etc/vrrpd/vrrpd.conf']);
    await check(['/usr/bin/vrrpd', '--uplinks-only', '-t', '-c', `${DOC}/examples/uplinks/netgwm.yml`]);
    // The examples name their scripts and netgwm.yml where an admin installs them (/etc/vrrpd,
    // /etc/netgwm); here they point at the installed copies, which pass script security as shipped.
    const configs = installedFiles.filter(
      (path) => path.startsWith(`${DOC}/examples/`) && path.endsWith('.conf'),
    );
    expect(configs.length).toBeGreaterThanOrEqual(4);
    const rewritten = join(work, 'examples');
    mkdirSync(rewritten);
    for (const [index, config] of configs.entries()) {
      const copy = join(rewritten, `${index}.conf`);
      writeFileSync(
        copy,
        readFileSync(config, 'utf8')
          .replaceAll('/etc/vrrpd/', `${DOC}/examples/scripts/`)
          .replaceAll('/etc/netgwm/netgwm.yml', `${DOC}/examples/uplinks/netgwm.yml`),
      );
      for (const configId of ['router1', 'router2'])
        await check(['/usr/bin/vrrpd', '-t', '-i', configId, '-f', copy]);
    }
  }, 120_000);

  it('ships a unit that passes systemd-analyze verify and security as installed', () => {
    const verify = sh(['systemd-analyze', 'verify', '/lib/systemd/system/vrrpd.service']);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    const security = sh([
      'systemd-analyze',
      'security',
      '--offline=yes',
      '/lib/systemd/system/vrrpd.service',
    ]);
    const exposure = /Overall exposure level for vrrpd\.service: (\d+(?:\.\d+)?)/.exec(security.stdout);
    expect(exposure, security.stdout + security.stderr).not.toBeNull();
    expect(Number(exposure![1])).toBeLessThanOrEqual(3.5);
  });

  it('the installed daemons elect a master, as the installed vrrpctl reports', async () => {
    const lab = segment!.lab;
    daemons = new DaemonSet(lab, { vrrpdCommand: ['/usr/bin/vrrpd'] });
    const [r1, r2]: [RunningDaemon, RunningDaemon] = await startPair(
      daemons,
      { role: 'r1', config: unicastConfig('192.0.2.1', '192.0.2.2', 200) },
      { role: 'r2', config: unicastConfig('192.0.2.2', '192.0.2.1', 100), masterAddress: '192.0.2.1' },
    );
    const installedVrrpctl = ['/usr/bin/vrrpctl'];
    const [master, backup] = (await Promise.all([
      vrrpctlJson(lab, r1, ['status'], installedVrrpctl),
      vrrpctlJson(lab, r2, ['status'], installedVrrpctl),
    ])) as [StatusSnapshot, StatusSnapshot];
    expect(master.instances[0]).toMatchObject({ name: 'VI_1', state: 'MASTER', priority: 200 });
    expect(backup.instances[0]).toMatchObject({ name: 'VI_1', state: 'BACKUP', masterAddress: '192.0.2.1' });
    expect(await holdsAddress(lab, 'r1', 'eth0', '192.0.2.254')).toBe(true);
    // Really the packaged code: the processes run /usr/lib/vrrpd, not the repository's dist/.
    expect(readFileSync(`/proc/${r1.pid}/cmdline`, 'utf8')).toContain('/usr/bin/vrrpd');
    await daemons.cleanup();
    daemons = undefined;
  }, 60_000);

  it('dpkg --purge leaves nothing behind', () => {
    // What a running service leaves: state, the uplinks' switch log.
    mkdirSync('/var/lib/vrrpd', { recursive: true });
    writeFileSync('/var/lib/vrrpd/leftover', '');
    const purged = sh(['dpkg', '--purge', 'vrrpd'], 120_000);
    expect(purged.code, purged.stdout + purged.stderr).toBe(0);
    expect(installedVersion()).toBeNull();
    expect(sh(['dpkg-query', '-W', 'vrrpd']).code).not.toBe(0);
    const left = installedFiles.filter((path) => {
      if (!existsSync(path) && !isDanglingLink(path)) return false;
      // Directories other packages share (/usr/bin, /etc/default, …) stay, as they should.
      // (stat, not lstat: on a merged-/usr system /lib is a link to a directory).
      return !(existsSync(path) && statSync(path).isDirectory()) || /vrrpd/.test(path);
    });
    expect(left).toEqual([]);
    for (const path of [
      '/var/lib/vrrpd',
      '/var/log/vrrpd',
      '/etc/vrrpd',
      '/etc/systemd/system/multi-user.target.wants/vrrpd.service',
    ]) {
      expect(existsSync(path) || isDanglingLink(path), path).toBe(false);
    }
    const helperState = sh(['find', '/var/lib/systemd/deb-systemd-helper-enabled', '-name', '*vrrpd*']);
    expect(helperState.stdout).toBe('');
  });
});

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
