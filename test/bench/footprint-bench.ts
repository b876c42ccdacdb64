// Idle footprint: a pair of the same daemon (r1 master of every instance, r2 backup) runs 1 or 50
// VRRP instances on one interface (VRIDs 1..N, one VIP each, unicast + auth PASS, advert_int 1);
// once every instance has settled, RSS and CPU seconds of both routers' processes are sampled
// at the start and at the end of an idle window. The four configurations run side by side, each
// in its own lab, so the window is spent once.

import { DaemonSet, keepalivedConfig, keepalivedState, status, waitFor } from '../lab/daemons.js';
import type { DaemonKind, RunningDaemon, VrrpInstanceOptions } from '../lab/daemons.js';
import { createRouterSegment, segmentAddressOf } from '../lab/topology.js';
import { AUTH_PASSWORD } from '../interop/pairing.js';
import { daemonUsage, type ProcessUsage } from './process-usage.js';

export interface FootprintSample {
  kind: DaemonKind;
  instances: number;
  windowSeconds: number;
  master: { rssKiB: number; cpuSeconds: number };
  backup: { rssKiB: number; cpuSeconds: number };
}

/** A configuration that could not be measured, and why (shown in the table instead of numbers). */
export interface FootprintFailure {
  kind: DaemonKind;
  instances: number;
  error: string;
}

const SETTLE_TIMEOUT_MS = 20_000;
/** Let start-up work (module loading, first GARP rounds) finish before the window opens. */
const WARMUP_MS = 6000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function footprintConfig(role: 'r1' | 'r2', count: number): string {
  const self = segmentAddressOf(role);
  const peer = segmentAddressOf(role === 'r1' ? 'r2' : 'r1');
  const instances: VrrpInstanceOptions[] = [];
  for (let vrid = 1; vrid <= count; vrid++) {
    instances.push({
      name: `VI_${vrid}`,
      vrid,
      priority: role === 'r1' ? 200 : 100,
      unicastSrc: self,
      unicastPeers: [peer],
      authPass: AUTH_PASSWORD,
      // 192.0.2.151 and up: clear of the routers (.1, .2), the client (.100) and the usual VIP (.254).
      vips: [`192.0.2.${150 + vrid}/24`],
    });
  }
  return keepalivedConfig(instances);
}

/** How many of the daemon's instances VI_1..VI_count report `state`. */
async function instancesIn(daemon: RunningDaemon, state: string, count: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `VI_${i + 1}`);
  if (daemon.kind === 'keepalived')
    return names.filter((name) => keepalivedState(daemon, name) === state).length;
  const snapshot = await status(daemon);
  return (snapshot?.instances ?? []).filter((i) => names.includes(i.name) && i.state === state).length;
}

function delta(before: ProcessUsage, after: ProcessUsage) {
  return { rssKiB: after.rssKiB, cpuSeconds: after.cpuSeconds - before.cpuSeconds };
}

async function measureOne(kind: DaemonKind, count: number, windowSeconds: number): Promise<FootprintSample> {
  const segment = await createRouterSegment();
  const daemons = new DaemonSet(segment.lab);
  try {
    const master = daemons.start(kind, 'r1', footprintConfig('r1', count));
    const backup = daemons.start(kind, 'r2', footprintConfig('r2', count));
    const settled = await waitFor(
      async () =>
        (await instancesIn(master, 'MASTER', count)) === count &&
        (await instancesIn(backup, 'BACKUP', count)) === count,
      SETTLE_TIMEOUT_MS,
      200,
    );
    if (!settled) {
      const masters = await instancesIn(master, 'MASTER', count);
      const backups = await instancesIn(backup, 'BACKUP', count);
      throw new Error(
        `did not settle in ${SETTLE_TIMEOUT_MS / 1000} s: r1 MASTER of ${masters}/${count}, r2 BACKUP of ${backups}/${count}`,
      );
    }
    await sleep(WARMUP_MS);
    const masterBefore = daemonUsage(master);
    const backupBefore = daemonUsage(backup);
    await sleep(windowSeconds * 1000);
    return {
      kind,
      instances: count,
      windowSeconds,
      master: delta(masterBefore, daemonUsage(master)),
      backup: delta(backupBefore, daemonUsage(backup)),
    };
  } finally {
    await daemons.cleanup();
    await segment.lab.teardown();
  }
}

export const FOOTPRINT_INSTANCE_COUNTS = [1, 50] as const;

export async function runFootprintBench(
  windowSeconds: number,
  progress: (line: string) => void,
): Promise<{ samples: FootprintSample[]; failures: FootprintFailure[] }> {
  const runs = (['vrrpd', 'keepalived'] as const).flatMap((kind) =>
    FOOTPRINT_INSTANCE_COUNTS.map((count) => ({ kind, count })),
  );
  const results = await Promise.allSettled(
    runs.map(({ kind, count }) => measureOne(kind, count, windowSeconds)),
  );
  const samples: FootprintSample[] = [];
  const failures: FootprintFailure[] = [];
  results.forEach((result, i) => {
    const { kind, count } = runs[i]!;
    if (result.status === 'fulfilled') {
      samples.push(result.value);
      progress(
        `footprint ${kind} × ${count}: master ${(result.value.master.rssKiB / 1024).toFixed(1)} MiB ` +
          `${result.value.master.cpuSeconds.toFixed(2)} s CPU`,
      );
    } else {
      const error = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failures.push({ kind, instances: count, error });
      progress(`footprint ${kind} × ${count} failed: ${error}`);
    }
  });
  return { samples, failures };
}
