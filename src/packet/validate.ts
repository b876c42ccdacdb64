// The receive-side validation ladder (RFC 3768 §7.1, RFC 5798 §7.1): a raw IP packet from the
// VRRP socket either becomes an advert for one local instance, or a drop with exactly one typed
// reason. Steps run in the RFC's order so the reason is the first rule broken, as keepalived
// reports it. Pure and allocation-light: it runs for every packet on the hot path.
//
// This file reads the IPv4 header and holds the steps both families share (validateMessage);
// validate6.ts is the IPv6 entry, whose header facts come from the socket's ancillary data.

import { ipv4FromBytes } from './address.js';
import { IPSEC_AH_PROTOCOL } from './ipsec-ah.js';
import { ttlInWindow, type TtlWindow } from './ttl-window.js';
import { checkAhPacket } from './validate-ah.js';
import { splitIpv4Packet } from './ipv4.js';
import {
  AuthType,
  DropReason,
  type DecodeResult,
  type DropReasonCode,
  type Ipv4Header,
  type PseudoHeader,
  type VrrpAdvert,
  type VrrpVersion,
} from './types.js';
import {
  V2_AUTH_DATA_LENGTH,
  VRRP_PROTOCOL,
  VRRP_TTL,
  decodeAdvert,
  simpleAuthData,
  v2IntervalSeconds,
} from './vrrp.js';

/**
 * VRRPv3 over IPv4: which destination the checksum's pseudo-header holds (keepalived's
 * old_unicast_checksum). 'rfc': the packet's own (RFC 5798 §5.2.8). 'old': the multicast group
 * `group`, as keepalived before 1.3.6 computed it even for unicast. 'detect': 'rfc', but a unicast
 * advert that only checks with `group` is taken and reported (oldChecksumInstance), so that the
 * instance can switch to 'old', as keepalived does.
 */
export interface V3ChecksumRule {
  form: 'rfc' | 'detect' | 'old';
  group: string;
}

/** What the instance receiving a VRID on this interface expects of adverts. */
export interface InstanceExpectations {
  /** Identifies the instance to the caller (e.g. its keepalived `vrrp_instance` name). */
  instanceKey: string;
  vrid: number;
  version: VrrpVersion;
  /** Our configured priority: 255 means we own the addresses and ignore others' adverts. */
  priority: number;
  /** v2 only (AuthType.none / AuthType.simple / AuthType.ah). */
  authType: number;
  /**
   * v2 PASS password (or AH key) as configured; used as keepalived's 8 zero-padded bytes. VRRPv2 over
   * IPv6 has no auth data on the wire, so a PASS instance there drops every advert
   * (auth_password): keepalived sends none either and has nothing it could check.
   */
  authPassword?: string;
  advertIntervalCs: number;
  /**
   * The addresses our own adverts carry (keepalived: virtual_ipaddress, not _excluded). IPv6
   * ones in canonical text (address6.ts canonicalIpv6), as decoded adverts carry them.
   */
  addresses: readonly string[];
  /** IPv6 ones in canonical text, as the socket reports sources. */
  unicastPeers?: readonly string[];
  /** keepalived `unicast_peer { ADDR min_ttl N max_ttl N }`: per-peer TTL windows (ttl-window.ts). */
  unicastPeerTtl?: ReadonlyMap<string, TtlWindow>;
  /** Multicast instances: the group they send to (tells apart instances sharing a VRID, vrid-demux.ts). */
  multicastGroup?: string;
  /** The configured source address (unicast_src_ip / mcast_src_ip), when there is one. */
  localAddress?: string;
  /** keepalived `check_unicast_src`: drop unicast adverts whose source is not a peer. */
  checkUnicastSource: boolean;
  /** keepalived `skip_check_adv_addr`: do not compare the advert's address list at all. */
  skipCheckAdvertAddresses: boolean;
  /** VRRPv3 over IPv4 only; absent means 'rfc'. */
  v3Checksum?: V3ChecksumRule;
}

export interface ValidationContext {
  /**
   * The instance running this VRID on the receiving interface, if any; with several sharing it,
   * the one the advert's source and destination pick (vrid-demux.ts).
   */
  lookupVrid(vrid: number, source?: string, destination?: string): InstanceExpectations | undefined;
  /**
   * Lowest TTL accepted on a unicast advert (multicast ones always need 255, RFC 3768 §7.1).
   * Default 255: keepalived sends unicast with TTL 255 too, so anything lower crossed a router.
   * Lower it only for peers deliberately reached through routers; 0 disables the check.
   */
  unicastTtlCheck?: number;
  /** auth_type AH: the instance's sequence counter (see validate-ah.ts); 0 when absent. */
  ahSequenceFloor?(instanceKey: string): number;
}

