// A notify_master script that returns at once but leaves a long-lived child behind (`cmd &`), on a
// real kernel (issue 9). test/netns/track-and-hang.test.ts covers the script that hangs itself;
// here the script is quick, so failover timing and the notify order must be exactly as without
// it, and the child must still be killed with the script's process group at the notify timeout
// (src/scripts/runner.ts, process-group.ts), checked by PID.

import { readFileSync } from 'node:fs';
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
import { clientNeighbourFollows, recordsWithMessage, waitForMessage } from '../netns/observe.js';
import { startPair } from '../netns/pair.js';
import { ScriptDir } from '../netns/script-dir.js';
import { processAlive } from './process-probe.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('a notify script that leaves a long-lived child', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let scripts: ScriptDir;
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  let notifyStartedAt = 0;
  const childPid = (): number => Number(readFileSync(scripts.file('child.pid'), 'utf8').trim());

  beforeAll(async () => {
    requireBuiltDist(['src']);
    scripts = new ScriptDir();
    const log = scripts.file('r2.log');
    const spawner = scripts.script(
      'spawner.sh',
      [
        // A helper that outlives the script: keeps its stdout open too, as careless ones do.
        'sleep 300 &',
        `echo $! > '${scripts.file('child.pid')}'`,
        `echo "notify_master $(date +%s%N)" >> '${log}'`,
        'exit 0',
      ].join('\n'),
    );
    const backup = scripts.script('backup.sh', `echo "notify_backup" >> '${log}'`);
    const security = ['enable_script_security', 'script_user root'];
    const config = (self: string, peer: string, priority: number, extra: string[] = []) =>
      keepalivedConfig(
        [{ priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1', extra }],
        security,
      );
    segment = await createRouterSegment();
    daemons = new DaemonSet(segment.lab);
    [r1, r2] = await startPair(
      daemons,
      { role: 'r1', config: config('192.0.2.1', '192.0.2.2', 200) },
      {
        role: 'r2',
        config: config('192.0.2.2', '192.0.2.1', 100, [
          `notify_master ${spawner}`,
          `notify_backup ${backup}`,
        ]),
        masterAddress: '192.0.2.1',
      },
    );
  });

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
    try {
      process.kill(childPid(), 'SIGKILL');
    } catch {
      // gone, as it should be
    }
    scripts?.remove();
  });

  it('failover is as fast as without it; the script is reported done at once', async () => {
    const { lab } = segment;
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    const killedAt = Date.now();
    await daemons.stop(r1, 'SIGKILL');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    // Master_Down_Interval for priority 100 at advert_int 1: 3.61 s.
    expect(Date.now() - killedAt).toBeLessThan(6000);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r2', VIP)).toBe(true);
    expect(
      await waitFor(() => scripts.lines('r2.log').some((l) => l.startsWith('notify_master')), 3000),
    ).toBe(true);
    notifyStartedAt = Date.now();
    expect(await waitForMessage(r2, 'notify_master', 2000)).toBe(true);
    const record = recordsWithMessage(r2, 'exited 0').find((r) => r.role === 'notify_master');
    // Reported when the script itself returned, not when its child will.
    expect(record).toMatchObject({ instance: 'VI_1', script: { outcome: 'exited', exitCode: 0 } });
    expect((record?.script as { durationMs: number }).durationMs).toBeLessThan(1000);
    expect(processAlive(childPid())).toBe(true);
  });

  it('the child is killed with the process group at the notify timeout; nothing else changes', async () => {
    const remaining = NOTIFY_TIMEOUT_MS - (Date.now() - notifyStartedAt);
    expect(await waitForMessage(r2, 'still running at its', remaining + 4000)).toBe(true);
    expect(Date.now() - notifyStartedAt).toBeGreaterThan(NOTIFY_TIMEOUT_MS - 1500);
    const [record] = recordsWithMessage(r2, 'still running at its');
    expect(record).toMatchObject({ instance: 'VI_1', role: 'notify_master' });
    expect(record?.msg).toContain('process group killed');
    const pid = childPid();
    expect(await waitFor(() => !processAlive(pid), 3000)).toBe(true);
    expect((await instanceStatus(r2))?.state).toBe('MASTER');
    expect(await holdsAddress(segment.lab, 'r2', 'eth0', VIP)).toBe(true);
    expect(r2.exited()).toBe(false);
  }, 30_000);
});
