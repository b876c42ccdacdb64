// Unsolicited Neighbor Advertisements for IPv6 virtual addresses: IPv6's gratuitous ARP (RFC 5798
// §6.4.1: on becoming MASTER, "for each IPv6 address ... send an unsolicited ND Neighbor
// Advertisement"). keepalived's `garp_*` keywords pace these exactly as they pace GARPs, so the
// daemon's GARP pacer can send one of these wherever it would send a GARP for an IPv4 VIP.
//
// Sent like keepalived does, as a whole Ethernet frame through the process's one AF_PACKET
// socket (sendPacketFrame), not through a raw ICMPv6 socket:
// - the IPv6 source is the VIP itself, which an ICMPv6 socket may refuse while the address is
//   tentative or already gone (releasing), while a frame goes out regardless;
// - the frame is byte for byte keepalived's (test/fixtures/keepalived/ipv6-na*.hex), with no
//   kernel-chosen fields (an ICMPv6 socket would add its own flow label and could pick another
//   route, e.g. no link-local scope without IPV6_PKTINFO);
// - it reuses the socket GARP already keeps open, so no second socket per interface.
// The Router flag follows net.ipv6.conf.<interface>.forwarding, read at each send (keepalived
// rechecks it at most every five seconds; the read is cheap and always current).

import { readFileSync } from 'node:fs';
import { encodeUnsolicitedNeighborAdvert } from '../packet/neighbor-advert.js';
import { asError } from '../runtime/errors.js';
import type { GarpResult } from './garp.js';
import type { NativeOps } from './native.js';

export type NeighborAdvertResult = GarpResult;

export interface NeighborAdvertSender {
  /** Sends one unsolicited NA for `vip` (an IPv6 address) on `ifname`. Failures come back as values. */
  sendNeighborAdvert(ifname: string, vip: string): NeighborAdvertResult;
}

/** Whether the interface forwards IPv6, in this process's network namespace (procfs is per netns). */
export function readIpv6Forwarding(ifname: string): boolean {
  try {
    return readFileSync(`/proc/sys/net/ipv6/conf/${ifname}/forwarding`, 'utf8').trim() === '1';
  } catch {
    // IPv6 disabled on the interface, or no procfs: not a router there.
    return false;
  }
}

export function createNeighborAdvertSender(
  native: NativeOps,
  forwarding: (ifname: string) => boolean = readIpv6Forwarding,
): NeighborAdvertSender {
  return {
    sendNeighborAdvert(ifname, vip) {
      try {
        // Looked up per call, like GARP: the interface may have been re-created or re-addressed.
        const ifindex = native.interfaceIndex(ifname);
        const mac = native.interfaceHardwareAddress(ifname);
        const frame = encodeUnsolicitedNeighborAdvert(mac, vip, forwarding(ifname));
        return { ok: true, bytes: native.sendPacketFrame(ifindex, frame) };
      } catch (error) {
        return { ok: false, error: asError(error) };
      }
    },
  };
}
