// auth_type AH in the running daemon, as keepalived 2.2.7 does it (docs/design/ka-features.md §2):
// a second raw socket (IP protocol 51) on every interface with an AH instance, receiving into the
// same validation ladder; adverts sent as whole IP packets (IP header ‖ AH ‖ VRRPv2) because the
// ICV covers the header, with keepalived's per-instance IP id (1, 2, … never 0) and sequence
// counter. The counter is kept per instance name across reloads (keepalived keeps it too), moves
// with every advert sent and accepted, and follows keepalived's resynchronisation rules.

import type { AdvertTransport, AdvertTransportOptions, PacketMeta } from '../kernel/transport.js';
import type { LinkInfo } from '../kernel/links.js';
import { ahKey, ahVrrpAuthData, encodeAhPacket, IPSEC_AH_PROTOCOL } from '../packet/ipsec-ah.js';
import { AuthType, type VrrpAdvert } from '../packet/types.js';
import { encodeAdvert } from '../packet/vrrp.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import {
  acceptedSequence,
  clearCycle,
  INITIAL_AH_SEQUENCE,
  nextAdvertSequence,
  onBecomingMaster,
  syncedFromLowerPriority,
  type AhSequenceCounter,
} from '../vrrp/ah-sequence.js';
import type { InstanceRuntime } from './instance-table.js';
import { senderWins } from '../vrrp/receive.js';
import type { Instance } from '../vrrp/index.js';
import type { InstancePlan } from './plan.js';

export type AhPacketHandler = (ifname: string, raw: Buffer, meta: PacketMeta) => void;

/** The largest IPv4 identification; keepalived wraps to 1 (0 is never used). */
const MAX_IP_ID = 0xffff;

export function isAhPlan(plan: InstancePlan): boolean {
  return plan.core.authType === AuthType.ah;
}

export class AhAdverts {
  private readonly open = new Map<string, AdvertTransport>();
  private readonly counters = new Map<string, AhSequenceCounter>();
  private readonly ipIds = new Map<string, number>();

  constructor(
    private readonly openTransport: (options: AdvertTransportOptions) => AdvertTransport,
    private readonly onPacket: AhPacketHandler,
    private readonly logger: Logger,
  ) {}

  /** Opens a protocol-51 socket for every interface with an AH instance; closes the others. */
  sync(
    runtimes: readonly InstanceRuntime[],
    link: (ifname: string) => LinkInfo | undefined,
    sourceOf: (name: string) => string,
  ): void {
    const wanted = new Map<string, InstancePlan[]>();
    for (const { plan } of runtimes) {
      if (!isAhPlan(plan)) continue;
      wanted.set(plan.interfaceName, [...(wanted.get(plan.interfaceName) ?? []), plan]);
    }
    for (const [ifname, transport] of this.open) {
      if (wanted.has(ifname)) continue;
      transport.close();
      this.open.delete(ifname);
    }
    // Counters of instances that are gone; a kept instance keeps its counter (keepalived).
    const names = new Set(runtimes.map((r) => r.plan.name));
    for (const name of [...this.counters.keys()]) if (!names.has(name)) this.counters.delete(name);
    for (const [ifname, plans] of wanted) {
      if (this.open.has(ifname)) continue;
      const found = link(ifname);
      if (!found) continue; // the 112 transport already says the interface is missing
      const source = plans.map((p) => sourceOf(p.name)).find((a) => a !== '0.0.0.0');
      try {
        const multicast = plans.filter((p) => p.unicastPeers === null);
        const transport = this.openTransport({
          ifname,
          ifindex: found.ifindex,
          sourceAddress: source ?? '0.0.0.0',
          joinMulticast: multicast.length > 0,
          multicastGroups: [...new Set(multicast.map((p) => p.multicastGroup))],
          ttl: Math.min(...plans.map((p) => p.ttl)),
          protocol: IPSEC_AH_PROTOCOL,
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

  /** The highest sequence number seen or sent by an instance: the ladder's replay floor. */
  floor(instance: string): number {
    return this.counter(instance).sequence;
  }

  /**
   * One advert: the counter steps once and the IP id once; every unicast peer gets the same
   * numbers (only the destination differs), as keepalived sends them.
   */
  send(runtime: InstanceRuntime, advert: VrrpAdvert, source: string): boolean {
    const { plan } = runtime;
    const transport = this.open.get(plan.interfaceName);
    if (!transport) return false;
    const counter = nextAdvertSequence(this.counter(plan.name));
    this.counters.set(plan.name, counter);
    const identification = this.nextIpId(plan.name);
    const vrrp = encodeAdvert({ ...advert, authType: AuthType.ah, authData: ahVrrpAuthData() });
    const key = ahKey(plan.core.authPassword ?? '');
    const unicast = plan.unicastPeers !== null;
    for (const destination of plan.unicastPeers ?? [plan.multicastGroup]) {
      transport.sendIpPacket(
        encodeAhPacket({
          source,
          destination,
          identification,
          ttl: plan.ttl,
          unicast,
          sequence: counter.sequence,
          key,
          vrrp,
        }),
        destination,
      );
    }
    return true;
  }

  /**
   * An advert was accepted, `before` being the instance as it stood: keepalived moves the AH
   * counter while checking the packet, before the state machine answers (see accepted()).
   */
  acceptedVerdict(
    verdict: { instance: string; advert: VrrpAdvert; source: string; ahSequence?: number },
    before: Instance | undefined,
  ): void {
    if (verdict.ahSequence === undefined || !before) return;
    const { priority } = verdict.advert;
    const heardLower =
      before.state === 'MASTER' &&
      priority > 0 &&
      !senderWins(priority, verdict.source, before.effectivePriority, before.config.primaryAddress);
    this.accepted(verdict.instance, verdict.ahSequence, heardLower);
  }

  /**
   * An AH advert was accepted: the counter follows its number, then keepalived's rules — a MASTER
   * that stayed MASTER (it heard a lower priority) continues from just above the sender's number;
   * otherwise (a BACKUP, or a MASTER yielding to a higher priority) the cycle mark goes.
   */
  accepted(instance: string, sequence: number, heardLowerPriorityAsMaster: boolean): void {
    const followed = acceptedSequence(this.counter(instance), sequence);
    this.counters.set(
      instance,
      heardLowerPriorityAsMaster ? syncedFromLowerPriority(sequence) : clearCycle(followed),
    );
  }

  /** Becoming MASTER: a counter that ran out starts again from 0. */
  becameMaster(instance: string): void {
    this.counters.set(instance, onBecomingMaster(this.counter(instance)));
  }

  closeAll(): void {
    for (const transport of this.open.values()) transport.close();
    this.open.clear();
  }

  private counter(instance: string): AhSequenceCounter {
    return this.counters.get(instance) ?? INITIAL_AH_SEQUENCE;
  }

  private nextIpId(instance: string): number {
    const previous = this.ipIds.get(instance) ?? 0;
    const next = previous >= MAX_IP_ID ? 1 : previous + 1;
    this.ipIds.set(instance, next);
    return next;
  }
}
