// The receive path: raw packet → validation ladder → a verdict value. Either an advert for one
// instance (with the counters it moves), or a drop and who counts it. The receiver also owns the
// rate-limited drop log (drop-log.ts); it never calls back into the daemon. This is the hot path
// under a flood: no allocation beyond what the ladder needs, no logging per packet.

import {
  validatePacket,
  type InstanceExpectations,
  type ReceivedIp,
  type ValidationContext,
  type ValidationResult,
} from '../packet/validate.js';
import { validateIpv6Advert, type ValidationContext6 } from '../packet/validate6.js';
import type { AddressFamily, DropReasonCode, Ipv6PacketInfo, VrrpAdvert } from '../packet/types.js';
import { unicastTtlFloor } from '../packet/ttl-window.js';
import { pickInstance } from '../packet/vrid-demux.js';
import { VRRP_PROTOCOL } from '../packet/vrrp.js';
import { internetChecksum } from '../packet/checksum.js';
import { IPV4_MIN_HEADER_LENGTH } from '../packet/ipv4.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import { ChecksumForms } from './checksum-forms.js';
import { countDrop, type InstanceCounters } from './counters.js';
import { DropLog } from './drop-log.js';
import { expectationsOf, type InstancePlan } from './plan.js';
import { LOG, say } from '../runtime/messages.js';

export type ReceiveVerdict =
  | {
      readonly kind: 'advert';
      readonly instance: string;
      readonly advert: VrrpAdvert;
      readonly source: string;
      /** Rules broken that are counted but accepted (see the ladder's address step). */
      readonly warnings: readonly DropReasonCode[];
      /** auth_type AH: the advert's sequence number (the instance's counter follows it). */
      readonly ahSequence?: number;
    }
  | {
      readonly kind: 'drop';
      readonly reason: DropReasonCode;
      /** The instances that count the drop: its owner, or every instance of the interface. */
      readonly countedBy: readonly string[];
    };

interface InterfaceContext {
  ctx: ValidationContext & ValidationContext6;
  byVrid: Map<number, InstanceExpectations[]>;
  /** Every instance of the interface: who counts a packet no instance can own. */
  everyInstance: readonly string[];
  /** One shared array per owner, so a drop allocates no list. */
  ownerLists: Map<string, readonly string[]>;
  /** IPv4: the last advert accepted per VRID, to know its repeats (repeats()). */
  accepted: Map<number, AcceptedAdvert>;
}

/**
 * An IPv4 advert accepted without warnings, kept with its verdict. A master sends the same bytes
 * every interval (only the IP identification and so the header checksum change), and the ladder
 * is a pure function of the bytes and the interface's configuration: a repeat gets the verdict
 * again without being validated again (issue 15: validation was a quarter of a backup's idle CPU).
 * Not kept: AH packets (their sequence numbers make each one new), adverts with warnings (they
 * are logged), and anything that moved the old-checksum detection.
 */
interface AcceptedAdvert {
  /** The packet with the identification and header checksum zeroed. */
  bytes: Buffer;
  verdict: ReceiveVerdict & { kind: 'advert' };
}

/**
 * Whether `raw` is `kept` but for the bytes that differ between two sends of the same advert: the
 * IP identification (4, 5) and a header checksum (10, 11) that is right for it. `raw` is left as
 * it was.
 */
function repeats(raw: Buffer, kept: Buffer): boolean {
  if (raw.length !== kept.length || internetChecksum(raw, 0, 0, IPV4_MIN_HEADER_LENGTH) !== 0) return false;
  const id0 = raw[4]!;
  const id1 = raw[5]!;
  const sum0 = raw[10]!;
  const sum1 = raw[11]!;
  zeroVolatile(raw);
  const same = raw.equals(kept);
  raw[4] = id0;
  raw[5] = id1;
  raw[10] = sum0;
  raw[11] = sum1;
  return same;
}

function zeroVolatile(raw: Buffer): void {
  raw[4] = 0;
  raw[5] = 0;
  raw[10] = 0;
  raw[11] = 0;
}

/** The VRID of a VRRP packet without IP options (as adverts are sent), or undefined. */
function vrrpVridOf(raw: Buffer): number | undefined {
  if (raw.length < IPV4_MIN_HEADER_LENGTH + 2 || raw[0] !== 0x45 || raw[9] !== VRRP_PROTOCOL)
    return undefined;
  return raw[IPV4_MIN_HEADER_LENGTH + 1];
}

