// The maintainer scripts run for real (dash, as dpkg runs them) against stand-in systemctl,
// deb-systemd-helper and deb-systemd-invoke that log their calls, in a private mount namespace whose
// /run, /var/lib and /var/log are empty tmpfs: "systemd is running" is /run/systemd/system existing,
// and purge's deletions cannot touch the host.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../lab/root.js';

const SCRIPTS = resolve(import.meta.dirname, '../../packaging/deb');
const skip = requireRoot();

interface Host {
  systemd: boolean;
  keepalivedActive?: boolean;
  keepalivedEnabled?: boolean;
  /** deb-systemd-helper was-enabled: true on a first installation. */
  wasEnabled?: boolean;
}

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Calls of the stand-in tools, one "tool args…" per line. */
  calls: string[];
  /** Paths under /var/lib, /var/log, /run left after the script. */
  left: string[];
}

describe('maintainer scripts are valid POSIX shell', () => {
  it.each(['postinst', 'prerm', 'postrm'])('%s', (script) => {
    const result = spawnSync('sh', ['-n', join(SCRIPTS, script)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe.skipIf(skip !== undefined)('maintainer scripts (stand-in systemd tools, private mounts)', () => {
  let bin: string;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'vrrpd-maint-'));
    const tool = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool(
      'systemctl',
      [
        'case "$*" in',
        '  *is-active*keepalived*) [ "$FAKE_KEEPALIVED_ACTIVE" = 1 ] ;;',
        '  *is-enabled*keepalived*) [ "$FAKE_KEEPALIVED_ENABLED" = 1 ] ;;',
        '  *) exit 0 ;;',
        'esac',
      ].join('\n'),
    );
    tool(
      'deb-systemd-helper',
      'case "$*" in *was-enabled*) [ "$FAKE_WAS_ENABLED" = 1 ] ;; *) exit 0 ;; esac',
    );
    tool('deb-systemd-invoke', 'exit 0');
  });

  afterAll(() => {
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  /** Runs a script expecting it to succeed silently on stderr. */
  function run(script: string, args: string[], host: Host): ScriptRun {
    const result = runScript(script, args, host);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result;
  }

  function runScript(script: string, args: string[], host: Host): ScriptRun {
    const log = join(bin, `log-${Date.now()}-${Math.random().toString(16).slice(2)}`);
    writeFileSync(log, '');
    const setup = [
      'set -e',
      'mount -t tmpfs vrrpd-test /run',
      'mount -t tmpfs vrrpd-test /var/lib',
      'mount -t tmpfs vrrpd-test /var/log',
      host.systemd ? 'mkdir -p /run/systemd/system' : ':',
      // What a running vrrpd leaves: state, the uplinks' switch log, its runtime directory.
      'mkdir -p /var/lib/vrrpd /var/log/vrrpd /run/vrrpd',
      'touch /var/lib/vrrpd/state /var/log/vrrpd/switch.log /run/vrrpd/vrrpd.sock',
      'set +e',
      'sh "$@"; code=$?',
      'echo "exit=$code"',
      'find /var/lib /var/log /run -mindepth 1 -path /run/systemd -prune -o -print | sed "s/^/left: /"',
    ].join('\n');
    const result = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', setup, 'sh', join(SCRIPTS, script), ...args],
      {
        encoding: 'utf8',
        timeout: 15_000,
        env: {
          PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
          FAKE_LOG: log,
          FAKE_KEEPALIVED_ACTIVE: host.keepalivedActive ? '1' : '0',
          FAKE_KEEPALIVED_ENABLED: host.keepalivedEnabled ? '1' : '0',
          FAKE_WAS_ENABLED: host.wasEnabled === false ? '0' : '1',
        },
      },
    );
    const lines = result.stdout.split('\n');
    const exit = lines.find((line) => line.startsWith('exit='));
    const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    rmSync(log);
    return {
      code: exit ? Number(exit.slice(5)) : null,
      stdout: lines.filter((line) => !line.startsWith('exit=') && !line.startsWith('left: ')).join('\n'),
      stderr: result.stderr,
      calls,
      left: lines.filter((line) => line.startsWith('left: ')).map((line) => line.slice(6)),
    };
  }

  const changesUnits = (calls: string[]) =>
    calls.filter((call) => / (enable|start|restart|try-restart)( |$)/.test(call) && !call.includes('is-'));

  it('first install, no keepalived, systemd running: enables and starts vrrpd', () => {
    const result = run('postinst', ['configure'], { systemd: true });
    expect(result.code).toBe(0);
    expect(result.calls).toContain('deb-systemd-helper enable vrrpd.service');
    expect(result.calls).toContain('deb-systemd-invoke start vrrpd.service');
    expect(result.stdout).toBe('');
  });

  it('first install in a chroot or container without systemd: enables, starts nothing', () => {
    const result = run('postinst', ['configure'], { systemd: false });
    expect(result.code).toBe(0);
    expect(result.calls).toContain('deb-systemd-helper enable vrrpd.service');
    expect(result.calls.filter((call) => call.startsWith('deb-systemd-invoke'))).toEqual([]);
  });

  it.each([
    ['running', { keepalivedActive: true, keepalivedEnabled: true }],
    ['enabled but stopped', { keepalivedEnabled: true }],
  ])('keepalived %s: vrrpd neither enabled nor started, and the admin is told how to switch', (_, host) => {
    const result = run('postinst', ['configure'], { systemd: true, ...host });
    expect(result.code).toBe(0);
    expect(changesUnits(result.calls)).toEqual([]);
    expect(result.calls).toContain('deb-systemd-helper update-state vrrpd.service');
    expect(result.stdout).toContain('keepalived is in use');
    expect(result.stdout).toContain('vrrpd -t -f /etc/keepalived/keepalived.conf');
    expect(result.stdout).toContain('systemctl disable --now keepalived && systemctl enable --now vrrpd');
  });

  it('upgrade: restarts vrrpd if it runs; an admin’s disable is kept', () => {
    const upgrade = run('postinst', ['configure', '0.0.9'], { systemd: true });
    expect(upgrade.calls).toContain('deb-systemd-invoke try-restart vrrpd.service');
    expect(upgrade.calls).not.toContain('deb-systemd-invoke start vrrpd.service');
    const disabled = run('postinst', ['configure', '0.0.9'], { systemd: true, wasEnabled: false });
    expect(disabled.calls).not.toContain('deb-systemd-helper enable vrrpd.service');
    expect(disabled.calls).toContain('deb-systemd-helper update-state vrrpd.service');
  });

  it('prerm stops vrrpd on removal, not on upgrade', () => {
    expect(run('prerm', ['remove'], { systemd: true }).calls).toEqual([
      'deb-systemd-invoke stop vrrpd.service',
    ]);
    expect(run('prerm', ['upgrade', '0.2.0'], { systemd: true }).calls).toEqual([]);
  });

  it('postrm remove keeps the state; purge deletes it and forgets the unit', () => {
    const removed = run('postrm', ['remove'], { systemd: true });
    expect(removed.code).toBe(0);
    expect(removed.left).toContain('/var/lib/vrrpd/state');
    const purged = run('postrm', ['purge'], { systemd: true });
    expect(purged.code).toBe(0);
    expect(purged.calls).toContain('deb-systemd-helper purge vrrpd.service');
    expect(purged.left.filter((path) => path.includes('vrrpd'))).toEqual([]);
  });

  it('rejects an unknown action, as policy asks', () => {
    for (const script of ['postinst', 'prerm', 'postrm']) {
      const result = runScript(script, ['bogus'], { systemd: true });
      expect(result.code, script).toBe(1);
      expect(result.stderr, script).toContain("unknown argument 'bogus'");
    }
  });
});
