// Ethernet + ARP frames (RFC 826) for gratuitous ARP: after taking over a virtual address the new
// master broadcasts it so switches and hosts move the VIP to its MAC (RFC 3768 §6.4.2, RFC 5227
// §3 for the "announcement" form: ARP request, sender IP = target IP = the address).

import { ipv4FromBytes, ipv4ToBytes } from './address.js';
import { BROADCAST_MAC, MAC_LENGTH, macFromBytes, macToBytes } from './mac.js';

export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV4 = 0x0800;
export const ARP_HTYPE_ETHERNET = 1;
export const ArpOperation = { request: 1, reply: 2 } as const;
const ETHERNET_HEADER_LENGTH = 14;
const ARP_IPV4_LENGTH = 28;
/** Ethernet header + ARP over IPv4: 42 bytes; the NIC pads to the 60-byte minimum, not us. */
export const ARP_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + ARP_IPV4_LENGTH;

export interface ArpFrame {
  /** Ethernet header. */
  destinationMac: string;
  sourceMac: string;
  /** ARP body (Ethernet/IPv4 only). */
  operation: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export type ArpDecodeResult = { ok: true; value: ArpFrame } | { ok: false; detail: string };

export function encodeArpFrame(frame: ArpFrame): Buffer {
  const buf = Buffer.alloc(ARP_FRAME_LENGTH);
  macToBytes(frame.destinationMac).copy(buf, 0);
  macToBytes(frame.sourceMac).copy(buf, 6);
  buf.writeUInt16BE(ETHERTYPE_ARP, 12);
  const arp = ETHERNET_HEADER_LENGTH;
  buf.writeUInt16BE(ARP_HTYPE_ETHERNET, arp);
  buf.writeUInt16BE(ETHERTYPE_IPV4, arp + 2);
  buf[arp + 4] = MAC_LENGTH;
  buf[arp + 5] = 4;
  buf.writeUInt16BE(frame.operation, arp + 6);
  macToBytes(frame.senderMac).copy(buf, arp + 8);
  ipv4ToBytes(frame.senderIp).copy(buf, arp + 14);
  macToBytes(frame.targetMac).copy(buf, arp + 18);
  ipv4ToBytes(frame.targetIp).copy(buf, arp + 24);
  return buf;
}

/**
 * The gratuitous ARP keepalived 2.2.7 sends for a VIP (checked byte for byte against a capture,
 * test/fixtures/keepalived/garp.hex): a broadcast ARP request from the interface MAC with sender
 * IP = target IP = the VIP, and — unlike arping's 00:00:00:00:00:00 — target MAC ff:ff:ff:ff:ff:ff.
 */
export function gratuitousArp(interfaceMac: string, address: string): ArpFrame {
  return {
    destinationMac: BROADCAST_MAC,
    sourceMac: interfaceMac,
    operation: ArpOperation.request,
    senderMac: interfaceMac,
    senderIp: address,
    targetMac: BROADCAST_MAC,
    targetIp: address,
  };
}

export function encodeGratuitousArp(interfaceMac: string, address: string): Buffer {
  return encodeArpFrame(gratuitousArp(interfaceMac, address));
}

/** Decodes an Ethernet ARP-over-IPv4 frame (trailing padding ignored). Never throws. */
export function decodeArpFrame(buf: Buffer): ArpDecodeResult {
  if (buf.length < ARP_FRAME_LENGTH) {
    return {
      ok: false,
      detail: `frame is ${buf.length} bytes, an Ethernet ARP frame needs ${ARP_FRAME_LENGTH}`,
    };
  }
  const ethertype = buf.readUInt16BE(12);
  if (ethertype !== ETHERTYPE_ARP) {
    return { ok: false, detail: `ethertype 0x${ethertype.toString(16).padStart(4, '0')} is not ARP` };
  }
  const arp = ETHERNET_HEADER_LENGTH;
  const htype = buf.readUInt16BE(arp);
  const ptype = buf.readUInt16BE(arp + 2);
  if (
    htype !== ARP_HTYPE_ETHERNET ||
    ptype !== ETHERTYPE_IPV4 ||
    buf[arp + 4] !== MAC_LENGTH ||
    buf[arp + 5] !== 4
  ) {
    return {
      ok: false,
      detail: `ARP for hardware ${htype}/protocol 0x${ptype.toString(16)} is not Ethernet/IPv4`,
    };
  }
  return {
    ok: true,
    value: {
      destinationMac: macFromBytes(buf, 0),
      sourceMac: macFromBytes(buf, 6),
      operation: buf.readUInt16BE(arp + 6),
      senderMac: macFromBytes(buf, arp + 8),
      senderIp: ipv4FromBytes(buf, arp + 14),
      targetMac: macFromBytes(buf, arp + 18),
      targetIp: ipv4FromBytes(buf, arp + 24),
    },
  };
}