/** The IP facts of a received packet the ladder needs: both families' header shapes have them. */
export interface ReceivedIp {
  source: string;
  destination: string;
}

export interface AcceptedAdvert<Ip extends ReceivedIp = Ipv4Header> {
  ok: true;
  /** IPv4: the decoded header. IPv6: what the socket reported (Ipv6PacketInfo). */
  ip: Ip;
  advert: VrrpAdvert;
  instanceKey: string;
  /** Rules broken that keepalived counts and logs but accepts (RFC allows; see address step). */
  warnings: readonly DropReasonCode[];
  /** Log text for each warning, same index. */
  warningDetails: readonly string[];
  /** auth_type AH: the advert's sequence number; the instance's counter becomes this. */
  ahSequence?: number;
  /** The checksum only held in the old form: this instance (V3ChecksumRule 'detect') switches. */
  oldChecksumInstance?: string;
}

export interface DroppedPacket {
  ok: false;
  reason: DropReasonCode;
  /** One log line's worth: what was wrong, with the sender when known. */
  detail: string;
  /** IP source, once the IP header was readable. */
  source?: string;
  /**
   * The advert's VRID, once the IP header was readable and the VRRP message reached its
   * second byte — whatever step failed after that, so the drop can be counted on the instance
   * running the VRID without anyone parsing the packet again.
   */
  vrid?: number;
  /**
   * As in AcceptedAdvert: keepalived switches at the checksum step, whatever a later step
   * decides about the packet.
   */
  oldChecksumInstance?: string;
}

export type ValidationResult<Ip extends ReceivedIp = Ipv4Header> = AcceptedAdvert<Ip> | DroppedPacket;

const NO_WARNINGS: readonly DropReasonCode[] = Object.freeze([]);
const NO_WARNING_DETAILS: readonly string[] = Object.freeze([]);

/**
 * A drop whose log text is built only if someone reads it: under a flood nearly every drop is
 * counted and not logged (the daemon's drop log is rate-limited), and the text is most of the
 * allocation a drop would cost.
 */
class Drop implements DroppedPacket {
  readonly ok = false as const;
  oldChecksumInstance?: string;
  constructor(
    readonly reason: DropReasonCode,
    private readonly describe: () => string,
    readonly source?: string,
    readonly vrid?: number,
  ) {}

  get detail(): string {
    return this.describe();
  }
}

function drop(reason: DropReasonCode, describe: () => string, source?: string, vrid?: number): DroppedPacket {
  return new Drop(reason, describe, source, vrid);
}

/**
 * Compares received auth data with a configured password without allocating in the common
 * (ASCII) case; keepalived sends the password's bytes zero-padded to eight.
 */
function authDataMatches(received: Buffer, password: string): boolean {
  if (received.length !== V2_AUTH_DATA_LENGTH) return false;
  for (let i = 0; i < V2_AUTH_DATA_LENGTH; i++) {
    const code = i < password.length ? password.charCodeAt(i) : 0;
    // Non-ASCII: the UTF-8 bytes no longer line up with UTF-16 code units; compare bytes.
    if (code > 0x7f) return received.equals(simpleAuthData(password));
    if (received[i] !== code) return false;
  }
  return true;
}

/** True when the advert carries exactly our address set (order does not matter). */
function sameAddresses(received: readonly string[], expected: readonly string[]): boolean {
  if (received.length !== expected.length) return false;
  for (const address of received) if (!expected.includes(address)) return false;
  return true;
}

/** The second byte of the VRRP message, if it is there. */
function vridOf(message: Uint8Array, offset = 0): number | undefined {
  return message.length > offset + 1 ? message[offset + 1] : undefined;
}

/** How the packet's TTL (IPv4) or hop limit (IPv6) is judged: RFC 3768 §7.1, RFC 5798 §7.1. */
export interface HopLimitRule {
  /** The TTL or hop limit the packet arrived with. */
  value: number;
  /** Sent to a multicast group: then nothing below 255 is accepted. */
  multicast: boolean;
  /** Lowest value accepted on a unicast advert; 0 accepts any. */
  unicastMinimum: number;
  /** "TTL" or "hop limit", for the log line. */
  label: string;
}

export type MessageDecoder = (message: Buffer, pseudo: PseudoHeader) => DecodeResult<VrrpAdvert>;

