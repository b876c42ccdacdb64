// An in-memory Ethernet segment for daemon tests: transports attached to it exchange adverts as
// the real ones would hand them over — IPv4 as whole packets (the same header the raw transport
// writes), IPv6 as the VRRP message with its Ipv6PacketInfo (source, destination, hop limit,
// interface) — but nothing is delivered until the test calls flush(), so ordering is under the
// test's (virtual) clock, not the event loop. Multicast reaches every other transport of the
// same family that joined; unicast reaches transports whose source address is the destination.
// A sender never hears itself (multicast loop off).

import { encodeIpv4Header, TOS_INTERNETWORK_CONTROL } from '../packet/ipv4.js';
import { isIpv4, isMulticastIpv4 } from '../packet/address.js';
import { canonicalIpv6, isMulticastIpv6 } from '../packet/address6.js';
import type { AddressFamily, Ipv6PacketInfo } from '../packet/types.js';
import { VRRP_MULTICAST_GROUP4, VRRP_MULTICAST_GROUP6, VRRP_PROTOCOL } from '../packet/vrrp.js';
import { VRRP_TTL, type AdvertTransport, type PacketMeta, type TransportError } from './transport.js';
import type { AdvertTransport6 } from './transport6.js';

export interface FakeSentPacket {
  family: AddressFamily;
  from: string;
  dest: string;
  /** IPv4: the whole packet as a receiver would get it. IPv6: the VRRP message (= message). */
  raw: Buffer;
  /** The VRRP message alone, for either family (byte 1 is the VRID, byte 2 the priority). */
  message: Buffer;
  /** TTL / hop limit it was sent with. */
  hopLimit: number;
}

interface Attached {
  transport: FakeTransport | FakeTransport6;
  joined: boolean;
  ifindex: number;
  /** IPv4 groups joined (default 224.0.0.18), as AdvertTransportOptions.multicastGroups. */
  groups?: readonly string[];
  /** IPv4: the IP protocol the raw socket receives (112, or 51 for AH). */
  protocol?: number;
}

/** What both fake transports share: callbacks, closing, and error injection. */
abstract class FakeTransportBase<Meta> {
  readonly packetCallbacks: Array<(data: Buffer, meta: Meta) => void> = [];
  readonly errorCallbacks: Array<(error: TransportError) => void> = [];
  closed = false;

  constructor(
    protected readonly segment: FakeSegment,
    readonly sourceAddress: string,
  ) {}

  onPacket(callback: (data: Buffer, meta: Meta) => void): void {
    this.packetCallbacks.push(callback);
  }

  onError(callback: (error: TransportError) => void): void {
    this.errorCallbacks.push(callback);
  }

  close(): void {
    this.closed = true;
  }

  /** Makes the transport report an error, as the real one does on a failed send or receive. */
  reportError(error: TransportError): void {
    for (const callback of this.errorCallbacks) callback(error);
  }

  protected refuse(dest: string, family: string, valid: boolean): boolean {
    if (!this.closed && valid) return false;
    const message = this.closed ? 'transport is closed' : `destination is not ${family}: ${dest}`;
    this.reportError({ kind: 'send', dest, error: new Error(message) });
    return true;
  }
}

export class FakeTransport extends FakeTransportBase<PacketMeta> implements AdvertTransport {
  packet(payload: Buffer, dest: string, source = this.sourceAddress, ttl = VRRP_TTL): Buffer | null {
    if (this.refuse(dest, 'IPv4', isIpv4(dest))) return null;
    const header = encodeIpv4Header({
      source,
      destination: dest,
      ttl,
      tos: TOS_INTERNETWORK_CONTROL,
      protocol: VRRP_PROTOCOL,
      payloadLength: payload.length,
      identification: 0,
    });
    return Buffer.concat([header, payload]);
  }

  send(payload: Buffer, dest: string, source?: string, ttl?: number): void {
    const packet = this.packet(payload, dest, source, ttl);
    if (packet) this.sendIpPacket(packet, dest);
  }

  sendIpPacket(packet: Buffer, dest: string): void {
    if (this.refuse(dest, 'IPv4', isIpv4(dest) && packet.length >= 20)) return;
    const raw = Buffer.from(packet);
    const from = `${raw[12]}.${raw[13]}.${raw[14]}.${raw[15]}`;
    const headerLength = (raw[0]! & 0x0f) * 4;
    this.segment.enqueue(this, {
      family: 'ipv4',
      from,
      dest,
      raw,
      message: raw.subarray(headerLength),
      hopLimit: raw[8]!,
    });
  }
}

export class FakeTransport6 extends FakeTransportBase<Ipv6PacketInfo> implements AdvertTransport6 {
  constructor(
    segment: FakeSegment,
    sourceAddress: string,
    readonly hopLimit: number,
  ) {
    super(segment, sourceAddress);
  }

