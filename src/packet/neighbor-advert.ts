// Unsolicited Neighbor Advertisements (RFC 4861 §4.4, §7.2.6): IPv6's gratuitous ARP. A new
// MASTER announces each IPv6 VIP so that hosts and switches holding the old master's MAC for it
// switch at once (RFC 5798 §6.4.1 "for each IPv6 address ... send an unsolicited ND Neighbor
// Advertisement with the Router Flag (R) set ... the Override flag (O) set").
//
// The frame is keepalived 2.2.7's (vrrp_ndisc.c behaviour, checked byte for byte against
// captures in test/fixtures/keepalived/ipv6-na*.hex): a whole Ethernet frame to 33:33:00:00:00:01
// from the interface MAC; IPv6 from the VIP itself to ff02::1, hop limit 255, traffic class and
// flow label 0; ICMPv6 type 136 with Override set, Solicited clear, and Router set only when the
// interface forwards IPv6 (keepalived reads net.ipv6.conf.<if>.forwarding; RFC 5798 always sets
// R, keepalived wins); one Target Link-Layer Address option carrying the interface MAC.

import { ipv6FromBytes, ipv6ToBytes, parseIpv6 } from './address6.js';
import { finishChecksum, sumWords } from './checksum.js';
import { decodeIpv6Header, encodeIpv6Header, IPV6_HEADER_LENGTH } from './ipv6.js';
import { MAC_LENGTH, macFromBytes, macToBytes } from './mac.js';
import { pseudoHeaderSum6 } from './pseudo-header.js';

export const ETHERTYPE_IPV6 = 0x86dd;
export const ICMPV6_NEXT_HEADER = 58;
export const ND_NEIGHBOR_ADVERT = 136;
/** RFC 4861 §7.1.2: receivers drop Neighbor Discovery messages with any other hop limit. */
export const ND_HOP_LIMIT = 255;
/** RFC 4291 §2.7.1: all nodes on the link. */
export const ALL_NODES_MULTICAST = 'ff02::1';
/** RFC 4861 §4.6.1. */
export const ND_OPT_TARGET_LINK_ADDRESS = 2;
const NA_FLAG_ROUTER = 0x80;
const NA_FLAG_SOLICITED = 0x40;
const NA_FLAG_OVERRIDE = 0x20;
const ETHERNET_HEADER_LENGTH = 14;
/** Type, code, checksum, flags + reserved, target. */
const NA_LENGTH = 24;
/** Type, length (in units of 8 bytes), the six-byte MAC. */
const TARGET_LINK_ADDRESS_OPTION_LENGTH = 8;
const ICMPV6_LENGTH = NA_LENGTH + TARGET_LINK_ADDRESS_OPTION_LENGTH;
/** 14 + 40 + 32 = 86 bytes, as keepalived sends it (above the 60-byte minimum: no padding). */
export const NEIGHBOR_ADVERT_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + ICMPV6_LENGTH;

export interface NeighborAdvert {
  /** Ethernet header. */
  destinationMac: string;
  sourceMac: string;
  /** IPv6 header. */
  source: string;
  destination: string;
  hopLimit: number;
  /** ICMPv6 Neighbor Advertisement. */
  router: boolean;
  solicited: boolean;
  override: boolean;
  target: string;
  /** The Target Link-Layer Address option, or null when the frame has none. */
  targetLinkAddress: string | null;
}

/** RFC 2464 §7: the Ethernet destination of an IPv6 multicast packet is 33:33 + its last 32 bits. */
export function ipv6MulticastMac(group: string): string {
  const bytes = parseIpv6(group);
  if (!bytes || bytes[0] !== 0xff) throw new RangeError(`not an IPv6 multicast address: ${group}`);
  return macFromBytes(Uint8Array.from([0x33, 0x33, bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!]));
}

/** keepalived's announcement of `target` (a VIP) on an interface with MAC `interfaceMac`. */
export function unsolicitedNeighborAdvert(
  interfaceMac: string,
  target: string,
  router: boolean,
): NeighborAdvert {
  return {
    destinationMac: ipv6MulticastMac(ALL_NODES_MULTICAST),
    sourceMac: interfaceMac,
    source: target,
    destination: ALL_NODES_MULTICAST,
    hopLimit: ND_HOP_LIMIT,
    router,
    // RFC 4861 §7.2.6: unsolicited advertisements never claim to answer a solicitation.
    solicited: false,
    override: true,
    target,
    targetLinkAddress: interfaceMac,
  };
}

function icmpChecksum(message: Buffer, source: string, destination: string): number | null {
  const pseudo = pseudoHeaderSum6({ source, destination }, ICMPV6_NEXT_HEADER, message.length);
  return pseudo === null ? null : finishChecksum(sumWords(message, pseudo));
}

