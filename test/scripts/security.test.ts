import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryWeakness, evaluateScript, inspectPathSafety } from '../../src/scripts/security.js';
import { locateProgram, realPathInspector } from '../../src/scripts/security-fs.js';
import { saneTree } from './fake-fs.js';

const root = { uid: 0, gid: 0 };

describe('entryWeakness (keepalived rule)', () => {
  it('flags non-root owners, non-root group write and world write', () => {
    expect(entryWeakness({ type: 'directory', mode: 0o755, uid: 1000, gid: 0 })).toBe('is owned by uid 1000');
    expect(entryWeakness({ type: 'directory', mode: 0o775, uid: 0, gid: 1000 })).toBe(
      'is group-writable by gid 1000',
    );
    expect(entryWeakness({ type: 'file', mode: 0o757, uid: 0, gid: 0 })).toBe('is world-writable');
  });
  it('accepts group write for group root, and a sticky directory like /tmp', () => {
    expect(entryWeakness({ type: 'directory', mode: 0o775, uid: 0, gid: 0 })).toBeNull();
    expect(entryWeakness({ type: 'directory', mode: 0o1777, uid: 0, gid: 0 })).toBeNull();
  });
  it('does not let the sticky bit excuse a writable file', () => {
    expect(entryWeakness({ type: 'file', mode: 0o1777, uid: 0, gid: 0 })).toBe('is world-writable');
  });
});

describe('inspectPathSafety over a fabricated filesystem', () => {
  it('accepts a root-owned path', () => {
    expect(inspectPathSafety('/srv/keep.sh', saneTree())).toMatchObject({
      ok: true,
      resolvedPath: '/srv/keep.sh',
    });
  });

  it('names the unsafe directory and why', () => {
    const result = inspectPathSafety(
      '/srv/keep.sh',
      saneTree({ '/srv': { type: 'directory', mode: 0o775, gid: 1000 } }),
    );
    expect(result).toEqual({
      ok: false,
      problem: 'unsafe',
      component: '/srv',
      reason: 'is group-writable by gid 1000',
    });
  });

  it('names the unsafe file', () => {
    const result = inspectPathSafety(
      '/srv/keep.sh',
      saneTree({ '/srv/keep.sh': { type: 'file', mode: 0o777 } }),
    );
    expect(result).toMatchObject({ component: '/srv/keep.sh', reason: 'is world-writable' });
  });

  it('names a component owned by a user', () => {
    const tree = saneTree({
      '/opt': { type: 'directory', mode: 0o755 },
      '/opt/x': { type: 'directory', mode: 0o755, uid: 1000 },
      '/opt/x/run.sh': { type: 'file', mode: 0o755 },
    });
    expect(inspectPathSafety('/opt/x/run.sh', tree)).toMatchObject({
      component: '/opt/x',
      reason: 'is owned by uid 1000',
    });
  });

  it('checks "/" itself', () => {
    const tree = saneTree({ '/': { type: 'directory', mode: 0o777 } });
    expect(inspectPathSafety('/srv/keep.sh', tree)).toMatchObject({
      component: '/',
      reason: 'is world-writable',
    });
  });

  it('accepts scripts under a sticky /tmp directory only if their own directory is safe', () => {
    const safe = saneTree({
      '/tmp/ka': { type: 'directory', mode: 0o755 },
      '/tmp/ka/up.sh': { type: 'file', mode: 0o700 },
    });
    expect(inspectPathSafety('/tmp/ka/up.sh', safe).ok).toBe(true);
    const unsafe = saneTree({ '/tmp/up.sh': { type: 'file', mode: 0o755, uid: 1000 } });
    expect(inspectPathSafety('/tmp/up.sh', unsafe)).toMatchObject({
      component: '/tmp/up.sh',
      reason: 'is owned by uid 1000',
    });
  });

  it('follows symlinks and checks the target path too (absolute and relative targets)', () => {
    const tree = saneTree({
      '/usr/bin/keep': { type: 'symlink', target: '/srv/real/keep.sh' },
      '/srv/real': { type: 'directory', mode: 0o775, gid: 1000 },
      '/srv/real/keep.sh': { type: 'file', mode: 0o755 },
      '/etc/keepalived/keep.sh': { type: 'symlink', target: '../../srv/keep.sh' },
    });
    expect(inspectPathSafety('/usr/bin/keep', tree)).toMatchObject({
      ok: false,
      component: '/srv/real',
      reason: 'is group-writable by gid 1000',
    });
    expect(inspectPathSafety('/etc/keepalived/keep.sh', tree)).toMatchObject({
      ok: true,
      resolvedPath: '/srv/keep.sh',
    });
  });

  it('checks the symlink chain: a symlink a user owns can be replaced (in a sticky dir)', () => {
    const tree = saneTree({ '/tmp/keep': { type: 'symlink', target: '/srv/keep.sh', uid: 1000 } });
    expect(inspectPathSafety('/tmp/keep', tree)).toMatchObject({
      component: '/tmp/keep',
      reason: 'is a symlink owned by uid 1000',
    });
  });

  it('checks a symlinked directory in the middle of the path', () => {
    const tree = saneTree({
      '/scripts': { type: 'symlink', target: 'home/ops/scripts' },
      '/home': { type: 'directory', mode: 0o755 },
      '/home/ops': { type: 'directory', mode: 0o755, uid: 1000, gid: 1000 },
      '/home/ops/scripts': { type: 'directory', mode: 0o755 },
      '/home/ops/scripts/up.sh': { type: 'file', mode: 0o755 },
    });
    expect(inspectPathSafety('/scripts/up.sh', tree)).toMatchObject({
      component: '/home/ops',
      reason: 'is owned by uid 1000',
    });
  });

  it('reports loops, missing components, non-files and resolves ".."', () => {
    const tree = saneTree({
      '/srv/a': { type: 'symlink', target: '/srv/b' },
      '/srv/b': { type: 'symlink', target: 'a' },
    });
    expect(inspectPathSafety('/srv/a', tree)).toMatchObject({ ok: false, problem: 'loop' });
    expect(inspectPathSafety('/srv/missing.sh', tree)).toMatchObject({
      ok: false,
      problem: 'missing',
      component: '/srv/missing.sh',
    });
    expect(inspectPathSafety('/srv', tree)).toMatchObject({ ok: false, problem: 'not_a_file' });
    expect(inspectPathSafety('/etc/../srv/./keep.sh', tree)).toMatchObject({
      ok: true,
      resolvedPath: '/srv/keep.sh',
    });
    expect(inspectPathSafety('/srv/keep.sh/x', tree)).toMatchObject({ ok: false, problem: 'not_a_file' });
  });
});

