// Typed access to the native addon (native/): the system calls Node does not offer (AF_PACKET
// frames, the IPv4 and IPv6 VRRP sockets, sd_notify, scheduling). The addon is loaded lazily by node-gyp-build, so modules that merely import this file
// (and unit tests using native-fake.ts) work on a machine where it is not built.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import type { Ipv6PacketInfo } from '../packet/types.js';
import type {
  StreamEvents,
  StreamListener,
  TcpStreamListener,
  TcpStreams,
  UnixStreams,
} from '../runtime/unix-streams.js';

export type RealtimePolicy = 'rr' | 'fifo';

/** How to open the IPv4 VRRP socket of one interface (native/src/ipv4_socket.cc). */
export interface Ipv4VrrpSocketOptions {
  ifname: string;
  ifindex: number;
  /** IP protocol of the raw socket: 112 (VRRP), or 51 for auth_type AH. */
  protocol: number;
  /** Groups to join on `ifindex` (224.0.0.18, mcast_dst_ip); null or empty for unicast only. */
  multicastGroups: readonly string[] | null;
  /** IP_MULTICAST_TTL (the header the caller writes carries its own TTL). 255. */
  multicastTtl?: number;
  /** SO_RCVBUF; the system default when omitted. */
  receiveBufferBytes?: number;
}

/** One open IPv4 VRRP socket. Every failure after opening is a value, never an exception. */
export interface Ipv4VrrpSocket {
  /** Sends a whole IPv4 packet (header written by the caller, IP_HDRINCL) to `destination`. */
  send(packet: Buffer, destination: string): NativeSendResult;
  /** Stops receiving and closes the socket; idempotent. */
  close(): void;
  /** The steady state carried out by the socket itself (native/src/advert_offload.h). */
  offload?: NativeAdvertOffload;
}

/**
 * native/src/advert_offload.h: a master's adverts paced, a backup's repeated adverts taken out of
 * the path into JavaScript. Ids are the caller's (one per instance); times are monotonic ms
 * (uv_hrtime, the clock process.hrtime reads).
 */
export interface NativeAdvertOffload {
  /** Sends `packets[i]` (whole IPv4 packets) to `destinations[i]` at `delayMs`, then every `intervalMs`. */
  pace(
    id: number,
    packets: readonly Buffer[],
    destinations: readonly string[],
    delayMs: number,
    intervalMs: number,
  ): boolean;
  /** Takes repeats of `packet` (identification and header checksum zeroed); deadline `delayMs`, then `timeoutMs` after each. */
  watch(id: number, packet: Buffer, delayMs: number, timeoutMs: number): boolean;
  /** Ends `id`: sends or repeats carried out and when the last was (monotonic ms); null if none. */
  settle(id: number): { count: number; lastMonotonicMs: number } | null;
  /** Sends or repeats so far, or -1 without such an entry. */
  count(id: number): number;
}

export interface Ipv4VrrpSocketHandlers {
  /** One received packet, IPv4 header included: a copy the callback owns. */
  onPacket(packet: Buffer, source: string): void;
  /** recvmsg or poll failures; the socket stays open (a poll failure means: reopen it). */
  onError(error: NativeError): void;
  /** An offload entry ended on its own (a watch's deadline passed, a paced send failed). */
  onOffloadEnded?(id: number): void;
}

/** How to open the IPv6 VRRP socket of one interface (native/src/ipv6_socket.cc). */
export interface Ipv6VrrpSocketOptions {
  ifname: string;
  ifindex: number;
  /** Join this group (ff02::12, or vrrp_mcast_group6) on `ifindex`; null for unicast only. */
  multicastGroup: string | null;
  /** IPV6_MULTICAST_HOPS / IPV6_UNICAST_HOPS defaults; each send also names its own. 255. */
  hopLimit?: number;
  /** IPV6_TCLASS; keepalived's 0xc0 (CS6). */
  trafficClass?: number;
  /** SO_RCVBUF; the system default when omitted. */
  receiveBufferBytes?: number;
}

export type NativeSendResult = { ok: true; bytes: number } | { ok: false; error: NativeError };

