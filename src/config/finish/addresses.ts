// The addresses of one instance once its block is read: the family, the advertised and excluded
// addresses, and the unicast setup. Mistakes keepalived runs past are followed as it follows them:
// an address of the other family is skipped, a repeated address stays in the advert (keepalived
// advertises every line) while the kernel gets it once, an empty unicast_peer block means multicast.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { InstanceDraft, LocatedAddress, PeerDraft } from '../keywords/drafts.js';
import type { AddressFamily, VipSpec } from '../model/types.js';
import { familyLabel } from '../values/address.js';
import { canonicalAddress } from '../../packet/ip-address.js';

export interface InstanceAddresses {
  family: AddressFamily;
  vips: VipSpec[];
  unicastSrcIp: LocatedAddress | null;
  mcastSrcIp: LocatedAddress | null;
  /** Peers of the instance's family, as listed (a repeated one too, as keepalived keeps it). */
  peers: PeerDraft[];
}

/**
 * The first address in file order (or native_ipv6) decided the family (instance-family.ts;
 * keepalived: every virtual_ipaddress, unicast_src_ip, mcast_src_ip, unicast_peer and use_ipvlan
 * address must share it); the others are skipped with a report (use_ipvlan's in finish/ipvlan.ts).
 */
export function resolveAddresses(
  draft: InstanceDraft,
  where: string,
  sink: DiagnosticSink,
): InstanceAddresses {
  const family = draft.familyClaim?.value ?? 'ipv4';
  const skip = (
    label: string,
    address: string,
    other: AddressFamily,
    at: VipSpec['source'],
    hint?: string,
  ): void =>
    sink.report(
      DiagnosticCodes.conflictDropped,
      at,
      `${label} ${address} is ${familyLabel(other)} but ${where} is ${familyLabel(family)}`,
      hint,
      `skipped, as keepalived skips it`,
    );
  const vips = draft.vips.filter((vip) => {
    if (vip.family === family) return true;
    skip(
      'virtual_ipaddress',
      vip.address,
      vip.family,
      vip.source,
      'an instance advertises one family; put the others in virtual_ipaddress_excluded or in another instance',
    );
    return false;
  });
  const single = (label: string, value: LocatedAddress | null): LocatedAddress | null => {
    if (!value || value.family === family) return value;
    skip(label, value.address, value.family, value.source);
    return null;
  };
  const peers: PeerDraft[] = [];
  for (const peer of draft.unicastPeers) {
    if (peer.family !== family) {
      skip('unicast_peer', peer.address, peer.family, peer.source);
    } else {
      // Compared as addresses, not text: 2001:db8::2 and 2001:DB8:0::2 are one peer.
      const first = peers.find((p) => canonicalAddress(p.address) === canonicalAddress(peer.address));
      // keepalived keeps every line (vrrp_data.c) and sends one advert per line (vrrp.c,
      // vrrp_send_adv): the peer gets each advert twice. Its source check stops at the first line.
      if (first)
        sink.report(
          DiagnosticCodes.suspicious,
          peer.source,
          `unicast_peer ${peer.address} is listed twice in ${where} (first at line ${first.source.line}): each advert is sent to it twice, as keepalived sends it, and the first line's min_ttl/max_ttl applies`,
          'remove one of the lines',
        );
      peers.push(peer);
    }
  }
  return {
    family,
    vips,
    unicastSrcIp: single('unicast_src_ip', draft.unicastSrcIp),
    mcastSrcIp: single('mcast_src_ip', draft.mcastSrcIp),
    peers,
  };
}

/**
 * The unicast peers, or null for multicast. An empty unicast_peer block (or unicast_src_ip without
 * peers) means multicast in keepalived, with a deprecation warning; with unicast_fault_no_peer
 * keepalived holds the instance in FAULT instead (vrrp.c, "Cannot use unicast without any peers -
 * going to fault state"), and so does vrrpd (InstanceModel.faultNoPeer).
 */
