// One BFD session in asynchronous mode (RFC 5880 §6.2 state machine, §6.8.6 reception, §6.8.7
// transmission), as a pure value: events in, a new session and what to do out. Time is a plain
// millisecond number the shell passes in; the jitter draw is a number in [0, 1) it passes in too,
// so tests replay a session exactly. Intervals stay in microseconds, the unit of the wire.
//
// Where RFC 5880 leaves a choice, keepalived 2.2.7's choice is taken so the two interoperate the
// same way two keepalived do: the slow "idle" interval is advertised and used until the session
// is Up, a Poll Sequence moves to the configured min_tx once Up, and the transmit interval is only
// recomputed from a packet while not Up or when it carries Poll or Final (§6.8.3).

import { BfdDiag, BfdState, type BfdControl, type BfdDiagCode, type BfdStateCode } from './packet.js';

export interface BfdSessionConfig {
  /** bfd.LocalDiscr: non-zero, unique among this system's sessions (§6.8.1). */
  localDiscriminator: number;
  /** min_tx: bfd.DesiredMinTxInterval once Up. */
  desiredMinTxUs: number;
  /** min_rx: bfd.RequiredMinRxInterval. */
  requiredMinRxUs: number;
  /** idle_tx: bfd.DesiredMinTxInterval while not Up; §6.8.3 wants at least one second. */
  idleTxUs: number;
  /** multiplier: bfd.DetectMult. */
  detectMult: number;
  /** passive: send nothing until the peer has been heard (§6.1 Passive role). */
  passive: boolean;
}

export interface BfdSession {
  readonly config: BfdSessionConfig;
  readonly state: BfdStateCode;
  readonly diag: BfdDiagCode;
  readonly remoteDiscriminator: number;
  readonly remoteState: BfdStateCode;
  readonly remoteDiag: BfdDiagCode;
  readonly remoteMinRxUs: number;
  readonly remoteMinTxUs: number;
  readonly remoteDetectMult: number;
  readonly remoteDemand: boolean;
  /** A Poll Sequence is in progress: every packet sent carries P until an F arrives. */
  readonly poll: boolean;
  /** The next packet sent answers a Poll with F (then the flag clears). */
  readonly final: boolean;
  /** The interval between our periodic packets, before jitter. */
  readonly txIntervalUs: number;
  /** How long without a packet before the session is declared down (§6.8.4). */
  readonly detectTimeUs: number;
  /** When the detection timer fires, or null when none runs. */
  readonly detectDeadlineMs: number | null;
}

export interface BfdStateChange {
  from: BfdStateCode;
  to: BfdStateCode;
  diag: BfdDiagCode;
}

export interface BfdStepResult {
  session: BfdSession;
  /** Set when the local state changed (what the trackers and the log care about). */
  change: BfdStateChange | null;
  /** Send a packet now, outside the periodic schedule (a Final answering a Poll). */
  sendNow: boolean;
  /**
   * The transmit interval shrank: restart the periodic timer from now instead of waiting out the
   * old, longer one (else the peer's shorter Detection Time expires first; keepalived does this).
   */
  rescheduleTransmit: boolean;
}

/** §6.8.1: bfd.RemoteMinRxInterval starts at 1 µs so the first packets may be sent at all. */
const INITIAL_REMOTE_MIN_RX_US = 1;

export function createBfdSession(config: BfdSessionConfig): BfdSession {
  if (config.localDiscriminator <= 0 || config.localDiscriminator > 0xffffffff)
    throw new RangeError(`BFD local discriminator ${config.localDiscriminator} must be 1–2^32-1`);
  return {
    config,
    state: BfdState.down,
    diag: BfdDiag.none,
    remoteDiscriminator: 0,
    remoteState: BfdState.down,
    remoteDiag: BfdDiag.none,
    remoteMinRxUs: INITIAL_REMOTE_MIN_RX_US,
    remoteMinTxUs: 0,
    remoteDetectMult: 0,
    remoteDemand: false,
    poll: false,
    final: false,
    txIntervalUs: Math.max(config.idleTxUs, INITIAL_REMOTE_MIN_RX_US),
    detectTimeUs: 0,
    detectDeadlineMs: null,
  };
}

