// In-memory NativeOps for tests: records every call in order, knows a configurable set of
// interfaces, and can be told to fail the next call of a kind with an errno-style error.
// IPv6 VRRP sockets are fakes too: sends are recorded (and fail as values when told to), and
// the test delivers received messages or errors into them.

import { canonicalIpv6, isMulticastIpv6 } from '../packet/address6.js';
import type { Ipv6PacketInfo } from '../packet/types.js';
import type {
  Ipv6VrrpSocket,
  Ipv6VrrpSocketHandlers,
  Ipv6VrrpSocketOptions,
  NativeError,
  NativeOps,
  NativeSendResult,
  RealtimePolicy,
  ArpSocket,
  ArpSocketHandlers,
} from './native.js';

export type NativeCall =
  | { op: 'sendPacketFrame'; ifindex: number; frame: Buffer }
  | { op: 'sdNotify'; state: string; delivered: boolean }
  | { op: 'mlockall'; current: boolean; future: boolean }
  | { op: 'munlockall' }
  | { op: 'setRealtimeScheduler'; policy: RealtimePolicy; priority: number }
  | { op: 'setPriority'; nice: number }
  | { op: 'interfaceIndex'; ifname: string }
  | { op: 'interfaceHardwareAddress'; ifname: string }
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

/** A fake IPv6 VRRP socket: what the daemon sent, and a way to make it receive. */
export class FakeIpv6VrrpSocket implements Ipv6VrrpSocket {
  closed = false;

  constructor(
    private readonly owner: FakeNativeOps,
    readonly options: Ipv6VrrpSocketOptions,
    private readonly handlers: Ipv6VrrpSocketHandlers,
  ) {}

  send(payload: Buffer, destination: string, source: string, hopLimit: number): NativeSendResult {
    return this.owner.recordIpv6Send(this, payload, destination, source, hopLimit);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.calls.push({ op: 'ipv6Close', ifindex: this.options.ifindex });
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

  /** Reports a receive-side failure (e.g. ENOBUFS from recvmsg). */
  reportError(code: string, syscall = 'recvmsg'): void {
    if (!this.closed) this.handlers.onError(fakeError(code, syscall, `ifindex ${this.options.ifindex}`));
  }
}

export interface FakeInterface {
  index: number;
  mac: string;
}

export class FakeNativeOps implements NativeOps {
  readonly calls: NativeCall[] = [];
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

  /** Records the call; there is no fake descriptor to hand out, so it fails as an unprivileged process would. */
  openMarkedSocket(family: 4 | 6, stream: boolean, mark: number): number {
    this.calls.push({ op: 'openMarkedSocket', family, stream, mark });
    this.maybeFail('openMarkedSocket', `mark ${mark}`);
    throw fakeError('EPERM', 'setsockopt', `SO_MARK, mark ${mark}`);
  }

  openIpv6VrrpSocket(options: Ipv6VrrpSocketOptions, handlers: Ipv6VrrpSocketHandlers): Ipv6VrrpSocket {
    this.calls.push({ op: 'openIpv6VrrpSocket', options: { ...options } });
    this.maybeFail('openIpv6VrrpSocket', options.ifname);
    if (this.lookup(options.ifname).index !== options.ifindex) {
      throw fakeError('ENODEV', 'setsockopt', `SO_BINDTODEVICE, ifindex ${options.ifindex}`);
    }
    const socket = new FakeIpv6VrrpSocket(this, options, handlers);
    this.ipv6Sockets.push(socket);
    return socket;
  }

  /** @internal FakeIpv6VrrpSocket.send: records the send; failNext('ipv6Send') fails it as a value. */
  recordIpv6Send(
    socket: FakeIpv6VrrpSocket,
    payload: Buffer,
    destination: string,
    source: string,
    hopLimit: number,
  ): NativeSendResult {
    const { ifindex } = socket.options;
    this.calls.push({
      op: 'ipv6Send',
      ifindex,
      payload: Buffer.from(payload),
      destination,
      source,
      hopLimit,
    });
    const code = socket.closed ? 'EBADF' : this.failures.get('ipv6Send');
    if (code === undefined) return { ok: true, bytes: payload.length };
    this.failures.delete('ipv6Send');
    return { ok: false, error: fakeError(code, 'sendmsg', `ifindex ${ifindex} to ${destination}`) };
  }
}

function fakeError(code: string, syscall: string, context: string): NativeError {
  const error: NativeError = new Error(`${syscall} (${context}): fake ${code}`);
  error.code = code;
  error.syscall = syscall;
  return error;
}