function interfaceContext(
  plans: readonly InstancePlan[],
  family: AddressFamily,
  checksums: ChecksumForms,
  ahSequenceFloor?: (instanceKey: string) => number,
): InterfaceContext {
  // keepalived lets instances share a VRID here when their adverts can be told apart (vrid-demux.ts).
  const byVrid = new Map<number, InstanceExpectations[]>();
  for (const plan of plans) {
    const v3Checksum = checksums.rule(plan);
    const expected = { ...expectationsOf(plan), ...(v3Checksum ? { v3Checksum } : {}) };
    byVrid.set(plan.vrid, [...(byVrid.get(plan.vrid) ?? []), expected]);
  }
  // IPv4: unicast adverts must arrive with the TTL our peers send, which is our own unicast_ttl
  // in a symmetric pair (keepalived's default, and ours, is 255). IPv6: keepalived 2.2.7 sends
  // unicast with the kernel's hop limit 64 unless unicast_ttl is set, and checks none, so neither
  // do we (validate6.ts). Multicast always needs 255.
  const unicastTtls = plans.filter((p) => p.unicastPeers !== null).map((p) => p.ttl);
  // IPv4 peers with a min_ttl/max_ttl window are judged by their window (a later step), not step 1.
  const unicastTtlCheck =
    family === 'ipv6'
      ? 0
      : unicastTtlFloor(
          unicastTtls.length > 0 ? Math.min(...unicastTtls) : 255,
          plans.flatMap((p) => (p.unicastPeers ? [...p.unicastPeerTtl.values()] : [])),
        );
  return {
    byVrid,
    ctx: {
      lookupVrid: (vrid, source = '', destination = '') => {
        const candidates = byVrid.get(vrid);
        return candidates && pickInstance(candidates, source, destination);
      },
      unicastTtlCheck,
      unicastHopLimitCheck: unicastTtlCheck,
      ...(ahSequenceFloor ? { ahSequenceFloor } : {}),
    },
    everyInstance: plans.map((p) => p.name),
    ownerLists: new Map(plans.map((p) => [p.name, [p.name]])),
    accepted: new Map(),
  };
}

const NOBODY: ReceiveVerdict = Object.freeze({ kind: 'drop', reason: 'unknown_vrid', countedBy: [] });

/** One socket per interface and family: their instances are validated together. */
function socketKey(family: AddressFamily, ifname: string): string {
  return `${family}:${ifname}`;
}

