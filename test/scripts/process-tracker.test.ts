// vrrp_track_process with real processes the test starts and kills by PID, through both sources:
// the kernel's process-events connector (this test process runs in the initial namespace) and
// polling /proc (what a daemon inside a network namespace gets). The programs are copies of
// /bin/sleep and /bin/sh under names unique to this run, so nothing else on the machine counts.

import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessTracker, type ProcessSourceMode } from '../../src/scripts/process-tracker.js';
import type { ProcessTrackConfig } from '../../src/scripts/process-track.js';
import { requireRoot } from '../lab/root.js';
import { RecordingLogger, TempDir } from './helpers.js';

const skip = requireRoot();
const tag = `${process.pid % 100000}`;

function config(name: string, overrides: Partial<ProcessTrackConfig>): ProcessTrackConfig {
  return {
    name,
    process: name,
    params: [],
    paramMatch: 'none',
    fullCommand: false,
    quorum: 1,
    quorumMax: Infinity,
    forkDelayMs: 0,
    terminateDelayMs: 0,
    ...overrides,
  };
}

async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return predicate();
}

for (const mode of ['connector', 'poll'] as const satisfies readonly ProcessSourceMode[]) {
  describe.skipIf(skip !== undefined)(`vrrp_track_process with real processes (${mode})`, () => {
    const dir = new TempDir('vrrpd-proc-');
    // comm is the first 15 bytes of the file name: keep names short and unique.
    const sleeper = `vs${mode[0]}${tag}`;
    const delayed = `vd${mode[0]}${tag}`;
    const shell = `vh${mode[0]}${tag}`;
    const sleeperPath = dir.file(sleeper);
    const delayedPath = dir.file(delayed);
    const shellPath = dir.file(shell);
    const started: ChildProcess[] = [];
    const changes: string[] = [];
    let tracker: ProcessTracker;

    const start = (path: string, args: string[], detached = false): ChildProcess => {
      const child = spawn(path, args, { stdio: 'ignore', detached });
      started.push(child);
      return child;
    };
    const stop = async (child: ChildProcess): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        // A detached child leads its own process group (its subshells): end the group, by its PID.
        process.kill(child.spawnfile === shellPath ? -child.pid! : child.pid!, 'SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    };
    const state = (name: string) => tracker.states().find((s) => s.name === name)!;

    beforeAll(async () => {
      copyFileSync('/bin/sleep', sleeperPath);
      copyFileSync('/bin/sh', shellPath);
      copyFileSync('/bin/sleep', delayedPath);
      // Two already running before the tracker starts: the initial scan must count them.
      start(sleeperPath, ['300']);
      start(sleeperPath, ['301']);
      await waitUntil(() => started.every((c) => c.pid !== undefined));
      await new Promise((resolve) => setTimeout(resolve, 100)); // let them exec
      tracker = await ProcessTracker.start({
        mode,
        pollIntervalMs: 100,
        logger: new RecordingLogger(),
        configs: [
          config('two', { process: sleeper, quorum: 2, quorumMax: 3 }),
          config('exact', { process: sleeperPath, fullCommand: true, params: ['30'], paramMatch: 'exact' }),
          config('delayed', { process: delayed, quorum: 2, terminateDelayMs: 1500 }),
          config('forked', { process: shell, quorum: 2, forkDelayMs: 200 }),
        ],
        onStatusChange: (name, up, count) => changes.push(`${name}:${up ? 'up' : 'down'}:${count}`),
      });
      expect(tracker.source).toBe(mode);
    });

    afterAll(async () => {
      tracker?.close();
      for (const child of started) await stop(child);
      dir.remove();
    });

    it('counts the processes running at start, by name', () => {
      expect(state('two')).toMatchObject({ count: 2, up: true });
      expect(state('exact')).toMatchObject({ count: 0, up: false });
    });

    it('goes down above quorum_max and back up when one exits', async () => {
      const third = start(sleeperPath, ['302']);
      const fourth = start(sleeperPath, ['303']);
      expect(await waitUntil(() => changes.includes('two:down:4'))).toBe(true);
      await stop(fourth);
      expect(await waitUntil(() => changes.includes('two:up:3'))).toBe(true);
      await stop(third);
      expect(await waitUntil(() => state('two').count === 2)).toBe(true);
    });

    it('matches the full command line exactly with param_match', async () => {
      const other = start(sleeperPath, ['31']);
      const wanted = start(sleeperPath, ['30']);
      expect(await waitUntil(() => changes.includes('exact:up:1'))).toBe(true);
      expect(state('exact').count).toBe(1);
      await stop(wanted);
      expect(await waitUntil(() => changes.includes('exact:down:0'))).toBe(true);
      await stop(other);
    });

    it('waits terminate_delay before reporting a lost quorum', async () => {
      const two = [start(delayedPath, ['304']), start(delayedPath, ['305'])];
      expect(await waitUntil(() => changes.includes('delayed:up:2'))).toBe(true);
      await stop(two[0]!);
      // The exit is counted at once, the status changes only when the delay has passed.
      expect(await waitUntil(() => state('delayed').count === 1)).toBe(true);
      expect(state('delayed').up).toBe(true);
      expect(await waitUntil(() => changes.includes('delayed:down:1'))).toBe(true);
      await stop(two[1]!);
    });

    it('counts a tracked process’s fork and reports it after fork_delay', async () => {
      // The shell forks a subshell (same name) that loops on sleep: two processes named `shell`.
      const parent = start(shellPath, ['-c', `(while :; do ${sleeperPath} 1; done) & wait`], true);
      expect(await waitUntil(() => changes.includes('forked:up:2'))).toBe(true);
      expect(state('forked')).toMatchObject({ count: 2, pendingTimer: null });
      await stop(parent);
      expect(
        await waitUntil(() => changes.includes('forked:down:0') || changes.includes('forked:down:1')),
      ).toBe(true);
    });
  });
}
