// The rest of the interop matrix, quickly and in parallel (one lab each): the transport/auth
// combinations failover.test.ts does not run in full get "one master, no complaints either way";
// and equal priorities must resolve the same way whichever daemon runs where: when both routers
// are MASTER at once (a healed partition), the higher primary address stays MASTER
// (RFC 3768 §6.4.3), and both daemons must agree on it.

import { describe, it } from 'vitest';
import { instanceStatus } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';
import { masterDownIntervalMs, pairingName, type Pairing } from './pairing.js';
import { RouterPair } from './router-pair.js';

const skip = requireRoot() ?? requireKeepalived();

const QUICK: Pairing[] = [
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: false },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'unicast', auth: false },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: true },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'multicast', auth: true },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: false, family: 'ipv6' },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'multicast', auth: false, family: 'ipv6' },
];

const EQUAL: Pairing[] = [
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: true },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'unicast', auth: true },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: false },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'multicast', auth: false },
  // RFC 5798 §6.4.3: the higher IPv6 primary (link-local) address wins.
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: false, family: 'ipv6' },
];

/** Long enough for a few adverts each way after the election. */
const SETTLE_MS = 2500;

/** Parallel labs share two CPUs: more room than the default 30 s. */
const TEST_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function vrrpdCountersOf(pair: RouterPair, pairing: Pairing) {
  const role = pairing.r1 === 'vrrpd' ? 'r1' : 'r2';
  return (await instanceStatus(pair.daemon(role)))?.counters;
}

describe.skipIf(skip !== undefined)('interop matrix (quick)', () => {
  for (const pairing of QUICK) {
    it.concurrent(
      `one master and no complaints: ${pairingName(pairing)}`,
      async ({ expect }) => {
        requireBuiltDist(['src', 'test/lab', 'test/interop']);
        const pair = await RouterPair.create({ pairing, priorities: { r1: 200, r2: 100 } });
        try {
          await pair.start('r1');
          await pair.start('r2');
          expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(200) + 4000)).not.toBeNull();
          await sleep(SETTLE_MS);
          expect(await pair.masters()).toEqual(['r1']);
          expect(await pair.vipHolders()).toEqual(['r1']);
          expect(pair.keepalivedComplaints()).toEqual([]);
          expect(pair.vrrpdDropRecords()).toEqual([]);
          const counters = await vrrpdCountersOf(pair, pairing);
          // vrrpd as BACKUP hears the master; as MASTER it heard keepalived before preempting, or
          // nothing at all if keepalived stayed quiet in BACKUP: only the backup must have counted.
          if (pairing.r2 === 'vrrpd') expect(counters?.advertsRx).toBeGreaterThan(1);
          expect(counters?.drops).toEqual({});
        } finally {
          await pair.teardown();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }

  for (const pairing of EQUAL) {
    it.concurrent(
      `equal priorities: the higher address wins on both daemons: ${pairingName(pairing)}`,
      async ({ expect }) => {
        requireBuiltDist(['src', 'test/lab', 'test/interop']);
        const pair = await RouterPair.create({ pairing, priorities: { r1: 100, r2: 100 } });
        try {
          // Partitioned, both become MASTER; healed, they must settle the tie by address.
          await pair.lab.cut('r1');
          await pair.start('r1');
          await pair.start('r2');
          const bothMaster = masterDownIntervalMs(100) + 4000;
          expect(await pair.waitForState('r1', 'MASTER', bothMaster)).not.toBeNull();
          expect(await pair.waitForState('r2', 'MASTER', bothMaster)).not.toBeNull();
          await pair.lab.heal('r1');
          // 192.0.2.2 > 192.0.2.1 (and r2's link-local > r1's, the lab's MACs being ordered): r2
          // stays MASTER, r1 steps down at the first advert it hears.
          expect(await pair.waitForSoleMaster('r2', 4000)).not.toBeNull();
          await sleep(SETTLE_MS);
          expect(await pair.masters()).toEqual(['r2']);
          expect(await pair.state('r1')).toBe('BACKUP');
          expect(await pair.vipHolders()).toEqual(['r2']);
          expect(pair.keepalivedComplaints()).toEqual([]);
          expect(pair.vrrpdDropRecords()).toEqual([]);
        } finally {
          await pair.teardown();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});
