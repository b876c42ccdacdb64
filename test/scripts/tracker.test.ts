import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackStatus } from '../../src/scripts/track-status.js';
import {
  TrackScriptScheduler,
  type ScriptTrackerState,
  type TrackRun,
  type TrackScriptConfig,
} from '../../src/scripts/tracker.js';
import type { ScriptResult } from '../../src/scripts/types.js';
import { ManualClock, RecordingLogger, TempDir, flushMicrotasks, specFor, waitFor } from './helpers.js';

function config(overrides: Partial<TrackScriptConfig> = {}): TrackScriptConfig {
  return {
    name: 'chk_uplink',
    script: specFor(['/usr/local/bin/chk_uplink']),
    intervalMs: 1000,
    timeoutMs: 1000,
    weight: -30,
    weightReverse: false,
    rise: 2,
    fall: 2,
    initFail: false,
    ...overrides,
  };
}

/** A runner whose runs the test finishes by hand, with a chosen exit code. */
function manualRunner(): {
  run: TrackRun;
  starts: number;
  finish: (exitCode: number) => void;
  inFlight: () => number;
} {
  const waiting: Array<(result: ScriptResult) => void> = [];
  const runner = {
    starts: 0,
    run: ((_config, signal) => {
      runner.starts += 1;
      return new Promise<ScriptResult>((resolve) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(result(null, 'aborted')));
      });
    }) as TrackRun,
    finish: (exitCode: number) => waiting.shift()?.(result(exitCode, 'exited')),
    inFlight: () => waiting.length,
  };
  return runner;
}

function result(exitCode: number | null, outcome: ScriptResult['outcome']): ScriptResult {
  return {
    label: 'vrrp_script chk_uplink',
    argv: [],
    pid: 1,
    outcome,
    exitCode,
    signal: null,
    timedOut: false,
    durationMs: 5,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    error: null,
  };
}

describe('TrackScriptScheduler (manual clock)', () => {
  it('runs at start and then every interval', async () => {
    const clock = new ManualClock();
    const runner = manualRunner();
    const scheduler = new TrackScriptScheduler([config()], {
      logger: new RecordingLogger(),
      clock,
      run: runner.run,
    });
    scheduler.start();
    expect(runner.starts).toBe(1);
    runner.finish(0);
    await flushMicrotasks();
    await clock.advance(999);
    expect(runner.starts).toBe(1);
    await clock.advance(1);
    expect(runner.starts).toBe(2);
    runner.finish(0);
    await clock.advance(3000);
    expect(runner.starts).toBe(3);
    await scheduler.stop();
  });

  it('skips (and counts) a run that is due while the previous one is still going, never stacks', async () => {
    const clock = new ManualClock();
    const runner = manualRunner();
    const logger = new RecordingLogger();
    const scheduler = new TrackScriptScheduler([config()], { logger, clock, run: runner.run });
    scheduler.start();
    await clock.advance(3500);
    expect(runner.starts).toBe(1);
    expect(runner.inFlight()).toBe(1);
    expect(scheduler.state('chk_uplink')?.skippedRuns).toBe(3);
    expect(logger.messages('warn')[0]).toBe(
      'vrrp_script chk_uplink is still running when its next run is due: run skipped',
    );
    runner.finish(0);
    await flushMicrotasks();
    await clock.advance(500);
    expect(runner.starts).toBe(2);
    await scheduler.stop();
  });

  it('applies rise/fall and reports status changes with the weight contribution', async () => {
    const clock = new ManualClock();
    const runner = manualRunner();
    const changes: Array<{ state: ScriptTrackerState; previous: TrackStatus }> = [];
    const scheduler = new TrackScriptScheduler([config({ weight: -30, fall: 2, rise: 2 })], {
      logger: new RecordingLogger(),
      clock,
      run: runner.run,
      onStatusChange: (state, previous) => changes.push({ state, previous }),
    });
    scheduler.start();
    const step = async (exitCode: number): Promise<void> => {
      runner.finish(exitCode);
      await flushMicrotasks();
      await clock.advance(1000);
    };
    expect(scheduler.state('chk_uplink')).toMatchObject({ status: 'INIT', contribution: 0 });
    await step(0); // INIT → OK on the first success
    await step(1); // one failure: still OK (fall 2)
    expect(scheduler.state('chk_uplink')).toMatchObject({
      status: 'OK',
      consecutiveFailures: 1,
      contribution: 0,
    });
    await step(1); // second failure → FAIL, weight -30 applies
    expect(scheduler.state('chk_uplink')).toMatchObject({
      kind: 'script',
      name: 'chk_uplink',
      status: 'FAIL',
      consecutiveSuccesses: 0,
      consecutiveFailures: 2,
      weight: -30,
      contribution: -30,
      fault: false,
      runs: 3,
      lastExitCode: 1,
    });
    await step(0);
    await step(0); // rise 2 → OK
    expect(changes.map((change) => `${change.previous}->${change.state.status}`)).toEqual([
      'INIT->OK',
      'OK->FAIL',
      'FAIL->OK',
    ]);
    expect(changes[1].state.contribution).toBe(-30);
    await scheduler.stop();
  });

  it('weight 0 reports fault while failing', async () => {
    const clock = new ManualClock();
    const runner = manualRunner();
    const scheduler = new TrackScriptScheduler([config({ weight: 0, initFail: true })], {
      logger: new RecordingLogger(),
      clock,
      run: runner.run,
    });
    expect(scheduler.state('chk_uplink')).toMatchObject({ status: 'FAIL', fault: true });
    scheduler.start();
    runner.finish(0);
    await flushMicrotasks();
    await clock.advance(1000);
    runner.finish(0);
    await flushMicrotasks();
    expect(scheduler.state('chk_uplink')).toMatchObject({ status: 'OK', fault: false });
    await scheduler.stop();
  });

  it('stop() cancels the timer and terminates the running script without recording a result', async () => {
    const clock = new ManualClock();
    const runner = manualRunner();
    const scheduler = new TrackScriptScheduler([config()], {
      logger: new RecordingLogger(),
      clock,
      run: runner.run,
    });
    scheduler.start();
    await scheduler.stop();
    expect(clock.pendingTimers()).toBe(0);
    expect(scheduler.state('chk_uplink')).toMatchObject({ status: 'INIT', runs: 0 });
    await clock.advance(5000);
    expect(runner.starts).toBe(1);
  });
});

