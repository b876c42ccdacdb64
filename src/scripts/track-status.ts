// rise/fall arithmetic of a vrrp_script, pure (keepalived.conf(5) "VRRP script(s)"):
//  - without init_fail the script starts in INIT and its first result decides (one success → OK,
//    one failure → FAIL), as keepalived does;
//  - with init_fail it starts FAIL and needs `rise` consecutive successes;
//  - from FAIL, `rise` consecutive successes → OK; from OK, `fall` consecutive failures → FAIL.
// A run that times out or cannot start counts as a failure.

export type TrackStatus = 'INIT' | 'OK' | 'FAIL';

export interface TrackCounters {
  status: TrackStatus;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
}

export interface RiseFall {
  /** Consecutive successes needed to go FAIL → OK (≥ 1). */
  rise: number;
  /** Consecutive failures needed to go OK → FAIL (≥ 1). */
  fall: number;
}

export function initialTrackCounters(initFail: boolean): TrackCounters {
  return { status: initFail ? 'FAIL' : 'INIT', consecutiveSuccesses: 0, consecutiveFailures: 0 };
}

/** The counters after one more result. */
export function recordTrackResult(
  counters: TrackCounters,
  success: boolean,
  thresholds: RiseFall,
): TrackCounters {
  const rise = Math.max(1, thresholds.rise);
  const fall = Math.max(1, thresholds.fall);
  if (success) {
    const consecutiveSuccesses = counters.consecutiveSuccesses + 1;
    const becomesOk =
      counters.status === 'INIT' || (counters.status === 'FAIL' && consecutiveSuccesses >= rise);
    return {
      status: becomesOk ? 'OK' : counters.status,
      consecutiveSuccesses,
      consecutiveFailures: 0,
    };
  }
  const consecutiveFailures = counters.consecutiveFailures + 1;
  const becomesFail = counters.status === 'INIT' || (counters.status === 'OK' && consecutiveFailures >= fall);
  return {
    status: becomesFail ? 'FAIL' : counters.status,
    consecutiveSuccesses: 0,
    consecutiveFailures,
  };
}
