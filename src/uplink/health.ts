// Per-gateway health from probe rounds: did this round succeed (k of N check sites answered,
// loss and latency within their thresholds), and what that does to the UP/DOWN state through
// the rise/fall counters. A gateway answering ping itself proves nothing, so only check sites
// reached *through* the gateway count.

import type {
  GatewayHealth,
  GatewayRound,
  GatewaySpec,
  QualityAlarm,
  RoundLoss,
  UplinkPolicyConfig,
} from './types.js';

/** A gateway's quorum, rise and fall: its own where it has them, else the group's. */
export function countersOf(
  config: UplinkPolicyConfig,
  id: string,
): { quorum: number; rise: number; fall: number } {
  const spec: GatewaySpec | undefined = config.gateways.find((gateway) => gateway.id === id);
  return {
    quorum: spec?.quorum ?? config.quorum,
    rise: spec?.rise ?? config.rise,
    fall: spec?.fall ?? config.fall,
  };
}

export function initialHealth(id: string): GatewayHealth {
  return {
    id,
    state: 'UNKNOWN',
    lastRttMs: null,
    lossWindow: [],
    alarm: null,
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    healthySince: null,
    streakSince: null,
    lastFailureAt: null,
  };
}

/** Fraction of probes lost over the window, 0 when nothing was sent. */
export function windowLoss(window: readonly RoundLoss[]): number {
  let sent = 0;
  let lost = 0;
  for (const round of window) {
    sent += round.sent;
    lost += round.lost;
  }
  return sent === 0 ? 0 : lost / sent;
}

/** Mean RTT and its standard deviation (dpinger's latency and jitter) over the window; null without replies. */
export function windowLatency(window: readonly RoundLoss[]): { meanMs: number; jitterMs: number } | null {
  const samples = window.flatMap((round) => round.rttsMs ?? []);
  if (samples.length === 0) return null;
  const meanMs = samples.reduce((sum, rtt) => sum + rtt, 0) / samples.length;
  const variance = samples.reduce((sum, rtt) => sum + (rtt - meanMs) ** 2, 0) / samples.length;
  return { meanMs, jitterMs: Math.sqrt(variance) };
}

/**
 * The alarm after this round. Without one, the first measure above its failure value raises it;
 * with one, it stays until every measure is at or below its recovery value (hysteresis).
 */
export function nextAlarm(
  previous: QualityAlarm | null,
  measured: { loss: number; rttMs: number | null; jitterMs: number | null },
  config: UplinkPolicyConfig,
): QualityAlarm | null {
  const checks: Array<[QualityAlarm, number | null, number | null, number | null]> = [
    ['loss', measured.loss, config.maxLoss, config.lossRecover],
    ['rtt', measured.rttMs, config.maxRttMs, config.rttRecoverMs],
    ['jitter', measured.jitterMs, config.maxJitterMs, config.jitterRecoverMs],
  ];
  if (previous === null) {
    const raised = checks.find(([, value, fail]) => fail !== null && value !== null && value > fail);
    return raised ? raised[0] : null;
  }
  const still = checks.find(
    ([, value, fail, recover]) => fail !== null && value !== null && value > (recover ?? fail),
  );
  return still ? still[0] : null;
}

export interface RoundVerdict {
  success: boolean;
  /** Sites that answered at least one echo. */
  answered: number;
  /** Mean RTT over the answering sites, null when none answered. */
  rttMs: number | null;
  loss: number;
  /** Mean RTT and jitter over the window, null without replies. */
  latencyMs: number | null;
  jitterMs: number | null;
  alarm: QualityAlarm | null;
  /** Why the round failed, for logs: `quorum`, or the quality alarm. */
  failure: 'quorum' | QualityAlarm | null;
  lossWindow: RoundLoss[];
}

