// A child process that exposes the kernel adapters over JSON lines (test/lab/json-lines.ts), so
// a test can drive them inside a lab namespace: `ip netns exec NS node dist/test/kernel/agent/kernel-agent.js`.
// It runs the compiled adapters from dist/, exactly what the daemon will run.

import { createGarpSender } from '../../../src/kernel/garp.js';
import { createNeighborAdvertSender } from '../../../src/kernel/neighbor-advert.js';
import { openAdvertTransport6, type AdvertTransport6 } from '../../../src/kernel/transport6.js';
import type { AddressFamilyFilter } from '../../../src/kernel/addresses.js';
import type { AddressFamily } from '../../../src/packet/types.js';
import { loadNative } from '../../../src/kernel/native.js';
import { watchKernelEvents, type KernelEventSource } from '../../../src/kernel/netlink-events.js';
import { openKernelNetlink } from '../../../src/kernel/netlink.js';
import { openRouteNetlink } from '../../../src/kernel/netlink-socket.js';
import { procSysctls } from '../../../src/kernel/sysctl.js';
import { createKernelVmacs, type VmacSpec } from '../../../src/kernel/vmac.js';
import { VmacSysctls } from '../../../src/kernel/vmac-sysctls.js';
import { createKernelVrfs } from '../../../src/kernel/vrf.js';
import { openProcConnector, ProcConnectorUnavailable } from '../../../src/kernel/proc-events.js';
import { openAdvertTransport, type AdvertTransport } from '../../../src/kernel/transport.js';
import { systemClock } from '../../../src/runtime/clock.js';
import { openIcmpProber } from '../../../src/kernel/icmp-prober.js';
import { openIcmp6Prober } from '../../../src/kernel/icmp6-prober.js';
import type { AddressSpec } from '../../../src/kernel/addresses.js';
import type { RouteAddMode, RouteSpec } from '../../../src/kernel/routes.js';
import type { RuleSpec } from '../../../src/kernel/rules.js';
import { emitEvent, serveJsonLines } from '../../lab/json-lines-server.js';

const native = loadNative();
const netlink = openKernelNetlink();
const garp = createGarpSender(native);
const neighborAdverts = createNeighborAdvertSender(native);
const vmacNetlink = openRouteNetlink();
const vmacs = createKernelVmacs(vmacNetlink);
const vrfs = createKernelVrfs(vmacNetlink);
const vmacSysctls = new VmacSysctls(procSysctls());
const transports = new Map<number, AdvertTransport>();
const transports6 = new Map<number, AdvertTransport6>();
let nextTransportId = 1;
let kernelEvents: KernelEventSource | undefined;

function str(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string') throw new Error(`param ${key} must be a string`);
  return value;
}

function transportOf(params: Record<string, unknown>): AdvertTransport {
  const transport = transports.get(Number(params.id));
  if (!transport) throw new Error(`no transport ${String(params.id)}`);
  return transport;
}

function transport6Of(params: Record<string, unknown>): AdvertTransport6 {
  const transport = transports6.get(Number(params.id));
  if (!transport) throw new Error(`no IPv6 transport ${String(params.id)}`);
  return transport;
}

function familyParam(params: Record<string, unknown>): AddressFamily | undefined {
  return params.family === 'ipv6' || params.family === 'ipv4' ? params.family : undefined;
}

