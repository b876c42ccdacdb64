// auth_type AH end to end between daemons on a real kernel: vrrpd with vrrpd, and vrrpd with
// keepalived 2.2.7 both ways round, multicast and unicast. One master, no complaint from either
// daemon (keepalived logs every AH failure; vrrpd counts drops), failover when the master stops,
// and the restarted router, whose counter starts at 0, learning the sequence number as BACKUP and
// taking over again without a replay complaint on either side.

import { describe, it } from 'vitest';
import { instanceStatus } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';
import { masterDownIntervalMs, pairingName, type Pairing } from './pairing.js';
import { RouterPair } from './router-pair.js';

const skip = requireRoot() ?? requireKeepalived();

const PAIRINGS: Pairing[] = [
  { r1: 'vrrpd', r2: 'vrrpd', transport: 'multicast', auth: 'AH' },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: 'AH' },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'multicast', auth: 'AH' },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: 'AH' },
];

const TEST_TIMEOUT_MS = 90_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip !== undefined)('auth_type AH between daemons', () => {
  for (const pairing of PAIRINGS) {
    it.concurrent(
      `elect, fail over and come back: ${pairingName(pairing)}`,
      async ({ expect }) => {
        requireBuiltDist(['src', 'test/lab', 'test/interop']);
        const pair = await RouterPair.create({ pairing, priorities: { r1: 200, r2: 100 } });
        const noComplaints = async () => {
          expect(pair.keepalivedComplaints()).toEqual([]);
          expect(pair.vrrpdDropRecords()).toEqual([]);
          for (const role of ['r1', 'r2'] as const) {
            if (pairing[role] !== 'vrrpd') continue;
            const counters = (await instanceStatus(pair.daemon(role)))?.counters;
            expect(counters?.drops).toEqual({});
          }
        };
        try {
          await pair.start('r1');
          await pair.start('r2');
          expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(200) + 4000)).not.toBeNull();
          await sleep(2500);
          expect(await pair.masters()).toEqual(['r1']);
          await noComplaints();

          await pair.stop('r1');
          expect(await pair.waitForSoleMaster('r2', masterDownIntervalMs(100) + 4000)).not.toBeNull();
          await sleep(1500);

          // Restarted with its counter at 0: it must learn r2's sequence number before preempting.
          await pair.start('r1');
          expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(200) + 4000)).not.toBeNull();
          await sleep(2500);
          expect(await pair.masters()).toEqual(['r1']);
          expect(await pair.vipHolders()).toEqual(['r1']);
          await noComplaints();
        } finally {
          await pair.teardown();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});
