// ICMP echo over a raw IPv4 socket (protocol 1, the addon's: native/src/icmp_socket.cc), for the
// uplink health checks. Each gateway gets
// its own prober whose socket carries a firewall mark (SO_MARK), so policy routing we install
// (`ip rule fwmark M lookup T`, `default via GW table T`) sends its probes through that gateway
// and nothing else of the router's traffic is redirected.
//
// A raw ICMP socket receives every ICMP message addressed to the host, so replies are matched by
// ICMP identifier (one per prober), sequence number, the probed address and an 8-byte random
// cookie in the payload that the reply must echo back. ICMP errors quoting one of our requests
// (unreachable, TTL exceeded) end that probe at once. RTTs come from process.hrtime, taken just
// before the datagram is handed to the kernel.
//
// Nothing here throws after open: send failures, timeouts and a socket that closed under us all
// come back as EchoResult values.

import { nodeCrypto } from '../packet/lazy-crypto.js';
import { EventEmitter } from 'node:events';
import { loadNative, type NativeOps } from './native.js';
import { isIpv4 } from '../packet/address.js';
import {
  decodeIcmpPacket,
  encodeEchoRequest,
  ICMP_PROTOCOL,
  type EchoRequest,
  type IcmpFromPacket,
} from '../packet/icmp-echo.js';
import { SOL_SOCKET } from './socket-options.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers, type Timers } from '../runtime/timers.js';
import { elapsedMs, type PendingProbe } from './probe-pending.js';

/** <asm-generic/socket.h>: the packet mark for routing and netfilter (needs CAP_NET_ADMIN). */
export const SO_MARK = 36;
const COOKIE_BYTES = 8;
const PAYLOAD_BYTES = 16;
const RECEIVE_BUFFER_BYTES = 2048;

export type EchoOutcome = 'reply' | 'timeout' | 'unreachable' | 'sendError' | 'closed';

export interface EchoResult {
  outcome: EchoOutcome;
  /** Milliseconds, for `reply` only. */
  rttMs: number | null;
  /** Why it failed: the send error, or who reported the destination unreachable. */
  detail?: string;
}

/** A probe socket of any method (ICMP echo, TCP connect, DNS query, ARP): results per probe. */
export interface SiteProber {
  /** Sends `count` probes to `address` back to back and waits for each until `timeoutMs`. */
  echo(address: string, count: number, timeoutMs: number): Promise<EchoResult[]>;
  isOpen(): boolean;
  close(): void;
}

export interface IcmpProber extends SiteProber {
  readonly identifier: number;
}

export interface IcmpProberOptions {
  /** SO_MARK for the socket; omitted = unmarked (main routing). */
  fwmark?: number;
  /** Timer service for the reply timeouts (default: the system's). */
  timers?: Timers;
}

/** The part of raw-socket's Socket the prober uses. */
export interface IcmpRawSocket extends EventEmitter {
  setOption(level: number, option: number, value: number): void;
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    address: string,
    beforeCallback: () => void,
    afterCallback: (error: Error | null, bytes: number) => void,
  ): unknown;
  close(): unknown;
}

export interface IcmpRawSocketModule {
  createSocket(options: { protocol: number; addressFamily?: number; bufferSize?: number }): IcmpRawSocket;
  AddressFamily: { IPv4: number; IPv6?: number };
}

/** What differs between ICMP over IPv4 and ICMPv6: protocol, addresses, the codec. */
export interface IcmpFamily {
  name: 'IPv4' | 'IPv6';
  protocol: number;
  isAddress(address: string): boolean;
  /** The address as replies report it (canonical text), for matching. */
  normalise(address: string): string;
  encode(request: EchoRequest): Buffer;
  /** A received message; `source` as the socket reported it. */
  decode(message: Buffer, source: string): IcmpFromPacket;
}

export const ICMP_V4: IcmpFamily = {
  name: 'IPv4',
  protocol: ICMP_PROTOCOL,
  isAddress: isIpv4,
  normalise: (address) => address,
  encode: encodeEchoRequest,
  // A raw IPv4 socket hands over the whole packet: the source is in its header.
  decode: (message) => decodeIcmpPacket(message),
};

/**
 * The addon's ICMP sockets (native/src/icmp_socket.cc) behind the interface the prober was
 * written against (raw-socket's, which it used before: issue 15, raw-socket loads node:net and
 * its own addon for this one socket).
 */
export function nativeIcmpSockets(native: Pick<NativeOps, 'openIcmpSocket'>): IcmpRawSocketModule {
  return {
    AddressFamily: { IPv4: 4, IPv6: 6 },
    createSocket({ addressFamily, bufferSize }) {
      const emitter = new EventEmitter();
      let closed = false;
      const socket = native.openIcmpSocket(addressFamily === 6 ? 6 : 4, bufferSize ?? RECEIVE_BUFFER_BYTES, {
        onMessage: (message, source) => emitter.emit('message', message, source),
        onError: (error) => {
          // As raw-socket did: an error, then the socket is closed.
          emitter.emit('error', error);
          close();
        },
      });
      const close = () => {
        if (closed) return;
        closed = true;
        socket.close();
        emitter.emit('close');
      };
      const methods: Pick<IcmpRawSocket, 'setOption' | 'send' | 'close'> = {
        setOption(level, option, value) {
          if (level !== SOL_SOCKET || option !== SO_MARK)
            throw new Error(`unsupported socket option ${level}/${option}`);
          socket.setMark(value);
        },
        send(buffer, offset, length, address, beforeCallback, afterCallback) {
          beforeCallback();
          const result = socket.send(buffer.subarray(offset, offset + length), address);
          afterCallback(result.ok ? null : result.error, result.ok ? result.bytes : 0);
        },
        close,
      };
      return Object.assign(emitter, methods);
    },
  };
}

