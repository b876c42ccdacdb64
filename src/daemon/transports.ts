// One advert socket per interface and address family that runs instances: opened and closed to
// follow the running set (start, reload), used to send each instance's adverts to its peers or
// multicast group, and handing every received packet to the daemon's receive path — IPv4 as
// whole packets, IPv6 as the VRRP message with what the socket reported (Ipv6PacketInfo).
// An instance on a VMAC (use_vmac without vmac_xmit_base) has its socket on the VMAC, as
// keepalived: its adverts carry the virtual MAC (RFC 3768 §7.3), and a peer's adverts, sent from
// the same virtual MAC, are handed by the macvlan driver to the VMAC only, never to its base.

import type { LinkInfo } from '../kernel/links.js';
import type {
  AdvertOffload,
  AdvertTransport,
  AdvertTransportOptions,
  AdvertSocket,
  PacketMeta,
} from '../kernel/transport.js';
import type { AdvertTransport6, AdvertTransport6Options } from '../kernel/transport6.js';
import type { AddressFamily, Ipv6PacketInfo, VrrpAdvert } from '../packet/types.js';
import { encodeAdvert, encodeAdvert6, sameAdvert } from '../packet/vrrp.js';
import type { ChecksumForms } from './checksum-forms.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import type { InstanceRuntime } from './instance-table.js';

export interface PacketHandlers {
  ipv4(ifname: string, raw: Buffer, meta: PacketMeta): void;
  ipv6(ifname: string, message: Buffer, info: Ipv6PacketInfo): void;
}

export interface TransportOpeners {
  ipv4(options: AdvertTransportOptions): AdvertTransport;
  /** Absent where IPv6 cannot run (no native addon): IPv6 instances then stay in FAULT. */
  ipv6?(options: AdvertTransport6Options): AdvertTransport6;
}

export interface TransportNeeds {
  runtimes: readonly InstanceRuntime[];
  link(ifname: string): LinkInfo | undefined;
  /** The source address an instance sends from, or null when it has none (yet). */
  sourceOf(name: string): string | null;
}

type AnyTransport = AdvertSocket<PacketMeta> | AdvertSocket<Ipv6PacketInfo>;

interface OpenTransport {
  family: AddressFamily;
  transport: AnyTransport;
  /** The interface it is bound to: one deleted and made again (a VMAC, a veth) has a new index. */
  ifindex: number;
}

/**
 * The IPv4 packets last sent for one instance, by destination: a master sends the same advert
 * every interval, so they are built again only when the advert, its source or TTL, or the
 * checksum's pseudo-destination changes (issue 15: encoding was a fifth of a master's idle CPU).
 */
interface SentAdverts {
  advert: VrrpAdvert;
  source: string;
  ttl: number | undefined;
  packets: Map<string, { pseudoDestination: string; packet: Buffer }>;
}

function socketKey(family: AddressFamily, ifname: string): string {
  return `${family}:${ifname}`;
}

export class TransportSet {
  private readonly open = new Map<string, OpenTransport>();
  private readonly sentAdverts = new WeakMap<InstanceRuntime, SentAdverts>();

  constructor(
    private readonly openers: TransportOpeners,
    private readonly handlers: PacketHandlers,
    private readonly logger: Logger,
    /** Sends an instance's advert another way (auth_type AH, ah-adverts.ts); null: not its job. */
    private readonly sendOther?: (
      runtime: InstanceRuntime,
      advert: VrrpAdvert,
      source: string,
    ) => boolean | null,
    /** old_unicast_checksum: the form each instance checksums its VRRPv3 IPv4 adverts in. */
    private readonly checksums?: ChecksumForms,
  ) {}

  /** Opens a socket for every interface and family that has instances, closes the others. */
  sync(needs: TransportNeeds): void {
    const wanted = new Map<string, InstanceRuntime[]>();
    for (const runtime of needs.runtimes) {
      const key = socketKey(runtime.plan.family, runtime.plan.sendInterface);
      const list = wanted.get(key) ?? [];
      list.push(runtime);
      wanted.set(key, list);
    }
    for (const [key, { transport, ifindex }] of this.open) {
      const ifname = wanted.get(key)?.[0]?.plan.sendInterface;
      const current = ifname === undefined ? undefined : needs.link(ifname)?.ifindex;
      if (ifname !== undefined && (current === undefined || current === ifindex)) continue;
      transport.close();
      this.open.delete(key);
    }
    for (const [key, runtimes] of wanted) {
      if (this.open.has(key)) continue;
      const { family, sendInterface: ifname } = runtimes[0]!.plan;
      const link = needs.link(ifname);
      if (!link) {
        say(this.logger, LOG.interfaceMissing, { interface: ifname });
        continue;
      }
      const plans = runtimes.map((r) => r.plan);
      const source = plans.map((p) => needs.sourceOf(p.name)).find((a) => a !== null);
      // An IPv6 socket needs a source to exist: without a link-local address yet (DAD), the
      // instances wait in FAULT and the socket opens when the address appears (daemon.ts).
      if (family === 'ipv6' && !source) continue;
      try {
        const transport = this.openOne(family, ifname, link.ifindex, source ?? '0.0.0.0', plans);
        if (!transport) continue;
        transport.onError((error) =>
          say(this.logger, LOG.socketError, {
            interface: ifname,
            family,
            kind: error.kind,
            dest: error.dest,
            err: error.error.message,
          }),
        );
        this.open.set(key, { family, transport, ifindex: link.ifindex });
      } catch (error) {
        say(this.logger, LOG.socketOpenFailed, { interface: ifname, family, err: errorMessage(error) });
      }
    }
  }

