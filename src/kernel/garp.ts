// Gratuitous ARP for virtual addresses (RFC 3768 §6.4.2 "broadcast a gratuitous ARP request
// containing the virtual router MAC address for each IP address"; we own the VIP with the
// interface's real MAC, as keepalived does without use_vmac).
//
// The frame is keepalived's (src/packet/arp.ts): a broadcast ARP *request* with sender IP =
// target IP = the VIP. Linux hosts with default sysctls (arp_accept=0) take it as an update for
// an existing neighbour entry — replacing the old master's MAC at once, without waiting for the
// entry to go stale — but do not create an entry they did not have; those hosts simply ARP
// when they next need the VIP, and the new master answers.

import { encodeGratuitousArp } from '../packet/arp.js';
import type { NativeError, NativeOps } from './native.js';
import { asError } from '../runtime/errors.js';

export type GarpResult = { ok: true; bytes: number } | { ok: false; error: NativeError };

export interface GarpSender {
  /** Broadcasts one gratuitous ARP for `vip` on `ifname`. Failures come back as values. */
  sendGratuitousArp(ifname: string, vip: string): GarpResult;
}

export function createGarpSender(native: NativeOps): GarpSender {
  return {
    sendGratuitousArp(ifname, vip) {
      try {
        // Looked up per call: the interface may have been re-created (new index) or re-addressed.
        const ifindex = native.interfaceIndex(ifname);
        const mac = native.interfaceHardwareAddress(ifname);
        return { ok: true, bytes: native.sendPacketFrame(ifindex, encodeGratuitousArp(mac, vip)) };
      } catch (error) {
        return { ok: false, error: asError(error) };
      }
    },
  };
}
