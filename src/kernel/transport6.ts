// VRRP advertisement transport over IPv6 (RFC 5798 §5.1.2): one raw IPv6 socket for protocol 112
// per instance interface, through the native addon (native/src/ipv6_socket.cc): IPv6 needs
// recvmsg/sendmsg with RFC 3542 ancillary data, because its raw sockets never carry the header.
//
// Sending: the message is sent as it is (the caller computed its checksum with encodeAdvert6
// over the same source and destination); the source address (the interface's link-local
// address, RFC 5798 §5.1.2.1, or unicast_src_ip) and the interface go in IPV6_PKTINFO, the hop
// limit (255, §5.1.2.3) in IPV6_HOPLIMIT, the traffic class is keepalived's 0xc0.
//
// Receiving: the socket is bound to its interface, joins the group there when asked, never
// hears its own multicast, and reports for each message its source, destination, hop limit and
// arrival interface (Ipv6PacketInfo), which is what validateIpv6Advert needs.
//
// Like the IPv4 transport, nothing here throws out of the event loop: failures to send or
// receive, and exceptions from the packet callback, are reported through onError as values.

import { isIpv6, isMulticastIpv6 } from '../packet/address6.js';
import type { Ipv6PacketInfo } from '../packet/types.js';
import { VRRP_MULTICAST_GROUP6, VRRP_TTL } from '../packet/vrrp.js';
import { asError } from '../runtime/errors.js';
import type { Ipv6VrrpSocket, NativeOps } from './native.js';
import type { AdvertSocket } from './transport.js';
import { TransportCore } from './transport-core.js';

/** IPv6: onPacket's data is the VRRP message alone; the header's facts come as Ipv6PacketInfo. */
export type AdvertTransport6 = AdvertSocket<Ipv6PacketInfo>;

export interface AdvertTransport6Options {
  ifname: string;
  ifindex: number;
  /** The interface's link-local address (linkLocalAddress() in addresses.ts), or unicast_src_ip. */
  sourceAddress: string;
  /** Join the group on the interface: true for multicast instances, false for unicast-only. */
  joinMulticast: boolean;
  /** Defaults to ff02::12; keepalived's global `vrrp_mcast_group6` may change it. */
  multicastGroup?: string;
  /**
   * Hop limit of every advert. Defaults to 255 (RFC 5798 §5.1.2.3), for unicast too: keepalived
   * itself leaves unicast to the kernel's 64 unless `unicast_ttl` is set, but checks none on
   * receipt, so 255 works with it and with strict RFC receivers.
   */
  hopLimit?: number;
  /** IPV6_TCLASS; defaults to 0xc0 like keepalived's (CS6, internetwork control). */
  trafficClass?: number;
}

/**
 * Opens the transport for one interface. Throws (with the interface named) if the socket cannot
 * be opened or configured — a start-up error; everything after that is reported via onError.
 */
export function openAdvertTransport6(options: AdvertTransport6Options, native: NativeOps): AdvertTransport6 {
  if (!isIpv6(options.sourceAddress)) {
    throw new RangeError(`advert source address is not IPv6: ${options.sourceAddress}`);
  }
  const group = options.multicastGroup ?? VRRP_MULTICAST_GROUP6;
  if (!isMulticastIpv6(group)) throw new RangeError(`VRRP group is not IPv6 multicast: ${group}`);
  const hopLimit = options.hopLimit ?? VRRP_TTL;

  const core = new TransportCore<Ipv6PacketInfo>(options.ifname);
  let socket: Ipv6VrrpSocket;
  try {
    socket = native.openIpv6VrrpSocket(
      {
        ifname: options.ifname,
        ifindex: options.ifindex,
        multicastGroup: options.joinMulticast ? group : null,
        hopLimit,
        trafficClass: options.trafficClass ?? 0xc0,
      },
      {
        onPacket: (message, info) => core.deliver(message, info),
        onError: (error) => core.nativeError(error),
      },
    );
  } catch (error) {
    throw new Error(`cannot open the IPv6 VRRP socket on ${options.ifname}: ${asError(error).message}`);
  }
  core.attach(socket);

  return {
    sourceAddress: options.sourceAddress,
    send(payload, dest, source = options.sourceAddress, messageHopLimit = hopLimit) {
      if (core.refuseClosed(dest)) return;
      if (!isIpv6(dest) || !isIpv6(source)) {
        const bad = isIpv6(dest) ? `source ${source}` : `destination ${dest}`;
        core.report({ kind: 'send', dest, error: new RangeError(`${bad} is not IPv6`) });
        return;
      }
      try {
        core.sent(dest, socket.send(payload, dest, source, messageHopLimit));
      } catch (error) {
        core.sent(dest, null, error);
      }
    },
    onPacket: (callback) => core.onPacket(callback),
    onError: (callback) => core.onError(callback),
    close: () => core.close(),
  };
}
