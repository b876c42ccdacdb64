// vrrpd and Debian's keepalived in one VRRP group, both ways round: whichever daemon is master,
// the other one must elect, take over and give back exactly as two daemons of the same kind
// would, and neither may find anything wrong with the other's adverts. The full sequence runs
// for unicast + auth PASS and for multicast without auth; matrix.test.ts checks the other
// combinations quickly.
//
// Timings (advert_int 1, RFC 3768 §6.1): the backup has priority 100, so Skew_Time is 609 ms and
// Master_Down_Interval 3609 ms; the master has 200 (Master_Down_Interval 3219 ms).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceStatus } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';
import { masterDownIntervalMs, pairingName, skewTimeMs, type Pairing } from './pairing.js';
import { RouterPair } from './router-pair.js';

const skip = requireRoot() ?? requireKeepalived();

const HIGH = 200;
const LOW = 100;
const ADVERT_INTERVAL_MS = 1000;
/** Slack for process start-up, polling and scheduling on a busy CI machine. */
const SLACK_MS = 900;

const FULL_SEQUENCE: Pairing[] = [
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: true },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'unicast', auth: true },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: false },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'multicast', auth: false },
  // IPv6 (VRRPv3), keepalived in both roles; matrix.test.ts has the other two combinations.
  { r1: 'vrrpd', r2: 'keepalived', transport: 'multicast', auth: false, family: 'ipv6' },
  { r1: 'keepalived', r2: 'vrrpd', transport: 'unicast', auth: false, family: 'ipv6' },
];

describe.skipIf(skip !== undefined).each(FULL_SEQUENCE)(
  'interop: $r1 MASTER + $r2 BACKUP, $transport, auth PASS: $auth, $family',
  (pairing) => {
    let pair: RouterPair;
    const name = pairingName(pairing);

    beforeAll(async () => {
      requireBuiltDist(['src', 'test/lab', 'test/interop']);
      pair = await RouterPair.create({ pairing, priorities: { r1: HIGH, r2: LOW } });
    });

    afterAll(async () => {
      await pair?.teardown();
    });

    it(`elects the higher priority (${name}): one master, the VIP on it alone, the client reaches it`, async () => {
      // r1 first, so the election never depends on which daemon starts faster.
      await pair.start('r1');
      await pair.start('r2');
      expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000)).not.toBeNull();
      expect(await pair.masters()).toEqual(['r1']);
      expect(await pair.vipHolders()).toEqual(['r1']);
      expect(await pair.lab.pingOnce('c1', pair.vip, 1000)).toBe(true);
      expect(await pair.clientFollows('r1')).toBe(true);
    });

    it('graceful stop of the master (priority 0): the backup takes over in about Skew_Time', async () => {
      const signalledAt = Date.now();
      const stopping = pair.stop('r1');
      const took = await pair.waitForState('r2', 'MASTER', 3000);
      const elapsed = Date.now() - signalledAt;
      const exit = await stopping;
      expect(took, 'backup never became MASTER').not.toBeNull();
      // Not before Skew_Time (it waits that long on purpose), and nowhere near Master_Down_Interval.
      expect(elapsed).toBeGreaterThan(skewTimeMs(LOW) - 200);
      expect(elapsed).toBeLessThan(skewTimeMs(LOW) + SLACK_MS);
      expect(exit).toBe(0);
      expect(await pair.vipHolders()).toEqual(['r2']);
      expect(await pair.clientFollows('r2')).toBe(true);
    });

    it('preemption back: the restarted higher priority takes over again', async () => {
      await pair.start('r1');
      expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000)).not.toBeNull();
      expect(await pair.masters()).toEqual(['r1']);
      expect(await pair.vipHolders()).toEqual(['r1']);
      expect(await pair.clientFollows('r1')).toBe(true);
    });

    it('crash of the master (SIGKILL): the backup takes over in about Master_Down_Interval', async () => {
      const killedAt = Date.now();
      await pair.crash('r1');
      const took = await pair.waitForState('r2', 'MASTER', masterDownIntervalMs(LOW) + 3000);
      expect(took, 'backup never became MASTER').not.toBeNull();
      const elapsed = Date.now() - killedAt;
      // The backup's timer started at the last advert it heard, up to one interval before the kill.
      expect(elapsed).toBeGreaterThan(masterDownIntervalMs(LOW) - ADVERT_INTERVAL_MS - 300);
      expect(elapsed).toBeLessThan(masterDownIntervalMs(LOW) + SLACK_MS);
      expect(await pair.masters()).toEqual(['r2']);
      expect(await pair.clientFollows('r2')).toBe(true);
    });

    it('the restarted master first removes the VIP its crash left behind, then preempts back', async () => {
      // The crash left 192.0.2.254 configured in r1: a dead daemon cannot clean up.
      expect((await pair.vipHolders()).sort()).toEqual(['r1', 'r2']);
      await pair.start('r1');
      expect(await pair.waitForState('r1', 'BACKUP', 2000)).not.toBeNull();
      expect(await pair.vipHolders()).toEqual(['r2']);
      expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000)).not.toBeNull();
      expect(await pair.vipHolders()).toEqual(['r1']);
      expect(await pair.clientFollows('r1')).toBe(true);
    });

    it('neither daemon found anything wrong with the adverts of the other', async () => {
      expect(pair.keepalivedComplaints()).toEqual([]);
      expect(pair.vrrpdDropRecords()).toEqual([]);
      // And they did talk: the running vrrpd counted keepalived's adverts, and dropped none.
      const vrrpdRole = pairing.r1 === 'vrrpd' ? 'r1' : 'r2';
      const counters = (await instanceStatus(pair.daemon(vrrpdRole)))?.counters;
      expect(counters?.advertsRx).toBeGreaterThan(0);
      expect(counters?.drops).toEqual({});
    });
  },
);