export function resolveUnicastPeers(
  draft: InstanceDraft,
  addresses: InstanceAddresses,
  where: string,
  sink: DiagnosticSink,
): string[] | null {
  const { peers, unicastSrcIp } = addresses;
  for (const peer of peers) {
    if (unicastSrcIp && peer.address === unicastSrcIp.address) {
      sink.report(
        DiagnosticCodes.suspicious,
        peer.source,
        `unicast_peer ${peer.address} is this router's own unicast_src_ip`,
        'list the other routers here, not this one',
      );
    }
  }
  if (peers.length > 0) return peers.map((p) => p.address);
  // keepalived's "unicast keywords" (VRRP_FLAG_UNICAST_CONFIGURED): unicast_peer, unicast_src_ip
  // (even one it skipped), check_unicast_src, old_unicast_checksum (and unicast_fault_no_peer, below).
  const unicastWritten =
    draft.unicastPeerBlocks[0] ?? draft.unicastConfiguredAt ?? draft.oldUnicastChecksum?.source ?? undefined;
  if (unicastWritten === undefined) return null;
  if (draft.unicastFaultNoPeer) {
    // keepalived -t says nothing (the daemon logs it); vrrpd says it here as well.
    sink.report(
      DiagnosticCodes.suspicious,
      draft.unicastFaultNoPeer,
      `${where} has unicast_fault_no_peer and no unicast peer: it is held in FAULT (sends nothing, takes no address) until a reload gives it peers, as keepalived holds it`,
      'list the peers in unicast_peer { … }, or remove unicast_fault_no_peer to run it with multicast',
    );
    return null;
  }
  sink.report(
    draft.unicastPeerBlocks.length > 0 ? DiagnosticCodes.missingDropped : DiagnosticCodes.suspicious,
    unicastWritten,
    draft.unicastPeerBlocks.length > 0
      ? `unicast_peer block of ${where} lists no usable peer: adverts are multicast, as keepalived falls back to multicast`
      : unicastSrcIp
        ? `unicast_src_ip has no peer to send to in ${where}: adverts are multicast (from this address), as keepalived sends them`
        : draft.checkUnicastSrcAt === unicastWritten
          ? `check_unicast_src has no peer to check in ${where}: adverts are multicast, as keepalived sends them`
          : draft.oldUnicastChecksum?.source === unicastWritten
            ? `old_unicast_checksum has no unicast peer in ${where}: adverts are multicast, as keepalived sends them`
            : `unicast_src_ip has no peer to send to in ${where}: adverts are multicast, as keepalived sends them`,
    'list the other routers’ addresses in unicast_peer { … }, or remove the unicast keywords',
    // keepalived reports it ("A unicast keyword has been specified without any unicast peers").
    KEEPALIVED_REPORTS,
  );
  return null;
}

/**
 * The same address twice: keepalived advertises every line (peers count them) but the kernel
 * takes the address once, with the first line's options; vrrpd keeps both in the advert and the
 * daemon adds the first. A label that does not start with the device name is kept: the kernel
 * accepts it (only ip(8) refuses it).
 */
export function checkVips(
  vips: readonly VipSpec[],
  excluded: readonly VipSpec[],
  device: string | undefined,
  where: string,
  sink: DiagnosticSink,
): void {
  const seen = new Map<string, VipSpec>();
  for (const vip of [...vips, ...excluded]) {
    const key = canonicalAddress(vip.address);
    const previous = seen.get(key);
    if (previous) {
      sink.report(
        DiagnosticCodes.suspicious,
        vip.source,
        `virtual address ${vip.address} is listed twice in ${where} (first at line ${previous.source.line}): it is advertised twice and added once, with the first line's options, as keepalived does`,
        'remove one of the lines (a label, dev or scope on this one is not applied)',
      );
    } else {
      seen.set(key, vip);
    }
    const dev = vip.dev ?? device;
    if (vip.label !== null && dev && !vip.label.startsWith(dev)) {
      sink.report(
        DiagnosticCodes.suspicious,
        vip.source,
        `label '${vip.label}' does not begin with the interface name '${dev}' (e.g. '${dev}:1'): the kernel accepts it, as keepalived sets it, but ip(8) and tools that parse its output expect the prefix`,
      );
    }
  }
}
