import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, startScript } from '../../src/scripts/runner.js';
import { isSuccess } from '../../src/scripts/types.js';
import { RecordingLogger, TempDir, processAlive, waitFor } from './helpers.js';

let dir: TempDir;
beforeAll(() => {
  dir = new TempDir();
});
afterAll(() => {
  dir.remove();
});

describe('runScript: argv and execution', () => {
  it('passes argv exactly, spaces and quotes included, with no shell in between', async () => {
    const script = dir.script('print-args.sh', '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n');
    const logger = new RecordingLogger();
    const args = ['two words', "it's", '"quoted"', '$HOME', '*', '', 'a;b|c'];
    const result = await runScript({ argv: [script, ...args], label: 'argv', timeoutMs: 3000, logger });
    expect(result.outcome).toBe('exited');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(args.map((arg) => `[${arg}]\n`).join(''));
  });

  it('runs a file without a shebang through /bin/sh, as keepalived does', async () => {
    const script = dir.script('no-shebang', 'echo "sh ran me with $# args: $1"\n');
    const result = await runScript({
      argv: [script, 'first'],
      label: 'no-shebang',
      timeoutMs: 3000,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('exited');
    expect(result.stdout).toBe('sh ran me with 1 args: first\n');
  });

  it('executes an ELF binary directly and finds a bare name in PATH', async () => {
    const result = await runScript({
      argv: ['printf', '%s-%s', 'a b', 'c'],
      label: 'printf',
      timeoutMs: 3000,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('exited');
    expect(result.stdout).toBe('a b-c');
  });

  it('reports the exit status, and logs it with the duration and output', async () => {
    const script = dir.script('fail.sh', '#!/bin/sh\necho out; echo err >&2; exit 3\n');
    const logger = new RecordingLogger();
    const result = await runScript({
      argv: [script],
      label: 'notify_backup VI_1',
      timeoutMs: 3000,
      logger,
      logContext: { instance: 'VI_1' },
    });
    expect(result).toMatchObject({
      outcome: 'exited',
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
    });
    expect(isSuccess(result)).toBe(false);
    const warn = logger.entries.find((entry) => entry.level === 'warn');
    expect(warn?.msg).toBe('notify_backup VI_1: exited 3');
    expect(warn?.obj.instance).toBe('VI_1');
    const logged = warn?.obj.script as { exitCode: number; durationMs: number; stderr: string };
    expect(logged.exitCode).toBe(3);
    expect(logged.stderr).toBe('err\n');
    expect(typeof logged.durationMs).toBe('number');
  });

  it('returns ENOENT as a result, never throws', async () => {
    const logger = new RecordingLogger();
    const result = await runScript({
      argv: [dir.file('missing.sh')],
      label: 'missing',
      timeoutMs: 1000,
      logger,
    });
    expect(result.outcome).toBe('spawn_error');
    expect(result.error?.code).toBe('ENOENT');
    expect(logger.messages('error')[0]).toMatch(/^missing: could not be started/);
    const bare = await runScript({ argv: ['vrrpd-no-such-command'], label: 'bare', timeoutMs: 1000, logger });
    expect(bare.error?.code).toBe('ENOENT');
  });

  it('returns EACCES for a file that is not executable (even without a shebang)', async () => {
    const script = dir.script('not-exec', 'echo should not run\n', 0o644);
    const result = await runScript({
      argv: [script],
      label: 'noexec',
      timeoutMs: 1000,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('spawn_error');
    expect(result.error?.code).toBe('EACCES');
    expect(result.stdout).toBe('');
  });

  it('cleans the environment like keepalived and defaults PATH', async () => {
    const script = dir.script('env.sh', '#!/bin/sh\nenv\n');
    const result = await runScript({
      argv: [script],
      label: 'env',
      timeoutMs: 3000,
      logger: new RecordingLogger(),
      env: {
        LD_PRELOAD: '/tmp/evil.so',
        LD_LIBRARY_PATH: '/tmp',
        IFS: 'x',
        BASH_ENV: '/tmp/rc',
        'BASH_FUNC_f%%': '() { id; }',
        KEEP_ME: 'yes',
      },
    });
    const variables = new Map(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    expect(variables.get('KEEP_ME')).toBe('yes');
    for (const name of ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'IFS', 'BASH_ENV', 'BASH_FUNC_f%%']) {
      expect(variables.has(name)).toBe(false);
    }
    expect(variables.get('PATH')).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('keeps only the first bytes of stdout/stderr and says so', async () => {
    const script = dir.script(
      'chatty.sh',
      '#!/bin/sh\nhead -c 20000 /dev/zero | tr "\\0" a\necho short >&2\n',
    );
    const result = await runScript({
      argv: [script],
      label: 'chatty',
      timeoutMs: 3000,
      outputLimitBytes: 1000,
      logger: new RecordingLogger(),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('a'.repeat(1000));
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stderr).toBe('short\n');
    expect(result.stderrTruncated).toBe(false);
  });

  it('runs as another user when credentials are given (daemon is root)', async () => {
    if (process.getuid?.() !== 0) {
      if (process.env.CI === 'true') throw new Error('CI must run the scripts tests as root');
      console.warn('skipping uid switch test: not root');
      return;
    }
    const userDir = new TempDir('vrrpd-uid-');
    try {
      chmodSync(userDir.path, 0o755);
      const script = userDir.script('whoami.sh', '#!/bin/sh\necho "$(id -u):$(id -g):$(id -G)"\n');
      const result = await runScript({
        argv: [script],
        label: 'uid',
        timeoutMs: 3000,
        credentials: { uid: 65534, gid: 65534 },
        logger: new RecordingLogger(),
      });
      expect(result.outcome).toBe('exited');
      // Supplementary groups are dropped too: only the primary group remains.
      expect(result.stdout.trim()).toBe('65534:65534:65534');
    } finally {
      userDir.remove();
    }
  });
});

describe('runScript: timeouts and termination', () => {
  it('kills the whole process group at the timeout: the script and its children are gone', async () => {
    const pidFile = dir.file('child.pid');
    const script = dir.script('hang.sh', `#!/bin/sh\nsleep 30 &\necho $! > ${pidFile}\necho started\nwait\n`);
    const logger = new RecordingLogger();
    const result = await runScript({
      argv: [script],
      label: 'hang',
      timeoutMs: 300,
      killGraceMs: 500,
      logger,
    });
    expect(result.outcome).toBe('timeout');
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe('started\n');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(childPid).toBeGreaterThan(1);
    expect(await waitFor(() => !processAlive(childPid), 2000)).toBe(true);
    expect(processAlive(result.pid!)).toBe(false);
    expect(logger.messages('warn')[0]).toBe('hang: timed out after 300 ms, process group killed');
  });

  it('sends SIGKILL after the grace period to a script that ignores SIGTERM', async () => {
    const pidFile = dir.file('stubborn-child.pid');
    const script = dir.script(
      'stubborn.sh',
      `#!/bin/sh\ntrap '' TERM\n(trap '' TERM; sleep 30) &\necho $! > ${pidFile}\nwhile :; do sleep 0.05; done\n`,
    );
    const result = await runScript({
      argv: [script],
      label: 'stubborn',
      timeoutMs: 200,
      killGraceMs: 300,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('timeout');
    expect(result.signal).toBe('SIGKILL');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !processAlive(childPid), 2000)).toBe(true);
  });

  it('terminate() and an AbortSignal stop a running script', async () => {
    const script = dir.script('long.sh', '#!/bin/sh\nsleep 30\n');
    const running = startScript({
      argv: [script],
      label: 'long',
      timeoutMs: null,
      logger: new RecordingLogger(),
    });
    setTimeout(() => running.terminate(), 100);
    const result = await running.done;
    expect(result.outcome).toBe('aborted');

    const controller = new AbortController();
    const pending = runScript({
      argv: [script],
      label: 'long2',
      timeoutMs: null,
      logger: new RecordingLogger(),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    expect((await pending).outcome).toBe('aborted');
  });

  it('does not wait for a background grandchild that keeps stdout open after a normal exit', async () => {
    const pidFile = dir.file('daemonised.pid');
    const script = dir.script('bg.sh', `#!/bin/sh\nsleep 5 &\necho $! > ${pidFile}\necho done\nexit 0\n`);
    const started = Date.now();
    const result = await runScript({
      argv: [script],
      label: 'bg',
      timeoutMs: 3000,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('exited');
    expect(result.stdout).toBe('done\n');
    // Bounded well below the grandchild's 5 s.
    expect(Date.now() - started).toBeLessThan(2000);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });

  it('a file with mode 000 is reported as a start failure, not thrown', async () => {
    const script = dir.file('mode-000');
    writeFileSync(script, '');
    chmodSync(script, 0o000);
    const result = await runScript({
      argv: [script],
      label: 'zero',
      timeoutMs: 1000,
      logger: new RecordingLogger(),
    });
    expect(result.outcome).toBe('spawn_error');
  });
});
