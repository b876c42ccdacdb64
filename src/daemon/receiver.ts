// The receive path: raw packet → validation ladder → either a core event for one instance, or a
// counted drop whose log line is rate-limited (drop-log.ts). This is the hot path under a flood:
// no allocation beyond what the ladder needs, no logging per packet.

import { validatePacket, type InstanceExpectations, type ValidationContext } from '../packet/validate.js';
import type { VrrpAdvert } from '../packet/types.js';
import { countDrop, type InstanceCounters } from './counters.js';
import { DropLog } from './drop-log.js';
import type { Logger } from '../runtime/log.js';
import { expectationsOf, type InstancePlan } from './plan.js';

export interface ReceiverHost {
  /** The instances whose interface is `ifname`. */
  instancesOn(ifname: string): ReadonlyArray<{ plan: InstancePlan }>;
  deliver(instance: string, advert: VrrpAdvert, source: string): void;
  countersOf(instance: string): InstanceCounters | undefined;
  now(): number;
}

/** The VRID of a packet that failed validation, if its bytes get that far (for per-instance counts). */
function peekVrid(raw: Buffer): number | undefined {
  if (raw.length < 1) return undefined;
  const ipHeaderLength = (raw[0]! & 0x0f) * 4;
  return raw.length > ipHeaderLength + 1 ? raw[ipHeaderLength + 1] : undefined;
}

export class PacketReceiver {
  private readonly dropLog = new DropLog();
  private readonly contexts = new Map<
    string,
    {
      ctx: ValidationContext;
      byVrid: Map<number, InstanceExpectations>;
      /** Every instance of the interface: who counts a packet no instance can own. */
      everyInstance: string[];
    }
  >();

  constructor(
    private readonly logger: Logger,
    private readonly host: ReceiverHost,
  ) {}

  /** Configuration or state changed: rebuild expectations and log each drop kind again. */
  reset(): void {
    this.contexts.clear();
    this.dropLog.reset();
  }

  private contextFor(ifname: string) {
    let entry = this.contexts.get(ifname);
    if (!entry) {
      const byVrid = new Map<number, InstanceExpectations>();
      const plans = this.host.instancesOn(ifname).map((r) => r.plan);
      for (const plan of plans) byVrid.set(plan.vrid, expectationsOf(plan));
      // Unicast adverts must arrive with the TTL our peers send, which is our own unicast_ttl in a
      // symmetric pair (keepalived's default, and ours, is 255). Multicast always needs 255.
      const unicastTtls = plans.filter((p) => p.unicastPeers !== null).map((p) => p.ttl);
      const unicastTtlCheck = unicastTtls.length > 0 ? Math.min(...unicastTtls) : 255;
      entry = {
        byVrid,
        ctx: { lookupVrid: (vrid) => byVrid.get(vrid), unicastTtlCheck },
        everyInstance: plans.map((p) => p.name),
      };
      this.contexts.set(ifname, entry);
    }
    return entry;
  }

  receive(ifname: string, raw: Buffer, source: string): void {
    const { ctx, byVrid, everyInstance } = this.contextFor(ifname);
    const result = validatePacket(raw, ctx);
    if (!result.ok) {
      const owner = byVrid.get(peekVrid(raw) ?? -1)?.instanceKey;
      if (owner) {
        const counters = this.host.countersOf(owner);
        if (counters) countDrop(counters, result.reason);
      } else {
        // A packet no instance can own (unknown VRID, garbage) is counted on every instance of the
        // interface: each of them saw it, and `status` must account for every dropped packet.
        for (const name of everyInstance) {
          const counters = this.host.countersOf(name);
          if (counters) countDrop(counters, result.reason);
        }
      }
      this.logDrop(ifname, owner ?? null, result.reason, result, result.source ?? source);
      return;
    }
    const counters = this.host.countersOf(result.instanceKey);
    if (counters) {
      counters.advertsRx++;
      if (result.advert.priority === 0) counters.priorityZeroRx++;
      for (const warning of result.warnings) countDrop(counters, warning);
    }
    for (let i = 0; i < result.warnings.length; i++) {
      const reason = result.warnings[i]!;
      this.logDrop(
        ifname,
        result.instanceKey,
        reason,
        { detail: result.warningDetails[i] ?? reason },
        result.ip.source,
        true,
      );
    }
    // Keep the warnings this advert itself carries, or a lasting one is logged on every advert.
    this.dropLog.resetPeer(result.ip.source, result.warnings);
    this.host.deliver(result.instanceKey, result.advert, result.ip.source);
  }

  /** `described.detail` is read only when a line is written (a drop builds its text lazily). */
  private logDrop(
    ifname: string,
    instance: string | null,
    reason: string,
    described: { readonly detail: string },
    peer: string,
    accepted = false,
  ) {
    const decision = this.dropLog.decide(reason, peer, this.host.now());
    if (decision.suppressedBefore > 0) {
      this.logger.warn(
        { event: 'drops_suppressed', interface: ifname, reason, count: decision.suppressedBefore },
        `${decision.suppressedBefore} more packets with ${reason} were not logged`,
      );
    }
    if (!decision.log) return;
    const detail = described.detail;
    this.logger.warn(
      { event: accepted ? 'advert_warning' : 'drop', interface: ifname, instance, reason, peer },
      accepted ? `accepted advert with ${reason}: ${detail}` : `dropped packet (${reason}): ${detail}`,
    );
  }
}
