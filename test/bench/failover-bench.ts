// Failover as the client sees it: c1 pings the VIP every 10 ms while the master of a pair
// (r1, priority 200; r2 has 100) crashes, stops gracefully, or comes back and preempts. The same
// topology, timers and configuration (unicast, auth PASS, advert_int 1) serve a vrrpd pair and a
// keepalived pair, repetitions interleaved so that both see the same machine.
//
// "Planned handover" is vrrpd's `vrrpctl handover` (make before break, then `resume`); keepalived
// has no such command, so its users lower the master's priority below the backup's and reload —
// that is what its row measures (then the priority goes back and it preempts again).
//
// "Crash" is the router dying: the daemon is killed without a chance to run anything (SIGKILL, see
// crashDaemon) and the router is cut off the LAN at the same moment, just after one of its adverts
// (seen on the switch port). Killing only the daemon is
// no outage at all for the client: the kernel keeps answering for the orphaned VIP. Before the
// crashed router rejoins, its stale VIP is removed, as a reboot would.

import type { DaemonKind } from '../lab/daemons.js';
import type { ProbeReport } from '../lab/probe.js';
import { masterDownIntervalMs, routerConfig, skewTimeMs, type Pairing } from '../interop/pairing.js';
import { RouterPair } from '../interop/router-pair.js';
import { waitForMessage, recordsWithMessage } from '../netns/observe.js';
import { vrrpctl } from '../netns/vrrpctl.js';
import { startAdvertCapture } from './advert-capture.js';

export type FailoverScenario = 'crash' | 'graceful' | 'handover' | 'preempt';

/** One family and advert interval the failover scenarios run with. */
export interface FailoverVariant {
  id: string;
  label: string;
  family: 'ipv4' | 'ipv6';
  /** Seconds (VRRPv3, i.e. IPv6 here, takes centiseconds). */
  advertInt: number;
}

export const FAILOVER_VARIANTS: readonly FailoverVariant[] = [
  { id: 'ipv4-1', label: 'IPv4 (VRRPv2), advert_int 1', family: 'ipv4', advertInt: 1 },
  { id: 'ipv6-1', label: 'IPv6 (VRRPv3), advert_int 1', family: 'ipv6', advertInt: 1 },
  { id: 'ipv6-0.1', label: 'IPv6 (VRRPv3), advert_int 0.1', family: 'ipv6', advertInt: 0.1 },
];

export interface OutageSample {
  kind: DaemonKind;
  /** FailoverVariant.id */
  variant: string;
  scenario: FailoverScenario;
  /** Longest time without a reply at the client. */
  gapMs: number;
  /** Echo requests without a reply. */
  lost: number;
  /** From the trigger to the new master reporting MASTER (preempt: to r1 being sole master). */
  takeoverMs: number;
}

export const MASTER_PRIORITY = 200;
export const BACKUP_PRIORITY = 100;
/** keepalived's handover: the master reloaded with a priority below the backup's. */
const HANDOVER_PRIORITY = 50;
const PROBE_INTERVAL_MS = 10;
/** Probing before the trigger, so the baseline is in the report, and after recovery. */
const LEAD_MS = 500;
const TAIL_MS = 1000;
const SETTLE_TIMEOUT_MS = 12_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function benchPairing(kind: DaemonKind, variant: FailoverVariant = FAILOVER_VARIANTS[0]!): Pairing {
  // VRRPv3 (IPv6) has no authentication (RFC 5798 §9).
  const auth = variant.family === 'ipv4';
  return {
    r1: kind,
    r2: kind,
    transport: 'unicast',
    auth,
    family: variant.family,
    advertInt: variant.advertInt,
  };
}

/**
 * Runs `trigger` while the client probes; waits (bounded) for `settled`, then for the client to
 * reach `newMaster`'s MAC, then a tail of probes. Throws if the pair does not settle.
 */
