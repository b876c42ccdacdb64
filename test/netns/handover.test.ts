// Planned maintenance on a real kernel (issue 14): a client pings the VIP every 10 ms through a
// reload of the master, a restart of the backup, `vrrpctl handover`, and a graceful stop of the
// master, and loses nothing — with vrrpd and with Debian's keepalived 2.2.7 as the backup that
// takes over (any RFC-compliant backup works: the old master only waits for its advert).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsWithMessage, sleep, waitForMessage } from './observe.js';
import { requireKeepalived } from '../interop/keepalived-available.js';
import { RouterPair } from '../interop/router-pair.js';
import type { Pairing } from '../interop/pairing.js';
import type { ProbeReport } from '../lab/probe.js';
import { requireRoot } from '../lab/root.js';
import { vrrpctl } from './vrrpctl.js';

const skip = requireRoot() ?? requireKeepalived();
const PROBE_MS = 10;
/** Quiet time before and after each operation, so the probe brackets it. */
const MARGIN_MS = 500;

const PAIRINGS: Pairing[] = [
  { r1: 'vrrpd', r2: 'vrrpd', transport: 'unicast', auth: true },
  { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: true },
];

describe.skipIf(skip !== undefined).each(PAIRINGS)('planned maintenance, vrrpd r1 + $r2 r2', (pairing) => {
  let pair: RouterPair;

  beforeAll(async () => {
    pair = await RouterPair.create({ pairing, priorities: { r1: 200, r2: 100 } });
    await pair.start('r1');
    expect(await pair.waitForState('r1', 'MASTER', 8000)).not.toBeNull();
    await pair.start('r2');
    expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
  }, 30_000);

  afterAll(async () => {
    await pair?.teardown();
  });

  /** Probes the VIP from the client around `operation`; the report covers all of it. */
  async function probed(operation: () => Promise<void>): Promise<ProbeReport> {
    const prober = pair.lab.startProber(pair.segment.client, pair.vip, {
      intervalMs: PROBE_MS,
      durationMs: 30_000,
    });
    try {
      await sleep(MARGIN_MS);
      await operation();
      await sleep(MARGIN_MS);
      return await prober.stop();
    } catch (error) {
      await prober.stop();
      throw error;
    }
  }

  // Loss only: the longest gap is a benchmark figure (npm run bench), not a test assertion.
  const lossless = (report: ProbeReport) => {
    expect(report.sent).toBeGreaterThan(20);
    expect(report.lost).toBe(0);
  };

  it('a reload of the master costs nothing', async () => {
    const r1 = pair.daemon('r1');
    const before = recordsWithMessage(r1, 'configuration reloaded').length;
    const report = await probed(async () => {
      process.kill(r1.pid, 'SIGHUP');
      expect(await waitForMessage(r1, 'configuration reloaded', 5000, before + 1)).toBe(true);
    });
    lossless(report);
  });

  it('a restart of the backup costs nothing', async () => {
    const report = await probed(async () => {
      expect(await pair.stop('r2')).toBe(0);
      await pair.start('r2');
      expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
    });
    lossless(report);
  });

  it('vrrpctl handover --wait moves mastership to the backup with no lost packet; resume takes it back', async () => {
    const r1 = pair.daemon('r1');
    const report = await probed(async () => {
      const handed = await vrrpctl(pair.lab, r1, ['handover', 'VI_1', '--wait', '--reason', 'test']);
      expect(handed.stderr).toBe('');
      expect(handed.code).toBe(0);
      expect(await pair.waitForSoleMaster('r2', 5000)).not.toBeNull();
      expect(await pair.vipHolders()).toEqual(['r2']);
      expect(await pair.clientFollows('r2')).toBe(true);
    });
    lossless(report);
    // Maintenance: r1 (200) does not preempt r2 (100) back on its own.
    await sleep(4500);
    expect(await pair.masters()).toEqual(['r2']);
    const resumed = await vrrpctl(pair.lab, r1, ['resume', 'VI_1']);
    expect(resumed.code).toBe(0);
    expect(await pair.waitForSoleMaster('r1', 8000)).not.toBeNull();
    expect(await pair.clientFollows('r1')).toBe(true);
  });

  it('a graceful stop (SIGTERM) of the master keeps the VIP until the backup took over: no lost packet', async () => {
    let exit: number | string | null = null;
    const report = await probed(async () => {
      exit = await pair.stop('r1');
      expect(await pair.waitForState('r2', 'MASTER', 5000)).not.toBeNull();
      expect(await pair.clientFollows('r2')).toBe(true);
    });
    expect(exit).toBe(0);
    lossless(report);
    expect(pair.keepalivedComplaints()).toEqual([]);
  });
});
