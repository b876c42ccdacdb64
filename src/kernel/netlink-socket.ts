// One rtnetlink request socket (the `netlink` package) shared by the address, route, rule and
// link adapters, with bounded requests and errors that carry the kernel's errno name. Links and
// addresses exchange raw messages (rtnl-codec.ts); routes, rules and stacked links go through the
// package's rtnetlink layer, wrapped around the same socket when first needed.
// Event subscriptions use their own socket (netlink-events.ts): mixing multicast notifications
// into a socket that also reads multipart dump replies would interleave the two.

import {
  createNetlink,
  FlagsGet,
  FlagsNew,
  Protocol,
  rtNetlink,
  type NetlinkMessage,
  type RtNetlinkSocket,
} from './netlink-package.js';
import { errorMessage } from '../runtime/errors.js';

/** A request the kernel does not answer within this long is reported as ETIMEDOUT. */
export const NETLINK_REQUEST_TIMEOUT_MS = 5000;

/** NLM_F_CREATE | NLM_F_EXCL: add, failing with EEXIST if present (`ip ... add`). */
export const CREATE_EXCLUSIVE = FlagsNew.CREATE | FlagsNew.EXCL;
/** NLM_F_CREATE | NLM_F_REPLACE: add or overwrite (`ip ... replace`). */
export const CREATE_OR_REPLACE = FlagsNew.CREATE | FlagsNew.REPLACE;
/** NLM_F_DUMP: every object of the kind (`ip ... show`). */
export const DUMP = FlagsGet.DUMP;

export class NetlinkError extends Error {
  /** errno name from the kernel's reply ("EEXIST", "ENODEV"…), or ETIMEDOUT / EIO. */
  readonly code: string;
  readonly operation: string;

  constructor(operation: string, code: string, detail: string) {
    super(`${operation}: ${detail}`);
    this.name = 'NetlinkError';
    this.operation = operation;
    this.code = code;
  }
}

function toNetlinkError(operation: string, error: unknown): NetlinkError {
  const message = errorMessage(error);
  // The netlink package reports kernel refusals as "Request rejected: <ERRNO NAME>".
  const rejected = /Request rejected: (\w+)/.exec(message);
  if (rejected?.[1]) return new NetlinkError(operation, rejected[1], `kernel refused (${rejected[1]})`);
  if (/timed? ?out/i.test(message)) return new NetlinkError(operation, 'ETIMEDOUT', message);
  const errnoCode = (error as { code?: unknown }).code;
  return new NetlinkError(operation, typeof errnoCode === 'string' ? errnoCode : 'EIO', message);
}

export interface RouteNetlink {
  /** Runs one request through the package's rtnetlink layer; rejects with NetlinkError. */
  request<T>(operation: string, call: (socket: RtNetlinkSocket, timeout: number) => Promise<T>): Promise<T>;
  /**
   * Sends one raw request (message type, payload, NLM_F_* flags beyond REQUEST|ACK) and resolves
   * with the kernel's reply messages (none for an acknowledged change, the objects of a dump);
   * rejects with NetlinkError.
   */
  exchange(operation: string, type: number, payload: Buffer, flags?: number): Promise<NetlinkMessage[]>;
  close(): void;
}

/** Opens a request socket in the process's current network namespace. */
export function openRouteNetlink(): RouteNetlink {
  const socket = createNetlink(Protocol.ROUTE);
  let rtSocket: RtNetlinkSocket | undefined;
  let closed = false;
  // Without a listener an 'error' from the underlying socket would be thrown out of the loop;
  // failed requests already reject their own promise.
  socket.on('error', () => undefined);
  // One request at a time: the netlink package matches replies by arrival, so two requests in
  // flight (a dump while an address is being added) interleave their replies and both fail
  // ("Multipart message not terminated properly"). Requests are short; queueing them is cheap.
  let tail: Promise<unknown> = Promise.resolve();
  const run = async <T>(operation: string, call: (timeout: number) => Promise<T>) => {
    if (closed) throw new NetlinkError(operation, 'EBADF', 'netlink socket is closed');
    try {
      return await call(NETLINK_REQUEST_TIMEOUT_MS);
    } catch (error) {
      throw toNetlinkError(operation, error);
    }
  };
  const queue = <T>(operation: string, call: (timeout: number) => Promise<T>): Promise<T> => {
    const result = tail.then(() => run(operation, call));
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    request(operation, call) {
      return queue(operation, (timeout) => {
        rtSocket ??= new (rtNetlink().RtNetlinkSocket)(socket);
        return call(rtSocket, timeout);
      });
    },
    exchange(operation, type, payload, flags = 0) {
      return queue(
        operation,
        async (timeout) => (await socket.request(type, payload, { flags, timeout }))[0],
      );
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}
