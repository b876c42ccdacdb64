// In-memory NativeOps for tests: records every call in order, knows a configurable set of
// interfaces, and can be told to fail the next call of a kind with an errno-style error.
// IPv4 and IPv6 VRRP sockets are fakes too: sends are recorded (and fail as values when told to),
// and the test delivers received packets or errors into them.

import { canonicalIpv6, isMulticastIpv6 } from '../packet/address6.js';
import type { Ipv6PacketInfo } from '../packet/types.js';
import type {
  Ipv4VrrpSocket,
  Ipv4VrrpSocketHandlers,
  Ipv4VrrpSocketOptions,
  Ipv6VrrpSocket,
  Ipv6VrrpSocketHandlers,
  Ipv6VrrpSocketOptions,
  NativeError,
  NativeOps,
  NativeSendResult,
  RealtimePolicy,
  ArpSocket,
  ArpSocketHandlers,
  IcmpSocket,
} from './native.js';
import type { StreamListener, TcpStreamListener } from '../runtime/unix-streams.js';

export type NativeCall =
  | { op: 'sendPacketFrame'; ifindex: number; frame: Buffer }
  | { op: 'sdNotify'; state: string; delivered: boolean }
  | { op: 'mlockall'; current: boolean; future: boolean }
  | { op: 'munlockall' }
  | { op: 'setRealtimeScheduler'; policy: RealtimePolicy; priority: number }
  | { op: 'setPriority'; nice: number }
  | { op: 'interfaceIndex'; ifname: string }
  | { op: 'interfaceHardwareAddress'; ifname: string }
  | { op: 'openIcmpSocket'; family: 4 | 6 }
  | { op: 'openIpv4VrrpSocket'; options: Ipv4VrrpSocketOptions }
  | { op: 'ipv4Send'; ifindex: number; packet: Buffer; destination: string }
  | { op: 'ipv4Close'; ifindex: number }
  | { op: 'openIpv6VrrpSocket'; options: Ipv6VrrpSocketOptions }
  | {
      op: 'ipv6Send';
      ifindex: number;
      payload: Buffer;
      destination: string;
      source: string;
      hopLimit: number;
    }
  | { op: 'ipv6Close'; ifindex: number }
  | { op: 'openMarkedSocket'; family: 4 | 6; stream: boolean; mark: number }
  | { op: 'openArpSocket'; ifindex: number }
  | { op: 'arpSend'; ifindex: number; frame: Buffer };

/** What both families' fake VRRP sockets share: closing (recorded once) and receive errors. */
abstract class FakeVrrpSocket<
  Options extends { ifindex: number },
  Handlers extends { onError(e: NativeError): void },
> {
  closed = false;

  constructor(
    protected readonly owner: FakeNativeOps,
    readonly options: Options,
    protected readonly handlers: Handlers,
    private readonly closeOp: 'ipv4Close' | 'ipv6Close',
  ) {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.calls.push({ op: this.closeOp, ifindex: this.options.ifindex });
  }

  /** Reports a receive-side failure (e.g. ENOBUFS from recvmsg; 'uv_poll': the socket is dead). */
  reportError(code: string, syscall = 'recvmsg'): void {
    if (!this.closed) this.handlers.onError(fakeError(code, syscall, `ifindex ${this.options.ifindex}`));
  }
}

/** A fake IPv4 VRRP socket: what the daemon sent, and a way to make it receive. */
export class FakeIpv4VrrpSocket
  extends FakeVrrpSocket<Ipv4VrrpSocketOptions, Ipv4VrrpSocketHandlers>
  implements Ipv4VrrpSocket
{
  constructor(owner: FakeNativeOps, options: Ipv4VrrpSocketOptions, handlers: Ipv4VrrpSocketHandlers) {
    super(owner, options, handlers, 'ipv4Close');
  }

  send(packet: Buffer, destination: string): NativeSendResult {
    return this.owner.recordSend(this, destination, packet.length, {
      op: 'ipv4Send',
      ifindex: this.options.ifindex,
      packet: Buffer.from(packet),
      destination,
    });
  }

  /** Hands the socket a received packet (IPv4 header included), as the kernel would. */
  deliver(packet: Buffer, source: string): void {
    if (!this.closed) this.handlers.onPacket(Buffer.from(packet), source);
  }
}

