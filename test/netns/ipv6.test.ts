// Two vrrpd routers running VRRPv3 over IPv6 on a real kernel (issue 12): 2001:db8::/64 on the
// lab segment, adverts from the link-local addresses to ff02::12, advert_int 0.1. Election, crash
// failover, graceful stop (make before break), preemption back and a split brain healed — each
// checked from the client's side: does 2001:db8::254 answer, and whose MAC does the client's IPv6
// neighbour cache hold (the new master's unsolicited Neighbor Advertisement must move it).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceStatus } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { RouterPair } from '../interop/router-pair.js';
import type { Pairing } from '../interop/pairing.js';
import { sleep } from './observe.js';

const skip = requireRoot();
const PAIRING: Pairing = {
  r1: 'vrrpd',
  r2: 'vrrpd',
  transport: 'multicast',
  auth: false,
  family: 'ipv6',
  advertInt: 0.1,
};

describe.skipIf(skip !== undefined)('vrrpd pair over IPv6 on a real kernel', () => {
  let pair: RouterPair;

  beforeAll(async () => {
    requireBuiltDist(['src', 'test/lab', 'test/interop']);
    pair = await RouterPair.create({ pairing: PAIRING, priorities: { r1: 200, r2: 100 } });
  });

  afterAll(async () => {
    await pair?.teardown();
  });

  it('elects r1; its adverts come from its link-local address; the client reaches the VIP on r1', async () => {
    await pair.start('r1');
    await pair.start('r2');
    expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
    expect(await pair.vipHolders()).toEqual(['r1']);
    expect(await pair.lab.pingOnce('c1', pair.vip, 1000)).toBe(true);
    expect(await pair.clientFollows('r1')).toBe(true);
    const status = await instanceStatus(pair.daemon('r2'));
    expect(status).toMatchObject({ version: 3, state: 'BACKUP', vips: ['2001:db8::254/64'] });
    expect(status?.masterAddress).toMatch(/^fe80::/);
    expect(status?.counters.drops).toEqual({});
  });

  it('crash of r1: r2 takes over within Master_Down_Interval and the client’s IPv6 neighbour entry follows', async () => {
    await pair.lab.cut('r1');
    await pair.crash('r1');
    expect(await pair.waitForState('r2', 'MASTER', 3000)).not.toBeNull();
    expect(await pair.clientFollows('r2', 3000)).toBe(true);
    expect(await pair.lab.pingOnce('c1', pair.vip, 1000)).toBe(true);
    // The crash left the VIP on r1 (a dead daemon cannot clean up): the restarted one removes it first.
    await pair.lab.heal('r1');
    await pair.start('r1');
    expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
    expect(await pair.vipHolders()).toEqual(['r1']);
    expect(await pair.clientFollows('r1', 3000)).toBe(true);
  });

  it('graceful stop of r1: r2 takes over, the VIP never disappears from the segment', async () => {
    const prober = pair.lab.startProber(pair.segment.client, pair.vip, {
      intervalMs: 10,
      durationMs: 10_000,
    });
    await sleep(300);
    expect(await pair.stop('r1')).toBe(0);
    expect(await pair.waitForState('r2', 'MASTER', 3000)).not.toBeNull();
    expect(await pair.clientFollows('r2', 3000)).toBe(true);
    await sleep(300);
    const report = await prober.stop();
    expect(report.sent).toBeGreaterThan(20);
    expect(report.lost).toBe(0);
    expect(await pair.vipHolders()).toEqual(['r2']);
  });

  it('preemption back: the restarted r1 (200) takes over from r2 (100)', async () => {
    await pair.start('r1');
    expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
    expect(await pair.vipHolders()).toEqual(['r1']);
    expect(await pair.clientFollows('r1', 3000)).toBe(true);
  });

  it('split brain: both MASTER while r1 is cut off; one MASTER after healing, and the client follows it', async () => {
    await pair.lab.cut('r1');
    expect(await pair.waitForState('r2', 'MASTER', 3000)).not.toBeNull();
    expect((await pair.masters()).sort()).toEqual(['r1', 'r2']);
    expect(await pair.clientFollows('r2', 3000)).toBe(true);
    await pair.lab.heal('r1');
    expect(await pair.waitForSoleMaster('r1', 3000)).not.toBeNull();
    // The winner re-announces (keepalived #166): the client's entry moves back to r1.
    expect(await pair.clientFollows('r1', 3000)).toBe(true);
    expect(await pair.vipHolders()).toEqual(['r1']);
  });
});