/** The fast rate is used once both ends are on their way Up (keepalived's rule, §6.8.3). */
function transmitInterval(session: BfdSession, state: BfdStateCode, remoteState: BfdStateCode): number {
  const fast = remoteState === BfdState.up && (state === BfdState.init || state === BfdState.up);
  const desired = fast ? session.config.desiredMinTxUs : session.config.idleTxUs;
  return Math.max(desired, session.remoteMinRxUs);
}

function enter(session: BfdSession, to: BfdStateCode, diag: BfdDiagCode): BfdSession {
  if (to === BfdState.up) {
    // Moving from the idle to the configured rate is a parameter change: §6.8.3 runs it as a
    // Poll Sequence, unless we are answering one (then our Final carries the new values).
    const changesRate = session.config.idleTxUs !== session.config.desiredMinTxUs;
    return { ...session, state: to, diag, poll: changesRate && !session.final ? true : session.poll };
  }
  if (to === BfdState.init) return { ...session, state: to, diag };
  // Down or AdminDown: back to the slow rate, no Poll outstanding.
  return {
    ...session,
    state: to,
    diag,
    poll: false,
    txIntervalUs: Math.max(session.config.idleTxUs, session.remoteMinRxUs),
  };
}

/** §6.8.6, from "If the Your Discriminator field is nonzero" on: the session was already chosen. */
export function receiveBfdControl(session: BfdSession, packet: BfdControl, nowMs: number): BfdStepResult {
  if (session.state === BfdState.adminDown)
    return { session, change: null, sendNow: false, rescheduleTransmit: false };
  let next: BfdSession = {
    ...session,
    remoteDiscriminator: packet.myDiscriminator,
    remoteState: packet.state,
    remoteDiag: packet.diag,
    remoteMinRxUs: packet.requiredMinRxUs,
    remoteMinTxUs: packet.desiredMinTxUs,
    remoteDetectMult: packet.detectMult,
    remoteDemand: packet.demand,
    poll: packet.final ? false : session.poll,
  };
  // Judged on the state before this packet, as keepalived does: Init with the peer Up already
  // takes the fast rate; once Up only a Poll or Final moves it (§6.8.3).
  if (session.state !== BfdState.up || packet.poll || packet.final)
    next = { ...next, txIntervalUs: transmitInterval(next, session.state, packet.state) };
  // §6.8.4: Detection Time = remote Detect Mult × max(our RequiredMinRx, its DesiredMinTx).
  const detectTimeUs = packet.detectMult * Math.max(session.config.requiredMinRxUs, packet.desiredMinTxUs);
  next = { ...next, detectTimeUs };

  // §6.2 / §6.8.6 state transitions.
  const from = session.state;
  if (packet.state === BfdState.adminDown) {
    if (from !== BfdState.down) next = enter(next, BfdState.down, BfdDiag.neighborSignaledDown);
  } else if (from === BfdState.down) {
    if (packet.state === BfdState.down) next = enter(next, BfdState.init, BfdDiag.none);
    else if (packet.state === BfdState.init) next = enter(next, BfdState.up, BfdDiag.none);
  } else if (from === BfdState.init) {
    if (packet.state === BfdState.init || packet.state === BfdState.up)
      next = enter(next, BfdState.up, BfdDiag.none);
  } else if (packet.state === BfdState.down) {
    next = enter(next, BfdState.down, BfdDiag.neighborSignaledDown);
  }
  next = {
    ...next,
    final: packet.poll ? true : next.final,
    detectDeadlineMs: nowMs + detectTimeUs / 1000,
  };
  const change = next.state !== from ? { from, to: next.state, diag: next.diag } : null;
  const rescheduleTransmit = next.txIntervalUs < session.txIntervalUs;
  return { session: next, change, sendNow: packet.poll, rescheduleTransmit };
}

/**
 * The detection timer fired at nowMs (a stale firing, before the deadline, does nothing). In Init
 * or Up the session goes Down with diag 1 (§6.8.4); in every state bfd.RemoteDiscr is forgotten
 * (§6.8.1: "If a period of a Detection Time passes without the receipt of a valid … packet").
 */
