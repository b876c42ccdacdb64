// keepalived-style notify scripts on real transitions, in the seed article's pattern: one generic
// `notify keep.sh` per router that calls keepup.sh on MASTER and keepdown.sh otherwise, plus
// notify_master / notify_backup (with arguments of their own), notify_stop, a shutdown_script and
// a notify_fifo. Every script appends what it was called with to a log in a temp directory
// (root-owned, 0700, scripts 0755, so enable_script_security accepts them); the tests read the
// logs back. The expected argv, order and FIFO lines are what keepalived 2.2.7 produces for the
// same configuration.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DaemonSet,
  holdsAddress,
  keepalivedConfig,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { startPair } from './pair.js';
import { ScriptDir, logArgvLine } from './script-dir.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

/** The seed's keep.sh / keepup.sh / keepdown.sh trio for one router, logging to `<role>.log`. */
function writeKeepScripts(scripts: ScriptDir, role: string): string {
  const log = scripts.file(`${role}.log`);
  const up = scripts.script(`${role}-keepup.sh`, `echo keepup >> '${log}'`);
  const down = scripts.script(`${role}-keepdown.sh`, `echo keepdown >> '${log}'`);
  return scripts.script(
    `${role}-keep.sh`,
    [
      logArgvLine(log, 'keep.sh'),
      'case "$3" in',
      `  MASTER) exec '${up}' ;;`,
      `  BACKUP | FAULT | STOP) exec '${down}' ;;`,
      '  *) exit 1 ;;',
      'esac',
    ].join('\n'),
  );
}

describe.skipIf(skip !== undefined)('notify scripts and notify_fifo on real transitions', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let scripts: ScriptDir;
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  let fifoReader: ChildProcess | null = null;
  let fifoText = '';

  beforeAll(async () => {
    requireBuiltDist(['src']);
    scripts = new ScriptDir();
    const r1Log = scripts.file('r1.log');
    const master = scripts.script('r1-master.sh', logArgvLine(r1Log, 'notify_master'));
    const backup = scripts.script('r1-backup.sh', logArgvLine(r1Log, 'notify_backup'));
    const stop = scripts.script('r1-stop.sh', logArgvLine(r1Log, 'notify_stop'));
    const shutdown = scripts.script('r1-shutdown.sh', logArgvLine(r1Log, 'shutdown_script'));
    const security = ['enable_script_security', 'script_user root'];
    const r1Config = keepalivedConfig(
      [
        {
          priority: 200,
          unicastSrc: '192.0.2.1',
          unicastPeers: ['192.0.2.2'],
          authPass: 'secret1',
          extra: [
            `notify ${writeKeepScripts(scripts, 'r1')}`,
            `notify_master "${master} 'two words' plain"`,
            `notify_backup "${backup} --from-backup"`,
            `notify_stop ${stop}`,
          ],
        },
      ],
      [...security, `shutdown_script ${shutdown}`, `notify_fifo ${scripts.file('r1.fifo')}`],
    );
    const r2Config = keepalivedConfig(
      [
        {
          priority: 100,
          unicastSrc: '192.0.2.2',
          unicastPeers: ['192.0.2.1'],
          authPass: 'secret1',
          extra: [`notify ${writeKeepScripts(scripts, 'r2')}`],
        },
      ],
      security,
    );
    segment = await createRouterSegment();
    daemons = new DaemonSet(segment.lab);
    [r1, r2] = await startPair(
      daemons,
      { role: 'r1', config: r1Config },
      { role: 'r2', config: r2Config, masterAddress: '192.0.2.1' },
    );
    // The daemon creates the FIFO at start and holds it open read-write, so the lines written
    // before this reader opens it wait in the pipe.
    const fifo = scripts.file('r1.fifo');
    if (!existsSync(fifo)) throw new Error('r1 did not create its notify FIFO');
    fifoReader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    fifoReader.stdout?.on('data', (chunk: Buffer) => (fifoText += chunk.toString('utf8')));
  });

  afterAll(async () => {
    if (fifoReader && fifoReader.exitCode === null && fifoReader.signalCode === null)
      fifoReader.kill('SIGKILL');
    await daemons?.cleanup();
    await segment?.lab.teardown();
    scripts?.remove();
  });

  it('start-up: BACKUP then MASTER scripts on r1 with their exact argv, BACKUP on r2', async () => {
    const r1Expected = [
      'notify_backup [--from-backup]',
      'keep.sh [INSTANCE] [VI_1] [BACKUP] [200]',
      'keepdown',
      'notify_master [two words] [plain]',
      'keep.sh [INSTANCE] [VI_1] [MASTER] [200]',
      'keepup',
    ];
    await waitFor(() => scripts.lines('r1.log').length >= r1Expected.length, 3000);
    expect(scripts.lines('r1.log')).toEqual(r1Expected);
    await waitFor(() => scripts.lines('r2.log').length >= 2, 3000);
    expect(scripts.lines('r2.log')).toEqual(['keep.sh [INSTANCE] [VI_1] [BACKUP] [100]', 'keepdown']);
    expect(r1.logs.join('\n')).not.toContain('script_security');
  });

  it('SIGTERM on r1: STOP and the shutdown script there, MASTER scripts on r2', async () => {
    const r1Before = scripts.lines('r1.log').length;
    expect(await daemons.stop(r1, 'SIGTERM')).toBe(0);
    // The STOP scripts and the shutdown script have run by the time the daemon has exited.
    expect(scripts.lines('r1.log').slice(r1Before)).toEqual([
      'notify_stop',
      'keep.sh [INSTANCE] [VI_1] [STOP] [200]',
      'keepdown',
      'shutdown_script',
    ]);
    expect(await waitForState(r2, 'MASTER', 3000)).not.toBeNull();
    await waitFor(() => scripts.lines('r2.log').length >= 4, 3000);
    expect(scripts.lines('r2.log').slice(2)).toEqual(['keep.sh [INSTANCE] [VI_1] [MASTER] [100]', 'keepup']);
    expect(await holdsAddress(segment.lab, 'r2', 'eth0', VIP)).toBe(true);
  });

  it('notify_fifo: one keepalived-format line per transition, in order', async () => {
    // The daemon closed (and removed) its FIFO on exit, so the reader has seen end of file.
    const reader = fifoReader!;
    await waitFor(() => reader.exitCode !== null || reader.signalCode !== null, 3000);
    expect(fifoText.split('\n').filter((l) => l !== '')).toEqual([
      'INSTANCE "VI_1" BACKUP 200',
      'INSTANCE "VI_1" MASTER 200',
      'INSTANCE "VI_1" STOP 200',
    ]);
    expect(existsSync(scripts.file('r1.fifo'))).toBe(false);
  });
});