/** Judges one round for one gateway against the policy's thresholds. */
export function judgeRound(
  health: GatewayHealth,
  round: GatewayRound | undefined,
  config: UplinkPolicyConfig,
): RoundVerdict {
  const sites = round?.sites ?? [];
  let sent = 0;
  let received = 0;
  let answered = 0;
  let rttSum = 0;
  const rttsMs: number[] = [];
  for (const site of sites) {
    sent += site.sent;
    received += Math.min(site.received, site.sent);
    if (site.received > 0) {
      answered++;
      if (site.rttMs !== null) {
        rttSum += site.rttMs;
        rttsMs.push(site.rttMs);
      }
    }
  }
  const rttMs = answered > 0 ? rttSum / answered : null;
  // A round with nothing sent (no site resolved) still counts in the window as a full loss of
  // one probe, so an uplink whose check sites all vanished does not look loss-free.
  const roundLoss: RoundLoss = sent === 0 ? { sent: 1, lost: 1 } : { sent, lost: sent - received, rttsMs };
  const lossWindow = [...health.lossWindow, roundLoss].slice(-config.lossWindowRounds);
  const loss = windowLoss(lossWindow);
  const latency = windowLatency(lossWindow);
  const latencyMs = latency?.meanMs ?? null;
  const jitterMs = latency?.jitterMs ?? null;
  const alarm = nextAlarm(health.alarm, { loss, rttMs: latencyMs, jitterMs }, config);
  let failure: RoundVerdict['failure'] = null;
  if (answered < countersOf(config, health.id).quorum) failure = 'quorum';
  else if (alarm !== null) failure = alarm;
  return {
    success: failure === null,
    answered,
    rttMs,
    loss,
    latencyMs,
    jitterMs,
    alarm,
    failure,
    lossWindow,
  };
}

export interface HealthChange {
  health: GatewayHealth;
  /** Set when the UP/DOWN state changed this round. */
  transition: { from: GatewayHealth['state']; to: GatewayHealth['state'] } | null;
}

/**
 * Applies a verdict. UNKNOWN takes the first round's result at once, so a fresh start (or a
 * router becoming master before any data) has an answer after one round; afterwards UP needs
 * `fall` failed rounds to go DOWN and DOWN needs `rise` good rounds to come UP.
 */
export function applyVerdict(
  health: GatewayHealth,
  verdict: RoundVerdict,
  config: UplinkPolicyConfig,
  now: number,
): HealthChange {
  const next: GatewayHealth = {
    ...health,
    lossWindow: verdict.lossWindow,
    alarm: verdict.alarm,
    lastRttMs: verdict.rttMs ?? health.lastRttMs,
    consecutiveSuccesses: verdict.success ? health.consecutiveSuccesses + 1 : 0,
    consecutiveFailures: verdict.success ? 0 : health.consecutiveFailures + 1,
    streakSince: verdict.success ? (health.streakSince ?? now) : null,
  };
  const { rise, fall } = countersOf(config, health.id);
  let to = health.state;
  if (health.state === 'UNKNOWN') to = verdict.success ? 'UP' : 'DOWN';
  else if (health.state === 'UP' && next.consecutiveFailures >= fall) to = 'DOWN';
  else if (health.state === 'DOWN' && next.consecutiveSuccesses >= rise) to = 'UP';

  // NetGWM's damping clock restarts at every failed check: every failed round is flap memory, not
  // only the ones that brought the gateway DOWN (a blip shorter than `fall` still counts).
  if (!verdict.success) next.lastFailureAt = now;
  if (to === health.state) return { health: next, transition: null };
  next.state = to;
  // Healthy since the first good round of the streak that brought it up.
  next.healthySince = to === 'UP' ? (next.streakSince ?? now) : null;
  return { health: next, transition: { from: health.state, to } };
}

/** Healthy and without flap memory: eligible to be preferred (and to trigger a fail-back). */
export function isStable(health: GatewayHealth): boolean {
  return health.state === 'UP' && health.lastFailureAt === null;
}

/**
 * Forgets a flap once the gateway has answered every round for min_uptime since its last failed
 * round. Called every round before selecting, so a fail-back happens on the first round after.
 */
export function settleFlapMemory(health: GatewayHealth, minUptimeMs: number, now: number): GatewayHealth {
  if (health.lastFailureAt === null || health.state !== 'UP' || health.streakSince === null) return health;
  if (now - health.streakSince < minUptimeMs) return health;
  return { ...health, lastFailureAt: null };
}
