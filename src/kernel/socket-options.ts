// Linux socket-option numbers and structures for the sockets of the raw-socket package (the uplink
// ICMP prober, the lab's packet tools). raw-socket only passes (level, option, int | buffer)
// through to setsockopt(2), so the values live here, checked against <linux/in.h> and
// <asm-generic/socket.h>. The VRRP sockets are the addon's (native/src/ipv4_socket.cc).

import { endianness } from 'node:os';
import { ipv4ToBytes } from '../packet/address.js';

export const SOL_SOCKET = 1;

export const IPPROTO_IP = 0;
export const IP_HDRINCL = 3;
export const IP_MULTICAST_IF = 32;

/** IFNAMSIZ - 1: longest interface name the kernel accepts. */
export const INTERFACE_NAME_MAX = 15;

/**
 * struct ip_mreqn { in_addr imr_multiaddr; in_addr imr_address; int imr_ifindex; } — the
 * ifindex form lets us name the interface exactly, rather than by one of its addresses
 * (which may be the VIP we are about to remove).
 */
export function ipMreqn(group: string, ifindex: number, localAddress = '0.0.0.0'): Buffer {
  const buf = Buffer.alloc(12);
  ipv4ToBytes(group).copy(buf, 0);
  ipv4ToBytes(localAddress).copy(buf, 4);
  // imr_ifindex is a host-order int.
  if (endianness() === 'LE') buf.writeInt32LE(ifindex, 8);
  else buf.writeInt32BE(ifindex, 8);
  return buf;
}
