// An in-memory Ethernet segment for daemon tests: transports attached to it exchange adverts as
// real IPv4 packets (the same header the raw transport writes), but nothing is delivered until
// the test calls flush(), so ordering is under the test's (virtual) clock, not the event loop.
// Multicast reaches every other transport that joined; unicast reaches transports whose source
// address is the destination. A sender never hears itself (IP_MULTICAST_LOOP off).

import { encodeIpv4Header, TOS_INTERNETWORK_CONTROL } from '../packet/ipv4.js';
import { isIpv4 } from '../packet/address.js';
import { VRRP_MULTICAST_GROUP4, VRRP_PROTOCOL } from '../packet/vrrp.js';
import { VRRP_TTL, type AdvertTransport, type PacketMeta, type TransportError } from './transport.js';

export interface FakeSentPacket {
  from: string;
  dest: string;
  /** The whole IPv4 packet as a receiver would get it. */
  raw: Buffer;
}

interface Attached {
  transport: FakeTransport;
  joined: boolean;
  ifindex: number;
}

export class FakeTransport implements AdvertTransport {
  readonly packetCallbacks: Array<(raw: Buffer, meta: PacketMeta) => void> = [];
  readonly errorCallbacks: Array<(error: TransportError) => void> = [];
  closed = false;

  constructor(
    private readonly segment: FakeSegment,
    readonly sourceAddress: string,
  ) {}

  send(payload: Buffer, dest: string, source = this.sourceAddress): void {
    if (this.closed || !isIpv4(dest)) {
      const message = this.closed ? 'transport is closed' : `destination is not IPv4: ${dest}`;
      this.reportError({ kind: 'send', dest, error: new Error(message) });
      return;
    }
    const header = encodeIpv4Header({
      source,
      destination: dest,
      ttl: VRRP_TTL,
      tos: TOS_INTERNETWORK_CONTROL,
      protocol: VRRP_PROTOCOL,
      payloadLength: payload.length,
      identification: 0,
    });
    this.segment.enqueue(this, { from: source, dest, raw: Buffer.concat([header, payload]) });
  }

  sendIpPacket(packet: Buffer, dest: string): void {
    if (this.closed || !isIpv4(dest) || packet.length < 20) {
      const message = this.closed ? 'transport is closed' : `not an IPv4 packet to ${dest}`;
      this.reportError({ kind: 'send', dest, error: new Error(message) });
      return;
    }
    const from = `${packet[12]}.${packet[13]}.${packet[14]}.${packet[15]}`;
    this.segment.enqueue(this, { from, dest, raw: Buffer.from(packet) });
  }

  onPacket(callback: (raw: Buffer, meta: PacketMeta) => void): void {
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
}

export class FakeSegment {
  /** Every packet ever sent on the segment, in order. */
  readonly sent: FakeSentPacket[] = [];
  private readonly attached: Attached[] = [];
  private queue: Array<{ sender: FakeTransport; packet: FakeSentPacket }> = [];
  /** Transports whose traffic is dropped in both directions (a partition). */
  private readonly isolated = new Set<FakeTransport>();

  attach(options: { sourceAddress: string; joinMulticast: boolean; ifindex?: number }): FakeTransport {
    const transport = new FakeTransport(this, options.sourceAddress);
    this.attached.push({ transport, joined: options.joinMulticast, ifindex: options.ifindex ?? 2 });
    return transport;
  }

  /** Cuts a transport off the segment (true) or reconnects it (false). */
  setIsolated(transport: FakeTransport, isolated: boolean): void {
    if (isolated) this.isolated.add(transport);
    else this.isolated.delete(transport);
  }

  enqueue(sender: FakeTransport, packet: FakeSentPacket): void {
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

  private deliver(sender: FakeTransport, packet: FakeSentPacket): number {
    if (this.isolated.has(sender)) return 0;
    let delivered = 0;
    for (const { transport, joined, ifindex } of this.attached) {
      if (transport === sender || transport.closed || this.isolated.has(transport)) continue;
      const wanted = packet.dest === VRRP_MULTICAST_GROUP4 ? joined : packet.dest === transport.sourceAddress;
      if (!wanted) continue;
      for (const callback of transport.packetCallbacks) {
        callback(Buffer.from(packet.raw), { source: packet.from, ifindex });
      }
      delivered++;
    }
    return delivered;
  }
}
