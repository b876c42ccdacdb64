// Two script behaviours that must not get in the way of failover, on a real kernel:
//  - a weighted vrrp_script (weight -150, interval 1, fall 1, rise 1) checking that a file exists:
//    when it fails on the master (200 → 50) the backup (100) takes over; when it recovers the
//    master preempts back;
//  - the backup's notify_master hangs (sleep 60): its VIP, GARP and later transitions are not
//    held up, the script is killed at the notify timeout, and the BACKUP script queued behind it
//    runs only after that (per-instance order).

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFY_TIMEOUT_MS } from '../../src/daemon/scripts.js';
import {
  DaemonSet,
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, recordsWithMessage, transitionRecords, waitForMessage } from './observe.js';
import { startPair } from './pair.js';
import { ScriptDir, logArgvLine } from './script-dir.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

/** True while `pid` exists and is not a zombie. */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name, is the state.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(skip !== undefined)('weighted vrrp_script and a hanging notify_master', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let scripts: ScriptDir;
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  let flag: string;
  let hangStartedAt = 0;
  const hangPids = (): number[] =>
    ['hang.pid', 'sleep.pid'].map((name) => Number(readFileSync(scripts.file(name), 'utf8').trim()));

  beforeAll(async () => {
    requireBuiltDist(['src']);
    scripts = new ScriptDir();
    flag = scripts.file('flag');
    writeFileSync(flag, 'ok\n');
    const r2Log = scripts.file('r2.log');
    const hang = scripts.script(
      'hang.sh',
      [
        `echo "notify_master start" >> '${r2Log}'`,
        `echo $$ > '${scripts.file('hang.pid')}'`,
        'sleep 60 &',
        `echo $! > '${scripts.file('sleep.pid')}'`,
        'wait',
        `echo "notify_master finished" >> '${r2Log}'`,
      ].join('\n'),
    );
    const backup = scripts.script('r2-backup.sh', logArgvLine(r2Log, 'notify_backup'));
    const security = ['enable_script_security', 'script_user root'];
    const checkFlag = [
      'vrrp_script chk_flag {',
      `  script "/usr/bin/test -e ${flag}"`,
      '  interval 1',
      '  fall 1',
      '  rise 1',
      '  weight -150',
      '}',
      '',
    ].join('\n');
    const r1Config =
      checkFlag +
      keepalivedConfig(
        [
          {
            priority: 200,
            unicastSrc: '192.0.2.1',
            unicastPeers: ['192.0.2.2'],
            authPass: 'secret1',
            extra: ['track_script {', '  chk_flag', '}'],
          },
        ],
        security,
      );
    const r2Config = keepalivedConfig(
      [
        {
          priority: 100,
          unicastSrc: '192.0.2.2',
          unicastPeers: ['192.0.2.1'],
          authPass: 'secret1',
          extra: [`notify_master ${hang}`, `notify_backup ${backup}`],
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
  });

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
    scripts?.remove();
  });

  it('the check failing on the master (200-150 = 50) hands mastership to the backup (100)', async () => {
    const { lab } = segment;
    const before = await instanceStatus(r1);
    expect(before?.effectivePriority).toBe(200);
    expect(before?.trackers).toEqual([
      {
        kind: 'script',
        name: 'chk_flag',
        status: 'UP',
        weight: -150,
        contribution: 0,
        consecutiveSuccesses: expect.any(Number),
        consecutiveFailures: 0,
      },
    ]);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);

    const failedAt = Date.now();
    rmSync(flag);
    expect(await waitFor(async () => (await instanceStatus(r1))?.effectivePriority === 50, 4000)).toBe(true);
    expect((await instanceStatus(r1))?.trackers[0]?.status).toBe('DOWN');
    // Detection (≤ ~2 s at interval 1, fall 1) + r2's Master_Down_Interval (≈3.6 s).
    expect(await waitForState(r2, 'MASTER', 9000)).not.toBeNull();
    expect(Date.now() - failedAt).toBeLessThan(8000);
    hangStartedAt = Date.now();
    // Taking the VIP and announcing it do not wait for notify_master, which is now hanging.
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
    expect(await waitForState(r1, 'BACKUP', 2000)).not.toBeNull();
    expect(transitionRecords(r1).at(-1)).toMatchObject({ to: 'BACKUP', reason: 'higher_priority_advert' });
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(false);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await waitFor(() => scripts.lines('r2.log').includes('notify_master start'), 2000)).toBe(true);
  });

  it('the check recovering hands mastership back while the notify_master script still hangs', async () => {
    const { lab } = segment;
    writeFileSync(flag, 'ok\n');
    expect(await waitFor(async () => (await instanceStatus(r1))?.effectivePriority === 200, 4000)).toBe(true);
    expect(await waitForState(r1, 'MASTER', 8000)).not.toBeNull();
    expect(transitionRecords(r1).at(-1)).toMatchObject({ to: 'MASTER', reason: 'preempt' });
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect(await waitFor(async () => !(await holdsAddress(lab, 'r2', 'eth0', VIP)), 1000)).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r1', VIP)).toBe(true);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    // All of this happened inside the notify timeout: the script is still running, and the BACKUP
    // script of the newer transition waits behind it.
    expect(Date.now() - hangStartedAt).toBeLessThan(NOTIFY_TIMEOUT_MS);
    expect(hangPids().every(processAlive)).toBe(true);
    expect(scripts.lines('r2.log')).toEqual(['notify_backup', 'notify_master start']);
  });

  it('the hanging script is killed at the notify timeout; the queued BACKUP script then runs', async () => {
    const remaining = NOTIFY_TIMEOUT_MS - (Date.now() - hangStartedAt);
    expect(await waitForMessage(r2, 'timed out after', remaining + 4000)).toBe(true);
    const killedAfter = Date.now() - hangStartedAt;
    expect(killedAfter).toBeGreaterThan(NOTIFY_TIMEOUT_MS - 1500);
    const [record] = recordsWithMessage(r2, 'timed out after');
    expect(record).toMatchObject({ instance: 'VI_1', state: 'MASTER', role: 'notify_master' });
    expect(await waitFor(() => !hangPids().some(processAlive), 3000)).toBe(true);
    expect(await waitFor(() => scripts.lines('r2.log').length >= 3, 3000)).toBe(true);
    expect(scripts.lines('r2.log')).toEqual(['notify_backup', 'notify_master start', 'notify_backup']);
    // Nothing changed for VRRP meanwhile.
    expect((await instanceStatus(r1))?.state).toBe('MASTER');
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
  });
});
