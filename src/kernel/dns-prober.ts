// DNS query probes for the uplink module, for networks that drop ICMP: a UDP socket marked with
// the gateway's fwmark (so its probe table routes it through that gateway) sends a query for one
// name to the site's port; any well-formed response carrying the query's id, from that address
// and port, is an answer, whatever its RCODE: a resolver that says NXDOMAIN or REFUSED has still
// been reached through the gateway. One socket per prober, opened marked by the native addon and
// adopted by node:dgram (`bind({ fd })`), since Node's sockets cannot set SO_MARK.

import { nodeCrypto } from '../packet/lazy-crypto.js';
import type { Socket } from 'node:dgram';
import { dgram } from '../runtime/builtins.js';
import { decodeDnsMessage, encodeDnsQuery } from '../packet/dns.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers, type Timers } from '../runtime/timers.js';
import { elapsedMs, type PendingProbe } from './probe-pending.js';
import type { EchoResult, SiteProber } from './icmp-prober.js';
import { familyOf, type MarkedSocketOpener } from './tcp-prober.js';

export interface DnsProberOptions {
  fwmark: number;
  port: number;
  /** The name asked for (type A); '.' is the root. */
  query: string;
  openSocket: MarkedSocketOpener;
  timers?: Timers;
}

export function openDnsProber(options: DnsProberOptions): SiteProber {
  const timers = options.timers ?? systemTimers;
  const sockets = new Map<4 | 6, Socket>();
  const pending = new Map<number, PendingProbe>();
  let open = true;

  const settle = (id: number, result: EchoResult): void => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    entry.timer.cancel();
    entry.resolve(result);
  };

  /** The socket of one family, opened on first use (a gateway probes one family). */
  const socketFor = (family: 4 | 6): Socket => {
    const existing = sockets.get(family);
    if (existing) return existing;
    const fd = options.openSocket(family, false, options.fwmark);
    const socket = dgram().createSocket(family === 4 ? 'udp4' : 'udp6');
    socket.on('message', (message, remote) => {
      const decoded = decodeDnsMessage(message);
      if (!decoded.ok || !decoded.message.isResponse) return;
      const entry = pending.get(decoded.message.id);
      if (!entry || remote.address !== entry.address || remote.port !== options.port) return;
      settle(decoded.message.id, { outcome: 'reply', rttMs: elapsedMs(entry.sentAt) });
    });
    socket.on('error', (error) => {
      // The socket is finished; the next probe opens a new one.
      sockets.delete(family);
      for (const [id, entry] of pending) {
        if (familyOf(entry.address) === family)
          settle(id, { outcome: 'sendError', rttMs: null, detail: error.message });
      }
      socket.close();
    });
    socket.bind({ fd });
    socket.unref();
    sockets.set(family, socket);
    return socket;
  };

  const queryOnce = (address: string, family: 4 | 6, timeoutMs: number): Promise<EchoResult> =>
    new Promise((resolve) => {
      let socket: Socket;
      try {
        socket = socketFor(family);
      } catch (error) {
        resolve({ outcome: 'sendError', rttMs: null, detail: errorMessage(error) });
        return;
      }
      let id = nodeCrypto().randomInt(0, 0x10000);
      for (let attempt = 0; pending.has(id) && attempt < 0x10000; attempt++) id = (id + 1) & 0xffff;
      const entry: PendingProbe = {
        address,
        sentAt: process.hrtime.bigint(),
        timer: timers.after(timeoutMs, () => settle(id, { outcome: 'timeout', rttMs: null }), {
          unref: true,
        }),
        resolve,
      };
      pending.set(id, entry);
      const query = encodeDnsQuery({ id, name: options.query, type: 'A' });
      entry.sentAt = process.hrtime.bigint();
      socket.send(query, options.port, address, (error) => {
        if (error) settle(id, { outcome: 'sendError', rttMs: null, detail: error.message });
      });
    });

  return {
    async echo(address, count, timeoutMs) {
      const family = familyOf(address);
      if (family === null)
        return [{ outcome: 'sendError', rttMs: null, detail: `not an IP address: ${address}` }];
      if (!open) return [{ outcome: 'closed', rttMs: null, detail: 'prober is closed' }];
      const probes: Array<Promise<EchoResult>> = [];
      for (let i = 0; i < count; i++) probes.push(queryOnce(address, family, timeoutMs));
      return Promise.all(probes);
    },
    isOpen: () => open,
    close() {
      if (!open) return;
      open = false;
      for (const id of [...pending.keys()])
        settle(id, { outcome: 'closed', rttMs: null, detail: 'prober closed' });
      for (const socket of sockets.values()) socket.close();
      sockets.clear();
    },
  };
}
