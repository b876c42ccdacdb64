// The order of the namespace steps and what each outcome leads to, with a fake host: the steps
// that move the main thread end in an exec of the same node and arguments carrying the marker;
// the new image reads the marker (and removes it from its environment) instead of entering again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterNamespace, ENTERED_ENV, type EntryHost } from '../../src/daemon/netns-entry.js';
import type { NamespaceOps } from '../../src/kernel/namespaces.js';
import { enterForRun, testOutcome } from '../../src/cli/netns-start.js';

class ExecCalled extends Error {}

interface FakeOptions {
  namespaces?: string[];
  inside?: string | null;
  fail?: Partial<Record<keyof NamespaceOps, string>>;
  env?: NodeJS.ProcessEnv;
}

function fakeHost(options: FakeOptions = {}) {
  const calls: string[] = [];
  let current = options.inside ?? null;
  const fail = (op: keyof NamespaceOps) => {
    const message = options.fail?.[op];
    if (message) throw new Error(message);
  };
  const ops: NamespaceOps = {
    enterNetworkNamespace: (path) => {
      calls.push(`setns ${path}`);
      fail('enterNetworkNamespace');
      current = path.split('/').at(-1) ?? null;
    },
    privateMountNamespace: () => {
      calls.push('unshare mount');
      fail('privateMountNamespace');
    },
    bindMount: (source, target) => {
      calls.push(`bind ${source} ${target}`);
      fail('bindMount');
    },
    unmount: (target) => {
      calls.push(`umount ${target}`);
    },
    execve: (file, argv, env) => {
      calls.push(`exec ${file} ${argv.join(' ')}`);
      exec = { file, argv, env };
      throw new ExecCalled();
    },
  };
  let exec: { file: string; argv: string[]; env: string[] } | null = null;
  const host: EntryHost = {
    env: options.env ?? { PATH: '/usr/bin' },
    exists: (path) => (options.namespaces ?? []).some((name) => path === `/run/netns/${name}`),
    alreadyIn: (path) => current !== null && path === `/run/netns/${current}`,
    mkdir: (path) => calls.push(`mkdir ${path}`),
    ops: () => ops,
    execPath: '/usr/bin/node',
    argv0: 'node',
    execArgv: ['--lite-mode'],
    argv: ['/usr/bin/node', '/usr/bin/vrrpd', '-f', '/etc/k.conf'],
  };
  return { host, calls, exec: () => exec };
}

function run(name: string | null, mode: 'run' | 'test', fake: ReturnType<typeof fakeHost>) {
  try {
    return enterNamespace(name, mode, fake.host);
  } catch (error) {
    if (error instanceof ExecCalled) return 'exec';
    throw error;
  }
}

