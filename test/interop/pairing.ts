// A VRRP pairing on the lab segment: which daemon plays r1 (192.0.2.1) and r2 (192.0.2.2), in
// unicast or multicast, with or without `auth_type PASS`, and the keepalived.conf each router
// reads. Both daemons read the very same text, which is the point of the exercise.

import type { DaemonKind } from '../lab/daemons.js';
import { keepalivedConfig } from '../lab/daemons.js';
import { segmentAddressOf } from '../lab/topology.js';

export type Transport = 'unicast' | 'multicast';

export interface Pairing {
  /** The daemon in r1 (192.0.2.1). */
  r1: DaemonKind;
  /** The daemon in r2 (192.0.2.2). */
  r2: DaemonKind;
  transport: Transport;
  /** true: auth_type PASS; 'AH': auth_type AH (IPsec AH as keepalived does it). VRRPv2 has
   * authentication; an IPv6 pairing (VRRPv3) must say false. */
  auth: boolean | 'AH';
  /** Default IPv4 (VRRPv2); IPv6 runs VRRPv3 (RFC 5798), keepalived's default for it. */
  family?: 'ipv4' | 'ipv6';
  /** Seconds; default 1. VRRPv3 (IPv6) takes centiseconds, e.g. 0.1. */
  advertInt?: number;
}

export const AUTH_PASSWORD = 'secret1';
export const ADVERT_INTERVAL_S = 1;

export function pairingName(p: Pairing): string {
  const auth = p.auth === 'AH' ? 'auth AH' : p.auth ? 'auth PASS' : 'no auth';
  return `${p.r1} r1 + ${p.r2} r2, ${p.family === 'ipv6' ? 'IPv6, ' : ''}${p.transport}, ${auth}`;
}

/** The other router of the pair. */
export function peerOf(role: 'r1' | 'r2'): 'r1' | 'r2' {
  return role === 'r1' ? 'r2' : 'r1';
}

/** keepalived.conf for one router of the pairing. */
export function routerConfig(
  pairing: Pairing,
  role: 'r1' | 'r2',
  priority: number,
  extra: { vips?: string[]; vrid?: number; lines?: string[] } = {},
): string {
  const family = pairing.family ?? 'ipv4';
  const self = segmentAddressOf(role, family);
  const peer = segmentAddressOf(peerOf(role), family);
  return keepalivedConfig([
    {
      priority,
      advertInt: pairing.advertInt ?? ADVERT_INTERVAL_S,
      ...(pairing.transport === 'unicast' ? { unicastSrc: self, unicastPeers: [peer] } : {}),
      ...(pairing.auth === true ? { authPass: AUTH_PASSWORD } : {}),
      extra: [
        ...(pairing.auth === 'AH'
          ? ['authentication {', '  auth_type AH', `  auth_pass ${AUTH_PASSWORD}`, '}']
          : []),
        ...(extra.lines ?? []),
      ],
      ...(extra.vips ? { vips: extra.vips } : family === 'ipv6' ? { vips: ['2001:db8::254/64'] } : {}),
      ...(extra.vrid !== undefined ? { vrid: extra.vrid } : {}),
    },
  ]);
}

/** RFC 3768 §6.1 Skew_Time in ms for a priority (advert interval 1 s). */
export function skewTimeMs(priority: number, advertIntervalS = ADVERT_INTERVAL_S): number {
  return ((256 - priority) * advertIntervalS * 1000) / 256;
}

/** RFC 3768 §6.1 Master_Down_Interval in ms: 3 × Advertisement_Interval + Skew_Time. */
export function masterDownIntervalMs(priority: number, advertIntervalS = ADVERT_INTERVAL_S): number {
  return 3 * advertIntervalS * 1000 + skewTimeMs(priority, advertIntervalS);
}
