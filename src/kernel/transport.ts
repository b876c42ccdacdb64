// VRRP advertisement transport: one raw IPv4 socket for IP protocol 112 per instance interface
// (RFC 3768 §5.2.4), through the native addon (native/src/ipv4_socket.cc: a send is one
// non-blocking sendmsg, a burst of received adverts one call into JavaScript).
//
// Sending uses IP_HDRINCL: we write the IPv4 header ourselves, because one socket serves every
// instance of an interface and an advert's source must be the interface's primary address or
// the instance's unicast_src_ip / mcast_src_ip (RFC 3768 §5.2.1). The header also fixes TTL 255,
// which receivers check (§5.2.3, §7.1), and TOS 0xC0 (internetwork control), like keepalived.
//
// Receiving: the kernel hands raw IPv4 sockets the whole packet, header included. The socket is
// bound to its interface (SO_BINDTODEVICE), so adverts arriving on other interfaces never reach
// it, and for multicast it joins 224.0.0.18 on that interface only (ip_mreqn by ifindex).
// Multicast loopback is off, so a router never hears its own adverts.
//
// Nothing here throws out of the event loop: send and receive failures, and exceptions from the
// packet callback, are reported through onError as values.

import { isIpv4 } from '../packet/address.js';
import { encodeIpv4Header, IPV4_MIN_HEADER_LENGTH, TOS_INTERNETWORK_CONTROL } from '../packet/ipv4.js';
import { VRRP_MULTICAST_GROUP4, VRRP_PROTOCOL } from '../packet/vrrp.js';
import { fromMonotonicMs } from '../runtime/clock.js';
import { asError } from '../runtime/errors.js';
import type { Ipv4VrrpSocket, NativeAdvertOffload, NativeOps } from './native.js';
import { TransportCore } from './transport-core.js';

/** RFC 3768 §5.2.3: adverts are sent with TTL 255 (and receivers drop anything else). */
export const VRRP_TTL = 255;

export interface PacketMeta {
  /** IPv4 source of the received packet. */
  source: string;
  /** The interface the transport is bound to (every packet it receives arrived there). */
  ifindex?: number;
}

export type TransportErrorKind = 'send' | 'receive' | 'handler' | 'closed';

export interface TransportError {
  kind: TransportErrorKind;
  error: Error;
  /** For 'send': the destination the packet was for. */
  dest?: string;
}

/**
 * The contract both families' transports share (AdvertTransport for IPv4, AdvertTransport6 for
 * IPv6): send a VRRP message, receive packets with what the family's socket knows about them.
 * `Meta` is what comes with each received packet: for IPv4 the bytes are the whole IP packet
 * (TTL and destination are in its header) and PacketMeta adds the interface; for IPv6 the bytes
 * are the VRRP message alone and Ipv6PacketInfo carries source, destination, hop limit and
 * interface from the socket's ancillary data.
 */
export interface AdvertSocket<Meta> {
  /** The source address every advert carries unless send() is given another. */
  readonly sourceAddress: string;
  /**
   * Sends one VRRP message (the bytes after the IP header) to `dest`: the multicast group or a
   * unicast peer. Failures arrive through onError, never as exceptions. `ttl` (IPv4 TTL or IPv6
   * hop limit, 0..255) overrides the transport's for this message: one socket serves every
   * instance on an interface, and a unicast_ttl is one instance's.
   */
  send(payload: Buffer, dest: string, source?: string, ttl?: number): void;
  /** `data` is owned by the callback (a copy). */
  onPacket(callback: (data: Buffer, meta: Meta) => void): void;
  onError(callback: (error: TransportError) => void): void;
  close(): void;
}

/** IPv4: onPacket's `raw` is the whole IPv4 packet, header included. */
export interface AdvertTransport extends AdvertSocket<PacketMeta> {
  /**
   * The whole IPv4 packet send() would put on the wire for this message (our header in front),
   * for a caller that sends the same advert again and again (sendIpPacket). A failure is reported
   * through onError and gives null.
   */
  packet(payload: Buffer, dest: string, source?: string, ttl?: number): Buffer | null;
  /**
   * Sends a whole IPv4 packet built by the caller (header included, as with auth_type AH, whose
   * ICV covers the header: src/packet/ipsec-ah.ts). The kernel fills only the header checksum.
   * Failures arrive through onError.
   */
  sendIpPacket(packet: Buffer, dest: string): void;
  /** The steady state handed to the socket (AdvertOffload); absent where it cannot be. */
  readonly offload?: AdvertOffload;
}

/** What an offload entry carried out: sends or repeats, and when the last was (clock ms). */
export interface OffloadOutcome {
  count: number;
  lastAt: number;
}

/**
 * The steady state of VRRP carried out below JavaScript (native/src/advert_offload.h): a master's
 * identical adverts paced, a backup's repeats of the advert it accepted counted and taken out of
 * the receive path. `id` is the caller's, one per instance. The caller decides when; the socket
 * only repeats what it was given, and says what it did (settle) so the core can be told.
 */
export interface AdvertOffload extends Pick<NativeAdvertOffload, 'pace' | 'watch' | 'count'> {
  /** Ends `id` and says what it did; null if there was no such entry. */
  settle(id: number): OffloadOutcome | null;
  /** An entry ended on its own: a watch's deadline passed, or a paced send failed. */
  onEnded(callback: (id: number) => void): void;
}