export function expireBfdDetection(session: BfdSession, nowMs: number): BfdStepResult {
  if (session.detectDeadlineMs === null || nowMs < session.detectDeadlineMs)
    return { session, change: null, sendNow: false, rescheduleTransmit: false };
  const from = session.state;
  let next: BfdSession = {
    ...session,
    remoteDiscriminator: 0,
    remoteState: BfdState.down,
    remoteMinRxUs: INITIAL_REMOTE_MIN_RX_US,
    remoteDemand: false,
    detectDeadlineMs: null,
  };
  if (from === BfdState.init || from === BfdState.up)
    next = enter(next, BfdState.down, BfdDiag.detectionExpired);
  else next = { ...next, txIntervalUs: Math.max(next.config.idleTxUs, INITIAL_REMOTE_MIN_RX_US) };
  const change = next.state !== from ? { from, to: next.state, diag: next.diag } : null;
  return { session: next, change, sendNow: false, rescheduleTransmit: false };
}

/** Administrative control (keepalived's `disabled`, or a reload removing the session). */
export function setBfdAdminDown(session: BfdSession, adminDown: boolean): BfdStepResult {
  const from = session.state;
  if (adminDown === (from === BfdState.adminDown))
    return { session, change: null, sendNow: false, rescheduleTransmit: false };
  const next = adminDown
    ? { ...enter(session, BfdState.adminDown, BfdDiag.adminDown), detectDeadlineMs: null }
    : enter(session, BfdState.down, BfdDiag.none);
  return {
    session: next,
    change: { from, to: next.state, diag: next.diag },
    sendNow: adminDown,
    rescheduleTransmit: false,
  };
}

/**
 * §6.8.7: whether a periodic packet goes out now. Not in the passive role before the peer is
 * known, not when the peer asks for none (RequiredMinRx 0), not in Demand mode once both are Up.
 * AdminDown still sends (so the peer learns it) as long as the peer is known.
 */
export function bfdShouldTransmit(session: BfdSession): boolean {
  if (session.config.passive && session.remoteDiscriminator === 0) return false;
  if (session.remoteMinRxUs === 0) return false;
  if (session.remoteDemand && session.state === BfdState.up && session.remoteState === BfdState.up)
    return false;
  return true;
}

/** The packet to send now, and the session with its one-shot Final flag consumed. */
export function buildBfdControl(session: BfdSession): { packet: BfdControl; session: BfdSession } {
  // A Final answering a Poll carries the new parameters too, so our own Poll is then not needed.
  const poll = session.poll && !session.final;
  const packet: BfdControl = {
    diag: session.diag,
    state: session.state,
    poll,
    final: session.final,
    controlPlaneIndependent: false,
    authPresent: false,
    demand: false,
    multipoint: false,
    detectMult: session.config.detectMult,
    myDiscriminator: session.config.localDiscriminator,
    yourDiscriminator: session.remoteDiscriminator,
    desiredMinTxUs: session.state === BfdState.up ? session.config.desiredMinTxUs : session.config.idleTxUs,
    requiredMinRxUs: session.config.requiredMinRxUs,
    // The Echo function is not implemented (§6.8.9: zero says so).
    requiredMinEchoRxUs: 0,
  };
  return { packet, session: { ...session, poll, final: false } };
}

/**
 * §6.8.7: the delay to the next periodic packet, in ms: the interval less a random 0–25 %, or
 * less 10–25 % when bfd.DetectMult is 1. `random` is a draw in [0, 1) the shell supplies.
 */
export function bfdTransmitDelayMs(session: BfdSession, random: number): number {
  const minJitter = session.config.detectMult === 1 ? 0.1 : 0;
  const jitter = minJitter + (0.25 - minJitter) * Math.min(Math.max(random, 0), 1);
  return (session.txIntervalUs * (1 - jitter)) / 1000;
}

/** The view the trackers need: keepalived's track_bfd counts a session as up only when Up. */
export function bfdSessionIsUp(session: BfdSession): boolean {
  return session.state === BfdState.up;
}
