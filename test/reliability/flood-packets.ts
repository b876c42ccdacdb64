// The invalid VRRP packets of the flood scenario (issue 9), built with our own encoders and each
// breaking exactly one rule of the validation ladder, for the two instances of flood.test.ts:
//   VI_1 — VRID 51, unicast between 192.0.2.1 and 192.0.2.2, PASS "secret1", check_unicast_src;
//   VI_2 — VRID 52, multicast, no authentication.
// Sources vary across 192.0.2.10-.49 so that the log's once-per-(reason, peer) rule alone cannot
// keep the journal small: the per-reason budget has to.

import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import { AuthType, DropReason, type DropReasonCode, type VrrpAdvert } from '../../src/packet/types.js';
import { encodeAdvert, simpleAuthData, VRRP_MULTICAST_GROUP4, VRRP_PROTOCOL } from '../../src/packet/vrrp.js';

export const MASTER_ADDRESS = '192.0.2.1';
export const BACKUP_ADDRESS = '192.0.2.2';
export const UNICAST_VRID = 51;
export const MULTICAST_VRID = 52;
export const PASSWORD = 'secret1';

export const FLOOD_KINDS = [
  'checksum',
  'unknown_vrid',
  'ttl64',
  'truncated',
  'wrong_auth',
  'spoofed_source',
] as const;
export type FloodKind = (typeof FLOOD_KINDS)[number];

/** The drop reason the master must count for each kind. */
export const EXPECTED_REASON: Record<FloodKind, DropReasonCode> = {
  checksum: DropReason.checksum,
  unknown_vrid: DropReason.unknownVrid,
  ttl64: DropReason.ipTtl,
  truncated: DropReason.length,
  wrong_auth: DropReason.authPassword,
  spoofed_source: DropReason.unicastSource,
};

export interface FloodPacket {
  kind: FloodKind;
  /** Whole IPv4 packet (header + VRRP), as sent with IP_HDRINCL and as the receiver reads it. */
  packet: Buffer;
  destination: string;
}

function unicastAdvert(overrides: Partial<VrrpAdvert> = {}): VrrpAdvert {
  return {
    version: 2,
    type: 1,
    vrid: UNICAST_VRID,
    priority: 250,
    advertIntervalCs: 100,
    addresses: ['192.0.2.254'],
    authType: AuthType.simple,
    authData: simpleAuthData(PASSWORD),
    ...overrides,
  };
}

function multicastAdvert(): VrrpAdvert {
  return {
    version: 2,
    type: 1,
    vrid: MULTICAST_VRID,
    priority: 250,
    advertIntervalCs: 100,
    addresses: ['192.0.2.253'],
    authType: AuthType.none,
    authData: Buffer.alloc(8),
  };
}

function ipPacket(vrrp: Buffer, source: string, destination: string, ttl = 255): Buffer {
  const header = encodeIpv4Header({
    source,
    destination,
    ttl,
    tos: 0xc0,
    protocol: VRRP_PROTOCOL,
    payloadLength: vrrp.length,
    identification: 0,
  });
  return Buffer.concat([header, vrrp]);
}

function build(kind: FloodKind, index: number): FloodPacket {
  const source = `192.0.2.${10 + (index % 40)}`;
  switch (kind) {
    case 'checksum': {
      const vrrp = encodeAdvert(unicastAdvert());
      vrrp[7] = vrrp[7]! ^ 0x5a;
      return { kind, packet: ipPacket(vrrp, source, MASTER_ADDRESS), destination: MASTER_ADDRESS };
    }
    case 'unknown_vrid':
      return {
        kind,
        packet: ipPacket(encodeAdvert(unicastAdvert({ vrid: 99 })), source, MASTER_ADDRESS),
        destination: MASTER_ADDRESS,
      };
    case 'ttl64':
      return {
        kind,
        packet: ipPacket(encodeAdvert(multicastAdvert()), source, VRRP_MULTICAST_GROUP4, 64),
        destination: VRRP_MULTICAST_GROUP4,
      };
    case 'truncated': {
      // The header announces five addresses; one follows, then the auth data: 20 bytes short.
      const vrrp = encodeAdvert(unicastAdvert());
      vrrp[3] = 5;
      return { kind, packet: ipPacket(vrrp, source, MASTER_ADDRESS), destination: MASTER_ADDRESS };
    }
    case 'wrong_auth':
      return {
        kind,
        packet: ipPacket(
          encodeAdvert(unicastAdvert({ authData: simpleAuthData('letmein') })),
          source,
          MASTER_ADDRESS,
        ),
        destination: MASTER_ADDRESS,
      };
    case 'spoofed_source':
      // Valid in every respect but the sender, which is not VI_1's unicast peer.
      return {
        kind,
        packet: ipPacket(encodeAdvert(unicastAdvert()), `192.0.2.${60 + (index % 30)}`, MASTER_ADDRESS),
        destination: MASTER_ADDRESS,
      };
  }
}

/** `count` packets of one kind, sources varying. */
export function floodPackets(kind: FloodKind, count: number): FloodPacket[] {
  return Array.from({ length: count }, (_, i) => build(kind, i));
}

/** A valid VI_1 advert from the backup, as the master would receive it (for the benchmark). */
export function validAdvertPacket(): Buffer {
  return ipPacket(encodeAdvert(unicastAdvert({ priority: 100 })), BACKUP_ADDRESS, MASTER_ADDRESS);
}
