// ARP probes for the uplink module, for gateways that drop ICMP: an RFC 5227 §2.1.1 ARP probe
// (who-has GATEWAY, sender IP 0.0.0.0) sent on the gateway's device, answered by the gateway's
// is-at. A probe's sender address of 0.0.0.0 needs no address of ours on the link and leaves the
// gateway's ARP cache alone; hosts must answer it (RFC 5227 §2.1.1), Linux does. It proves the
// next hop answers, not that anything beyond it works: use it where the gateway is the thing
// that fails (a modem, a link), or together with track_ip sites on other gateways.
//
// Replies carry no identifier, so one settles the oldest pending probe for that address. Frames
// come from the native ArpSocket (AF_PACKET bound to the device and EtherType ARP); our own
// requests are not looped back to it.

import { isIpv4 } from '../packet/address.js';
import { ArpOperation, decodeArpFrame, encodeArpFrame } from '../packet/arp.js';
import { BROADCAST_MAC } from '../packet/mac.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers, type Timers } from '../runtime/timers.js';
import { elapsedMs, type PendingProbe } from './probe-pending.js';
import type { EchoResult, SiteProber } from './icmp-prober.js';
import type { NativeOps } from './native.js';

const ZERO_MAC = '00:00:00:00:00:00';

export interface ArpProberOptions {
  /** The gateway's device. */
  ifname: string;
  native: Pick<NativeOps, 'interfaceIndex' | 'interfaceHardwareAddress' | 'openArpSocket'>;
  timers?: Timers;
}

export function openArpProber(options: ArpProberOptions): SiteProber {
  const timers = options.timers ?? systemTimers;
  const ifindex = options.native.interfaceIndex(options.ifname);
  const mac = options.native.interfaceHardwareAddress(options.ifname);
  const pending: PendingProbe[] = [];
  let open = true;

  const settle = (entry: PendingProbe, result: EchoResult): void => {
    const index = pending.indexOf(entry);
    if (index < 0) return;
    pending.splice(index, 1);
    entry.timer.cancel();
    entry.resolve(result);
  };
  const shutDown = (detail: string): void => {
    if (!open) return;
    open = false;
    socket.close();
    for (const entry of [...pending]) settle(entry, { outcome: 'closed', rttMs: null, detail });
  };

  const socket = options.native.openArpSocket(ifindex, {
    onFrame(frame) {
      const decoded = decodeArpFrame(frame);
      if (!decoded.ok || decoded.value.operation !== ArpOperation.reply) return;
      const entry = pending.find((p) => p.address === decoded.value.senderIp);
      if (entry) settle(entry, { outcome: 'reply', rttMs: elapsedMs(entry.sentAt) });
    },
    // The interface went away or the socket broke: the fleet opens a new prober next round.
    onError: (error) => shutDown(`ARP socket error: ${errorMessage(error)}`),
  });

  const probeOnce = (address: string, timeoutMs: number): Promise<EchoResult> =>
    new Promise((resolve) => {
      const entry: PendingProbe = {
        address,
        sentAt: process.hrtime.bigint(),
        timer: timers.after(timeoutMs, () => settle(entry, { outcome: 'timeout', rttMs: null }), {
          unref: true,
        }),
        resolve,
      };
      pending.push(entry);
      const frame = encodeArpFrame({
        destinationMac: BROADCAST_MAC,
        sourceMac: mac,
        operation: ArpOperation.request,
        senderMac: mac,
        senderIp: '0.0.0.0',
        targetMac: ZERO_MAC,
        targetIp: address,
      });
      entry.sentAt = process.hrtime.bigint();
      const sent = socket.send(frame);
      if (!sent.ok) {
        settle(entry, { outcome: 'sendError', rttMs: null, detail: errorMessage(sent.error) });
        // ENODEV, ENXIO, ENETDOWN: the device changed under us; reopen next round.
        if (sent.error.code === 'ENODEV' || sent.error.code === 'ENXIO') shutDown('interface gone');
      }
    });

  return {
    async echo(address, count, timeoutMs) {
      if (!isIpv4(address))
        return [{ outcome: 'sendError', rttMs: null, detail: `not an IPv4 address: ${address}` }];
      if (!open) return [{ outcome: 'closed', rttMs: null, detail: 'prober is closed' }];
      const probes: Array<Promise<EchoResult>> = [];
      for (let i = 0; i < count; i++) probes.push(probeOnce(address, timeoutMs));
      return Promise.all(probes);
    },
    isOpen: () => open,
    close: () => shutDown('prober closed'),
  };
}
