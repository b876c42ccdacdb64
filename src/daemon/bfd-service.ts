// The shell around the pure BFD sessions (src/bfd): UDP sockets and timers. RFC 5881 single hop:
// one receiving socket per family on port 3784, and per session a sending socket bound to a source
// port in 49152–65535 (and to source_ip when configured) that sends with TTL 255 (§4, §5).
//
// Not yet done: node:dgram cannot report a received TTL, so the GTSM/max_hops check of RFC 5881
// §5 is skipped here (demux.ts implements it for a transport that can read IP_RECVTTL).

import type { Socket } from 'node:dgram';
import { dgram } from '../runtime/builtins.js';
import { isIpv6 } from '../packet/address6.js';
import { selectBfdSession } from '../bfd/demux.js';
import {
  BFD_CONTROL_PORT,
  BFD_SOURCE_PORT_MAX,
  BFD_SOURCE_PORT_MIN,
  decodeBfdControl,
  encodeBfdControl,
} from '../bfd/packet.js';
import {
  bfdShouldTransmit,
  bfdTransmitDelayMs,
  buildBfdControl,
  createBfdSession,
  expireBfdDetection,
  receiveBfdControl,
  type BfdSession,
  type BfdSessionConfig,
  type BfdStateChange,
  type BfdStepResult,
} from '../bfd/session.js';
import type { Clock } from '../runtime/clock.js';
import type { TimerHandle, Timers } from '../runtime/timers.js';

export interface BfdPeerConfig {
  name: string;
  neighborAddress: string;
  sourceAddress: string | null;
  /** TTL / hop limit sent (keepalived's ttl/hoplimit; 255 for IPv4 by default). */
  ttl: number;
  maxHops: number;
  session: Omit<BfdSessionConfig, 'localDiscriminator'>;
}

interface Entry {
  readonly peer: BfdPeerConfig;
  readonly localDiscriminator: number;
  readonly neighborAddress: string;
  readonly sourceAddress: string | null;
  readonly ttl: number;
  readonly maxHops: number;
  session: BfdSession;
  socket: Socket | null;
  txTimer: TimerHandle | null;
  detectTimer: TimerHandle | null;
}

export interface BfdServiceOptions {
  timers: Timers;
  clock: Clock;
  /** A draw in [0, 1): jitter, discriminators and source ports (Math.random in the daemon). */
  random: () => number;
  onChange: (name: string, change: BfdStateChange, session: BfdSession) => void;
  onError?: (name: string, error: unknown) => void;
}

export class BfdService {
  private readonly entries: Entry[] = [];
  private readonly receivers = new Map<'udp4' | 'udp6', Socket>();

  constructor(private readonly options: BfdServiceOptions) {}

  start(peers: readonly BfdPeerConfig[]): Promise<void> {
    return this.reconfigure(peers);
  }

  /**
   * Runs exactly these sessions: one whose peer is configured as before keeps its state, its
   * discriminator and its sockets (a reload does not take a session Down, as keepalived's does
   * not); a new or changed one starts Down; one no longer configured stops.
   */
  async reconfigure(peers: readonly BfdPeerConfig[]): Promise<void> {
    const kept = new Set<Entry>();
    const added: Entry[] = [];
    for (const peer of peers) {
      const same = this.entries.find((e) => e.peer.name === peer.name && samePeer(e.peer, peer));
      if (same) {
        kept.add(same);
        continue;
      }
      const used = new Set([...this.entries, ...added].map((e) => e.localDiscriminator));
      let discriminator = 0;
      // Non-zero and unique (RFC 5880 §6.8.1); a bounded number of draws.
      for (let i = 0; i < 16 && (discriminator === 0 || used.has(discriminator)); i += 1)
        discriminator = 1 + Math.floor(this.options.random() * 0xfffffffe);
      const session = createBfdSession({ ...peer.session, localDiscriminator: discriminator });
      added.push({
        peer,
        localDiscriminator: discriminator,
        neighborAddress: peer.neighborAddress,
        sourceAddress: peer.sourceAddress,
        ttl: peer.ttl,
        maxHops: peer.maxHops,
        session,
        socket: null,
        txTimer: null,
        detectTimer: null,
      });
    }
    for (const entry of this.entries.filter((e) => !kept.has(e))) stopEntry(entry);
    this.entries.splice(0, this.entries.length, ...this.entries.filter((e) => kept.has(e)), ...added);
    const families = new Set(this.entries.map((e) => familyOf(e.neighborAddress)));
    for (const [type, socket] of this.receivers) {
      if (families.has(type)) continue;
      socket.close();
      this.receivers.delete(type);
    }
    for (const type of families)
      if (!this.receivers.has(type)) this.receivers.set(type, await this.bindReceiver(type));
    for (const entry of added) {
      entry.socket = await this.bindSender(entry);
      this.scheduleTransmit(entry, 0);
    }
  }