describe('evaluateScript', () => {
  const unsafeSrv = saneTree({ '/srv': { type: 'directory', mode: 0o775, gid: 1000 } });

  it('refuses an unsafe root script with enable_script_security, naming the component', () => {
    const verdict = evaluateScript({
      program: '/srv/keep.sh',
      located: '/srv/keep.sh',
      runAs: root,
      enableScriptSecurity: true,
      inspector: unsafeSrv,
    });
    expect(verdict.allowed).toBe(false);
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'VRRPD_E_SCRIPT_UNSAFE',
        message:
          'script "/srv/keep.sh" would run as root but /srv is group-writable by gid 1000; refused by enable_script_security',
      }),
    ]);
  });

  it('runs it with a warning without enable_script_security', () => {
    const verdict = evaluateScript({
      program: '/srv/keep.sh',
      located: '/srv/keep.sh',
      runAs: root,
      enableScriptSecurity: false,
      inspector: unsafeSrv,
    });
    expect(verdict).toMatchObject({ allowed: true, privileged: true });
    expect(verdict.findings[0]).toMatchObject({ severity: 'warning', code: 'VRRPD_W_SCRIPT_UNSAFE' });
  });

  it('does not care about the path when the script runs as a non-root user', () => {
    const verdict = evaluateScript({
      program: '/srv/keep.sh',
      located: '/srv/keep.sh',
      runAs: { uid: 1000, gid: 1000 },
      enableScriptSecurity: true,
      inspector: unsafeSrv,
    });
    expect(verdict).toMatchObject({ allowed: true, privileged: false, findings: [] });
  });

  it('treats a setuid-root file as privileged even for a non-root user, and warns when not executable', () => {
    const tree = saneTree({
      '/srv/suid': { type: 'file', mode: 0o4755 },
      '/srv/noexec.sh': { type: 'file', mode: 0o644 },
    });
    const user = { uid: 1000, gid: 1000 };
    expect(
      evaluateScript({
        program: '/srv/suid',
        located: '/srv/suid',
        runAs: user,
        enableScriptSecurity: true,
        inspector: tree,
      }),
    ).toMatchObject({ allowed: true, privileged: true });
    const noexec = evaluateScript({
      program: '/srv/noexec.sh',
      located: '/srv/noexec.sh',
      runAs: root,
      enableScriptSecurity: true,
      inspector: tree,
    });
    expect(noexec.findings).toEqual([expect.objectContaining({ code: 'VRRPD_W_SCRIPT_NOT_EXECUTABLE' })]);
  });

  it('protects a setuid-root file in an unsafe directory even when a user runs it', () => {
    const tree = saneTree({
      '/srv': { type: 'directory', mode: 0o775, gid: 1000 },
      '/srv/suid': { type: 'file', mode: 0o4755 },
    });
    const verdict = evaluateScript({
      program: '/srv/suid',
      located: '/srv/suid',
      runAs: { uid: 1000, gid: 1000 },
      enableScriptSecurity: true,
      inspector: tree,
    });
    expect(verdict).toMatchObject({
      allowed: false,
      privileged: true,
      findings: [{ code: 'VRRPD_E_SCRIPT_UNSAFE' }],
    });
  });

  it('refuses scripts that cannot be found', () => {
    const bare = evaluateScript({
      program: 'keep.sh',
      located: null,
      runAs: root,
      enableScriptSecurity: false,
      inspector: saneTree(),
    });
    expect(bare).toMatchObject({ allowed: false, findings: [{ code: 'VRRPD_E_SCRIPT_NOT_FOUND' }] });
    const missing = evaluateScript({
      program: '/srv/gone.sh',
      located: '/srv/gone.sh',
      runAs: root,
      enableScriptSecurity: false,
      inspector: saneTree(),
    });
    expect(missing.findings[0].message).toBe(
      'script "/srv/gone.sh" cannot be used: /srv/gone.sh does not exist',
    );
  });
});

