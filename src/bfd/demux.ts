// Choosing the session a received Control packet belongs to (RFC 5880 §6.8.6, RFC 5881 §3):
// by Your Discriminator when the peer knows ours, otherwise by the addresses the packet came from
// and to, and then only while the peer says Down or AdminDown. Also the RFC 5881 §5 TTL check.

import { BfdState, BFD_TTL, type BfdControl } from './packet.js';

export interface BfdSessionKey {
  localDiscriminator: number;
  neighborAddress: string;
  /** The configured source_ip, or null when any local address will do. */
  sourceAddress: string | null;
  /** The TTL (hop limit) this session sends with: 255 unless `ttl`/`hoplimit` says otherwise. */
  ttl: number;
  /** keepalived's max_hops: packets whose TTL + maxHops is below `ttl` are dropped; 255 disables it. */
  maxHops: number;
}

export type BfdDemuxResult<K> =
  | { ok: true; session: K }
  | { ok: false; reason: 'no_session' | 'your_discriminator' | 'ttl'; detail: string };

/**
 * RFC 5881 §5 (GTSM): a single-hop packet arrives with TTL 255. keepalived compares with the TTL
 * the session itself sends, less max_hops (0 by default: exact), and max_hops 255 turns it off.
 */
export function bfdTtlAcceptable(received: number, sentTtl: number, maxHops: number): boolean {
  if (maxHops >= BFD_TTL) return true;
  return received + maxHops >= sentTtl;
}

export function selectBfdSession<K extends BfdSessionKey>(
  sessions: readonly K[],
  packet: BfdControl,
  source: string,
  destination: string | null,
  ttl: number | null,
): BfdDemuxResult<K> {
  let found: K | undefined;
  if (packet.yourDiscriminator !== 0) {
    found = sessions.find((s) => s.localDiscriminator === packet.yourDiscriminator);
    if (!found)
      return {
        ok: false,
        reason: 'no_session',
        detail: `no session has discriminator ${packet.yourDiscriminator}`,
      };
  } else {
    if (packet.state !== BfdState.down && packet.state !== BfdState.adminDown)
      return { ok: false, reason: 'your_discriminator', detail: 'Your Discriminator is zero outside Down' };
    found = sessions.find(
      (s) =>
        s.neighborAddress === source &&
        (s.sourceAddress === null || destination === null || s.sourceAddress === destination),
    );
    if (!found) return { ok: false, reason: 'no_session', detail: `no session for neighbor ${source}` };
  }
  if (ttl !== null && !bfdTtlAcceptable(ttl, found.ttl, found.maxHops))
    return { ok: false, reason: 'ttl', detail: `TTL ${ttl} below ${found.ttl - found.maxHops}` };
  return { ok: true, session: found };
}
