// A script that returns at once but leaves a long-lived child behind (`cmd &`): its result is
// reported when it exits (queues go on), and the child is killed with the script's process group
// when the script's timeout expires. Real processes, no namespace needed.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScript } from '../../src/scripts/runner.js';
import { processGroupExists } from '../../src/scripts/process-group.js';
import { waitFor } from '../lab/daemons.js';
import { processAlive } from './process-probe.js';
import { callbackLogger } from '../../src/runtime/log.js';

interface Logged {
  level: string;
  obj: object;
  msg: string;
}

function recordingLogger(lines: Logged[]) {
  return callbackLogger((level, obj, msg) => void lines.push({ level, obj, msg }));
}

describe('a script that leaves a child running', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vrrpd-leftover-'));
  });
  afterEach(() => {
    // Whatever the outcome, nothing this test started may survive it.
    const file = join(dir, 'child.pid');
    if (existsSync(file)) {
      try {
        process.kill(Number(readFileSync(file, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const childPid = (): number => Number(readFileSync(join(dir, 'child.pid'), 'utf8'));

  it('is reported when it exits; its child is killed with the group at the timeout', async () => {
    const lines: Logged[] = [];
    const started = Date.now();
    const result = await runScript({
      argv: ['/bin/sh', '-c', `sleep 60 & echo $! > ${join(dir, 'child.pid')}; exit 0`],
      label: 'notify_master VI_1',
      timeoutMs: 1500,
      killGraceMs: 300,
      logger: recordingLogger(lines),
    });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0, timedOut: false });
    // The result did not wait for the child.
    expect(Date.now() - started).toBeLessThan(1000);
    const pid = childPid();
    expect(processAlive(pid)).toBe(true);
    expect(processGroupExists(result.pid!)).toBe(true);

    expect(await waitFor(() => !processAlive(pid), 4000, 50)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    // Killed processes linger as zombies until their new parent reaps them.
    expect(await waitFor(() => !processGroupExists(result.pid!), 2000, 20)).toBe(true);
    const warning = lines.find((l) => l.level === 'warn' && l.msg.includes('process group killed'));
    expect(warning?.msg).toBe(
      'notify_master VI_1: 1 process(es) it started still running at its 1500 ms timeout, process group killed',
    );
    expect(warning?.obj).toMatchObject({ script: { pid: result.pid, leftover: [pid] } });
  });

  it('a child that ignores SIGTERM is killed after the grace period', async () => {
    const lines: Logged[] = [];
    const result = await runScript({
      argv: ['/bin/sh', '-c', `(trap '' TERM; sleep 60) & echo $! > ${join(dir, 'child.pid')}; exit 0`],
      label: 'notify_backup VI_1',
      timeoutMs: 800,
      killGraceMs: 300,
      logger: recordingLogger(lines),
    });
    expect(result.outcome).toBe('exited');
    expect(await waitFor(() => !processGroupExists(result.pid!), 4000, 50)).toBe(true);
  });

  it('children that finish on their own are left alone and nothing is logged', async () => {
    const lines: Logged[] = [];
    const result = await runScript({
      argv: ['/bin/sh', '-c', `sleep 0.2 & echo $! > ${join(dir, 'child.pid')}; exit 0`],
      label: 'notify VI_1',
      timeoutMs: 700,
      logger: recordingLogger(lines),
    });
    expect(result.outcome).toBe('exited');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('the daemon stopping (abort) kills what is left at once', async () => {
    const lines: Logged[] = [];
    const stop = new AbortController();
    await runScript({
      argv: ['/bin/sh', '-c', `sleep 60 & echo $! > ${join(dir, 'child.pid')}; exit 0`],
      label: 'notify_master VI_1',
      timeoutMs: 60_000,
      killGraceMs: 300,
      logger: recordingLogger(lines),
      signal: stop.signal,
    });
    const pid = childPid();
    expect(processAlive(pid)).toBe(true);
    stop.abort();
    expect(await waitFor(() => !processAlive(pid), 2000, 20)).toBe(true);
  });
});
