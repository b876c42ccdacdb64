// The soak run's verdict, pure: samples in, pass/fail per criterion out. What "flat" means:
//  - V8 heap: the used heap is a sawtooth (it grows by about 1 MiB per 30 s with 50 instances until
//    a major collection, every few minutes), so single samples say nothing; the floor left by the
//    collections must not rise: the minimum over the second half against the first half's;
//  - resident memory: V8 grows its heap reservation during the first minutes and keeps it, so the
//    first half is warm-up; over the second half RSS must stay within a band;
//  - descriptors: every sample equal, give or take one (a metrics scrape or a script in flight).
// Any transition or state/VIP mismatch after the baseline fails the run.

export interface SoakRouterSample {
  rssBytes: number;
  heapUsedBytes: number;
  openFds: number;
  /** CPU used since the previous sample, as a fraction of one core. */
  cpuFraction: number;
  /** becameMaster + releasedMaster summed over instances, since the daemon started. */
  transitions: number;
  /** Instances not in the state the run expects. */
  wrongStates: number;
}

export interface SoakSample {
  elapsedSeconds: number;
  routers: Record<string, SoakRouterSample>;
  /** VIPs not held by exactly their expected master. */
  vipProblems: number;
}

export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Heap floor: second half against first half. RSS: band over the second half. */
export const HEAP_GROWTH_LIMIT = { fraction: 0.1, bytes: 2 * 1024 * 1024 };
export const RSS_BAND_LIMIT = { fraction: 0.05, bytes: 4 * 1024 * 1024 };
export const FD_SPREAD_LIMIT = 1;

function halves<T>(values: T[]): { first: T[]; second: T[] } {
  const middle = Math.floor(values.length / 2);
  return { first: values.slice(0, middle), second: values.slice(middle) };
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function allowance(base: number, limit: { fraction: number; bytes: number }): number {
  return Math.max(limit.fraction * base, limit.bytes);
}

function heapFloorCheck(name: string, values: number[]): SoakCheck {
  const { first, second } = halves(values);
  const before = Math.min(...first);
  const after = Math.min(...second);
  const allowed = allowance(before, HEAP_GROWTH_LIMIT);
  return {
    name,
    ok: after - before <= allowed,
    detail: `floor ${mib(before)} → ${mib(after)} (growth ${mib(after - before)}, allowed ${mib(allowed)})`,
  };
}

function rssBandCheck(name: string, values: number[]): SoakCheck {
  const { second } = halves(values);
  const low = Math.min(...second);
  const high = Math.max(...second);
  const allowed = allowance(low, RSS_BAND_LIMIT);
  return {
    name,
    ok: high - low <= allowed,
    detail: `${mib(low)}..${mib(high)} over the second half (band ${mib(high - low)}, allowed ${mib(allowed)}); start ${mib(values[0]!)}`,
  };
}

/** `samples[0]` is the baseline taken once every instance had settled. */
export function judgeSoak(samples: SoakSample[], routers: string[]): SoakCheck[] {
  if (samples.length < 4) return [{ name: 'samples', ok: false, detail: `${samples.length} < 4 samples` }];
  const checks: SoakCheck[] = [];
  const baseline = samples[0]!;
  for (const router of routers) {
    const series = samples.map((s) => s.routers[router]!);
    checks.push(
      rssBandCheck(
        `${router} resident memory`,
        series.map((s) => s.rssBytes),
      ),
    );
    checks.push(
      heapFloorCheck(
        `${router} V8 heap floor`,
        series.map((s) => s.heapUsedBytes),
      ),
    );
    const fds = series.map((s) => s.openFds);
    const spread = Math.max(...fds) - Math.min(...fds);
    checks.push({
      name: `${router} file descriptors`,
      ok: spread <= FD_SPREAD_LIMIT,
      detail: `${Math.min(...fds)}..${Math.max(...fds)}`,
    });
    const transitions = series.at(-1)!.transitions - baseline.routers[router]!.transitions;
    checks.push({
      name: `${router} transitions after settling`,
      ok: transitions === 0,
      detail: String(transitions),
    });
    const wrong = series.reduce((n, s) => n + s.wrongStates, 0);
    checks.push({
      name: `${router} instances in the expected state`,
      ok: wrong === 0,
      detail: `${wrong} misses`,
    });
  }
  const vipProblems = samples.reduce((n, s) => n + s.vipProblems, 0);
  checks.push({
    name: 'each VIP on its master only',
    ok: vipProblems === 0,
    detail: `${vipProblems} misses`,
  });
  return checks;
}