/** A fake IPv6 VRRP socket: what the daemon sent, and a way to make it receive. */
export class FakeIpv6VrrpSocket
  extends FakeVrrpSocket<Ipv6VrrpSocketOptions, Ipv6VrrpSocketHandlers>
  implements Ipv6VrrpSocket
{
  constructor(owner: FakeNativeOps, options: Ipv6VrrpSocketOptions, handlers: Ipv6VrrpSocketHandlers) {
    super(owner, options, handlers, 'ipv6Close');
  }

  send(payload: Buffer, destination: string, source: string, hopLimit: number): NativeSendResult {
    return this.owner.recordSend(this, destination, payload.length, {
      op: 'ipv6Send',
      ifindex: this.options.ifindex,
      payload: Buffer.from(payload),
      destination,
      source,
      hopLimit,
    });
  }

  /**
   * Hands the socket a received message, as the kernel would: ignored once closed, and, like the
   * native socket, ignored when sent to a multicast group this socket did not join.
   */
  deliver(message: Buffer, info: Partial<Ipv6PacketInfo> & { source: string }): void {
    if (this.closed) return;
    const full: Ipv6PacketInfo = {
      destination: this.options.multicastGroup ?? '::',
      hopLimit: 255,
      ifindex: this.options.ifindex,
      ...info,
    };
    const group = this.options.multicastGroup === null ? null : canonicalIpv6(this.options.multicastGroup);
    if (isMulticastIpv6(full.destination) && canonicalIpv6(full.destination) !== group) return;
    this.handlers.onPacket(Buffer.from(message), full);
  }
}

export interface FakeInterface {
  index: number;
  mac: string;
}

export class FakeNativeOps implements NativeOps {
  readonly calls: NativeCall[] = [];
  /** Every IPv4 VRRP socket opened, in order (closed ones included). */
  readonly ipv4Sockets: FakeIpv4VrrpSocket[] = [];
  /** Every IPv6 VRRP socket opened, in order (closed ones included). */
  readonly ipv6Sockets: FakeIpv6VrrpSocket[] = [];
  /** Interfaces known by name; unknown names fail like the kernel (ENODEV). */
  readonly interfaces = new Map<string, FakeInterface>();
  /** Whether $NOTIFY_SOCKET is "set": sdNotify returns this. */
  notifySocketSet: boolean;
  private readonly failures = new Map<NativeCall['op'], string>();

  constructor(options: { interfaces?: Record<string, FakeInterface>; notifySocketSet?: boolean } = {}) {
    for (const [name, info] of Object.entries(options.interfaces ?? {})) this.interfaces.set(name, info);
    this.notifySocketSet = options.notifySocketSet ?? false;
  }

  /** Makes the next call of `op` throw an error with this code (e.g. "ENETDOWN"). */
  failNext(op: NativeCall['op'], code: string): void {
    this.failures.set(op, code);
  }

  callsOf<K extends NativeCall['op']>(op: K): Array<Extract<NativeCall, { op: K }>> {
    return this.calls.filter((call): call is Extract<NativeCall, { op: K }> => call.op === op);
  }

  private maybeFail(op: NativeCall['op'], context: string): void {
    const code = this.failures.get(op);
    if (code === undefined) return;
    this.failures.delete(op);
    throw fakeError(code, op, context);
  }

  private lookup(ifname: string): FakeInterface {
    const found = this.interfaces.get(ifname);
    if (!found) throw fakeError('ENODEV', 'if_nametoindex', ifname);
    return found;
  }

  sendPacketFrame(ifindex: number, frame: Buffer): number {
    this.calls.push({ op: 'sendPacketFrame', ifindex, frame: Buffer.from(frame) });
    this.maybeFail('sendPacketFrame', `ifindex ${ifindex}`);
    if (![...this.interfaces.values()].some((i) => i.index === ifindex)) {
      throw fakeError('ENXIO', 'sendto', `ifindex ${ifindex}`);
    }
    return frame.length;
  }

  sdNotify(state: string): boolean {
    this.calls.push({ op: 'sdNotify', state, delivered: this.notifySocketSet });
    this.maybeFail('sdNotify', state);
    return this.notifySocketSet;
  }

  mlockall(current: boolean, future: boolean): void {
    this.calls.push({ op: 'mlockall', current, future });
    this.maybeFail('mlockall', '');
  }

  munlockall(): void {
    this.calls.push({ op: 'munlockall' });
    this.maybeFail('munlockall', '');
  }

  setRealtimeScheduler(policy: RealtimePolicy, priority: number): void {
    this.calls.push({ op: 'setRealtimeScheduler', policy, priority });
    this.maybeFail('setRealtimeScheduler', `${policy} ${priority}`);
  }

  setPriority(nice: number): void {
    this.calls.push({ op: 'setPriority', nice });
    this.maybeFail('setPriority', `nice ${nice}`);
  }

  interfaceIndex(ifname: string): number {
    this.calls.push({ op: 'interfaceIndex', ifname });
    this.maybeFail('interfaceIndex', ifname);
    return this.lookup(ifname).index;
  }