  private openOne(
    family: AddressFamily,
    ifname: string,
    ifindex: number,
    source: string,
    plans: ReadonlyArray<InstanceRuntime['plan']>,
  ): AnyTransport | null {
    const joinMulticast = plans.some((p) => p.unicastPeers === null);
    if (family === 'ipv4') {
      // mcast_dst_ip: every multicast instance's group is joined (vrrp_mcast_group4 too).
      const multicastGroups = [
        ...new Set(plans.filter((p) => p.unicastPeers === null).map((p) => p.multicastGroup)),
      ];
      const transport = this.openers.ipv4({
        ifname,
        ifindex,
        sourceAddress: source,
        joinMulticast,
        multicastGroups,
      });
      transport.onPacket((raw, meta) => this.handlers.ipv4(ifname, raw, meta));
      return transport;
    }
    if (!this.openers.ipv6) {
      say(this.logger, LOG.socketOpenFailed, {
        interface: ifname,
        family,
        err: 'IPv6 needs the native addon, which is not loaded',
      });
      return null;
    }
    const multicastGroup = plans.find((p) => p.unicastPeers === null)?.multicastGroup;
    const transport = this.openers.ipv6({
      ifname,
      ifindex,
      sourceAddress: source,
      joinMulticast,
      ...(multicastGroup ? { multicastGroup } : {}),
    });
    transport.onPacket((message, info) => this.handlers.ipv6(ifname, message, info));
    return transport;
  }

  /** Whether the instance's socket is open (an IPv6 one waits for its link-local address). */
  isOpen(runtime: InstanceRuntime): boolean {
    return this.open.has(socketKey(runtime.plan.family, runtime.plan.sendInterface));
  }

  /**
   * Sends one advert of `runtime` from `source` to each unicast peer, or to the multicast group;
   * `to` narrows it to one peer (a handover to a chosen peer).
   */
  send(runtime: InstanceRuntime, advert: VrrpAdvert, source: string, to?: string): boolean {
    const other = this.sendOther?.(runtime, advert, source);
    if (other !== undefined && other !== null) return other;
    const { plan } = runtime;
    const entry = this.open.get(socketKey(plan.family, plan.sendInterface));
    if (!entry) return false;
    const destinations = to !== undefined ? [to] : (plan.unicastPeers ?? [plan.multicastGroup]);
    if (entry.family === 'ipv6') {
      // RFC 5798 §5.2.8: the checksum covers the IPv6 pseudo-header of this very destination.
      for (const destination of destinations) {
        entry.transport.send(encodeAdvert6(advert, { source, destination }), destination, source, plan.ttl);
      }
      return true;
    }
    const transport = entry.transport as AdvertTransport;
    const sent = this.sentFor(runtime, advert, source);
    for (const destination of destinations) {
      // v3 over IPv4 too: one checksum per destination (unicast peers), unless the old form
      // puts the multicast group there for every destination (checksum-forms.ts).
      const pseudoDestination = this.checksums?.pseudoDestination(plan, destination) ?? destination;
      let built = sent.packets.get(destination);
      if (built?.pseudoDestination !== pseudoDestination) {
        const payload =
          advert.version === 2
            ? encodeAdvert(advert)
            : encodeAdvert(advert, { source, destination: pseudoDestination });
        const packet = transport.packet(payload, destination, source, plan.ttl);
        if (packet === null) continue;
        built = { pseudoDestination, packet };
        sent.packets.set(destination, built);
      }
      transport.sendIpPacket(built.packet, destination);
    }
    return true;
  }

  /** The offload of the instance's socket (IPv4 through the addon), if it has one. */
  offloadOf(runtime: InstanceRuntime): AdvertOffload | undefined {
    const entry = this.open.get(socketKey(runtime.plan.family, runtime.plan.sendInterface));
    return entry?.family === 'ipv4' ? (entry.transport as AdvertTransport).offload : undefined;
  }

  /**
   * What send() just put on the wire for `advert`, packet by destination, to be sent again as it
   * is: null unless it went through the packet cache (not AH, not IPv6) to every destination.
   */
  sentPackets(
    runtime: InstanceRuntime,
    advert: VrrpAdvert,
    source: string,
  ): { packets: Buffer[]; destinations: string[] } | null {
    const sent = this.cachedFor(runtime, advert, source);
    if (!sent) return null;
    const destinations = runtime.plan.unicastPeers ?? [runtime.plan.multicastGroup];
    const packets: Buffer[] = [];
    for (const destination of destinations) {
      const built = sent.packets.get(destination);
      if (!built) return null;
      packets.push(built.packet);
    }
    return { packets, destinations: [...destinations] };
  }

  /** The instance's packet cache if it was built for this advert, source and TTL. */
  private cachedFor(runtime: InstanceRuntime, advert: VrrpAdvert, source: string): SentAdverts | undefined {
    const sent = this.sentAdverts.get(runtime);
    return sent && sent.source === source && sent.ttl === runtime.plan.ttl && sameAdvert(sent.advert, advert)
      ? sent
      : undefined;
  }

  /** The instance's packet cache, emptied when what its packets are built from changed. */
  private sentFor(runtime: InstanceRuntime, advert: VrrpAdvert, source: string): SentAdverts {
    const sent = this.cachedFor(runtime, advert, source);
    if (sent) return sent;
    const fresh: SentAdverts = { advert, source, ttl: runtime.plan.ttl, packets: new Map() };
    this.sentAdverts.set(runtime, fresh);
    return fresh;
  }

  closeAll(): void {
    for (const { transport } of this.open.values()) transport.close();
    this.open.clear();
  }
}
