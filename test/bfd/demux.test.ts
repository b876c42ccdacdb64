import { describe, expect, it } from 'vitest';

import { bfdTtlAcceptable, selectBfdSession, type BfdSessionKey } from '../../src/bfd/demux.js';
import { BfdState, type BfdControl } from '../../src/bfd/packet.js';

const SESSIONS: BfdSessionKey[] = [
  { localDiscriminator: 7, neighborAddress: '192.0.2.2', sourceAddress: null, ttl: 255, maxHops: 0 },
  { localDiscriminator: 9, neighborAddress: '192.0.2.3', sourceAddress: '192.0.2.1', ttl: 255, maxHops: 255 },
];

const PACKET: BfdControl = {
  diag: 0,
  state: BfdState.down,
  poll: false,
  final: false,
  controlPlaneIndependent: false,
  authPresent: false,
  demand: false,
  multipoint: false,
  detectMult: 3,
  myDiscriminator: 42,
  yourDiscriminator: 0,
  desiredMinTxUs: 1_000_000,
  requiredMinRxUs: 10_000,
  requiredMinEchoRxUs: 0,
};

describe('BFD session selection (RFC 5880 §6.8.6, RFC 5881 §3, §5)', () => {
  it('selects by Your Discriminator when it is set, whatever the address', () => {
    const found = selectBfdSession(
      SESSIONS,
      { ...PACKET, yourDiscriminator: 9, state: BfdState.up },
      '192.0.2.99',
      null,
      255,
    );
    expect(found).toEqual({ ok: true, session: SESSIONS[1] });
    expect(
      selectBfdSession(SESSIONS, { ...PACKET, yourDiscriminator: 8 }, '192.0.2.2', null, 255),
    ).toMatchObject({
      ok: false,
      reason: 'no_session',
    });
  });

  it('selects by neighbor (and source_ip) while the peer is Down with Your Discriminator 0', () => {
    expect(selectBfdSession(SESSIONS, PACKET, '192.0.2.2', '192.0.2.1', 255)).toEqual({
      ok: true,
      session: SESSIONS[0],
    });
    expect(selectBfdSession(SESSIONS, PACKET, '192.0.2.3', '192.0.2.5', 255).ok).toBe(false);
    expect(
      selectBfdSession(SESSIONS, { ...PACKET, state: BfdState.up }, '192.0.2.2', null, 255),
    ).toMatchObject({
      ok: false,
      reason: 'your_discriminator',
    });
  });

  it('drops a packet that crossed a router, unless max_hops allows it (keepalived rule)', () => {
    expect(selectBfdSession(SESSIONS, PACKET, '192.0.2.2', null, 254)).toMatchObject({
      ok: false,
      reason: 'ttl',
    });
    expect(bfdTtlAcceptable(254, 255, 1)).toBe(true);
    expect(bfdTtlAcceptable(253, 255, 1)).toBe(false);
    expect(bfdTtlAcceptable(1, 255, 255)).toBe(true);
    expect(bfdTtlAcceptable(64, 64, 0)).toBe(true);
  });
});