  interfaceHardwareAddress(ifname: string): string {
    this.calls.push({ op: 'interfaceHardwareAddress', ifname });
    this.maybeFail('interfaceHardwareAddress', ifname);
    return this.lookup(ifname).mac;
  }

  /** Fake ARP sockets by ifindex; `receive` hands a frame to the socket's handler. */
  readonly arpSockets = new Map<number, { handlers: ArpSocketHandlers; closed: boolean }>();

  openArpSocket(ifindex: number, handlers: ArpSocketHandlers): ArpSocket {
    this.calls.push({ op: 'openArpSocket', ifindex });
    this.maybeFail('openArpSocket', `ifindex ${ifindex}`);
    const entry = { handlers, closed: false };
    this.arpSockets.set(ifindex, entry);
    return {
      send: (frame) => {
        this.calls.push({ op: 'arpSend', ifindex, frame: Buffer.from(frame) });
        return { ok: true, bytes: frame.length };
      },
      close: () => {
        entry.closed = true;
      },
    };
  }

  /** No fake control socket: the control tests use the real one (test/control). */
  listenUnixStream(path: string): StreamListener {
    throw fakeError('EOPNOTSUPP', 'bind', path);
  }

  listenTcpStream(host: string, port: number): TcpStreamListener {
    throw fakeError('EOPNOTSUPP', 'bind', `${host}:${port}`);
  }

  unixSocketAnswers(): boolean {
    return false;
  }

  /** Records the call; there is no fake descriptor to hand out, so it fails as an unprivileged process would. */
  openMarkedSocket(family: 4 | 6, stream: boolean, mark: number): number {
    this.calls.push({ op: 'openMarkedSocket', family, stream, mark });
    this.maybeFail('openMarkedSocket', `mark ${mark}`);
    throw fakeError('EPERM', 'setsockopt', `SO_MARK, mark ${mark}`);
  }

  /** Records the call; the uplink prober tests bring their own fake ICMP sockets (icmp-prober.ts). */
  openIcmpSocket(family: 4 | 6): IcmpSocket {
    this.calls.push({ op: 'openIcmpSocket', family });
    this.maybeFail('openIcmpSocket', `family ${family}`);
    throw fakeError('EPERM', 'socket', family === 6 ? 'raw ICMPv6' : 'raw ICMP');
  }

  openIpv4VrrpSocket(options: Ipv4VrrpSocketOptions, handlers: Ipv4VrrpSocketHandlers): Ipv4VrrpSocket {
    this.calls.push({ op: 'openIpv4VrrpSocket', options: { ...options } });
    this.openingChecks('openIpv4VrrpSocket', options);
    const socket = new FakeIpv4VrrpSocket(this, options, handlers);
    this.ipv4Sockets.push(socket);
    return socket;
  }

  openIpv6VrrpSocket(options: Ipv6VrrpSocketOptions, handlers: Ipv6VrrpSocketHandlers): Ipv6VrrpSocket {
    this.calls.push({ op: 'openIpv6VrrpSocket', options: { ...options } });
    this.openingChecks('openIpv6VrrpSocket', options);
    const socket = new FakeIpv6VrrpSocket(this, options, handlers);
    this.ipv6Sockets.push(socket);
    return socket;
  }

  /** A told failure, or an interface the fake does not know under that index (as the kernel). */
  private openingChecks(op: NativeCall['op'], options: { ifname: string; ifindex: number }): void {
    this.maybeFail(op, options.ifname);
    if (this.lookup(options.ifname).index !== options.ifindex) {
      throw fakeError('ENODEV', 'setsockopt', `SO_BINDTODEVICE, ifindex ${options.ifindex}`);
    }
  }

  /**
   * @internal The fake sockets' send: records `call`; failNext(op) fails it as a value, and so
   * does a closed socket (EBADF).
   */
  recordSend(
    socket: { closed: boolean; options: { ifindex: number } },
    destination: string,
    bytes: number,
    call: Extract<NativeCall, { op: 'ipv4Send' | 'ipv6Send' }>,
  ): NativeSendResult {
    this.calls.push(call);
    const code = socket.closed ? 'EBADF' : this.failures.get(call.op);
    if (code === undefined) return { ok: true, bytes };
    this.failures.delete(call.op);
    return {
      ok: false,
      error: fakeError(code, 'sendmsg', `ifindex ${socket.options.ifindex} to ${destination}`),
    };
  }
}

function fakeError(code: string, syscall: string, context: string): NativeError {
  const error: NativeError = new Error(`${syscall} (${context}): fake ${code}`);
  error.code = code;
  error.syscall = syscall;
  return error;
}