/**
 * The steps after the IP header, shared by both families: hop limit, the decoder's version /
 * length / checksum / type, then VRID, owner, authentication, interval, addresses and unicast
 * source. `ip` doubles as the checksum's pseudo-header (source and destination).
 */
export function validateMessage<Ip extends ReceivedIp>(
  message: Buffer,
  ip: Ip,
  hop: HopLimitRule,
  decode: MessageDecoder,
  instances: Pick<ValidationContext, 'lookupVrid'>,
  /** auth_type AH (IPv4 only): the sequence number of the AH header the message came in. */
  ahSequence?: number,
): ValidationResult<Ip> {
  const from = ip.source;
  const vrid = vridOf(message);

  // Step 1: TTL / hop limit 255, so the sender is on our link (RFC 3768 §7.1, RFC 5798 §7.1).
  const minimum = hop.multicast ? VRRP_TTL : hop.unicastMinimum;
  if (hop.value < minimum) {
    const rule = (): string =>
      hop.multicast ? 'multicast adverts need 255' : `unicast adverts need at least ${minimum}`;
    return drop(DropReason.ipTtl, () => `${hop.label} ${hop.value} from ${from}: ${rule()}`, from, vrid);
  }

  // Steps 2-4 and type: version, complete packet, checksum (v3: with pseudo-header), type 1.
  const decoded = decode(message, ip);
  if (!decoded.ok) return drop(decoded.reason, () => `${decoded.detail} (from ${from})`, from, vrid);
  const advert = decoded.value;

  // Step 5: a local instance for this VRID, of the same version, that is not the owner.
  const instance = instances.lookupVrid(advert.vrid, from, ip.destination);
  if (!instance) {
    return drop(
      DropReason.unknownVrid,
      () => `no instance for VRID ${advert.vrid} on this interface (from ${from})`,
      from,
      vrid,
    );
  }
  if (advert.version !== instance.version) {
    return drop(
      DropReason.version,
      () =>
        `VRRPv${advert.version} advert from ${from} for VRID ${advert.vrid}, which runs VRRPv${instance.version}`,
      from,
      vrid,
    );
  }
  if (instance.priority === 255) {
    return drop(
      DropReason.weAreOwner,
      () => `we own VRID ${advert.vrid}'s addresses (priority 255); advert from ${from} ignored`,
      from,
      vrid,
    );
  }

  if (advert.version === 2) {
    // Step 6: authentication (RFC 3768 §5.3.6; v3 has none, RFC 5798 §9). An AH instance takes
    // adverts only inside an AH header (already authenticated by the caller), as keepalived.
    if (instance.authType === AuthType.ah && ahSequence === undefined) {
      return drop(
        DropReason.authType,
        () =>
          `advert from ${from} for VRID ${advert.vrid} has no AH header, but the instance uses auth_type AH`,
        from,
        vrid,
      );
    }
    if (advert.authType !== instance.authType) {
      return drop(
        DropReason.authType,
        () =>
          `auth type ${advert.authType} from ${from} for VRID ${advert.vrid}, expected ${instance.authType}`,
        from,
        vrid,
      );
    }
    if (
      instance.authType === AuthType.simple &&
      !authDataMatches(advert.authData, instance.authPassword ?? '')
    ) {
      return drop(
        DropReason.authPassword,
        () =>
          advert.authData.length === 0
            ? `advert from ${from} for VRID ${advert.vrid} carries no password (VRRPv2 over IPv6 has no auth data)`
            : `auth password mismatch from ${from} for VRID ${advert.vrid}`,
        from,
        vrid,
      );
    }
    // Step 7 (v2): the interval must match ours (RFC 3768 §7.1). v3 instead learns the master's
    // interval (RFC 5798 §6.4.2), so a different one is not an error there.
    const ours = v2IntervalSeconds(instance.advertIntervalCs) * 100;
    if (advert.advertIntervalCs !== ours) {
      return drop(
        DropReason.advertInterval,
        () =>
          `advert interval ${advert.advertIntervalCs / 100}s from ${from} for VRID ${advert.vrid}, ours is ${ours / 100}s`,
        from,
        vrid,
      );
    }
  }

  // Address list (RFC 3768 §7.1 "MAY verify"): keepalived ≥ 2.3.3 logs a mismatch but accepts
  // the advert, because dropping it makes both routers master while a reload changes the VIPs.
  let warnings = NO_WARNINGS;
  let warningDetails = NO_WARNING_DETAILS;
  if (!instance.skipCheckAdvertAddresses && !sameAddresses(advert.addresses, instance.addresses)) {
    warnings = [DropReason.addressMismatch];
    warningDetails = [
      `advert from ${from} for VRID ${advert.vrid} carries [${advert.addresses.join(', ')}], ours are [${instance.addresses.join(', ')}]`,
    ];
  }

  // keepalived check_unicast_src: in unicast mode only configured peers may speak for the VRID.
  const peers = instance.unicastPeers;
  if (instance.checkUnicastSource && peers && peers.length > 0 && !peers.includes(from)) {
    return drop(
      DropReason.unicastSource,
      () => `advert from ${from} for VRID ${advert.vrid}: not a configured unicast peer`,
      from,
      vrid,
    );
  }

  // keepalived checks a peer's min_ttl/max_ttl once the source is known to be that peer.
  const window = instance.unicastPeerTtl?.get(from);
  if (window && !ttlInWindow(window, hop.value)) {
    return drop(
      DropReason.ipTtl,
      () =>
        `${hop.label} ${hop.value} from ${from} for VRID ${advert.vrid}: not in min_ttl ${window.min} .. max_ttl ${window.max}`,
      from,
      vrid,
    );
  }

  const accepted: AcceptedAdvert<Ip> = {
    ok: true,
    ip,
    advert,
    instanceKey: instance.instanceKey,
    warnings,
    warningDetails,
  };
  if (ahSequence !== undefined) accepted.ahSequence = ahSequence;
  return accepted;
}