async function measureOutage(
  pair: RouterPair,
  newMaster: 'r1' | 'r2',
  trigger: () => Promise<unknown>,
  settled: () => Promise<number | null>,
  aim: () => Promise<unknown> = async () => {},
): Promise<{ report: ProbeReport; takeoverMs: number }> {
  const prober = pair.lab.startProber(pair.segment.client, pair.vip, {
    intervalMs: PROBE_INTERVAL_MS,
    durationMs: SETTLE_TIMEOUT_MS + LEAD_MS + TAIL_MS + 5000,
  });
  try {
    await sleep(LEAD_MS);
    await aim();
    const triggeredAt = Date.now();
    const triggered = trigger();
    const took = await settled();
    const takeoverMs = Date.now() - triggeredAt;
    await triggered;
    if (took === null) throw new Error(`pair did not settle with ${newMaster} as master`);
    if (!(await pair.clientFollows(newMaster, 3000))) throw new Error(`client did not follow ${newMaster}`);
    await sleep(TAIL_MS);
    return { report: await prober.stop(), takeoverMs };
  } catch (error) {
    await prober.stop();
    throw error;
  }
}

/** One failover bench pair: r1 and r2 running `kind`, r1 master. */
export class FailoverBench {
  private constructor(
    readonly kind: DaemonKind,
    readonly variant: FailoverVariant,
    private readonly pair: RouterPair,
  ) {}

  static async start(kind: DaemonKind, variant: FailoverVariant): Promise<FailoverBench> {
    const pair = await RouterPair.create({
      pairing: benchPairing(kind, variant),
      priorities: { r1: MASTER_PRIORITY, r2: BACKUP_PRIORITY },
    });
    try {
      await pair.start('r1');
      await pair.start('r2');
      if ((await pair.waitForSoleMaster('r1', SETTLE_TIMEOUT_MS)) === null) {
        throw new Error(`${kind}: r1 did not become master`);
      }
    } catch (error) {
      await pair.teardown();
      throw error;
    }
    return new FailoverBench(kind, variant, pair);
  }

  private sample(scenario: FailoverScenario, result: { report: ProbeReport; takeoverMs: number }) {
    return {
      kind: this.kind,
      variant: this.variant.id,
      scenario,
      gapMs: result.report.longestGapMs,
      lost: result.report.lost,
      takeoverMs: result.takeoverMs,
    };
  }

  /** crash → preempt back → graceful stop → preempt back: four samples, r1 master again at the end. */
  async repetition(): Promise<OutageSample[]> {
    const { pair } = this;
    const samples: OutageSample[] = [];
    const backupTakesOver = () => pair.waitForState('r2', 'MASTER', SETTLE_TIMEOUT_MS);
    const masterReturns = async () => {
      await pair.start('r1');
      return pair.waitForSoleMaster('r1', SETTLE_TIMEOUT_MS);
    };

    // The crash comes right after one of r1's adverts, so that every repetition (and both
    // daemons) wait the whole Master_Down_Interval; at a random moment the phase alone would add
    // up to one advert interval of noise.
    const capture = await startAdvertCapture(pair.lab, 'sw', 'r1', null, 60);
    let crash: { report: ProbeReport; takeoverMs: number };
    try {
      crash = await measureOutage(
        pair,
        'r2',
        () => Promise.all([pair.lab.cut('r1'), pair.crash('r1')]),
        backupTakesOver,
        async () => {
          const advertMs = this.variant.advertInt * 1000;
          if (!(await capture.next(3 * advertMs + 1000)))
            throw new Error(`${this.kind}: no advert from r1 on the wire to time the crash by`);
        },
      );
    } finally {
      await capture.stop();
    }
    samples.push(this.sample('crash', crash));
    // The dead router comes back clean: its orphaned VIP goes, then its link.
    await pair.lab.ip('r1', ['addr', 'del', `${pair.vip}/24`, 'dev', pair.segment.ifname], { check: false });
    await pair.lab.heal('r1');
    samples.push(this.sample('preempt', await measureOutage(pair, 'r1', async () => {}, masterReturns)));

    const graceful = await measureOutage(pair, 'r2', () => pair.stop('r1'), backupTakesOver);
    samples.push(this.sample('graceful', graceful));
    samples.push(this.sample('preempt', await measureOutage(pair, 'r1', async () => {}, masterReturns)));

    const handover = await measureOutage(pair, 'r2', () => this.handOver(), backupTakesOver);
    samples.push(this.sample('handover', handover));
    await this.takeBack();
    if ((await pair.waitForSoleMaster('r1', SETTLE_TIMEOUT_MS)) === null) {
      throw new Error(`${this.kind}: r1 did not take mastership back after the handover`);
    }
    return samples;
  }