/** One open IPv6 VRRP socket. Every failure after opening is a value, never an exception. */
export interface Ipv6VrrpSocket {
  /**
   * Sends one VRRP message (what follows the IPv6 header) to `destination` from `source` on the
   * socket's interface, with this hop limit. `source` '' lets the kernel choose.
   */
  send(payload: Buffer, destination: string, source: string, hopLimit: number): NativeSendResult;
  /** Stops receiving and closes the socket; idempotent. */
  close(): void;
}

export interface Ipv6VrrpSocketHandlers {
  /** One received message, a copy the callback owns, with its IPv6 header facts. */
  onPacket(message: Buffer, info: Ipv6PacketInfo): void;
  /** recvmsg or poll failures; the socket stays open (a poll failure means: reopen it). */
  onError(error: NativeError): void;
}

/** What the daemon and the kernel adapters need from the addon. Fake: native-fake.ts. */
export interface NativeOps {
  /** Sends a complete Ethernet frame (destination MAC first) out of `ifindex`; returns bytes sent. */
  sendPacketFrame(ifindex: number, frame: Buffer): number;
  /**
   * sd_notify(3): sends `state` (e.g. "READY=1\nSTATUS=…") to $NOTIFY_SOCKET. Returns false,
   * sending nothing, when the variable is unset (not started by systemd with Type=notify).
   */
  sdNotify(state: string): boolean;
  /**
   * mlockall(2) with MCL_CURRENT and/or MCL_FUTURE (keepalived's vrrp_no_swap). Also arranges
   * munlockall() at process exit: V8 frees memory with madvise(MADV_DONTNEED), which Linux
   * refuses on locked pages, and V8 aborts ("Check failed: 0 == ret") while tearing down.
   */
  mlockall(current: boolean, future: boolean): void;
  /** munlockall(2). */
  munlockall(): void;
  /** Real-time scheduling for the event-loop thread (keepalived's vrrp_rt_priority uses rr). */
  setRealtimeScheduler(policy: RealtimePolicy, priority: number): void;
  /** Nice value -20..19 for the event-loop thread (keepalived's vrrp_priority). */
  setPriority(nice: number): void;
  /** if_nametoindex(3) in this process's network namespace. */
  interfaceIndex(ifname: string): number;
  /** The interface's MAC as "aa:bb:cc:dd:ee:ff" (SIOCGIFHWADDR); throws for non-Ethernet links. */
  interfaceHardwareAddress(ifname: string): string;
  /**
   * Opens a raw IPv4 socket for VRRP (protocol 112, or 51 for AH) bound to one interface, header
   * included both ways. Throws (errno, syscall, the interface named) if it cannot be opened or
   * configured — a start-up error.
   */
  openIpv4VrrpSocket(options: Ipv4VrrpSocketOptions, handlers: Ipv4VrrpSocketHandlers): Ipv4VrrpSocket;
  /**
   * Opens a raw IPv6 socket for VRRP (protocol 112) bound to one interface. Throws (errno,
   * syscall, the interface named) if it cannot be opened or configured — a start-up error.
   */
  openIpv6VrrpSocket(options: Ipv6VrrpSocketOptions, handlers: Ipv6VrrpSocketHandlers): Ipv6VrrpSocket;
  /**
   * A new unconnected, non-blocking TCP (`stream`) or UDP socket of family 4 or 6 carrying
   * SO_MARK `mark`, as a file descriptor for node:net or node:dgram to adopt (the uplink
   * module's TCP and DNS probes). Throws (errno, syscall) when it cannot be opened or marked.
   */
  openMarkedSocket(family: 4 | 6, stream: boolean, mark: number): number;
  /**
   * An AF_PACKET socket bound to `ifindex` and EtherType ARP (native/src/arp_socket.cc): sends
   * Ethernet frames, hands every ARP frame received on the interface to `onFrame`. Throws when it
   * cannot be opened; failures afterwards are values.
   */
  openArpSocket(ifindex: number, handlers: ArpSocketHandlers): ArpSocket;
  /**
   * A unix stream socket listening on `path` (the control socket), on libuv's pipes so the daemon
   * needs no node:net. Throws (errno, syscall) when it cannot bind or listen.
   */
  listenUnixStream(path: string, backlog: number, onEvent: StreamEvents): StreamListener;
  /** The same listener on TCP (the metrics endpoint, without node:http). Throws (errno, syscall). */
  listenTcpStream(host: string, port: number, backlog: number, onEvent: StreamEvents): TcpStreamListener;
  /** Whether something accepts connections on the unix socket `path` (a live daemon). */
  unixSocketAnswers(path: string): boolean;
  /**
   * A raw ICMP (4) or ICMPv6 (6) socket for the uplink echo prober (native/src/icmp_socket.cc),
   * reading up to `receiveBytes` per message. Throws (errno, syscall) when it cannot be opened.
   */
  openIcmpSocket(family: 4 | 6, receiveBytes: number, handlers: IcmpSocketHandlers): IcmpSocket;
}