describe('security checks on the real filesystem', () => {
  let base: string;
  let scriptsDir: string;
  let script: string;

  beforeAll(() => {
    if (process.getuid?.() !== 0) return;
    // Under /tmp explicitly: "/" and the sticky /tmp are safe, so only what we change matters.
    base = mkdtempSync('/tmp/vrrpd-sec-');
    scriptsDir = path.join(base, 'scripts');
    mkdirSync(scriptsDir, { mode: 0o755 });
    script = path.join(scriptsDir, 'keep.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  });
  afterAll(() => {
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });

  function requireRoot(): boolean {
    if (process.getuid?.() === 0) return true;
    if (process.env.CI === 'true') throw new Error('CI must run the scripts tests as root (chown needed)');
    console.warn('skipping real-filesystem security test: not root');
    return false;
  }

  it('reports exactly which real component became unsafe, and why', () => {
    if (!requireRoot()) return;
    expect(inspectPathSafety(script, realPathInspector)).toMatchObject({ ok: true, resolvedPath: script });

    chownSync(scriptsDir, 0, 1000);
    chmodSync(scriptsDir, 0o775);
    expect(inspectPathSafety(script, realPathInspector)).toEqual({
      ok: false,
      problem: 'unsafe',
      component: scriptsDir,
      reason: 'is group-writable by gid 1000',
    });
    chmodSync(scriptsDir, 0o755);

    chmodSync(script, 0o757);
    expect(inspectPathSafety(script, realPathInspector)).toMatchObject({
      component: script,
      reason: 'is world-writable',
    });
    chmodSync(script, 0o755);

    chownSync(script, 1000, 0);
    expect(inspectPathSafety(script, realPathInspector)).toMatchObject({
      component: script,
      reason: 'is owned by uid 1000',
    });
    chownSync(script, 0, 0);

    // A safe-looking symlink pointing into an unsafe directory is caught at the target.
    const unsafeDir = path.join(base, 'shared');
    mkdirSync(unsafeDir, { mode: 0o755 });
    chownSync(unsafeDir, 1000, 1000);
    writeFileSync(path.join(unsafeDir, 'up.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const link = path.join(scriptsDir, 'up.sh');
    symlinkSync(path.join(unsafeDir, 'up.sh'), link);
    expect(inspectPathSafety(link, realPathInspector)).toMatchObject({
      component: unsafeDir,
      reason: 'is owned by uid 1000',
    });
  });

  it('locates programs like the runner does', () => {
    expect(locateProgram('sh', '/usr/bin:/bin')).toMatch(/\/sh$/);
    expect(locateProgram('vrrpd-no-such-program', '/usr/bin')).toBeNull();
    expect(locateProgram('./x.sh', '/usr/bin', '/srv')).toBe('/srv/x.sh');
  });
});
