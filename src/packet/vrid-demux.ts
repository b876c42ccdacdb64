// Which local instance an advert is for when several share its VRID on one interface and family.
// keepalived 2.2.7 allows that (vrrp.c, the duplicate-VRID check): unicast and multicast
// instances are separate VRID spaces; two multicast instances may share a VRID when they send to
// different groups (mcast_dst_ip); two unicast instances when no peer is common to both — an
// advert then belongs to the instance that lists its source as a peer (vrrp_scheduler.c), and is
// unknown when none does. With one instance per VRID nothing changes: that instance judges it.

import { isMulticastIpv4 } from './address.js';
import { isMulticastIpv6 } from './address6.js';

export interface DemuxCandidate {
  /** Unicast instances only: their peers (IPv6 in canonical text). */
  unicastPeers?: readonly string[];
  /** Multicast instances only: the group they send to (canonical text). */
  multicastGroup?: string;
  /** A configured source address (unicast_src_ip / mcast_src_ip), when there is one. */
  localAddress?: string;
}

function isMulticastDestination(address: string): boolean {
  return address.includes(':') ? isMulticastIpv6(address) : isMulticastIpv4(address);
}

export function pickInstance<C extends DemuxCandidate>(
  candidates: readonly C[],
  source: string,
  destination: string,
): C | undefined {
  if (candidates.length <= 1) return candidates[0];
  if (isMulticastDestination(destination)) {
    const multicast = candidates.filter((c) => c.unicastPeers === undefined);
    return multicast.length === 1 ? multicast[0] : multicast.find((c) => c.multicastGroup === destination);
  }
  const unicast = candidates.filter((c) => c.unicastPeers !== undefined);
  if (unicast.length === 1) return unicast[0];
  const peers = unicast.filter((c) => c.unicastPeers!.includes(source));
  // Different local addresses may list the same peer (keepalived binds each to its own source).
  return peers.length > 1 ? (peers.find((c) => c.localAddress === destination) ?? peers[0]) : peers[0];
}