function loadIcmpSockets(): IcmpRawSocketModule {
  return nativeIcmpSockets(loadNative());
}

/** Identifiers of the probers open in this process, so two never share one. */
const identifiersInUse = new Set<number>();
/** Starts at a random identifier, drawn when the first prober opens. */
let nextIdentifier: number | null = null;

function allocateIdentifier(): number {
  for (let attempt = 0; attempt < 0x10000; attempt++) {
    nextIdentifier ??= nodeCrypto().randomInt(0, 0x10000);
    const candidate = nextIdentifier;
    nextIdentifier = (nextIdentifier + 1) & 0xffff;
    if (!identifiersInUse.has(candidate)) {
      identifiersInUse.add(candidate);
      return candidate;
    }
  }
  throw new Error('no free ICMP identifier: 65536 probers are open');
}

export function openIcmpProber(
  options: IcmpProberOptions = {},
  rawSocket: IcmpRawSocketModule = loadIcmpSockets(),
  family: IcmpFamily = ICMP_V4,
): IcmpProber {
  const addressFamily = family.name === 'IPv4' ? rawSocket.AddressFamily.IPv4 : rawSocket.AddressFamily.IPv6;
  if (addressFamily === undefined) throw new Error(`the raw socket module has no ${family.name} family`);
  const socket = rawSocket.createSocket({
    protocol: family.protocol,
    addressFamily,
    bufferSize: RECEIVE_BUFFER_BYTES,
  });
  if (options.fwmark !== undefined) {
    try {
      socket.setOption(SOL_SOCKET, SO_MARK, options.fwmark);
    } catch (error) {
      socket.close();
      throw new Error(
        `cannot set SO_MARK ${options.fwmark} on the ${family.name} ICMP socket: ${errorMessage(error)}`,
      );
    }
  }
  const timers = options.timers ?? systemTimers;
  const identifier = allocateIdentifier();
  const cookie = nodeCrypto().randomBytes(COOKIE_BYTES);
  const payload = Buffer.concat([cookie, Buffer.alloc(PAYLOAD_BYTES - COOKIE_BYTES)]);
  const pending = new Map<number, PendingProbe>();
  let sequence = nodeCrypto().randomInt(0, 0x10000);
  let open = true;

  const settle = (seq: number, result: EchoResult): void => {
    const entry = pending.get(seq);
    if (!entry) return;
    pending.delete(seq);
    entry.timer.cancel();
    entry.resolve(result);
  };

  const shutDown = (reason: string): void => {
    if (!open) return;
    open = false;
    identifiersInUse.delete(identifier);
    for (const seq of [...pending.keys()]) settle(seq, { outcome: 'closed', rttMs: null, detail: reason });
  };

  socket.on('message', (buffer: Buffer, source: string) => {
    const message = family.decode(buffer, source);
    if (message.kind === 'ignored' || message.identifier !== identifier) return;
    const entry = pending.get(message.sequence);
    if (!entry) return;
    if (message.kind === 'echoReply') {
      if (message.source !== entry.address || !message.payload.subarray(0, COOKIE_BYTES).equals(cookie))
        return;
      settle(message.sequence, { outcome: 'reply', rttMs: elapsedMs(entry.sentAt) });
    } else if (message.destination === entry.address) {
      settle(message.sequence, {
        outcome: 'unreachable',
        rttMs: null,
        detail: `ICMP type ${message.icmpType} code ${message.code} from ${message.source}`,
      });
    }
  });
  // raw-socket closes the socket after emitting 'error'; either way this prober is finished.
  socket.on('error', (error: Error) => shutDown(`socket error: ${error.message}`));
  socket.on('close', () => shutDown('socket closed'));

  const echoOnce = (address: string, timeoutMs: number): Promise<EchoResult> => {
    if (!open) return Promise.resolve({ outcome: 'closed', rttMs: null, detail: 'prober is closed' });
    sequence = (sequence + 1) & 0xffff;
    const seq = sequence;
    // A sequence still waiting from 65536 probes ago is long dead: drop it.
    settle(seq, { outcome: 'timeout', rttMs: null });
    return new Promise((resolve) => {
      const entry: PendingProbe = {
        address,
        sentAt: process.hrtime.bigint(),
        timer: timers.after(timeoutMs, () => settle(seq, { outcome: 'timeout', rttMs: null })),
        resolve,
      };
      pending.set(seq, entry);
      const request = family.encode({ identifier, sequence: seq, payload });
      try {
        socket.send(
          request,
          0,
          request.length,
          address,
          () => {
            entry.sentAt = process.hrtime.bigint();
          },
          (error) => {
            if (error) settle(seq, { outcome: 'sendError', rttMs: null, detail: error.message });
          },
        );
      } catch (error) {
        settle(seq, { outcome: 'sendError', rttMs: null, detail: errorMessage(error) });
      }
    });
  };

  return {
    identifier,
    async echo(address, count, timeoutMs) {
      if (!family.isAddress(address))
        return [{ outcome: 'sendError', rttMs: null, detail: `not an ${family.name} address: ${address}` }];
      const target = family.normalise(address);
      const probes: Array<Promise<EchoResult>> = [];
      for (let i = 0; i < count; i++) probes.push(echoOnce(target, timeoutMs));
      return Promise.all(probes);
    },
    isOpen: () => open,
    close() {
      if (!open) return;
      shutDown('prober closed');
      socket.close();
    },
  };
}
