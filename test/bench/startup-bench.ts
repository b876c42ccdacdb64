// Start to first advert: a lone router (r1 of the bench pairing: unicast, auth PASS, advert_int 1,
// priority 200, state BACKUP) is started, and the time from spawning the daemon to its first advert
// on its switch port (tcpdump capture timestamp) is measured. Both daemons wait Master_Down_Interval
// (3.22 s at priority 200) before speaking, so what differs is their start-up: process start,
// module loading, configuration, sockets. Repetitions alternate between the two daemons; between
// them the daemon is stopped (SIGTERM, bounded) and the VIP it may leave is removed.

import { waitFor } from '../lab/daemons.js';
import type { DaemonKind } from '../lab/daemons.js';
import { segmentAddressOf } from '../lab/topology.js';
import { masterDownIntervalMs } from '../interop/pairing.js';
import { RouterPair } from '../interop/router-pair.js';
import { startAdvertCapture } from './advert-capture.js';
import { benchPairing, BACKUP_PRIORITY, MASTER_PRIORITY } from './failover-bench.js';

export interface StartupSample {
  kind: DaemonKind;
  /** Spawn to the first advert captured on the wire. */
  firstAdvertMs: number;
}

const FIRST_ADVERT_TIMEOUT_MS = 15_000;

/** The protocol's share of the wait: Master_Down_Interval of the lone router's priority. */
export function startupBoundMs(): number {
  return masterDownIntervalMs(MASTER_PRIORITY);
}

async function once(pair: RouterPair): Promise<number> {
  const capture = await startAdvertCapture(
    pair.lab,
    'sw',
    'r1',
    segmentAddressOf('r1'),
    FIRST_ADVERT_TIMEOUT_MS / 1000 + 5,
  );
  try {
    const spawnedAt = Date.now();
    pair.daemons.start(pair.options.pairing.r1, 'r1', pair.configOf('r1'));
    const seen = await waitFor(() => capture.adverts().length > 0, FIRST_ADVERT_TIMEOUT_MS, 5);
    if (!seen) throw new Error(`no advert within ${FIRST_ADVERT_TIMEOUT_MS / 1000} s of the start`);
    return capture.adverts()[0]!.atMs - spawnedAt;
  } finally {
    await capture.stop();
    await pair.daemons.stopAll();
    await pair.lab.ip('r1', ['addr', 'del', `${pair.vip}/24`, 'dev', pair.segment.ifname], { check: false });
  }
}

export async function runStartupBench(
  repetitions: number,
  progress: (line: string) => void,
): Promise<StartupSample[]> {
  const pairs: RouterPair[] = [];
  const samples: StartupSample[] = [];
  try {
    for (const kind of ['vrrpd', 'keepalived'] as const) {
      pairs.push(
        await RouterPair.create({
          pairing: benchPairing(kind),
          priorities: { r1: MASTER_PRIORITY, r2: BACKUP_PRIORITY },
        }),
      );
    }
    for (let round = 1; round <= repetitions; round++) {
      for (const pair of pairs) {
        const firstAdvertMs = await once(pair);
        samples.push({ kind: pair.options.pairing.r1, firstAdvertMs });
        progress(
          `startup ${pair.options.pairing.r1} round ${round}/${repetitions}: ${firstAdvertMs.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    for (const pair of pairs) await pair.teardown().catch(() => undefined);
  }
  return samples;
}
