// The kernel's process events connector (linux/cn_proc.h): a NETLINK_CONNECTOR socket in the
// CN_IDX_PROC group that, after a PROC_CN_MCAST_LISTEN request, receives one small datagram per
// fork, exec, name change and exit in the system — what keepalived's track_process listens to.
// Event-driven, so a router with no process churn costs nothing; the price is a wake-up per
// process event system-wide.
//
// Availability (checked by openProcConnector): needs CAP_NET_ADMIN, a kernel with
// CONFIG_PROC_EVENTS, and the initial network namespace — in any other one the kernel refuses the
// LISTEN with ECONNREFUSED (seen under `ip netns exec`, where keepalived 2.2.7's track_process
// then never counts a process). Callers fall back to polling /proc (proc-scan.ts).
//
// The byte layout is decoded here without the C structs: nlmsghdr (16 bytes), cn_msg (20 bytes:
// id.idx, id.val, seq, ack, len u16, flags u16), then proc_event (what u32, cpu u32,
// timestamp_ns u64, event data), host byte order.

import { RawNetlinkSocket } from './netlink-package.js';
import { readU16, readU32, u16, u32 } from './netlink-attributes.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers } from '../runtime/timers.js';

export const NETLINK_CONNECTOR = 11;
export const CN_IDX_PROC = 1;
export const CN_VAL_PROC = 1;
const NLMSG_DONE = 3;
const NLMSG_HEADER = 16;
const CN_MSG_HEADER = 20;
const PROC_EVENT_OFFSET = NLMSG_HEADER + CN_MSG_HEADER;
const EVENT_DATA_OFFSET = PROC_EVENT_OFFSET + 16;
const PROC_CN_MCAST_LISTEN = 1;
const PROC_CN_MCAST_IGNORE = 2;

export const PROC_EVENT = {
  none: 0,
  fork: 0x1,
  exec: 0x2,
  comm: 0x200,
  exit: 0x80000000,
} as const;

export type ProcEvent =
  /** The kernel's answer to LISTEN: proc events work here. */
  | { kind: 'ack' }
  | { kind: 'fork'; parentPid: number; parentTgid: number; childPid: number; childTgid: number }
  | { kind: 'exec'; pid: number; tgid: number }
  | { kind: 'comm'; pid: number; tgid: number; comm: string }
  | { kind: 'exit'; pid: number; tgid: number }
  | { kind: 'other'; what: number };

/** The LISTEN (or IGNORE) request, from netlink port `port`. */
export function encodeProcListen(listen: boolean, port: number): Buffer {
  const op = u32(listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE);
  const cnMsg = Buffer.concat([u32(CN_IDX_PROC), u32(CN_VAL_PROC), u32(0), u32(0), u16(op.length), u16(0)]);
  const length = NLMSG_HEADER + cnMsg.length + op.length;
  const header = Buffer.concat([u32(length), u16(NLMSG_DONE), u16(0), u32(0), u32(port)]);
  return Buffer.concat([header, cnMsg, op]);
}

/** One datagram from the connector socket; null if it is not a proc event (or is truncated). */
export function decodeProcEvent(message: Buffer): ProcEvent | null {
  if (message.length < EVENT_DATA_OFFSET) return null;
  const type = readU16(message, 4);
  if (type !== NLMSG_DONE) return null; // NLMSG_ERROR / NOOP and anything else
  if (readU32(message, NLMSG_HEADER) !== CN_IDX_PROC || readU32(message, NLMSG_HEADER + 4) !== CN_VAL_PROC) {
    return null;
  }
  const what = readU32(message, PROC_EVENT_OFFSET);
  const word = (index: number): number =>
    message.length >= EVENT_DATA_OFFSET + 4 * (index + 1)
      ? readU32(message, EVENT_DATA_OFFSET + 4 * index)
      : -1;
  switch (what) {
    case PROC_EVENT.none:
      return { kind: 'ack' };
    case PROC_EVENT.fork:
      if (word(3) < 0) return null;
      return { kind: 'fork', parentPid: word(0), parentTgid: word(1), childPid: word(2), childTgid: word(3) };
    case PROC_EVENT.exec:
      if (word(1) < 0) return null;
      return { kind: 'exec', pid: word(0), tgid: word(1) };
    case PROC_EVENT.comm: {
      if (message.length < EVENT_DATA_OFFSET + 8 + 16) return null;
      const raw = message.subarray(EVENT_DATA_OFFSET + 8, EVENT_DATA_OFFSET + 24);
      const end = raw.indexOf(0);
      return {
        kind: 'comm',
        pid: word(0),
        tgid: word(1),
        comm: raw.subarray(0, end < 0 ? raw.length : end).toString('utf8'),
      };
    }
    case PROC_EVENT.exit:
      if (word(1) < 0) return null;
      return { kind: 'exit', pid: word(0), tgid: word(1) };
    default:
      return { kind: 'other', what };
  }
}