/** Validates one raw IPv4 packet from the VRRP socket. Never throws on wire input. */
export function validatePacket(raw: Buffer, ctx: ValidationContext): ValidationResult {
  // IP header: readable, complete, and really VRRP.
  const split = splitIpv4Packet(raw);
  if (!split.ok) {
    const source = raw.length >= 20 ? ipv4FromBytes(raw, 12) : undefined;
    // A truncated packet had a good header: its VRRP message starts after it.
    const vrid = split.reason === DropReason.length ? vridOf(raw, (raw[0]! & 0x0f) * 4) : undefined;
    return drop(split.reason, () => split.detail, source, vrid);
  }
  const { ip } = split.value;
  let payload = split.value.payload;
  const from = ip.source;
  // auth_type AH: authenticate and unwrap first (keepalived checks the AH before the VRRP part).
  let ahSequence: number | undefined;
  if (ip.protocol === IPSEC_AH_PROTOCOL) {
    const ah = checkAhPacket(raw.subarray(0, ip.totalLength), ip.headerLength, from, ctx, ip.destination);
    if (!ah.ok) return drop(ah.reason, () => ah.detail, from);
    payload = ah.vrrp;
    ahSequence = ah.sequence;
  } else if (ip.protocol !== VRRP_PROTOCOL) {
    return drop(DropReason.ipHeader, () => `IP protocol ${ip.protocol} from ${from} is not VRRP (112)`, from);
  }
  const multicast = raw[16]! >= 224 && raw[16]! <= 239;
  const owner = ctx.lookupVrid(vridOf(payload) ?? -1, ip.source, ip.destination);
  const rule = owner?.v3Checksum;
  const decoder = rule && rule.form !== 'rfc' ? new V3ChecksumDecoder(rule) : null;
  const result = validateMessage(
    payload,
    ip,
    { value: ip.ttl, multicast, unicastMinimum: ctx.unicastTtlCheck ?? VRRP_TTL, label: 'TTL' },
    decoder ? decoder.decode : decodeAdvert,
    ctx,
    ahSequence,
  );
  if (decoder?.oldFormSeen && owner) result.oldChecksumInstance = owner.instanceKey;
  return result;
}

/**
 * Checks a VRRPv3 checksum by the receiving instance's V3ChecksumRule (keepalived vrrp.c,
 * vrrp_check_packet): 'old' puts the group in the pseudo-header; 'detect' tries the packet's own
 * destination, then the group when that is another address, and remembers that it matched.
 */
class V3ChecksumDecoder {
  oldFormSeen = false;
  constructor(private readonly rule: V3ChecksumRule) {}

  readonly decode: MessageDecoder = (message, pseudo) => {
    const { form, group } = this.rule;
    if (form === 'old') return decodeAdvert(message, { source: pseudo.source, destination: group });
    const decoded = decodeAdvert(message, pseudo);
    if (decoded.ok || form !== 'detect' || decoded.reason !== DropReason.checksum) return decoded;
    if (pseudo.destination === group || message[0]! >> 4 !== 3) return decoded;
    const old = decodeAdvert(message, { source: pseudo.source, destination: group });
    if (!old.ok) return decoded;
    this.oldFormSeen = true;
    return old;
  };
}
