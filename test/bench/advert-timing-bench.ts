// Advert timing on the wire: the interval between the master's adverts as captured on its switch
// port, for a vrrpd pair and a keepalived pair running side by side, first idle, then with every
// CPU busy (one spinning process per CPU, bounded in time, killed by PID). Any state transition
// during a window is spurious: nothing but load changed. Two profiles: the bench's usual VRRPv2
// pair (advert_int 1), and a VRRPv3 pair at advert_int 0.01 (10 ms adverts, Master_Down_Interval
// about 34 ms: any stall of the daemon's loop longer than that is a spurious takeover).

import { cpus } from 'node:os';
import { keepalivedConfig, type DaemonKind, type RunningDaemon } from '../lab/daemons.js';
import { segmentAddressOf } from '../lab/topology.js';
import { RouterPair, type RouterRole } from '../interop/router-pair.js';
import { startAdvertCapture } from './advert-capture.js';
import { benchPairing, BACKUP_PRIORITY, MASTER_PRIORITY } from './failover-bench.js';
import { intervals } from './stats.js';

export type LoadCondition = 'idle' | 'busy';

/** The advert interval of a timing profile: VRRPv2 at 1 s, VRRPv3 at 10 ms. */
export type TimingProfile = 'v2-1s' | 'v3-10ms';
export const PROFILE_ADVERT_MS: Record<TimingProfile, number> = { 'v2-1s': 1000, 'v3-10ms': 10 };

export interface TimingSample {
  kind: DaemonKind;
  profile: TimingProfile;
  condition: LoadCondition;
  windowSeconds: number;
  /** Inter-advert intervals of the master, ms. */
  intervalsMs: number[];
  /** State changes on either router during the window. */
  spuriousTransitions: number;
}

const SETTLE_TIMEOUT_MS = 12_000;

/** State changes a daemon has logged so far (vrrpd: transition records; keepalived: Entering lines). */
function transitionCount(daemon: RunningDaemon): number {
  if (daemon.kind === 'vrrpd') return daemon.records().filter((r) => r.event === 'transition').length;
  return daemon.logs.filter((line) => /\) Entering (MASTER|BACKUP|FAULT) STATE/.test(line)).length;
}

const HOG_SOURCE = 'const end = Date.now() + Number(process.argv[1]); while (Date.now() < end) {}';

async function measureWindow(
  pairs: RouterPair[],
  profile: TimingProfile,
  condition: LoadCondition,
  windowSeconds: number,
): Promise<TimingSample[]> {
  const hogs =
    condition === 'busy'
      ? cpus().map(() =>
          // In the switch namespace so the lab kills them at teardown too; each ends by itself.
          pairs[0]!.lab.spawnIn('sw', [
            process.execPath,
            '-e',
            HOG_SOURCE,
            String(windowSeconds * 1000 + 2000),
          ]),
        )
      : [];
  try {
    const captures = await Promise.all(
      pairs.map((pair) =>
        startAdvertCapture(pair.lab, 'sw', 'r1', segmentAddressOf('r1'), windowSeconds + 10),
      ),
    );
    const before = pairs.map(
      (pair) => transitionCount(pair.daemon('r1')) + transitionCount(pair.daemon('r2')),
    );
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const captured = await Promise.all(captures.map((capture) => capture.stop()));
    return pairs.map((pair, i) => ({
      kind: pair.options.pairing.r1,
      profile,
      condition,
      windowSeconds,
      intervalsMs: intervals(captured[i]!.map((a) => a.atMs)),
      spuriousTransitions:
        transitionCount(pair.daemon('r1')) + transitionCount(pair.daemon('r2')) - before[i]!,
    }));
  } finally {
    for (const hog of hogs) await pairs[0]!.lab.kill(hog);
  }
}

/** The VRRPv3 10 ms pair: the bench pairing (unicast) with version 3 and advert_int 0.01. */
function fastConfig(role: RouterRole, priority: number): string {
  const self = segmentAddressOf(role);
  const peer = segmentAddressOf(role === 'r1' ? 'r2' : 'r1');
  // VRRPv3 has no authentication field (RFC 5798 removed it).
  return keepalivedConfig([
    { priority, version: 3, advertInt: 0.01, unicastSrc: self, unicastPeers: [peer] },
  ]);
}

async function runProfile(
  profile: TimingProfile,
  windowSeconds: number,
  progress: (line: string) => void,
): Promise<TimingSample[]> {
  const pairs: RouterPair[] = [];
  try {
    for (const kind of ['vrrpd', 'keepalived'] as const) {
      const pair = await RouterPair.create({
        pairing: benchPairing(kind),
        priorities: { r1: MASTER_PRIORITY, r2: BACKUP_PRIORITY },
        ...(profile === 'v3-10ms' ? { config: fastConfig } : {}),
      });
      pairs.push(pair);
      await pair.start('r1');
      await pair.start('r2');
      if ((await pair.waitForSoleMaster('r1', SETTLE_TIMEOUT_MS)) === null) {
        throw new Error(`${kind}: r1 did not become master`);
      }
    }
    // Let the GARP rounds after the election pass.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const samples: TimingSample[] = [];
    for (const condition of ['idle', 'busy'] as const) {
      const got = await measureWindow(pairs, profile, condition, windowSeconds);
      for (const sample of got) {
        progress(
          `advert timing ${profile} ${sample.kind} ${condition}: ${sample.intervalsMs.length} intervals, ` +
            `${sample.spuriousTransitions} transitions`,
        );
      }
      samples.push(...got);
    }
    return samples;
  } finally {
    for (const pair of pairs) await pair.teardown().catch(() => undefined);
  }
}

export async function runAdvertTimingBench(
  windowSeconds: number,
  progress: (line: string) => void,
): Promise<TimingSample[]> {
  const samples: TimingSample[] = [];
  for (const profile of ['v2-1s', 'v3-10ms'] as const) {
    samples.push(...(await runProfile(profile, windowSeconds, progress)));
  }
  return samples;
}
