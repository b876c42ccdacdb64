// track_bfd end to end: vrrpd on r1 runs a bfd_instance to r2, where keepalived 2.2.7's BFD
// process runs one back. r1's instance tracks it with weight 0, as keepalived.conf(5) describes:
// FAULT until the session is Up, MASTER once it is, FAULT again within the detection time once
// keepalived is gone (SIGKILL: no AdminDown, our detection timer decides), and back when it returns.
// A reload in between keeps the session Up and the instance MASTER.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceStatus, keepalivedConfig, waitForState } from '../lab/daemons.js';
import { useSegmentLab } from '../lab/fixture.js';
import { transitionRecords, waitForMessage } from '../netns/observe.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';

const skip = requireRoot() ?? requireKeepalived();

// 50 ms × 3: a 150 ms detection time once the Poll Sequence has moved both ends to 50 ms.
const bfdBlock = (name: string, neighbor: string) => `
bfd_instance ${name} {
  neighbor_ip ${neighbor}
  min_rx 50
  min_tx 50
  multiplier 3
}
`;

describe.skipIf(skip)('track_bfd with keepalived 2.2.7 as the BFD neighbour', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/interop', 'test/lab'] });

  it(
    'FAULT until the session is Up, FAULT when the neighbour dies, MASTER when it returns',
    { timeout: 40_000 },
    async () => {
      const { segment, daemons, lab } = fixture;
      const bfdPidFile = join(tmpdir(), `${lab.id}-track-bfd.pid`);
      const startKeepalived = () =>
        daemons.start('keepalived', 'r2', bfdBlock('to_r1', segment.addressOf('r1')), [
          `--bfd_pid=${bfdPidFile}`,
        ]);
      const bfdStatus = async () =>
        (await instanceStatus(vrrpd))?.trackers.find((t) => t.kind === 'bfd' && t.name === 'to_r2')?.status;
      const vrrpd = daemons.start(
        'vrrpd',
        'r1',
        bfdBlock('to_r2', segment.addressOf('r2')) +
          keepalivedConfig([
            { priority: 200, vips: ['192.0.2.254/24'], extra: ['track_bfd {', '  to_r2', '}'] },
          ]),
      );
      try {
        // No neighbour yet: the session is Down, so the instance is held in FAULT.
        expect(await waitForState(vrrpd, 'FAULT', 10_000)).not.toBeNull();
        expect(await bfdStatus()).toBe('DOWN');

        let keepalived = startKeepalived();
        expect(await waitForState(vrrpd, 'MASTER', 15_000)).not.toBeNull();
        expect(await bfdStatus()).toBe('UP');
        const up = vrrpd.records().find((r) => r.code === 'VRRPD_BFD_STATE' && r.to === 'Up');
        expect(up).toBeDefined();

        // A reload keeps the session as it is (keepalived keeps bfd_up): no BFD change, no FAULT.
        const bfdRecords = () => vrrpd.records().filter((r) => r.code === 'VRRPD_BFD_STATE').length;
        const before = { bfd: bfdRecords(), transitions: transitionRecords(vrrpd).length };
        process.kill(vrrpd.pid, 'SIGHUP');
        expect(await waitForMessage(vrrpd, 'configuration reloaded', 5_000)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(bfdRecords()).toBe(before.bfd);
        expect(transitionRecords(vrrpd).length).toBe(before.transitions);
        expect(await bfdStatus()).toBe('UP');

        await daemons.stop(keepalived, 'SIGKILL');
        // Detection time 150 ms; the status poll and the FAULT step are well inside 3 s.
        expect(await waitForState(vrrpd, 'FAULT', 3_000)).not.toBeNull();
        expect(await bfdStatus()).toBe('DOWN');
        const down = vrrpd.records().filter((r) => r.code === 'VRRPD_BFD_STATE' && r.from === 'Up');
        expect(down.at(-1)?.diag).toBe('Control Detection Time Expired');

        keepalived = startKeepalived();
        expect(await waitForState(vrrpd, 'MASTER', 15_000)).not.toBeNull();
        await daemons.stop(keepalived, 'SIGTERM');
      } finally {
        await daemons.stop(vrrpd, 'SIGTERM');
        rmSync(bfdPidFile, { force: true });
      }
    },
  );
});
