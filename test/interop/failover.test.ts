// vrrpd and Debian's keepalived in one VRRP group, both ways round: whichever daemon is master,
// the other one must elect, take over and give back exactly as two daemons of the same kind
// would, and neither may find anything wrong with the other's adverts. The full sequence runs
// for unicast + auth PASS and for multicast without auth; matrix.test.ts checks the other
// combinations quickly.
//
// Timings (advert_int 1, RFC 3768 §6.1): the backup has priority 100, so Skew_Time is 609 ms and
// Master_Down_Interval 3609 ms; the master has 200 (Master_Down_Interval 3219 ms).
//
// Each pairing runs its sequence in its own lab, at most LABS_AT_ONCE pairings side by side (the
// daemons mostly wait on timers; running them together keeps CI short, and the timing windows
// below carry SLACK_MS for a busy machine). A failed step names itself in the assertion message.

import { describe, it, type ExpectStatic } from 'vitest';
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

/** Pairings running at once; the others wait for a free slot. */
const LABS_AT_ONCE = 2;
/** Room for the sequence (~17 s) plus waiting for a slot. */
const TEST_TIMEOUT_MS = 120_000;

let running = 0;
const waiting: Array<() => void> = [];
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= LABS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function fullSequence(pairing: Pairing, expect: ExpectStatic): Promise<void> {
  const pair = await RouterPair.create({ pairing, priorities: { r1: HIGH, r2: LOW } });
  try {
    // 1. Election. r1 first, so it never depends on which daemon starts faster.
    let step = 'election: one master, the VIP on it alone, the client reaches it';
    await pair.start('r1');
    await pair.start('r2');
    expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000), step).not.toBeNull();
    expect(await pair.masters(), step).toEqual(['r1']);
    expect(await pair.vipHolders(), step).toEqual(['r1']);
    expect(await pair.lab.pingOnce('c1', pair.vip, 1000), step).toBe(true);
    expect(await pair.clientFollows('r1'), step).toBe(true);

    // 2. Graceful stop (priority 0): not before Skew_Time (the backup waits that long on
    // purpose), and nowhere near Master_Down_Interval.
    step = 'graceful stop of the master: the backup takes over in about Skew_Time';
    const signalledAt = Date.now();
    const stopping = pair.stop('r1');
    const tookOver = await pair.waitForState('r2', 'MASTER', 3000);
    const stopElapsed = Date.now() - signalledAt;
    const exit = await stopping;
    expect(tookOver, `${step}: backup never became MASTER`).not.toBeNull();
    expect(stopElapsed, step).toBeGreaterThan(skewTimeMs(LOW) - 200);
    expect(stopElapsed, step).toBeLessThan(skewTimeMs(LOW) + SLACK_MS);
    expect(exit, step).toBe(0);
    expect(await pair.vipHolders(), step).toEqual(['r2']);
    expect(await pair.clientFollows('r2'), step).toBe(true);

    // 3. Preemption back.
    step = 'preemption back: the restarted higher priority takes over again';
    await pair.start('r1');
    expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000), step).not.toBeNull();
    expect(await pair.masters(), step).toEqual(['r1']);
    expect(await pair.vipHolders(), step).toEqual(['r1']);
    expect(await pair.clientFollows('r1'), step).toBe(true);

    // 4. Crash: the backup's timer started at the last advert it heard, up to one interval
    // before the kill.
    step = 'crash of the master (SIGKILL): the backup takes over in about Master_Down_Interval';
    const killedAt = Date.now();
    await pair.crash('r1');
    const took = await pair.waitForState('r2', 'MASTER', masterDownIntervalMs(LOW) + 3000);
    expect(took, `${step}: backup never became MASTER`).not.toBeNull();
    const crashElapsed = Date.now() - killedAt;
    expect(crashElapsed, step).toBeGreaterThan(masterDownIntervalMs(LOW) - ADVERT_INTERVAL_MS - 300);
    expect(crashElapsed, step).toBeLessThan(masterDownIntervalMs(LOW) + SLACK_MS);
    expect(await pair.masters(), step).toEqual(['r2']);
    expect(await pair.clientFollows('r2'), step).toBe(true);

    // 5. The crash left the VIP configured in r1 (a dead daemon cannot clean up): the restarted
    // daemon removes it first, then preempts back.
    step = 'the restarted master first removes the VIP its crash left behind, then preempts back';
    expect((await pair.vipHolders()).sort(), step).toEqual(['r1', 'r2']);
    await pair.start('r1');
    expect(await pair.waitForState('r1', 'BACKUP', 2000), step).not.toBeNull();
    expect(await pair.vipHolders(), step).toEqual(['r2']);
    expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(HIGH) + 3000), step).not.toBeNull();
    expect(await pair.vipHolders(), step).toEqual(['r1']);
    expect(await pair.clientFollows('r1'), step).toBe(true);

    // 6. They did talk, and neither found anything wrong: the running vrrpd counted keepalived's
    // adverts and dropped none.
    step = 'neither daemon found anything wrong with the adverts of the other';
    expect(pair.keepalivedComplaints(), step).toEqual([]);
    expect(pair.vrrpdDropRecords(), step).toEqual([]);
    const vrrpdRole = pairing.r1 === 'vrrpd' ? 'r1' : 'r2';
    const counters = (await instanceStatus(pair.daemon(vrrpdRole)))?.counters;
    expect(counters?.advertsRx, step).toBeGreaterThan(0);
    expect(counters?.drops, step).toEqual({});
  } finally {
    await pair.teardown();
  }
}

describe.skipIf(skip !== undefined)(
  'interop: full sequence (election, graceful stop, preemption, crash, restart)',
  () => {
    for (const pairing of FULL_SEQUENCE) {
      it.concurrent(
        `${pairing.r1} MASTER + ${pairing.r2} BACKUP: ${pairingName(pairing)}`,
        async ({ expect }) => {
          requireBuiltDist(['src', 'test/lab', 'test/interop']);
          await inSlot(() => fullSequence(pairing, expect));
        },
        TEST_TIMEOUT_MS,
      );
    }
  },
);
