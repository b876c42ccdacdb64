// vrrpd's BFD (RFC 5880 asynchronous mode, RFC 5881 single hop) against keepalived 2.2.7's BFD
// process, live in one lab: r1 runs vrrpd's BFD shell (bfd-peer.ts), r2 runs keepalived with a
// bfd_instance pointing back at r1. The session comes Up, goes Down with diag 1 ("Control
// Detection Time Expired") once keepalived is gone, and comes Up again when it returns.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BfdDiag, BfdState } from '../../src/bfd/packet.js';
import { useSegmentLab } from '../lab/fixture.js';
import { JsonLinesChild, type ChildEvent } from '../lab/json-lines.js';
import { distPath } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';

const skip = requireRoot() ?? requireKeepalived();

// Fast timers keep the test short: 50 ms × 3 is a 150 ms detection time.
const KEEPALIVED_CONFIG = (neighbor: string) => `
global_defs {
  router_id r2
}
bfd_instance to_r1 {
  neighbor_ip ${neighbor}
  min_rx 50
  min_tx 50
  idle_tx 300
  multiplier 3
}
`;

describe.skipIf(skip)('BFD interop with keepalived 2.2.7', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/interop', 'test/lab'] });

  it('comes Up, detects keepalived gone, and recovers', { timeout: 30_000 }, async () => {
    const { segment, daemons, lab } = fixture;
    // DaemonSet names keepalived's other pid files; the BFD child's one is ours to place.
    const bfdPidFile = join(tmpdir(), `${lab.id}-bfd.pid`);
    const child = new JsonLinesChild(
      lab.spawnIn('r1', [process.execPath, distPath('test/interop/bfd-peer.ts')]),
    );
    try {
      await child.waitForEvent((e) => e.event === 'ready', 10_000);
      await child.request('start', {
        peer: {
          name: 'to_r2',
          neighborAddress: segment.addressOf('r2'),
          sourceAddress: segment.addressOf('r1'),
          ttl: 255,
          maxHops: 0,
          session: {
            desiredMinTxUs: 50_000,
            requiredMinRxUs: 50_000,
            idleTxUs: 300_000,
            detectMult: 3,
            passive: false,
          },
        },
      });
      // Events accumulate: each wait looks only at those after the previous step.
      const after = (seen: number, to: number) => (e: ChildEvent) =>
        child.events.indexOf(e) >= seen && e.event === 'bfd-state' && e.to === to;
      const start = () =>
        daemons.start('keepalived', 'r2', KEEPALIVED_CONFIG(segment.addressOf('r1')), [
          `--bfd_pid=${bfdPidFile}`,
        ]);
      const keepalived = start();
      await child.waitForEvent(after(0, BfdState.up), 8_000);
      await expect
        .poll(() => keepalived.logs.some((l) => /to_r1.*Entering UP state/i.test(l)), { timeout: 3_000 })
        .toBe(true);
      // The Poll Sequence moved both ends to 50 ms: keepalived's detection time is 3 × 50 ms, and
      // neither end has dropped the session since it came Up.
      await expect
        .poll(() => keepalived.logs.some((l) => /Detection time is 150000 us/.test(l)), { timeout: 3_000 })
        .toBe(true);
      expect(child.events.filter((e) => e.event === 'bfd-state' && e.to === BfdState.down)).toEqual([]);

      const beforeStop = child.events.length;
      await daemons.stop(keepalived, 'SIGKILL');
      const down = await child.waitForEvent(after(beforeStop, BfdState.down), 3_000);
      // SIGKILL sends nothing: our detection timer, not the peer, declares it (§6.8.4).
      expect(down.diag).toBe(BfdDiag.detectionExpired);

      const beforeRestart = child.events.length;
      start();
      await child.waitForEvent(after(beforeRestart, BfdState.up), 8_000);
    } finally {
      child.end();
      rmSync(bfdPidFile, { force: true });
    }
  });
});