  /** The planned handover each daemon offers (see the header). */
  private async handOver(): Promise<void> {
    const r1 = this.pair.daemon('r1');
    if (this.kind === 'vrrpd') {
      const result = await vrrpctl(this.pair.lab, r1, ['handover', 'VI_1']);
      if (result.code !== 0) throw new Error(`vrrpctl handover: ${result.stderr}`);
      return;
    }
    await this.reloadWithPriority(HANDOVER_PRIORITY);
  }

  private async takeBack(): Promise<void> {
    const r1 = this.pair.daemon('r1');
    if (this.kind === 'vrrpd') {
      const result = await vrrpctl(this.pair.lab, r1, ['resume', 'VI_1']);
      if (result.code !== 0) throw new Error(`vrrpctl resume: ${result.stderr}`);
      return;
    }
    await this.reloadWithPriority(MASTER_PRIORITY);
  }

  private async reloadWithPriority(priority: number): Promise<void> {
    const r1 = this.pair.daemon('r1');
    this.pair.daemons.rewriteConfig(r1, routerConfig(this.pair.options.pairing, 'r1', priority));
    const before = r1.kind === 'vrrpd' ? recordsWithMessage(r1, 'configuration reloaded').length : 0;
    process.kill(r1.pid, 'SIGHUP');
    if (r1.kind === 'vrrpd') await waitForMessage(r1, 'configuration reloaded', 5000, before + 1);
  }

  async close(): Promise<void> {
    await this.pair.teardown();
  }
}

/**
 * Runs `repetitions` rounds on a vrrpd pair and a keepalived pair, interleaved, for each variant
 * (one pair of labs at a time, so the machine's two CPUs serve one comparison).
 */
export async function runFailoverBench(
  repetitions: number,
  progress: (line: string) => void,
  variants: readonly FailoverVariant[] = FAILOVER_VARIANTS,
): Promise<OutageSample[]> {
  const samples: OutageSample[] = [];
  for (const variant of variants) {
    const benches: FailoverBench[] = [];
    try {
      for (const kind of ['vrrpd', 'keepalived'] as const)
        benches.push(await FailoverBench.start(kind, variant));
      for (let round = 1; round <= repetitions; round++) {
        for (const bench of benches) {
          const got = await bench.repetition();
          samples.push(...got);
          progress(
            `failover ${variant.label} ${bench.kind} round ${round}/${repetitions}: ` +
              got.map((s) => `${s.scenario} gap ${s.gapMs} ms lost ${s.lost}`).join(', '),
          );
        }
      }
    } finally {
      for (const bench of benches) await bench.close().catch(() => undefined);
    }
  }
  return samples;
}

/** The theoretical bounds for the table (backup priority 100), per variant. */
export function failoverBounds(variant: FailoverVariant): Record<FailoverScenario, string> {
  const mdi = masterDownIntervalMs(BACKUP_PRIORITY, variant.advertInt) / 1000;
  const skew = skewTimeMs(BACKUP_PRIORITY, variant.advertInt) / 1000;
  const digits = variant.advertInt < 1 ? 3 : 2;
  return {
    crash: `Master_Down_Interval ${mdi.toFixed(digits)} s`,
    graceful: `Skew_Time ${skew.toFixed(digits)} s (vrrpd: 0, make before break)`,
    handover: '0 (vrrpd: make before break)',
    preempt: '0 (make before break)',
  };
}