describe('entering the network namespace', () => {
  it('does nothing when no namespace is named', () => {
    const fake = fakeHost();
    expect(run(null, 'run', fake)).toEqual({ kind: 'none' });
    expect(fake.calls).toEqual([]);
  });

  it('the daemon: setns, a private mount namespace with /run/vrrpd/NAME on /run/vrrpd, then the same command again', () => {
    const fake = fakeHost({ namespaces: ['blue'] });
    const outcome = run('blue', 'run', fake);
    // execve failing is reported; the fake's exec throws to stand for "never returns".
    expect(outcome === 'exec' || (typeof outcome === 'object' && outcome.kind === 'failed')).toBe(true);
    expect(fake.calls).toEqual([
      'setns /run/netns/blue',
      'unshare mount',
      'mkdir /run/vrrpd/blue',
      'bind /run/vrrpd/blue /run/vrrpd',
      'exec /usr/bin/node node --lite-mode /usr/bin/vrrpd -f /etc/k.conf',
    ]);
    const marker = fake.exec()?.env.find((entry) => entry.startsWith(`${ENTERED_ENV}=`));
    expect(JSON.parse(marker!.slice(ENTERED_ENV.length + 1))).toEqual({
      name: 'blue',
      mode: 'run',
      runDirectory: '/run/vrrpd/blue',
      warnings: [],
    });
    expect(fake.exec()?.env).toContain('PATH=/usr/bin');
  });

  it('-t enters the network namespace only, as keepalived -t', () => {
    const fake = fakeHost({ namespaces: ['blue'] });
    run('blue', 'test', fake);
    expect(fake.calls).toEqual([
      'setns /run/netns/blue',
      'exec /usr/bin/node node --lite-mode /usr/bin/vrrpd -f /etc/k.conf',
    ]);
  });

  it('the new image finds the marker, checks it is inside, and removes the marker from its environment', () => {
    const marker = { name: 'blue', mode: 'run', runDirectory: '/run/vrrpd/blue', warnings: ['x'] };
    const env: NodeJS.ProcessEnv = { [ENTERED_ENV]: JSON.stringify(marker) };
    const fake = fakeHost({ namespaces: ['blue'], inside: 'blue', env });
    expect(run('blue', 'run', fake)).toEqual({ kind: 'inside', ...marker });
    expect(env[ENTERED_ENV]).toBeUndefined();
    expect(fake.calls).toEqual([]);
    // A marker while not inside is refused, not trusted.
    const stale = fakeHost({ namespaces: ['blue'], env: { [ENTERED_ENV]: JSON.stringify(marker) } });
    expect(run('blue', 'run', stale)).toMatchObject({ kind: 'failed', moved: false });
  });

  it('a namespace that does not exist: nothing is touched (keepalived: "Failed to open /run/netns/NAME")', () => {
    const fake = fakeHost({ namespaces: [] });
    expect(run('blue', 'run', fake)).toEqual({ kind: 'missing', name: 'blue' });
    expect(fake.calls).toEqual([]);
    expect(testOutcome({ kind: 'missing', name: 'blue' }, false)).toMatchObject({ checkInterfaces: false });
    expect(testOutcome({ kind: 'missing', name: 'blue' }, true)).toMatchObject({ exitCode: 4 });
  });

  it('setns refused: fails before anything moved', () => {
    const fake = fakeHost({ namespaces: ['blue'], fail: { enterNetworkNamespace: 'setns: EPERM' } });
    expect(run('blue', 'run', fake)).toEqual({
      kind: 'failed',
      name: 'blue',
      error: 'setns: EPERM',
      moved: false,
    });
  });

  it('the mount step is best effort, as in keepalived: its failure travels to the new image as a warning', () => {
    const fake = fakeHost({ namespaces: ['blue'], fail: { privateMountNamespace: 'unshare: EPERM' } });
    run('blue', 'run', fake);
    const marker = fake.exec()?.env.find((entry) => entry.startsWith(`${ENTERED_ENV}=`));
    expect(JSON.parse(marker!.slice(ENTERED_ENV.length + 1))).toMatchObject({
      runDirectory: null,
      warnings: ['unshare: EPERM'],
    });
  });

  it('already inside (ip netns exec, systemd NetworkNamespacePath=): no setns; -t needs no exec at all', () => {
    const daemon = fakeHost({ namespaces: ['blue'], inside: 'blue' });
    run('blue', 'run', daemon);
    expect(daemon.calls[0]).toBe('unshare mount');
    const test = fakeHost({ namespaces: ['blue'], inside: 'blue' });
    expect(run('blue', 'test', test)).toMatchObject({ kind: 'inside', name: 'blue' });
    expect(test.calls).toEqual([]);
    // Neither setns nor the mount step possible: run where started would be wrong; stays inside.
    const noMount = fakeHost({
      namespaces: ['blue'],
      inside: 'blue',
      fail: { privateMountNamespace: 'EPERM' },
    });
    expect(run('blue', 'run', noMount)).toMatchObject({
      kind: 'inside',
      runDirectory: null,
      warnings: ['EPERM'],
    });
  });
});

describe('enterForRun hands its parse to the daemon', () => {
  it('without a namespace the daemon starts from the parse that looked for one (the file is read once)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrrpd-netns-start-'));
    try {
      const file = join(dir, 'keepalived.conf');
      writeFileSync(
        file,
        'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.254/24\n  }\n}\n',
      );
      const fake = fakeHost();
      const entered = enterForRun({ file, configId: 'main', strict: false }, fake.host);
      expect(entered).toMatchObject({ ok: true });
      expect(entered.ok && entered.parsed?.config.instances.map((i) => i.name)).toEqual(['VI_1']);
      expect(fake.calls).toEqual([]);
      // -s names the namespace without reading the file: nothing to hand over.
      const named = enterForRun({ override: 'blue', file, configId: 'main', strict: false }, fake.host);
      expect(named).toMatchObject({ ok: false, name: 'blue' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