export interface ProcEventSource {
  /** Events of whole processes and threads alike (callers keep pid === tgid ones). */
  onEvent(callback: (event: ProcEvent) => void): void;
  /** The kernel dropped events (ENOBUFS): the caller must rescan /proc. */
  onLost(callback: () => void): void;
  /** Other receive errors (the socket stays open). */
  onError(callback: (error: Error) => void): void;
  close(): void;
}

export class ProcConnectorUnavailable extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`process events connector unavailable (${code}): ${detail}`);
    this.name = 'ProcConnectorUnavailable';
  }
}

export interface ProcConnectorOptions {
  /** How long to wait for the kernel's answer to LISTEN (keepalived waits 100 ms). */
  ackTimeoutMs?: number;
  /** SO_RCVBUF (keepalived's process_monitor_rcv_bufs); the kernel default when absent. */
  receiveBufferBytes?: number;
}

/**
 * Opens the connector and subscribes. Resolves once the kernel acknowledged, rejects with
 * ProcConnectorUnavailable (code EPERM, ECONNREFUSED, EPROTONOSUPPORT, ETIMEDOUT…) otherwise.
 */
export async function openProcConnector(options: ProcConnectorOptions = {}): Promise<ProcEventSource> {
  let socket: RawNetlinkSocket;
  try {
    socket = new RawNetlinkSocket(NETLINK_CONNECTOR, {
      recvBufferSize: options.receiveBufferBytes ?? 0,
      sendBufferSize: 0,
    });
    socket.addMembership(CN_IDX_PROC);
  } catch (error) {
    throw new ProcConnectorUnavailable(codeOf(error), errorMessage(error));
  }
  const eventCallbacks: Array<(event: ProcEvent) => void> = [];
  const lostCallbacks: Array<() => void> = [];
  const errorCallbacks: Array<(error: Error) => void> = [];
  let closed = false;
  let acked: (() => void) | null = null;

  socket.on('message', (message) => {
    const event = decodeProcEvent(message);
    if (!event) return;
    if (event.kind === 'ack') {
      acked?.();
      return;
    }
    for (const callback of eventCallbacks) callback(event);
  });
  socket.on('error', (error) => {
    if (error.code === 'ENOBUFS') for (const callback of lostCallbacks) callback();
    else for (const callback of errorCallbacks) callback(error);
  });

  const close = (): void => {
    if (closed) return;
    closed = true;
    try {
      socket.send(encodeProcListen(false, socket.address().port), {}, () => undefined);
    } catch {
      // closing anyway
    }
    socket.close();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = systemTimers.after(options.ackTimeoutMs ?? 1000, () =>
        reject(new ProcConnectorUnavailable('ETIMEDOUT', 'the kernel did not acknowledge LISTEN')),
      );
      acked = () => {
        timer.cancel();
        resolve();
      };
      socket.send(encodeProcListen(true, socket.address().port), {}, (error) => {
        if (!error) return;
        timer.cancel();
        reject(new ProcConnectorUnavailable(codeOf(error), errorMessage(error)));
      });
    });
  } catch (error) {
    closed = true;
    socket.close();
    throw error;
  }
  acked = null;

  return {
    onEvent: (callback) => void eventCallbacks.push(callback),
    onLost: (callback) => void lostCallbacks.push(callback),
    onError: (callback) => void errorCallbacks.push(callback),
    close,
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'EIO';
}
