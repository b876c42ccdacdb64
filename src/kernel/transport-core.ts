// What the IPv4 and IPv6 advert transports share around their native socket: the packet and error
// callbacks (a callback that throws is reported, never thrown out of the event loop), the socket
// closing itself when libuv gives up on it, and refusing sends once closed.

import { asError } from '../runtime/errors.js';
import type { NativeError, NativeSendResult } from './native.js';
import type { TransportError } from './transport.js';

export class TransportCore<Meta> {
  private readonly packetCallbacks: Array<(data: Buffer, meta: Meta) => void> = [];
  private readonly errorCallbacks: Array<(error: TransportError) => void> = [];
  private socket: { close(): void } | undefined;
  private closed = false;

  constructor(private readonly ifname: string) {}

  /** The native socket, once open: closed by close() or by a poll failure. */
  attach(socket: { close(): void }): void {
    this.socket = socket;
  }

  report(error: TransportError): void {
    for (const callback of this.errorCallbacks) {
      try {
        callback(error);
      } catch {
        // An error handler that throws has nowhere left to report to; keep the loop alive.
      }
    }
  }

  /** One received packet to every packet callback. */
  deliver(data: Buffer, meta: Meta): void {
    this.callEach(this.packetCallbacks, data, meta);
  }

  /** Calls each callback with `args`; one that throws is reported as a handler error. */
  callEach<Args extends unknown[]>(callbacks: ReadonlyArray<(...args: Args) => void>, ...args: Args): void {
    for (const callback of callbacks) {
      try {
        callback(...args);
      } catch (error) {
        this.report({ kind: 'handler', error: asError(error) });
      }
    }
  }

  /**
   * A failure the native socket reported. A poll failure means libuv gave up on the socket: it is
   * closed, and the daemon reopens it. (ICMP errors such as a peer's "protocol 112 unreachable"
   * never get here: Linux queues them only on connected raw sockets or with IP_RECVERR.)
   */
  nativeError(error: NativeError): void {
    if (error.syscall !== 'uv_poll') {
      this.report({ kind: 'receive', error });
      return;
    }
    if (this.closed) return;
    this.close();
    this.report({ kind: 'closed', error });
  }

  /** True (and reported) when the transport is closed: the send must not happen. */
  refuseClosed(dest: string): boolean {
    if (!this.closed) return false;
    this.report({ kind: 'send', dest, error: new Error(`transport on ${this.ifname} is closed`) });
    return true;
  }

  /** Reports a native send's failure; `thrown` is what the send threw instead of returning. */
  sent(dest: string, result: NativeSendResult | null, thrown?: unknown): void {
    if (result === null) this.report({ kind: 'send', dest, error: asError(thrown) });
    else if (!result.ok) this.report({ kind: 'send', dest, error: result.error });
  }

  onPacket(callback: (data: Buffer, meta: Meta) => void): void {
    this.packetCallbacks.push(callback);
  }

  onError(callback: (error: TransportError) => void): void {
    this.errorCallbacks.push(callback);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.close();
  }
}
