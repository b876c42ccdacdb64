import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyState, NotifyTransition, PlannedScript } from '../../src/scripts/notify-plan.js';
import { createNotifyExecutor, NotifyQueue } from '../../src/scripts/notify-queue.js';
import type { ScriptResult } from '../../src/scripts/types.js';
import { RecordingLogger, TempDir, specFor, waitFor } from './helpers.js';

let dir: TempDir;
let logFile: string;
let keep: string;

beforeAll(() => {
  dir = new TempDir();
  logFile = dir.file('transitions.log');
  // The seed article's pattern: keep.sh dispatches on $3 to keepup.sh / keepdown.sh.
  // keepdown is slow and keepup fast, so running them out of order would show in the log.
  const keepup = dir.script(
    'keepup.sh',
    `#!/bin/sh\necho "start up $*" >> ${logFile}\necho "end up" >> ${logFile}\n`,
  );
  const keepdown = dir.script(
    'keepdown.sh',
    `#!/bin/sh\necho "start down $*" >> ${logFile}\nsleep 0.3\necho "end down" >> ${logFile}\n`,
  );
  keep = dir.script(
    'keep.sh',
    [
      '#!/bin/bash',
      'TYPE=$1',
      'NAME=$2',
      'STATE=$3',
      'case $STATE in',
      `  "MASTER") ${keepup} "$NAME" ; exit 0 ;;`,
      `  "BACKUP") ${keepdown} "$NAME" ; exit 0 ;;`,
      `  "FAULT")  ${keepdown} "$NAME" ; exit 0 ;;`,
      '  *) echo "unknown state"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  dir.remove();
});

function readLog(): string[] {
  return existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : [];
}

function transition(name: string, state: NotifyState, priority = 100): NotifyTransition {
  return { subject: 'INSTANCE', name, state, priority };
}

describe('NotifyQueue with real scripts', () => {
  it('BACKUP→MASTER→BACKUP in quick succession runs keepdown, keepup, keepdown in that order', async () => {
    const logger = new RecordingLogger();
    const queue = new NotifyQueue({ execute: createNotifyExecutor({ timeoutMs: 3000, logger }), logger });
    const scripts = { any: specFor([keep]) };
    queue.enqueue(transition('VI_1', 'BACKUP'), scripts);
    queue.enqueue(transition('VI_1', 'MASTER'), scripts);
    queue.enqueue(transition('VI_1', 'BACKUP'), scripts);
    // enqueue() returned without waiting: all three transitions are still pending.
    expect(queue.pendingCount('INSTANCE:VI_1')).toBe(3);
    expect(await queue.drain(5000)).toBe(true);
    expect(readLog()).toEqual([
      'start down VI_1',
      'end down',
      'start up VI_1',
      'end up',
      'start down VI_1',
      'end down',
    ]);
    const notifyRecords = logger.entries.filter((entry) => entry.msg.startsWith('notify VI_1'));
    expect(notifyRecords.map((entry) => entry.obj.state)).toEqual(['BACKUP', 'MASTER', 'BACKUP']);
    expect(notifyRecords[0].obj.configured).toBe('/etc/keepalived/keepalived.conf:7');
  });

  it('a hanging script delays only its own instance, and only until its timeout', async () => {
    const hangLog = dir.file('hang.log');
    const hang = dir.script('hang.sh', `#!/bin/sh\necho "hang $*" >> ${hangLog}\nsleep 30\n`);
    const note = dir.script('note.sh', `#!/bin/sh\necho "note $*" >> ${hangLog}\n`);
    const logger = new RecordingLogger();
    const queue = new NotifyQueue({
      execute: createNotifyExecutor({ timeoutMs: 400, killGraceMs: 200, logger }),
      logger,
    });
    queue.enqueue(transition('VI_1', 'MASTER'), { master: specFor([hang, 'VI_1']) });
    queue.enqueue(transition('VI_1', 'BACKUP'), { backup: specFor([note, 'VI_1-backup']) });
    queue.enqueue(transition('VI_2', 'MASTER'), { master: specFor([note, 'VI_2-master']) });

    const lines = (): string[] =>
      existsSync(hangLog) ? readFileSync(hangLog, 'utf8').trim().split('\n') : [];
    // VI_2 is not held back by VI_1's hanging script.
    expect(await waitFor(() => lines().includes('note VI_2-master'), 2000)).toBe(true);
    expect(lines()).not.toContain('note VI_1-backup');
    expect(queue.pendingCount('INSTANCE:VI_1')).toBe(2);
    // After the timeout kills the hanging script, VI_1's next transition runs.
    expect(await queue.drain(3000)).toBe(true);
    expect(lines().filter((line) => line.includes('VI_1'))).toEqual(['hang VI_1', 'note VI_1-backup']);
    expect(logger.messages('warn')).toContain(
      'notify_master VI_1: timed out after 400 ms, process group killed',
    );
  });

  it('abortAll() terminates the running script and drops the waiting transitions', async () => {
    const slow = dir.script('slow.sh', '#!/bin/sh\nsleep 30\n');
    const logger = new RecordingLogger();
    const queue = new NotifyQueue({
      execute: createNotifyExecutor({ timeoutMs: 20_000, killGraceMs: 200, logger }),
      logger,
    });
    queue.enqueue(transition('VI_1', 'MASTER'), { master: specFor([slow]) });
    queue.enqueue(transition('VI_1', 'STOP'), { stop: specFor([slow]) });
    expect(await queue.drain(200)).toBe(false);
    queue.abortAll();
    expect(await queue.drain(2000)).toBe(true);
    expect(queue.isIdle()).toBe(true);
    expect(logger.messages('warn')).toContain('INSTANCE:VI_1: pending notify scripts abandoned at shutdown');
  });
});

describe('NotifyQueue with an injected executor', () => {
  function controllableExecutor(): {
    execute: (planned: PlannedScript, transition: NotifyTransition) => Promise<ScriptResult>;
    started: string[];
    finishNext: () => void;
  } {
    const started: string[] = [];
    const waiting: Array<() => void> = [];
    return {
      started,
      execute: (planned, next) => {
        started.push(`${next.name}:${next.state}:${planned.role}`);
        return new Promise<ScriptResult>((resolve) => {
          waiting.push(() => resolve({ outcome: 'exited', exitCode: 0 } as ScriptResult));
        });
      },
      finishNext: () => waiting.shift()?.(),
    };
  }

  it('runs the specific script, then notify, before the next transition starts', async () => {
    const executor = controllableExecutor();
    const queue = new NotifyQueue({ execute: executor.execute, logger: new RecordingLogger() });
    const scripts = { master: specFor(['/m']), backup: specFor(['/b']), any: specFor(['/n']) };
    queue.enqueue(transition('VI_1', 'MASTER'), scripts);
    queue.enqueue(transition('VI_1', 'BACKUP'), scripts);
    await Promise.resolve();
    expect(executor.started).toEqual(['VI_1:MASTER:notify_master']);
    for (let step = 0; step < 4; step += 1) {
      executor.finishNext();
      await waitFor(() => executor.started.length > step + 1 || step === 3, 500);
    }
    expect(executor.started).toEqual([
      'VI_1:MASTER:notify_master',
      'VI_1:MASTER:notify',
      'VI_1:BACKUP:notify_backup',
      'VI_1:BACKUP:notify',
    ]);
    expect(await queue.drain(500)).toBe(true);
  });

  it('bounds the waiting transitions per key, dropping the oldest and keeping the newest', async () => {
    const executor = controllableExecutor();
    const logger = new RecordingLogger();
    const queue = new NotifyQueue({ execute: executor.execute, logger, maxPendingPerKey: 2 });
    const scripts = { any: specFor(['/n']) };
    for (const state of ['MASTER', 'BACKUP', 'MASTER', 'FAULT', 'BACKUP'] as const) {
      queue.enqueue(transition('VI_1', state), scripts);
    }
    expect(queue.pendingCount('INSTANCE:VI_1')).toBe(3);
    expect(logger.messages('warn').some((message) => message.includes('older transition(s) dropped'))).toBe(
      true,
    );
    for (let step = 0; step < 3; step += 1) {
      executor.finishNext();
      await waitFor(() => executor.started.length > step + 1 || step === 2, 500);
    }
    expect(executor.started).toEqual(['VI_1:MASTER:notify', 'VI_1:FAULT:notify', 'VI_1:BACKUP:notify']);
  });

  it('keeps going when an executor rejects', async () => {
    const ran: string[] = [];
    const logger = new RecordingLogger();
    const queue = new NotifyQueue({
      execute: async (planned, next) => {
        ran.push(`${next.state}:${planned.role}`);
        if (next.state === 'MASTER') throw new Error('boom');
        return { outcome: 'exited', exitCode: 0 } as ScriptResult;
      },
      logger,
    });
    queue.enqueue(transition('VI_1', 'MASTER'), { any: specFor(['/n']) });
    queue.enqueue(transition('VI_1', 'BACKUP'), { any: specFor(['/n']) });
    expect(await queue.drain(500)).toBe(true);
    expect(ran).toEqual(['MASTER:notify', 'BACKUP:notify']);
    expect(logger.messages('error')).toEqual(['INSTANCE:VI_1: notify executor failed']);
  });
});