export interface IcmpSocketHandlers {
  /** IPv4: the whole packet, header included; ICMPv6: the message. `source` as text. */
  onMessage(message: Buffer, source: string): void;
  onError(error: NativeError): void;
}

export interface IcmpSocket {
  /** Sends one ICMP message (the kernel writes the IP header, and the ICMPv6 checksum). */
  send(message: Buffer, destination: string): NativeSendResult;
  /** SO_MARK for what is sent from now on; throws (errno) when refused. */
  setMark(mark: number): void;
  close(): void;
}

export interface ArpSocketHandlers {
  onFrame(frame: Buffer): void;
  onError(error: NativeError): void;
}

export interface ArpSocket {
  send(frame: Buffer): NativeSendResult;
  close(): void;
}

/** The raw class exported by native/src/ipv4_socket.cc. */
export type NativeIpv4VrrpSocketConstructor = new (
  options: Ipv4VrrpSocketOptions,
  onPacket: (packet: Buffer, source: string) => void,
  onError: (errno: number, syscall: string) => void,
  onOffloadEnded: (id: number) => void,
) => {
  send(packet: Buffer, destination: string): number;
  close(): void;
  pace: NativeAdvertOffload['pace'];
  watch: NativeAdvertOffload['watch'];
  settle(id: number): [number, number] | null;
  offloadCount(id: number): number;
};

/** The raw class exported by native/src/ipv6_socket.cc. */
export interface NativeIpv6VrrpSocket {
  /** Bytes sent, or -errno. */
  send(payload: Buffer, destination: string, source: string, hopLimit: number): number;
  close(): void;
}

export type NativeIpv6VrrpSocketConstructor = new (
  options: Ipv6VrrpSocketOptions,
  onPacket: (message: Buffer, source: string, destination: string, hopLimit: number, ifindex: number) => void,
  onError: (errno: number, syscall: string) => void,
) => NativeIpv6VrrpSocket;

/** The raw exports of native/src/addon.cc. */
export interface NativeBinding {
  sendPacketFrame(ifindex: number, frame: Buffer): number;
  notifySocketSend(path: string, state: string): boolean;
  mlockall(current: boolean, future: boolean): void;
  munlockall(): void;
  setRealtimeScheduler(policy: string, priority: number): void;
  setPriority(nice: number): void;
  interfaceIndex(ifname: string): number;
  interfaceHardwareAddress(ifname: string): string;
  openMarkedSocket(family: number, stream: boolean, mark: number): number;
  /** native/src/namespaces.cc: see src/kernel/namespaces.ts. */
  enterNetworkNamespace(path: string): void;
  privateMountNamespace(): void;
  bindMount(source: string, target: string): void;
  unmount(target: string): void;
  execve(file: string, argv: string[], env: string[]): never;
  UnixStreamServer: new (
    where: string | { host: string; port: number },
    backlog: number,
    onEvent: StreamEvents,
  ) => StreamListener & { address(): [string, number] | null };
  unixSocketAnswers(path: string): boolean;
  Ipv4VrrpSocket: NativeIpv4VrrpSocketConstructor;
  Ipv6VrrpSocket: NativeIpv6VrrpSocketConstructor;
  ArpSocket: new (
    ifindex: number,
    onFrame: (frame: Buffer) => void,
    onError: (errno: number, syscall: string) => void,
  ) => { send(frame: Buffer): number; close(): void };
  IcmpSocket: new (
    family: 4 | 6,
    receiveBytes: number,
    onMessage: (message: Buffer, source: string) => void,
    onError: (errno: number, syscall: string) => void,
  ) => { send(message: Buffer, destination: string): number; setMark(mark: number): void; close(): void };
}

/** Errors from the addon carry errno; give them Node's usual `code` ("ENODEV") as well. */
export interface NativeError extends Error {
  errno?: number;
  code?: string;
  syscall?: string;
}

