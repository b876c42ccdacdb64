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
import { internetChecksum } from '../packet/checksum.js';
import { systemTimers, type TimerHandle } from '../runtime/timers.js';
import {
  VRRP_TTL,
  type AdvertOffload,
  type AdvertTransport,
  type OffloadOutcome,
  type PacketMeta,
  type TransportError,
} from './transport.js';
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

interface FakeOffloadEntry {
  pacing: boolean;
  active: boolean;
  count: number;
  lastAt: number;
  timer: TimerHandle | undefined;
  /** watch: the packet with identification and header checksum zeroed, and the timeout. */
  bytes?: Buffer;
  timeoutMs?: number;
}

/**
 * What native/src/advert_offload.h does, on the test's timers and clock (Date.now): paced sends
 * go onto the segment, repeats of a watched packet are counted and not delivered.
 */
export class FakeOffload implements AdvertOffload {
  private readonly entries = new Map<number, FakeOffloadEntry>();
  private readonly endedCallbacks: Array<(id: number) => void> = [];

  constructor(private readonly transport: FakeTransport) {}

  pace(
    id: number,
    packets: readonly Buffer[],
    destinations: readonly string[],
    delayMs: number,
    intervalMs: number,
  ) {
    if (packets.length === 0 || packets.length !== destinations.length || intervalMs <= 0) return false;
    if (this.transport.closed) return false;
    this.remove(id);
    const entry: FakeOffloadEntry = { pacing: true, active: true, count: 0, lastAt: 0, timer: undefined };
    let due = Date.now() + delayMs;
    const tick = () => {
      if (this.transport.closed) return this.end(id, entry);
      packets.forEach((packet, i) => this.transport.sendIpPacket(packet, destinations[i]!));
      entry.count++;
      const now = Date.now();
      entry.lastAt = now;
      const lateness = Math.max(0, now - due);
      const delay = lateness < intervalMs ? intervalMs - lateness : intervalMs;
      due = now + delay;
      entry.timer = systemTimers.after(delay, tick);
    };
    entry.timer = systemTimers.after(delayMs, tick);
    this.entries.set(id, entry);
    return true;
  }

  watch(id: number, packet: Buffer, delayMs: number, timeoutMs: number) {
    if (packet.length < 22 || packet[0] !== 0x45 || timeoutMs <= 0 || this.transport.closed) return false;
    this.remove(id);
    const entry: FakeOffloadEntry = {
      pacing: false,
      active: true,
      count: 0,
      lastAt: 0,
      timer: undefined,
      bytes: Buffer.from(packet),
      timeoutMs,
    };
    entry.timer = systemTimers.after(delayMs, () => this.end(id, entry));
    this.entries.set(id, entry);
    return true;
  }

  settle(id: number): OffloadOutcome | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    this.remove(id);
    return { count: entry.count, lastAt: entry.lastAt };
  }

  count(id: number): number {
    return this.entries.get(id)?.count ?? -1;
  }

  onEnded(callback: (id: number) => void): void {
    this.endedCallbacks.push(callback);
  }

  /** What is handed over now, entry by entry: 'pace' or 'watch'. */
  kinds(): Array<'pace' | 'watch'> {
    return [...this.entries.values()].filter((e) => e.active).map((e) => (e.pacing ? 'pace' : 'watch'));
  }

  /** A received packet: true when a watch took it. */
  takeRepeat(raw: Buffer): boolean {
    for (const [id, entry] of this.entries) {
      const kept = entry.bytes;
      if (!entry.active || !kept || kept.length !== raw.length || kept[21] !== raw[21]) continue;
      if (internetChecksum(raw, 0, 0, 20) !== 0) continue;
      const volatile = [4, 5, 10, 11];
      if (!kept.every((byte, i) => volatile.includes(i) || byte === raw[i])) continue;
      entry.count++;
      entry.lastAt = Date.now();
      entry.timer?.cancel();
      entry.timer = systemTimers.after(entry.timeoutMs!, () => this.end(id, entry));
      return true;
    }
    return false;
  }

  private end(id: number, entry: FakeOffloadEntry): void {
    entry.active = false;
    entry.timer?.cancel();
    for (const callback of this.endedCallbacks) callback(id);
  }

  private remove(id: number): void {
    const entry = this.entries.get(id);
    entry?.timer?.cancel();
    this.entries.delete(id);
  }
}

export class FakeTransport extends FakeTransportBase<PacketMeta> implements AdvertTransport {
  readonly offload: FakeOffload | undefined;

  constructor(segment: FakeSegment, sourceAddress: string, offload: boolean) {
    super(segment, sourceAddress);
    this.offload = offload ? new FakeOffload(this) : undefined;
  }

  /** A packet arriving from the segment (or a test): a watched repeat is taken, the rest delivered. */
  receive(raw: Buffer, meta: PacketMeta): void {
    if (this.offload?.takeRepeat(raw)) return;
    for (const callback of this.packetCallbacks) callback(Buffer.from(raw), meta);
  }

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
  /** Whether IPv4 transports attached from now on offer the steady-state offload, as the addon's do. */
  offload = true;

  attach(options: {
    sourceAddress: string;
    joinMulticast: boolean;
    ifindex?: number;
    multicastGroups?: readonly string[];
    protocol?: number;
  }): FakeTransport {
    const transport = new FakeTransport(this, options.sourceAddress, this.offload);
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
        transport.receive(packet.raw, { source: packet.from, ifindex });
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