/** Encodes the whole Ethernet frame with the ICMPv6 checksum filled in (RFC 4443 §2.3). */
export function encodeNeighborAdvertFrame(na: NeighborAdvert): Buffer {
  const icmpLength = NA_LENGTH + (na.targetLinkAddress ? TARGET_LINK_ADDRESS_OPTION_LENGTH : 0);
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + icmpLength);
  macToBytes(na.destinationMac).copy(frame, 0);
  macToBytes(na.sourceMac).copy(frame, 6);
  frame.writeUInt16BE(ETHERTYPE_IPV6, 12);
  encodeIpv6Header({
    trafficClass: 0,
    flowLabel: 0,
    payloadLength: icmpLength,
    nextHeader: ICMPV6_NEXT_HEADER,
    hopLimit: na.hopLimit,
    source: na.source,
    destination: na.destination,
  }).copy(frame, ETHERNET_HEADER_LENGTH);
  const icmp = frame.subarray(ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH);
  icmp[0] = ND_NEIGHBOR_ADVERT;
  icmp[1] = 0;
  icmp[4] =
    (na.router ? NA_FLAG_ROUTER : 0) |
    (na.solicited ? NA_FLAG_SOLICITED : 0) |
    (na.override ? NA_FLAG_OVERRIDE : 0);
  ipv6ToBytes(na.target).copy(icmp, 8);
  if (na.targetLinkAddress) {
    icmp[NA_LENGTH] = ND_OPT_TARGET_LINK_ADDRESS;
    icmp[NA_LENGTH + 1] = 1;
    macToBytes(na.targetLinkAddress).copy(icmp, NA_LENGTH + 2);
  }
  icmp.writeUInt16BE(icmpChecksum(icmp, na.source, na.destination)!, 2);
  return frame;
}

export function encodeUnsolicitedNeighborAdvert(
  interfaceMac: string,
  target: string,
  router: boolean,
): Buffer {
  return encodeNeighborAdvertFrame(unsolicitedNeighborAdvert(interfaceMac, target, router));
}

export type NeighborAdvertDecodeResult = { ok: true; value: NeighborAdvert } | { ok: false; detail: string };

function failed(detail: string): NeighborAdvertDecodeResult {
  return { ok: false, detail };
}

/**
 * Decodes an Ethernet frame holding an IPv6 Neighbor Advertisement and checks what a receiver
 * would (RFC 4861 §7.1.2: ICMPv6 checksum, code 0, length ≥ 24, options of non-zero length).
 * Trailing bytes beyond the IPv6 payload length are ignored. Never throws.
 */
export function decodeNeighborAdvertFrame(buf: Buffer): NeighborAdvertDecodeResult {
  if (buf.length < ETHERNET_HEADER_LENGTH)
    return failed(`frame is ${buf.length} bytes, shorter than Ethernet's header`);
  const ethertype = buf.readUInt16BE(12);
  if (ethertype !== ETHERTYPE_IPV6)
    return failed(`ethertype 0x${ethertype.toString(16).padStart(4, '0')} is not IPv6`);
  const header = decodeIpv6Header(buf, ETHERNET_HEADER_LENGTH);
  if (!header.ok) return failed(header.detail);
  const ip = header.value;
  if (ip.nextHeader !== ICMPV6_NEXT_HEADER) return failed(`next header ${ip.nextHeader} is not ICMPv6 (58)`);
  const start = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH;
  if (buf.length < start + ip.payloadLength)
    return failed(`frame truncated: IPv6 payload length ${ip.payloadLength}`);
  const icmp = buf.subarray(start, start + ip.payloadLength);
  if (icmp.length < NA_LENGTH) return failed(`ICMPv6 message of ${icmp.length} bytes is too short for an NA`);
  if (icmp[0] !== ND_NEIGHBOR_ADVERT || icmp[1] !== 0) {
    return failed(`ICMPv6 type ${icmp[0]} code ${icmp[1]} is not a Neighbor Advertisement`);
  }
  if (icmpChecksum(icmp, ip.source, ip.destination) !== 0) return failed('ICMPv6 checksum is wrong');
  let targetLinkAddress: string | null = null;
  for (let offset = NA_LENGTH; offset < icmp.length;) {
    if (offset + 2 > icmp.length) return failed('truncated ND option');
    const length = icmp[offset + 1]! * 8;
    if (length === 0 || offset + length > icmp.length) return failed('ND option with a bad length');
    if (icmp[offset] === ND_OPT_TARGET_LINK_ADDRESS && length >= 2 + MAC_LENGTH) {
      targetLinkAddress = macFromBytes(icmp, offset + 2);
    }
    offset += length;
  }
  const flags = icmp[4]!;
  return {
    ok: true,
    value: {
      destinationMac: macFromBytes(buf, 0),
      sourceMac: macFromBytes(buf, 6),
      source: ip.source,
      destination: ip.destination,
      hopLimit: ip.hopLimit,
      router: (flags & NA_FLAG_ROUTER) !== 0,
      solicited: (flags & NA_FLAG_SOLICITED) !== 0,
      override: (flags & NA_FLAG_OVERRIDE) !== 0,
      target: ipv6FromBytes(icmp, 8),
      targetLinkAddress,
    },
  };
}
