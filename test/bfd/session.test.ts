import { describe, expect, it } from 'vitest';

import {
  BfdDiag,
  BfdState,
  decodeBfdControl,
  encodeBfdControl,
  type BfdControl,
} from '../../src/bfd/packet.js';
import {
  bfdSessionIsUp,
  bfdShouldTransmit,
  bfdTransmitDelayMs,
  buildBfdControl,
  createBfdSession,
  expireBfdDetection,
  receiveBfdControl,
  setBfdAdminDown,
  type BfdSession,
  type BfdSessionConfig,
  type BfdStateChange,
} from '../../src/bfd/session.js';

// keepalived 2.2.7's defaults: min_rx/min_tx 10 ms, idle_tx 1 s, multiplier 5.
const CONFIG: BfdSessionConfig = {
  localDiscriminator: 0x1111,
  desiredMinTxUs: 10_000,
  requiredMinRxUs: 10_000,
  idleTxUs: 1_000_000,
  detectMult: 5,
  passive: false,
};

/** Both ends of one link under a virtual clock; packets travel through the real codec. */
class Link {
  now = 0;
  up = true;
  sessions: [BfdSession, BfdSession];
  nextTx: [number, number] = [0, 0];
  changes: [BfdStateChange[], BfdStateChange[]] = [[], []];
  private draw = 0;

  constructor(a: BfdSessionConfig, b: BfdSessionConfig) {
    this.sessions = [createBfdSession(a), createBfdSession(b)];
  }

  /** A fixed, repeating jitter sequence: deterministic, but not always the same value. */
  private random(): number {
    this.draw = (this.draw + 0.37) % 1;
    return this.draw;
  }

  private send(from: 0 | 1): void {
    if (!bfdShouldTransmit(this.sessions[from])) return;
    const built = buildBfdControl(this.sessions[from]);
    this.sessions[from] = built.session;
    if (!this.up) return;
    const decoded = decodeBfdControl(encodeBfdControl(built.packet));
    if (!decoded.ok) throw new Error(decoded.detail);
    this.deliver((1 - from) as 0 | 1, decoded.value);
  }

  private deliver(to: 0 | 1, packet: BfdControl): void {
    const step = receiveBfdControl(this.sessions[to], packet, this.now);
    this.sessions[to] = step.session;
    if (step.change) this.changes[to].push(step.change);
    if (step.rescheduleTransmit) this.nextTx[to] = this.now + bfdTransmitDelayMs(step.session, this.random());
    if (step.sendNow) this.send(to);
  }

  /** Runs the two sessions until `until` ms, in 1 ms ticks (bounded by construction). */
  run(until: number): void {
    for (; this.now <= until; this.now += 1) {
      for (const side of [0, 1] as const) {
        const expired = expireBfdDetection(this.sessions[side], this.now);
        this.sessions[side] = expired.session;
        if (expired.change) this.changes[side].push(expired.change);
        if (this.now >= this.nextTx[side]) {
          this.send(side);
          this.nextTx[side] = this.now + bfdTransmitDelayMs(this.sessions[side], this.random());
        }
      }
    }
  }
}

const states = (changes: BfdStateChange[]) => changes.map((c) => c.to);