export interface AdvertTransportOptions {
  ifname: string;
  ifindex: number;
  /** The interface's primary IPv4 address, or unicast_src_ip / mcast_src_ip. */
  sourceAddress: string;
  /** Join 224.0.0.18 on the interface: true for multicast instances, false for unicast-only. */
  joinMulticast: boolean;
  /**
   * The groups to join when joinMulticast (default 224.0.0.18): the instances' mcast_dst_ip or
   * vrrp_mcast_group4. A raw socket only sees multicast the host has joined on the interface.
   */
  multicastGroups?: readonly string[];
  /** Defaults to 255 (RFC 3768 §5.2.3; keepalived's unicast_ttl default is also 255). */
  ttl?: number;
  /** Defaults to 0xC0. */
  tos?: number;
  /**
   * IP protocol of the raw socket, i.e. of the packets it receives: 112 (VRRP, the default), or
   * 51 for auth_type AH instances, whose adverts arrive inside an AH header (as keepalived).
   */
  protocol?: number;
}

/**
 * Opens the transport for one interface. Throws (with the interface named) if the socket cannot
 * be created or configured — a start-up error; everything after that is reported via onError.
 */
export function openAdvertTransport(options: AdvertTransportOptions, native: NativeOps): AdvertTransport {
  if (!isIpv4(options.sourceAddress)) {
    throw new RangeError(`advert source address is not IPv4: ${options.sourceAddress}`);
  }
  const ttl = options.ttl ?? VRRP_TTL;
  const tos = options.tos ?? TOS_INTERNETWORK_CONTROL;
  const core = new TransportCore<PacketMeta>(options.ifname);
  const endedCallbacks: Array<(id: number) => void> = [];
  let socket: Ipv4VrrpSocket;
  try {
    socket = native.openIpv4VrrpSocket(
      {
        ifname: options.ifname,
        ifindex: options.ifindex,
        protocol: options.protocol ?? VRRP_PROTOCOL,
        multicastGroups: options.joinMulticast ? (options.multicastGroups ?? [VRRP_MULTICAST_GROUP4]) : null,
        multicastTtl: ttl,
      },
      {
        onPacket: (raw, source) => core.deliver(raw, { source, ifindex: options.ifindex }),
        onError: (error) => core.nativeError(error),
        onOffloadEnded: (id) => core.callEach(endedCallbacks, id),
      },
    );
  } catch (error) {
    throw new Error(`cannot open the VRRP raw socket on ${options.ifname}: ${asError(error).message}`);
  }
  core.attach(socket);

  const sendRaw = (packet: Buffer, dest: string): void => {
    try {
      core.sent(dest, socket.send(packet, dest));
    } catch (error) {
      core.sent(dest, null, error);
    }
  };

  const buildPacket = (
    payload: Buffer,
    dest: string,
    source = options.sourceAddress,
    messageTtl = ttl,
  ): Buffer | null => {
    try {
      if (!isIpv4(dest)) throw new RangeError(`destination is not IPv4: ${dest}`);
      const packet = Buffer.allocUnsafe(IPV4_MIN_HEADER_LENGTH + payload.length);
      encodeIpv4Header(
        {
          source,
          destination: dest,
          ttl: messageTtl,
          tos,
          protocol: VRRP_PROTOCOL,
          payloadLength: payload.length,
          // Zero lets the kernel choose an identification, as for its own packets.
          identification: 0,
        },
        packet,
      );
      payload.copy(packet, IPV4_MIN_HEADER_LENGTH);
      return packet;
    } catch (error) {
      core.report({ kind: 'send', dest, error: asError(error) });
      return null;
    }
  };

  return {
    sourceAddress: options.sourceAddress,
    packet: (payload, dest, source, messageTtl) => buildPacket(payload, dest, source, messageTtl),
    send(payload, dest, source, messageTtl) {
      if (core.refuseClosed(dest)) return;
      const packet = buildPacket(payload, dest, source, messageTtl);
      if (packet) sendRaw(packet, dest);
    },
    sendIpPacket(packet, dest) {
      if (core.refuseClosed(dest)) return;
      if (!isIpv4(dest)) {
        core.report({ kind: 'send', dest, error: new RangeError(`destination is not IPv4: ${dest}`) });
        return;
      }
      sendRaw(packet, dest);
    },
    onPacket: (callback) => core.onPacket(callback),
    onError: (callback) => core.onError(callback),
    close: () => core.close(),
    ...(socket.offload ? { offload: offloadOf(socket.offload, endedCallbacks) } : {}),
  };
}

function offloadOf(native: NativeAdvertOffload, endedCallbacks: Array<(id: number) => void>): AdvertOffload {
  const wholeMs = (ms: number) => Math.max(0, Math.round(ms));
  return {
    pace: (id, packets, destinations, delayMs, intervalMs) =>
      native.pace(id, packets, destinations, wholeMs(delayMs), wholeMs(intervalMs)),
    watch: (id, packet, delayMs, timeoutMs) => native.watch(id, packet, wholeMs(delayMs), wholeMs(timeoutMs)),
    settle(id) {
      const outcome = native.settle(id);
      // The clock's whole milliseconds, as the core reads time.
      return (
        outcome && { count: outcome.count, lastAt: Math.round(fromMonotonicMs(outcome.lastMonotonicMs)) }
      );
    },
    count: (id) => native.count(id),
    onEnded: (callback) => void endedCallbacks.push(callback),
  };
}
