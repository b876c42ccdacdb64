// Builds well-formed VRRP packets with our own encoders so tests can break one rule at a time.

import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import { decodeIpv6Header, IPV6_HEADER_LENGTH, type Ipv6Header } from '../../src/packet/ipv6.js';
import { internetChecksum } from '../../src/packet/checksum.js';
import { AuthType, type VrrpAdvert } from '../../src/packet/types.js';
import { VRRP_PROTOCOL, encodeAdvert, simpleAuthData } from '../../src/packet/vrrp.js';

/** The advert of the v2-unicast-pass fixture: VRID 51, priority 150, 1 s, PASS "secret1". */
export function v2Advert(overrides: Partial<VrrpAdvert> = {}): VrrpAdvert {
  return {
    version: 2,
    type: 1,
    vrid: 51,
    priority: 150,
    advertIntervalCs: 100,
    addresses: ['192.0.2.254'],
    authType: AuthType.simple,
    authData: simpleAuthData('secret1'),
    ...overrides,
  };
}

export function v3Advert(overrides: Partial<VrrpAdvert> = {}): VrrpAdvert {
  return {
    version: 3,
    type: 1,
    vrid: 51,
    priority: 150,
    advertIntervalCs: 100,
    addresses: ['192.0.2.254'],
    authType: 0,
    authData: Buffer.alloc(0),
    ...overrides,
  };
}

export interface PacketOptions {
  source?: string;
  destination?: string;
  ttl?: number;
  protocol?: number;
  identification?: number;
}

/** IP header + advert, as keepalived would send it (TOS 0xc0, TTL 255) unless overridden. */
export function craftPacket(advert: VrrpAdvert, options: PacketOptions = {}): Buffer {
  const source = options.source ?? '192.0.2.1';
  const destination = options.destination ?? '192.0.2.2';
  const vrrp = encodeAdvert(advert, { source, destination });
  const header = encodeIpv4Header({
    source,
    destination,
    ttl: options.ttl ?? 255,
    tos: 0xc0,
    protocol: options.protocol ?? VRRP_PROTOCOL,
    payloadLength: vrrp.length,
    identification: options.identification ?? 1,
  });
  return Buffer.concat([header, vrrp]);
}

/** Recomputes the VRRPv2 checksum after a test edited the advert bytes (IHL 5 assumed). */
export function fixV2Checksum(packet: Buffer): Buffer {
  const vrrp = packet.subarray(20);
  vrrp.writeUInt16BE(0, 6);
  vrrp.writeUInt16BE(internetChecksum(vrrp), 6);
  return packet;
}

/** The advert of the v3-ipv6-multicast fixture: VRID 51, priority 150, 100 cs, three VIPs. */
export function v3Advert6(overrides: Partial<VrrpAdvert> = {}): VrrpAdvert {
  return v3Advert({ addresses: ['fe80::51', '2001:db8::254', '2001:db8::253'], ...overrides });
}

/** A captured IPv6 fixture split into its header and the VRRP message after it. */
export function splitIpv6Fixture(packet: Buffer): { header: Ipv6Header; vrrp: Buffer } {
  const decoded = decodeIpv6Header(packet);
  if (!decoded.ok) throw new Error(decoded.detail);
  return { header: decoded.value, vrrp: packet.subarray(IPV6_HEADER_LENGTH) };
}
