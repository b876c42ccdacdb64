// keepalived's process tuning, end to end (issue 9, "Scheduling"): a daemon started with
// `vrrp_rt_priority 1` and `vrrp_priority -5` in global_defs really runs its event loop under
// SCHED_RR priority 1 with nice -5, says so in its log, elects, and exits cleanly (status 0) on
// SIGTERM. The addon calls themselves are tested in test/kernel/native.test.ts; this is the
// configuration reaching them.
//
// `vrrp_no_swap` is accepted but not applied, with a warning: with its memory locked (mlockall,
// with or without MCL_FUTURE) V8 aborts the first time it sets up a new code page, because Linux
// refuses madvise(MADV_DONTNEED) on locked memory. This was found here: the daemon died within
// two seconds of start-up under a stream of `status` requests. The test keeps that load (status
// requests and reloads) on a daemon configured with all three keywords.

import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdsAddress, keepalivedConfig, status, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { useSegmentLab } from '../lab/fixture.js';
import { recordsWithMessage, waitForMessage } from '../netns/observe.js';
import { SCHED_RR, schedulingOf, statusKiB } from './process-probe.js';

const skip = requireRoot();
const LOAD_MS = 8000;

describe.skipIf(skip !== undefined)('vrrp_rt_priority, vrrp_priority and vrrp_no_swap', () => {
  const fixture = useSegmentLab({ dist: ['src'] });
  let r1: RunningDaemon;

  beforeAll(async () => {
    r1 = fixture.daemons.start(
      'vrrpd',
      'r1',
      keepalivedConfig(
        [{ priority: 150, unicastSrc: '192.0.2.1', unicastPeers: ['192.0.2.2'] }],
        ['vrrp_rt_priority 1', 'vrrp_priority -5', 'vrrp_no_swap'],
      ),
    );
    expect(await waitForState(r1, 'MASTER', 8000), r1.logs.join('\n')).not.toBeNull();
  });

  it('runs under SCHED_RR 1 with nice -5 and says so; vrrp_no_swap is refused with a warning', () => {
    expect(schedulingOf(r1.pid)).toEqual({ policy: SCHED_RR, realtimePriority: 1, nice: -5 });
    // The same, as an operator would check it.
    const chrt = execFileSync('chrt', ['-p', String(r1.pid)], { encoding: 'utf8', timeout: 5000 });
    expect(chrt).toMatch(/scheduling policy: SCHED_RR/);
    expect(chrt).toMatch(/scheduling priority: 1\b/);
    for (const line of ['vrrp_priority -5 applied', 'vrrp_rt_priority 1 applied']) {
      expect(recordsWithMessage(r1, line), line).toHaveLength(1);
    }
    expect(recordsWithMessage(r1, 'vrrp_no_swap is not applied')).toEqual([
      expect.objectContaining({ level: 40, keyword: 'vrrp_no_swap' }),
    ]);
    expect(statusKiB(r1.pid, 'VmLck')).toBe(0);
  });

  it('stays up under a stream of status requests and reloads (what killed it with mlockall)', async () => {
    const startedAt = Date.now();
    let requests = 0;
    let reloads = 0;
    while (Date.now() - startedAt < LOAD_MS && !r1.exited()) {
      expect(await status(r1)).not.toBeNull();
      if (++requests % 25 === 0) {
        const done = recordsWithMessage(r1, 'configuration reloaded').length;
        process.kill(r1.pid, 'SIGHUP');
        expect(await waitForMessage(r1, 'configuration reloaded', 3000, done + 1)).toBe(true);
        reloads++;
      }
    }
    expect(r1.exited(), r1.logs.slice(-20).join('\n')).toBe(false);
    expect(requests).toBeGreaterThan(100);
    expect(reloads).toBeGreaterThan(3);
    expect(schedulingOf(r1.pid).policy).toBe(SCHED_RR);
  }, 30_000);

  it('exits with status 0 on SIGTERM within 2 s, releasing its VIP', async () => {
    const stoppedAt = Date.now();
    expect(await fixture.daemons.stop(r1, 'SIGTERM')).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2500);
    expect(recordsWithMessage(r1, 'vrrpd stopped')).toHaveLength(1);
    expect(r1.logs.join('\n')).not.toMatch(/Check failed|Fatal error/);
    expect(await holdsAddress(fixture.segment.lab, 'r1', 'eth0', '192.0.2.254')).toBe(false);
  });
});