export class PacketReceiver {
  private readonly dropLog = new DropLog();
  private readonly contexts = new Map<string, InterfaceContext>();
  /** old_unicast_checksum state, shared with the send path (transports.ts). */
  readonly checksums = new ChecksumForms();

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** auth_type AH: the replay floor of each instance (ah-adverts.ts). */
    private readonly ahSequenceFloor?: (instanceKey: string) => number,
  ) {}

  /** The instances to receive for (start, reload); logs each drop kind again. */
  configure(plans: readonly InstancePlan[]): void {
    this.contexts.clear();
    this.checksums.reset();
    const bySocket = new Map<string, InstancePlan[]>();
    for (const plan of plans) {
      // The interface of the instance's socket (its VMAC with use_vmac, see transports.ts).
      const key = socketKey(plan.family, plan.sendInterface);
      const list = bySocket.get(key) ?? [];
      list.push(plan);
      bySocket.set(key, list);
    }
    for (const [key, list] of bySocket)
      this.contexts.set(key, interfaceContext(list, list[0]!.family, this.checksums, this.ahSequenceFloor));
    this.dropLog.reset();
  }

  /** State changed (a transition): log each drop kind again. */
  resetDropLog(): void {
    this.dropLog.reset();
  }

  /**
   * The packet behind `verdict` as repeats() compares it (identification and header checksum
   * zeroed), if it is the interface's kept advert: what an offload may watch for (offload.ts).
   */
  repeatBytes(ifname: string, verdict: ReceiveVerdict): Buffer | undefined {
    if (verdict.kind !== 'advert') return undefined;
    const kept = this.contexts.get(socketKey('ipv4', ifname))?.accepted.get(verdict.advert.vrid);
    return kept?.verdict === verdict ? kept.bytes : undefined;
  }

  /** An IPv4 packet (header included) from the interface's VRRP socket. */
  receive(ifname: string, raw: Buffer, source: string): ReceiveVerdict {
    const entry = this.contexts.get(socketKey('ipv4', ifname));
    if (!entry) return NOBODY;
    const vrid = vrrpVridOf(raw);
    const kept = vrid === undefined ? undefined : entry.accepted.get(vrid);
    if (kept && repeats(raw, kept.bytes)) {
      this.dropLog.resetPeer(kept.verdict.source, kept.verdict.warnings);
      return kept.verdict;
    }
    const result = validatePacket(raw, entry.ctx);
    const verdict = this.verdict(ifname, entry, result, source);
    if (
      vrid !== undefined &&
      verdict.kind === 'advert' &&
      verdict.warnings.length === 0 &&
      verdict.ahSequence === undefined &&
      result.oldChecksumInstance === undefined
    ) {
      const bytes = Buffer.from(raw);
      zeroVolatile(bytes);
      entry.accepted.set(vrid, { bytes, verdict });
    }
    return verdict;
  }

  /** An IPv6 VRRP message with what the socket reported about it. */
  receive6(ifname: string, message: Buffer, info: Ipv6PacketInfo): ReceiveVerdict {
    const entry = this.contexts.get(socketKey('ipv6', ifname));
    if (!entry) return NOBODY;
    return this.verdict(ifname, entry, validateIpv6Advert(message, info, entry.ctx), info.source);
  }

  private verdict(
    ifname: string,
    entry: InterfaceContext,
    result: ValidationResult<ReceivedIp>,
    source: string,
  ): ReceiveVerdict {
    if (result.oldChecksumInstance !== undefined)
      this.switchToOldChecksum(ifname, entry, result.oldChecksumInstance);
    if (!result.ok) {
      // The ladder reads the VRID as soon as the message has one: the owner counts the drop.
      // Several instances on the VRID: the one that lists the source as a peer (vrid-demux.ts).
      const candidates = entry.byVrid.get(result.vrid ?? -1) ?? [];
      const owner = pickInstance(candidates, result.source ?? source, '')?.instanceKey;
      this.logDrop(ifname, owner ?? null, result.reason, result, result.source ?? source);
      // A packet no instance can own (unknown VRID, garbage) is counted on every instance of the
      // interface: each of them saw it, and `status` must account for every dropped packet.
      const countedBy = owner ? (entry.ownerLists.get(owner) ?? [owner]) : entry.everyInstance;
      return { kind: 'drop', reason: result.reason, countedBy };
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
    return {
      kind: 'advert',
      instance: result.instanceKey,
      advert: result.advert,
      source: result.ip.source,
      warnings: result.warnings,
      ...(result.ahSequence !== undefined ? { ahSequence: result.ahSequence } : {}),
    };
  }

  /** keepalived's automatic switch to the pre-1.3.6 VRRPv3 checksum (checksum-forms.ts). */
  private switchToOldChecksum(ifname: string, entry: InterfaceContext, instance: string): void {
    entry.accepted.clear();
    for (const [vrid, candidates] of entry.byVrid) {
      const index = candidates.findIndex((e) => e.instanceKey === instance && e.v3Checksum);
      const expected = candidates[index];
      if (!expected?.v3Checksum) continue;
      this.checksums.switchToOld(instance);
      const switched = { ...expected, v3Checksum: { ...expected.v3Checksum, form: 'old' as const } };
      entry.byVrid.set(
        vrid,
        candidates.map((e, i) => (i === index ? switched : e)),
      );
      say(this.logger, LOG.oldUnicastChecksum, { interface: ifname, instance });
    }
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
    const decision = this.dropLog.decide(reason, peer, this.clock.now());
    if (decision.suppressedBefore > 0) {
      say(this.logger, LOG.dropsSuppressed, {
        event: 'drops_suppressed',
        interface: ifname,
        reason,
        count: decision.suppressedBefore,
      });
    }
    if (!decision.log) return;
    const detail = described.detail;
    say(this.logger, accepted ? LOG.acceptedWithWarning : LOG.dropped, {
      event: accepted ? 'advert_warning' : 'drop',
      interface: ifname,
      instance,
      reason,
      peer,
      detail,
    });
  }
}

/** Moves the counters a verdict accounts for: every packet is either accepted or counted as a drop. */
export function countVerdict(
  verdict: ReceiveVerdict,
  countersOf: (instance: string) => InstanceCounters | undefined,
): void {
  if (verdict.kind === 'drop') {
    for (const name of verdict.countedBy) {
      const counters = countersOf(name);
      if (counters) countDrop(counters, verdict.reason);
    }
    return;
  }
  const counters = countersOf(verdict.instance);
  if (!counters) return;
  counters.advertsRx++;
  if (verdict.advert.priority === 0) counters.priorityZeroRx++;
  for (const warning of verdict.warnings) countDrop(counters, warning);
}