describe('TrackScriptScheduler with the real runner', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = new TempDir();
  });
  afterAll(() => {
    dir.remove();
  });

  it('follows a real script that starts failing, and treats a timeout as a failure', async () => {
    const flag = dir.file('healthy');
    writeFileSync(flag, '');
    const check = dir.script('check.sh', `#!/bin/sh\ntest -e ${flag}\n`);
    const hang = dir.script('hang.sh', '#!/bin/sh\nsleep 30\n');
    const changes: string[] = [];
    const scheduler = new TrackScriptScheduler(
      [
        config({ name: 'chk', script: specFor([check]), intervalMs: 50, timeoutMs: 1000, rise: 1, fall: 2 }),
        config({ name: 'slow', script: specFor([hang]), intervalMs: 100, timeoutMs: 150, rise: 1, fall: 1 }),
      ],
      {
        logger: new RecordingLogger(),
        onStatusChange: (state, previous) => changes.push(`${state.name}:${previous}->${state.status}`),
      },
    );
    scheduler.start();
    try {
      expect(await waitFor(() => scheduler.state('chk')?.status === 'OK', 3000)).toBe(true);
      rmSync(flag);
      expect(await waitFor(() => scheduler.state('chk')?.status === 'FAIL', 3000)).toBe(true);
      expect(scheduler.state('chk')).toMatchObject({ lastOutcome: 'exited', lastExitCode: 1 });
      expect(await waitFor(() => scheduler.state('slow')?.status === 'FAIL', 3000)).toBe(true);
      expect(scheduler.state('slow')?.lastOutcome).toBe('timeout');
      expect(scheduler.state('slow')?.skippedRuns).toBeGreaterThan(0);
    } finally {
      await scheduler.stop();
    }
    expect(changes).toContain('chk:INIT->OK');
    expect(changes).toContain('chk:OK->FAIL');
    expect(changes).toContain('slow:INIT->FAIL');
  });
});