  sessions(): ReadonlyMap<string, BfdSession> {
    return new Map(this.entries.map((e) => [e.peer.name, e.session]));
  }

  stop(): void {
    for (const entry of this.entries) stopEntry(entry);
    this.entries.length = 0;
    for (const socket of this.receivers.values()) socket.close();
    this.receivers.clear();
  }

  private bindReceiver(type: 'udp4' | 'udp6'): Promise<Socket> {
    const socket = dgram().createSocket({ type, reuseAddr: true });
    socket.on('message', (buf, rinfo) => this.receive(buf, rinfo.address));
    socket.on('error', (error) => this.options.onError?.('receiver', error));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(BFD_CONTROL_PORT, () => resolve(socket));
    });
  }

  private async bindSender(entry: Entry): Promise<Socket> {
    const type = familyOf(entry.neighborAddress);
    const span = BFD_SOURCE_PORT_MAX - BFD_SOURCE_PORT_MIN + 1;
    let lastError: unknown = null;
    // A few random ports in the RFC 5881 §4 range; a busy one is simply skipped.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const port = BFD_SOURCE_PORT_MIN + Math.floor(this.options.random() * span);
      const socket = dgram().createSocket({ type });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind({ port, ...(entry.sourceAddress ? { address: entry.sourceAddress } : {}) }, () => {
            socket.off('error', reject);
            resolve();
          });
        });
        socket.setTTL(entry.ttl);
        socket.on('error', (error) => this.options.onError?.(entry.peer.name, error));
        return socket;
      } catch (error) {
        lastError = error;
        socket.close();
      }
    }
    throw lastError instanceof Error ? lastError : new Error('no BFD source port could be bound');
  }

  private receive(buf: Buffer, source: string): void {
    const decoded = decodeBfdControl(buf);
    if (!decoded.ok) return;
    const address = source.startsWith('::ffff:') ? source.slice(7) : source;
    const found = selectBfdSession(this.entries, decoded.value, address, null, null);
    if (!found.ok) return;
    const entry = found.session;
    this.apply(entry, (now) => receiveBfdControl(entry.session, decoded.value, now));
  }

  private apply(entry: Entry, step: (now: number) => BfdStepResult): void {
    const now = this.options.clock.now();
    const result = step(now);
    entry.session = result.session;
    if (result.change) this.options.onChange(entry.peer.name, result.change, entry.session);
    this.armDetection(entry, now);
    if (result.sendNow) this.send(entry);
    if (result.rescheduleTransmit)
      this.scheduleTransmit(entry, bfdTransmitDelayMs(entry.session, this.options.random()));
  }

  private armDetection(entry: Entry, now: number): void {
    entry.detectTimer?.cancel();
    entry.detectTimer = null;
    const deadline = entry.session.detectDeadlineMs;
    if (deadline === null) return;
    entry.detectTimer = this.options.timers.after(deadline - now, () => {
      entry.detectTimer = null;
      this.apply(entry, (at) => expireBfdDetection(entry.session, at));
    });
  }

  private scheduleTransmit(entry: Entry, delayMs: number): void {
    entry.txTimer?.cancel();
    entry.txTimer = this.options.timers.after(delayMs, () => {
      this.send(entry);
      this.scheduleTransmit(entry, bfdTransmitDelayMs(entry.session, this.options.random()));
    });
  }

  private send(entry: Entry): void {
    if (!entry.socket || !bfdShouldTransmit(entry.session)) return;
    const built = buildBfdControl(entry.session);
    entry.session = built.session;
    entry.socket.send(encodeBfdControl(built.packet), BFD_CONTROL_PORT, entry.neighborAddress);
  }
}

function stopEntry(entry: Entry): void {
  entry.txTimer?.cancel();
  entry.detectTimer?.cancel();
  entry.txTimer = null;
  entry.detectTimer = null;
  entry.socket?.close();
  entry.socket = null;
}

/** The same session as configured: neighbour, source, TTLs and timers. */
function samePeer(a: BfdPeerConfig, b: BfdPeerConfig): boolean {
  return JSON.stringify({ ...a, name: '' }) === JSON.stringify({ ...b, name: '' });
}

function familyOf(address: string): 'udp4' | 'udp6' {
  return isIpv6(address) ? 'udp6' : 'udp4';
}