serveJsonLines(
  {
    'transport.open': (params) => {
      const ifname = str(params, 'ifname');
      const ifindex = native.interfaceIndex(ifname);
      const transport = openAdvertTransport(
        {
          ifname,
          ifindex,
          sourceAddress: str(params, 'source'),
          joinMulticast: params.joinMulticast === true,
          ...(typeof params.protocol === 'number' ? { protocol: params.protocol } : {}),
        },
        native,
      );
      const id = nextTransportId++;
      transports.set(id, transport);
      transport.offload?.onEnded((entry) => emitEvent('offload-ended', { id, entry }));
      transport.onPacket((raw, meta) =>
        emitEvent('packet', { id, hex: raw.toString('hex'), source: meta.source, ifindex: meta.ifindex }),
      );
      transport.onError((error) =>
        emitEvent('transport-error', {
          id,
          kind: error.kind,
          message: error.error.message,
          dest: error.dest,
        }),
      );
      return { id, ifindex };
    },
    'transport.send': (params) => {
      const transport = transportOf(params);
      const payload = Buffer.from(str(params, 'payloadHex'), 'hex');
      const count = typeof params.count === 'number' ? params.count : 1;
      const source = typeof params.source === 'string' ? params.source : undefined;
      for (let i = 0; i < count; i++) transport.send(payload, str(params, 'dest'), source);
      return { queued: count };
    },
    'transport.sendIpPacket': (params) => {
      transportOf(params).sendIpPacket(Buffer.from(str(params, 'packetHex'), 'hex'), str(params, 'dest'));
      return null;
    },
    // The steady-state offload (native/src/advert_offload.h): entries are the transport's own ids.
    'transport.pace': (params) => {
      const transport = transportOf(params);
      const dest = str(params, 'dest');
      const packet = transport.packet(Buffer.from(str(params, 'payloadHex'), 'hex'), dest);
      if (!packet || !transport.offload) throw new Error('no packet or no offload');
      return transport.offload.pace(
        Number(params.entry),
        [packet],
        [dest],
        Number(params.delayMs),
        Number(params.intervalMs),
      );
    },
    'transport.watch': (params) => {
      const transport = transportOf(params);
      if (!transport.offload) throw new Error('no offload');
      const packet = Buffer.from(str(params, 'packetHex'), 'hex');
      return transport.offload.watch(
        Number(params.entry),
        packet,
        Number(params.delayMs),
        Number(params.timeoutMs),
      );
    },
    'transport.settle': (params) => transportOf(params).offload?.settle(Number(params.entry)) ?? null,
    'transport.offloadCount': (params) => transportOf(params).offload?.count(Number(params.entry)) ?? null,
    'clock.now': () => systemClock.now(),
    // The uplink echo prober on the addon's ICMP sockets (native/src/icmp_socket.cc).
    'icmp.echo': async (params) => {
      const options = typeof params.fwmark === 'number' ? { fwmark: params.fwmark } : {};
      const prober = params.family === 6 ? openIcmp6Prober(options) : openIcmpProber(options);
      try {
        return await prober.echo(str(params, 'address'), Number(params.count), Number(params.timeoutMs));
      } finally {
        prober.close();
      }
    },
    'transport.close': (params) => {
      transportOf(params).close();
      // keep: still reachable, for what its offload did (settle after close).
      if (params.keep !== true) transports.delete(Number(params.id));
      return null;
    },

    // IPv6: the source defaults to the interface's link-local address, as the daemon will use.
    'transport6.open': async (params) => {
      const ifname = str(params, 'ifname');
      const ifindex = native.interfaceIndex(ifname);
      const source =
        typeof params.source === 'string' ? params.source : await netlink.addresses.linkLocalAddress(ifindex);
      if (!source) throw new Error(`${ifname} has no usable link-local address yet`);
      const transport = openAdvertTransport6(
        {
          ifname,
          ifindex,
          sourceAddress: source,
          joinMulticast: params.joinMulticast === true,
          ...(typeof params.hopLimit === 'number' ? { hopLimit: params.hopLimit } : {}),
        },
        native,
      );
      const id = nextTransportId++;
      transports6.set(id, transport);
      transport.onPacket((message, info) =>
        emitEvent('packet6', { id, hex: message.toString('hex'), ...info }),
      );
      transport.onError((error) =>
        emitEvent('transport-error', {
          id,
          kind: error.kind,
          message: error.error.message,
          code: (error.error as { code?: string }).code ?? null,
          dest: error.dest,
        }),
      );
      return { id, ifindex, source };
    },
    'transport6.send': (params) => {
      const transport = transport6Of(params);
      const payload = Buffer.from(str(params, 'payloadHex'), 'hex');
      const count = typeof params.count === 'number' ? params.count : 1;
      const source = typeof params.source === 'string' ? params.source : undefined;
      for (let i = 0; i < count; i++) transport.send(payload, str(params, 'dest'), source);
      return { queued: count };
    },
    'transport6.close': (params) => {
      transport6Of(params).close();
      transports6.delete(Number(params.id));
      return null;
    },

    'addresses.add': (params) => netlink.addresses.add(params as unknown as AddressSpec),
    'addresses.remove': (params) => netlink.addresses.remove(params as unknown as AddressSpec),
    'addresses.list': (params) =>
      netlink.addresses.list(
        typeof params.ifindex === 'number' ? params.ifindex : undefined,
        (params.family as AddressFamilyFilter | undefined) ?? 'ipv4',
      ),
    'addresses.linkLocal': (params) => netlink.addresses.linkLocalAddress(Number(params.ifindex)),
    'routes.add': (params) => {
      const { mode, ...spec } = params;
      return netlink.routes.add(spec as unknown as RouteSpec, mode as RouteAddMode | undefined);
    },
    'routes.replace': (params) => netlink.routes.replace(params as unknown as RouteSpec),
    'routes.remove': (params) => netlink.routes.remove(params as unknown as RouteSpec),
    'routes.list': (params) =>
      netlink.routes.list(typeof params.table === 'number' ? params.table : undefined, familyParam(params)),
    'rules.add': (params) => netlink.rules.add(params as unknown as RuleSpec),
    'rules.remove': (params) => netlink.rules.remove(params as unknown as RuleSpec),
    'rules.list': (params) => netlink.rules.list(familyParam(params)),
    'links.list': () => netlink.links.list(),
    'links.byName': (params) => netlink.links.byName(str(params, 'name')),

    'events.watch': (params) => {
      if (kernelEvents) return null;
      kernelEvents = watchKernelEvents({ ipv6Addresses: params.ipv6 === true });
      kernelEvents.onEvent((event) => {
        if (event.kind === 'error') emitEvent('kernel', { kind: 'error', message: event.error.message });
        else emitEvent('kernel', event);
      });
      return null;
    },

    'vmac.create': (params) => vmacs.create(params as unknown as VmacSpec),
    'vmac.remove': (params) => vmacs.remove(str(params, 'name')),
    'vmac.list': () => vmacs.list(),
    'vrf.lookup': (params) => vrfs.lookup(str(params, 'name')),
    'vmacSysctls.attach': (params) =>
      vmacSysctls.attach(str(params, 'vmac'), str(params, 'base'), {
        disableIpv6: params.disableIpv6 === true,
      }),
    'vmacSysctls.detach': (params) => vmacSysctls.detach(str(params, 'vmac'), str(params, 'base')),
    'vmacSysctls.restoreAll': () => vmacSysctls.restoreAll(),

    /** Can this namespace use the process-events connector? (Only the initial one can.) */
    'procEvents.probe': async () => {
      try {
        (await openProcConnector({ ackTimeoutMs: 1000 })).close();
        return { ok: true };
      } catch (error) {
        return { ok: false, code: error instanceof ProcConnectorUnavailable ? error.code : String(error) };
      }
    },

    'garp.send': (params) => {
      const result = garp.sendGratuitousArp(str(params, 'ifname'), str(params, 'vip'));
      return result.ok ? { ok: true, bytes: result.bytes } : { ok: false, code: result.error.code ?? null };
    },
    'na.send': (params) => {
      const result = neighborAdverts.sendNeighborAdvert(str(params, 'ifname'), str(params, 'vip'));
      return result.ok ? { ok: true, bytes: result.bytes } : { ok: false, code: result.error.code ?? null };
    },
    'native.interfaceIndex': (params) => native.interfaceIndex(str(params, 'ifname')),
    'native.interfaceHardwareAddress': (params) => native.interfaceHardwareAddress(str(params, 'ifname')),
  },
  () => {
    for (const transport of transports.values()) transport.close();
    for (const transport of transports6.values()) transport.close();
    kernelEvents?.close();
    netlink.close();
    vmacNetlink.close();
    process.exit(0);
  },
);
emitEvent('ready', { pid: process.pid });
