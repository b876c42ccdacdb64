// The master's daemon killed with SIGKILL and restarted as systemd would (issue 9). The takeover
// and the preemption back are covered by test/netns/failover.test.ts; what this adds is the
// window the issue bounds: a SIGKILLed daemon leaves its VIP configured, so from the backup's
// takeover until the restarted daemon cleans up, the address is on both routers. The restarted
// daemon must remove it before anything else, so the window ends within its start-up: the VIP is
// gone before the daemon reports "vrrpd started", before its first transition, before any advert.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DaemonSet,
  holdsAddress,
  instanceStatus,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import type { RouterSegment } from '../lab/topology.js';
import { clientNeighbourFollows, recordsWithMessage, waitForMessage } from '../netns/observe.js';
import { startUnicastPairLab, teardownPairLab, unicastConfig as config } from '../netns/pair.js';

const skip = requireRoot();
const VIP = '192.0.2.254';

describe.skipIf(skip !== undefined)('SIGKILL of the master and a restart: the stale VIP window', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let r1: RunningDaemon;
  let r2: RunningDaemon;

  beforeAll(async () => {
    ({ segment, daemons, r1, r2 } = await startUnicastPairLab());
  });

  afterAll(() => teardownPairLab(segment, daemons));

  it('the restarted daemon removes the stale VIP first, within its start-up, then preempts', async () => {
    const { lab } = segment;
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    await daemons.stop(r1, 'SIGKILL');
    expect(await waitForState(r2, 'MASTER', 8000)).not.toBeNull();
    // The crash left the address behind: it is on both routers now.
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r2', 'eth0', VIP)).toBe(true);

    const restartedAt = Date.now();
    r1 = daemons.start('vrrpd', 'r1', config('192.0.2.1', '192.0.2.2', 200));
    // Watch the address closely from the outside while the daemon starts: when was it last seen?
    let lastSeenAfterMs = 0;
    const removed = await waitFor(
      async () => {
        const askedAfterMs = Date.now() - restartedAt;
        if (!(await holdsAddress(lab, 'r1', 'eth0', VIP))) return true;
        lastSeenAfterMs = askedAfterMs;
        return false;
      },
      10_000,
      10,
    );
    expect(removed).toBe(true);
    expect(await waitForMessage(r1, 'vrrpd started', 10_000)).toBe(true);
    const startedAfterMs = Date.parse(String(recordsWithMessage(r1, 'vrrpd started')[0]?.time)) - restartedAt;
    process.stdout.write(`restart figures: ${JSON.stringify({ lastSeenAfterMs, startedAfterMs })}\n`);

    // Before anything else: the removal is the first thing the daemon logs that touches the
    // network, ahead of its first transition and of "vrrpd started".
    const messages = r1.records().map((r) => String(r.msg));
    const removal = messages.findIndex((m) =>
      m.includes('removing virtual addresses left by a previous run'),
    );
    const firstTransition = messages.findIndex((m) => m.includes('Entering'));
    const started = messages.indexOf('vrrpd started');
    expect(removal).toBeGreaterThanOrEqual(0);
    expect(removal).toBeLessThan(firstTransition);
    expect(removal).toBeLessThan(started);
    expect(recordsWithMessage(r1, 'removing virtual addresses left by a previous run')[0]).toMatchObject({
      instance: 'VI_1',
      vips: [VIP],
    });
    // The double-holding window ended within start-up: the address was never seen on r1 after the
    // daemon reported it had started.
    expect(lastSeenAfterMs).toBeLessThanOrEqual(startedAfterMs);
    // It came up as BACKUP behind r2 and had sent no advert yet when the VIP was already gone.
    expect((await instanceStatus(r1))?.counters.advertsTx).toBe(0);

    // Then normal preemption: r1 (200) takes the VIP back, r2 releases it, the client follows.
    expect(await waitForState(r1, 'MASTER', 8000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 2000)).not.toBeNull();
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
    expect(await waitFor(async () => !(await holdsAddress(lab, 'r2', 'eth0', VIP)), 2000)).toBe(true);
    expect(await clientNeighbourFollows(lab, 'r1', VIP, 2000)).toBe(true);
  }, 40_000);
});