describe('BFD session (RFC 5880 §6.2, §6.8.6)', () => {
  it('starts Down, sending at the idle rate with Your Discriminator 0', () => {
    const session = createBfdSession(CONFIG);
    expect(session.state).toBe(BfdState.down);
    const { packet } = buildBfdControl(session);
    expect(packet).toMatchObject({ state: BfdState.down, yourDiscriminator: 0, desiredMinTxUs: 1_000_000 });
    expect(bfdTransmitDelayMs(session, 0)).toBe(1000);
    expect(bfdTransmitDelayMs(session, 0.999_999)).toBeCloseTo(750, 0);
  });

  it('two ends come Up through the three-way handshake and speed up by a Poll Sequence', () => {
    const link = new Link(CONFIG, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(1200);
    for (const side of [0, 1] as const) {
      expect(bfdSessionIsUp(link.sessions[side])).toBe(true);
      expect(link.sessions[side].poll).toBe(false);
      // Both at min_tx now: 10 ms, detection 5 × 10 ms.
      expect(link.sessions[side].txIntervalUs).toBe(10_000);
      expect(link.sessions[side].detectTimeUs).toBe(50_000);
    }
    // Down → Init → Up on one side, Down → Up on the other (whoever heard Init first).
    expect(link.changes.flat().every((c) => c.to !== BfdState.down)).toBe(true);
    expect(link.changes.map(states).map((s) => s.at(-1))).toEqual([BfdState.up, BfdState.up]);
    expect(link.sessions[0].remoteDiscriminator).toBe(0x2222);
  });

  it('goes Down with diag 1 one Detection Time after the link is cut, and comes back', () => {
    const link = new Link(CONFIG, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(1200);
    link.changes = [[], []];
    link.up = false;
    const cutAt = link.now;
    link.run(cutAt + 60);
    for (const side of [0, 1] as const) {
      expect(link.changes[side]).toEqual([
        { from: BfdState.up, to: BfdState.down, diag: BfdDiag.detectionExpired },
      ]);
      expect(link.sessions[side].remoteDiscriminator).toBe(0);
      expect(link.sessions[side].txIntervalUs).toBe(1_000_000);
    }
    link.up = true;
    link.run(link.now + 3000);
    expect(link.sessions.map(bfdSessionIsUp)).toEqual([true, true]);
  });

  it('takes the Detection Time from the remote multiplier and the slower of the two rates', () => {
    const link = new Link(
      { ...CONFIG, requiredMinRxUs: 30_000 },
      { ...CONFIG, localDiscriminator: 0x2222, desiredMinTxUs: 20_000, detectMult: 3 },
    );
    link.run(1500);
    expect(link.sessions.map(bfdSessionIsUp)).toEqual([true, true]);
    // Side 0 hears mult 3, its own min_rx 30 ms beats the peer's 20 ms min_tx.
    expect(link.sessions[0].detectTimeUs).toBe(90_000);
    // Side 1 hears mult 5 and side 0's 10 ms min_tx, but its own min_rx is 10 ms: 50 ms.
    expect(link.sessions[1].detectTimeUs).toBe(50_000);
    // Side 1 may not send faster than side 0 wants to receive.
    expect(link.sessions[1].txIntervalUs).toBe(30_000);
  });

  it('a passive end stays silent until it hears the peer', () => {
    const passive = createBfdSession({ ...CONFIG, passive: true });
    expect(bfdShouldTransmit(passive)).toBe(false);
    const link = new Link({ ...CONFIG, passive: true }, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(3000);
    expect(link.sessions.map(bfdSessionIsUp)).toEqual([true, true]);
  });

  it('follows the peer Down when it signals Down or AdminDown (diag 3)', () => {
    const link = new Link(CONFIG, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(1200);
    const peer = buildBfdControl(link.sessions[1]).packet;
    for (const state of [BfdState.down, BfdState.adminDown]) {
      const step = receiveBfdControl(link.sessions[0], { ...peer, state }, link.now);
      expect(step.change).toEqual({
        from: BfdState.up,
        to: BfdState.down,
        diag: BfdDiag.neighborSignaledDown,
      });
    }
  });

  it('answers a Poll with a Final at once, and a Final ends our Poll', () => {
    const link = new Link(CONFIG, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(1200);
    const peer = buildBfdControl(link.sessions[1]).packet;
    const polled = receiveBfdControl(link.sessions[0], { ...peer, poll: true }, link.now);
    expect(polled.sendNow).toBe(true);
    const answer = buildBfdControl(polled.session);
    expect(answer.packet).toMatchObject({ final: true, poll: false });
    expect(answer.session.final).toBe(false);
    const polling = { ...link.sessions[0], poll: true };
    expect(receiveBfdControl(polling, { ...peer, final: true }, link.now).session.poll).toBe(false);
    expect(receiveBfdControl(polling, peer, link.now).session.poll).toBe(true);
  });

  it('changes the rate while Up only on Poll or Final (§6.8.3)', () => {
    const link = new Link(CONFIG, { ...CONFIG, localDiscriminator: 0x2222 });
    link.run(1200);
    const peer = { ...buildBfdControl(link.sessions[1]).packet, requiredMinRxUs: 100_000 };
    expect(receiveBfdControl(link.sessions[0], peer, link.now).session.txIntervalUs).toBe(10_000);
    expect(receiveBfdControl(link.sessions[0], { ...peer, poll: true }, link.now).session.txIntervalUs).toBe(
      100_000,
    );
  });

  it('ignores a stale detection timer and keeps a Down session Down while forgetting the peer', () => {
    const session = createBfdSession(CONFIG);
    expect(expireBfdDetection(session, 10).change).toBeNull();
    const peer = buildBfdControl(createBfdSession({ ...CONFIG, localDiscriminator: 0x2222 })).packet;
    const heard = receiveBfdControl(session, peer, 0).session;
    expect(heard.state).toBe(BfdState.init);
    expect(expireBfdDetection(heard, 1).change).toBeNull();
    const expired = expireBfdDetection(heard, 5000);
    expect(expired.change).toEqual({
      from: BfdState.init,
      to: BfdState.down,
      diag: BfdDiag.detectionExpired,
    });
  });

  it('AdminDown drops every packet, sends diag 7, and leaves through Down', () => {
    const admin = setBfdAdminDown(createBfdSession(CONFIG), true);
    expect(admin.change).toMatchObject({ to: BfdState.adminDown, diag: BfdDiag.adminDown });
    const peer = buildBfdControl(createBfdSession({ ...CONFIG, localDiscriminator: 0x2222 })).packet;
    expect(receiveBfdControl(admin.session, peer, 0).session).toBe(admin.session);
    expect(buildBfdControl(admin.session).packet).toMatchObject({ state: BfdState.adminDown, diag: 7 });
    expect(setBfdAdminDown(admin.session, false).change).toMatchObject({ to: BfdState.down });
  });

  it('jitters 75–100 % of the interval, 75–90 % with a multiplier of 1 (§6.8.7)', () => {
    const up = { ...createBfdSession(CONFIG), txIntervalUs: 100_000 };
    expect(bfdTransmitDelayMs(up, 0)).toBe(100);
    expect(bfdTransmitDelayMs(up, 1)).toBe(75);
    const single = { ...up, config: { ...CONFIG, detectMult: 1 } };
    expect(bfdTransmitDelayMs(single, 0)).toBe(90);
    expect(bfdTransmitDelayMs(single, 1)).toBe(75);
  });
});
