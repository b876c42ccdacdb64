// TCP connect probes for the uplink module, for networks that drop ICMP: each probe opens a new
// socket marked with the gateway's fwmark (so its probe table routes it through that gateway),
// connects to the site's port and closes at once with a reset (no TIME_WAIT left behind, no
// server resources held). A connection refused counts as an answer: the RST came back along the
// path, which is what is being checked. Unreachable errors and silence do not.
//
// Node's sockets cannot set SO_MARK, and TCP picks its route in connect(), so the socket is made
// by the native addon with the mark already on it and adopted by node:net (`new Socket({ fd })`).

import type { Socket } from 'node:net';
import { isIpv6 } from '../packet/address6.js';
import { net } from '../runtime/builtins.js';
import { isIpv4 } from '../packet/address.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers, type Timers } from '../runtime/timers.js';
import { elapsedMs } from './probe-pending.js';
import type { EchoResult, SiteProber } from './icmp-prober.js';

/** Opens a socket of this family and kind with SO_MARK set (NativeOps.openMarkedSocket). */
export type MarkedSocketOpener = (family: 4 | 6, stream: boolean, mark: number) => number;

export interface TcpProberOptions {
  fwmark: number;
  port: number;
  openSocket: MarkedSocketOpener;
  timers?: Timers;
}

/** Errors that mean the peer answered: the path through the gateway works. */
const ANSWERED = new Set(['ECONNREFUSED', 'ECONNRESET']);

export function familyOf(address: string): 4 | 6 | null {
  if (isIpv4(address)) return 4;
  if (isIpv6(address)) return 6;
  return null;
}

export function openTcpProber(options: TcpProberOptions): SiteProber {
  const timers = options.timers ?? systemTimers;
  const sockets = new Set<Socket>();
  let open = true;

  const connectOnce = (address: string, family: 4 | 6, timeoutMs: number): Promise<EchoResult> =>
    new Promise((resolve) => {
      let fd: number;
      try {
        fd = options.openSocket(family, true, options.fwmark);
      } catch (error) {
        resolve({ outcome: 'sendError', rttMs: null, detail: errorMessage(error) });
        return;
      }
      const socket = new (net().Socket)({ fd, readable: false, writable: false });
      sockets.add(socket);
      const startedAt = process.hrtime.bigint();
      let settled = false;
      const finish = (result: EchoResult): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        sockets.delete(socket);
        socket.removeAllListeners('connect');
        // Swallow what comes after (the reset we send may surface as an error).
        socket.on('error', () => undefined);
        socket.resetAndDestroy();
        resolve(result);
      };
      const timer = timers.after(timeoutMs, () => finish({ outcome: 'timeout', rttMs: null }), {
        unref: true,
      });
      socket.once('connect', () => finish({ outcome: 'reply', rttMs: elapsedMs(startedAt) }));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? '';
        if (ANSWERED.has(code)) finish({ outcome: 'reply', rttMs: elapsedMs(startedAt), detail: code });
        else finish({ outcome: 'unreachable', rttMs: null, detail: code || error.message });
      });
      socket.once('close', () => finish({ outcome: 'closed', rttMs: null, detail: 'socket closed' }));
      socket.connect({ port: options.port, host: address });
    });

  return {
    async echo(address, count, timeoutMs) {
      const family = familyOf(address);
      if (family === null)
        return [{ outcome: 'sendError', rttMs: null, detail: `not an IP address: ${address}` }];
      if (!open) return [{ outcome: 'closed', rttMs: null, detail: 'prober is closed' }];
      const probes: Array<Promise<EchoResult>> = [];
      for (let i = 0; i < count; i++) probes.push(connectOnce(address, family, timeoutMs));
      return Promise.all(probes);
    },
    isOpen: () => open,
    close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