  send(payload: Buffer, dest: string, source = this.sourceAddress, hopLimit = this.hopLimit): void {
    const canonical = canonicalIpv6(dest);
    if (this.refuse(dest, 'IPv6', canonical !== null)) return;
    const message = Buffer.from(payload);
    this.segment.enqueue(this, {
      family: 'ipv6',
      from: canonicalIpv6(source) ?? source,
      dest: canonical!,
      raw: message,
      message,
      hopLimit,
    });
  }
}

export class FakeSegment {
  /** Every packet ever sent on the segment, in order. */
  readonly sent: FakeSentPacket[] = [];
  private readonly attached: Attached[] = [];
  private queue: Array<{ sender: FakeTransport | FakeTransport6; packet: FakeSentPacket }> = [];
  /** Transports whose traffic is dropped in both directions (a partition). */
  private readonly isolated = new Set<FakeTransport | FakeTransport6>();
  /** The IPv6 group joined transports listen to (vrrp_mcast_group6). */
  multicastGroup6 = VRRP_MULTICAST_GROUP6;

  attach(options: {
    sourceAddress: string;
    joinMulticast: boolean;
    ifindex?: number;
    multicastGroups?: readonly string[];
    protocol?: number;
  }): FakeTransport {
    const transport = new FakeTransport(this, options.sourceAddress);
    this.attached.push({
      transport,
      joined: options.joinMulticast,
      ifindex: options.ifindex ?? 2,
      ...(options.multicastGroups ? { groups: options.multicastGroups } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    });
    return transport;
  }

  /** An IPv6 transport; `hopLimit` (default 255) is what its adverts arrive with. */
  attach6(options: {
    sourceAddress: string;
    joinMulticast: boolean;
    ifindex?: number;
    hopLimit?: number;
  }): FakeTransport6 {
    const source = canonicalIpv6(options.sourceAddress) ?? options.sourceAddress;
    const transport = new FakeTransport6(this, source, options.hopLimit ?? VRRP_TTL);
    this.attached.push({ transport, joined: options.joinMulticast, ifindex: options.ifindex ?? 2 });
    return transport;
  }

  /** Cuts a transport off the segment (true) or reconnects it (false). */
  setIsolated(transport: FakeTransport | FakeTransport6, isolated: boolean): void {
    if (isolated) this.isolated.add(transport);
    else this.isolated.delete(transport);
  }

  enqueue(sender: FakeTransport | FakeTransport6, packet: FakeSentPacket): void {
    this.sent.push(packet);
    this.queue.push({ sender, packet });
  }

  /** Delivers every queued packet (and any sent while delivering); returns how many were delivered. */
  flush(): number {
    let delivered = 0;
    for (let rounds = 0; this.queue.length > 0 && rounds < 1000; rounds++) {
      const batch = this.queue;
      this.queue = [];
      for (const { sender, packet } of batch) delivered += this.deliver(sender, packet);
    }
    return delivered;
  }

  private wants(
    packet: FakeSentPacket,
    transport: FakeTransport | FakeTransport6,
    joined: boolean,
    groups: readonly string[] = [VRRP_MULTICAST_GROUP4],
  ): boolean {
    if (packet.family === 'ipv4') {
      if (!(transport instanceof FakeTransport)) return false;
      return isMulticastIpv4(packet.dest)
        ? joined && groups.includes(packet.dest)
        : packet.dest === transport.sourceAddress;
    }
    if (!(transport instanceof FakeTransport6)) return false;
    if (isMulticastIpv6(packet.dest)) return joined && packet.dest === canonicalIpv6(this.multicastGroup6);
    return packet.dest === transport.sourceAddress;
  }

  private deliver(sender: FakeTransport | FakeTransport6, packet: FakeSentPacket): number {
    if (this.isolated.has(sender)) return 0;
    let delivered = 0;
    for (const { transport, joined, ifindex, groups, protocol } of this.attached) {
      if (transport === sender || transport.closed || this.isolated.has(transport)) continue;
      // A raw socket only receives its own IP protocol (112, or 51 for AH).
      if (packet.family === 'ipv4' && packet.raw[9] !== (protocol ?? VRRP_PROTOCOL)) continue;
      if (!this.wants(packet, transport, joined, groups)) continue;
      if (transport instanceof FakeTransport) {
        for (const callback of transport.packetCallbacks) {
          callback(Buffer.from(packet.raw), { source: packet.from, ifindex });
        }
      } else {
        const info: Ipv6PacketInfo = {
          source: packet.from,
          destination: packet.dest,
          hopLimit: packet.hopLimit,
          ifindex,
        };
        for (const callback of transport.packetCallbacks) callback(Buffer.from(packet.message), { ...info });
      }
      delivered++;
    }
    return delivered;
  }
}
