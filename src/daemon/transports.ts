// One advert socket per interface that runs instances: opened and closed to follow the running
// set (start, reload), used to send each instance's adverts to its peers or multicast group, and
// handing every received packet to one callback (the daemon's receive path).

import type { AdvertTransport, AdvertTransportOptions, PacketMeta } from '../kernel/transport.js';
import type { LinkInfo } from '../kernel/links.js';
import { encodeAdvert } from '../packet/vrrp.js';
import type { VrrpAdvert } from '../packet/types.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import type { InstanceRuntime } from './instance-table.js';
import { LOG, say } from '../runtime/messages.js';

export type PacketHandler = (ifname: string, raw: Buffer, meta: PacketMeta) => void;

export interface TransportNeeds {
  /** The runtimes, grouped by interface by the caller's order. */
  runtimes: readonly InstanceRuntime[];
  link(ifname: string): LinkInfo | undefined;
  /** The source address an instance sends from, or '0.0.0.0' when it has none. */
  sourceOf(name: string): string;
}

export class TransportSet {
  private readonly open = new Map<string, AdvertTransport>();

  constructor(
    private readonly openTransport: (options: AdvertTransportOptions) => AdvertTransport,
    private readonly onPacket: PacketHandler,
    private readonly logger: Logger,
    /** Sends an instance's advert another way (auth_type AH, ah-adverts.ts); null: not its job. */
    private readonly sendOther?: (
      runtime: InstanceRuntime,
      advert: VrrpAdvert,
      source: string,
    ) => boolean | null,
  ) {}

  /** Opens a socket for every interface that has instances, closes the others. */
  sync(needs: TransportNeeds): void {
    const wanted = new Map<string, InstanceRuntime[]>();
    for (const runtime of needs.runtimes) {
      const list = wanted.get(runtime.plan.interfaceName) ?? [];
      list.push(runtime);
      wanted.set(runtime.plan.interfaceName, list);
    }
    for (const [ifname, transport] of this.open) {
      if (wanted.has(ifname)) continue;
      transport.close();
      this.open.delete(ifname);
    }
    for (const [ifname, runtimes] of wanted) {
      if (this.open.has(ifname)) continue;
      const link = needs.link(ifname);
      if (!link) {
        say(this.logger, LOG.interfaceMissing, { interface: ifname });
        continue;
      }
      const plans = runtimes.map((r) => r.plan);
      const source = plans.map((p) => needs.sourceOf(p.name)).find((a) => a !== '0.0.0.0');
      try {
        const transport = this.openTransport({
          ifname,
          ifindex: link.ifindex,
          sourceAddress: source ?? '0.0.0.0',
          joinMulticast: plans.some((p) => p.unicastPeers === null),
          multicastGroups: [
            ...new Set(plans.filter((p) => p.unicastPeers === null).map((p) => p.multicastGroup)),
          ],
          ttl: Math.min(...plans.map((p) => p.ttl)),
        });
        transport.onPacket((raw, meta) => this.onPacket(ifname, raw, meta));
        transport.onError((error) =>
          say(this.logger, LOG.socketError, {
            interface: ifname,
            kind: error.kind,
            dest: error.dest,
            err: error.error.message,
          }),
        );
        this.open.set(ifname, transport);
      } catch (error) {
        say(this.logger, LOG.socketOpenFailed, { interface: ifname, err: errorMessage(error) });
      }
    }
  }

  /** Sends one advert of `runtime` from `source` to each unicast peer, or to the multicast group. */
  send(runtime: InstanceRuntime, advert: VrrpAdvert, source: string): boolean {
    const other = this.sendOther?.(runtime, advert, source);
    if (other !== undefined && other !== null) return other;
    const transport = this.open.get(runtime.plan.interfaceName);
    if (!transport) return false;
    const destinations = runtime.plan.unicastPeers ?? [runtime.plan.multicastGroup];
    const v2Payload = advert.version === 2 ? encodeAdvert(advert) : null;
    for (const destination of destinations) {
      // RFC 5798 §5.2.8: the v3 checksum covers the real destination, so unicast needs one per peer.
      const payload = v2Payload ?? encodeAdvert(advert, { source, destination });
      transport.send(payload, destination, source);
    }
    return true;
  }

  closeAll(): void {
    for (const transport of this.open.values()) transport.close();
    this.open.clear();
  }
}