/** Node's symbolic name for a positive errno ("ENETUNREACH"), or E<number> if it has none. */
export function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `E${errno}`;
  }
}

/** An Error shaped like the addon's own (errno, code, syscall), for failures reported as values. */
export function nativeError(errno: number, syscall: string, context: string): NativeError {
  const code = errnoName(errno);
  const error: NativeError = new Error(`${syscall} (${context}): ${code}`);
  error.errno = errno;
  error.code = code;
  error.syscall = syscall;
  return error;
}

export function withErrorCode<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const native = error as NativeError;
    if (typeof native.errno === 'number' && native.code === undefined) native.code = errnoName(native.errno);
    throw error;
  }
}

/** Directory holding native/binding.gyp, found from this module (src/kernel or dist/src/kernel). */
export function nativeDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'native');
    if (existsSync(join(candidate, 'binding.gyp'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'vrrpd native addon sources (native/binding.gyp) not found above ' + fileURLToPath(import.meta.url),
  );
}

let cachedBinding: NativeBinding | undefined;
let unlockAtExitInstalled = false;

/** The addon's raw exports, loaded on first use (throws when it is not built). */
export function binding(): NativeBinding {
  if (!cachedBinding) {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => NativeBinding;
    cachedBinding = load(nativeDirectory());
  }
  return cachedBinding;
}

/** NativeOps over a binding; `env` is read at each sdNotify call (tests pass their own). */
export function createNativeOps(
  native: NativeBinding = binding(),
  env: NodeJS.ProcessEnv = process.env,
): NativeOps {
  return {
    sendPacketFrame: (ifindex, frame) => withErrorCode(() => native.sendPacketFrame(ifindex, frame)),
    sdNotify: (state) => {
      const socketPath = env.NOTIFY_SOCKET;
      if (!socketPath) return false;
      return withErrorCode(() => native.notifySocketSend(socketPath, state));
    },
    mlockall: (current, future) => {
      withErrorCode(() => native.mlockall(current, future));
      if (!unlockAtExitInstalled) {
        unlockAtExitInstalled = true;
        process.once('exit', () => native.munlockall());
      }
    },
    munlockall: () => withErrorCode(() => native.munlockall()),
    setRealtimeScheduler: (policy, priority) =>
      withErrorCode(() => native.setRealtimeScheduler(policy, priority)),
    setPriority: (nice) => withErrorCode(() => native.setPriority(nice)),
    interfaceIndex: (ifname) => withErrorCode(() => native.interfaceIndex(ifname)),
    interfaceHardwareAddress: (ifname) => withErrorCode(() => native.interfaceHardwareAddress(ifname)),
    openIpv4VrrpSocket: (options, handlers) => openIpv4VrrpSocket(native, options, handlers),
    openIpv6VrrpSocket: (options, handlers) => openIpv6VrrpSocket(native, options, handlers),
    openMarkedSocket: (family, stream, mark) =>
      withErrorCode(() => native.openMarkedSocket(family, stream, mark)),
    openArpSocket: (ifindex, handlers) => openArpSocket(native, ifindex, handlers),
    openIcmpSocket: (family, receiveBytes, handlers) =>
      openIcmpSocket(native, family, receiveBytes, handlers),
    listenTcpStream: (host, port, backlog, onEvent) =>
      withErrorCode(() => {
        const server = new native.UnixStreamServer({ host, port }, backlog, onEvent);
        const bound = server.address();
        return {
          write: (id, data) => server.write(id, data),
          end: (id) => server.end(id),
          destroy: (id) => server.destroy(id),
          pause: (id) => server.pause(id),
          resume: (id) => server.resume(id),
          close: () => server.close(),
          address: () => ({ host: bound?.[0] ?? host, port: bound?.[1] ?? port }),
        };
      }),
    listenUnixStream: (path, backlog, onEvent) =>
      withErrorCode(() => new native.UnixStreamServer(path, backlog, onEvent)),
    unixSocketAnswers: (path) => withErrorCode(() => native.unixSocketAnswers(path)),
  };
}

/** A native send's return (bytes, or -errno) as a NativeSendResult. */
function sendResult(result: number, syscall: string, where: string, destination?: string): NativeSendResult {
  if (result >= 0) return { ok: true, bytes: result };
  const context = destination === undefined ? where : `${where} to ${destination}`;
  return { ok: false, error: nativeError(-result, syscall, context) };
}

function openArpSocket(native: NativeBinding, ifindex: number, handlers: ArpSocketHandlers): ArpSocket {
  const where = `ARP socket on ifindex ${ifindex}`;
  const socket = withErrorCode(
    () =>
      new native.ArpSocket(
        ifindex,
        (frame) => handlers.onFrame(frame),
        (errno, syscall) => handlers.onError(nativeError(errno, syscall, where)),
      ),
  );
  return {
    send(frame) {
      return sendResult(socket.send(frame), 'sendmsg', where);
    },
    close: () => socket.close(),
  };
}

function openIcmpSocket(
  native: NativeBinding,
  family: 4 | 6,
  receiveBytes: number,
  handlers: IcmpSocketHandlers,
): IcmpSocket {
  const where = family === 6 ? 'ICMPv6 socket' : 'ICMP socket';
  const socket = withErrorCode(
    () =>
      new native.IcmpSocket(
        family,
        receiveBytes,
        (message, source) => handlers.onMessage(message, source),
        (errno, syscall) => handlers.onError(nativeError(errno, syscall, where)),
      ),
  );
  return {
    send(message, destination) {
      return sendResult(socket.send(message, destination), 'sendmsg', where, destination);
    },
    setMark: (mark) => withErrorCode(() => socket.setMark(mark)),
    close: () => socket.close(),
  };
}

function openIpv4VrrpSocket(
  native: NativeBinding,
  options: Ipv4VrrpSocketOptions,
  handlers: Ipv4VrrpSocketHandlers,
): Ipv4VrrpSocket {
  const where = `${options.ifname} (ifindex ${options.ifindex})`;
  const socket = withErrorCode(
    () =>
      new native.Ipv4VrrpSocket(
        options,
        (packet, source) => handlers.onPacket(packet, source),
        (errno, syscall) => handlers.onError(nativeError(errno, syscall, where)),
        (id) => handlers.onOffloadEnded?.(id),
      ),
  );
  return {
    send(packet, destination) {
      return sendResult(socket.send(packet, destination), 'sendmsg', where, destination);
    },
    close: () => socket.close(),
    offload: {
      pace: (id, packets, destinations, delayMs, intervalMs) =>
        socket.pace(id, packets, destinations, delayMs, intervalMs),
      watch: (id, packet, delayMs, timeoutMs) => socket.watch(id, packet, delayMs, timeoutMs),
      settle(id) {
        const outcome = socket.settle(id);
        return outcome && { count: outcome[0], lastMonotonicMs: outcome[1] };
      },
      count: (id) => socket.offloadCount(id),
    },
  };
}

function openIpv6VrrpSocket(
  native: NativeBinding,
  options: Ipv6VrrpSocketOptions,
  handlers: Ipv6VrrpSocketHandlers,
): Ipv6VrrpSocket {
  const where = `${options.ifname} (ifindex ${options.ifindex})`;
  const socket = withErrorCode(
    () =>
      new native.Ipv6VrrpSocket(
        options,
        (message, source, destination, hopLimit, ifindex) =>
          handlers.onPacket(message, { source, destination, hopLimit, ifindex }),
        (errno, syscall) => handlers.onError(nativeError(errno, syscall, where)),
      ),
  );
  return {
    send(payload, destination, source, hopLimit) {
      return sendResult(socket.send(payload, destination, source, hopLimit), 'sendmsg', where, destination);
    },
    close: () => socket.close(),
  };
}

/** The metrics endpoint's TCP streams over the addon. */
export function tcpStreams(native: NativeOps): TcpStreams {
  return { listen: (host, port, backlog, onEvent) => native.listenTcpStream(host, port, backlog, onEvent) };
}

/** The control server's unix streams over the addon. */
export function unixStreams(native: NativeOps): UnixStreams {
  return {
    listen: (path, backlog, onEvent) => native.listenUnixStream(path, backlog, onEvent),
    answers: (path) => native.unixSocketAnswers(path),
  };
}

let cachedOps: NativeOps | undefined;

/** The process-wide NativeOps (loads the addon on first use; throws if it is not built). */
export function loadNative(): NativeOps {
  cachedOps ??= createNativeOps();
  return cachedOps;
}
