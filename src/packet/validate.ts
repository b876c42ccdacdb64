// The receive-side validation ladder (RFC 3768 §7.1, RFC 5798 §7.1): a raw IP packet from the
// VRRP socket either becomes an advert for one local instance, or a drop with exactly one typed
// reason. Steps run in the RFC's order so the reason is the first rule broken, as keepalived
// reports it. Pure and allocation-light: it runs for every packet on the hot path.

import { ipv4FromBytes } from './address.js';
import { splitIpv4Packet } from './ipv4.js';
import { IPSEC_AH_PROTOCOL } from './ipsec-ah.js';
import { checkAhPacket } from './validate-ah.js';
import { ttlInWindow, type TtlWindow } from './ttl-window.js';
import {
  AuthType,
  DropReason,
  type DropReasonCode,
  type Ipv4Header,
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
  /** v2 PASS password (or AH key) as configured; used as keepalived's 8 zero-padded bytes. */
  authPassword?: string;
  advertIntervalCs: number;
  /** The addresses our own adverts carry (keepalived: virtual_ipaddress, not _excluded). */
  addresses: readonly string[];
  unicastPeers?: readonly string[];
  /** keepalived `check_unicast_src`: drop unicast adverts whose source is not a peer. */
  checkUnicastSource: boolean;
  /** keepalived `unicast_peer { ADDR min_ttl N max_ttl N }`: per-peer TTL windows (ttl-window.ts). */
  unicastPeerTtl?: ReadonlyMap<string, TtlWindow>;
  /** keepalived `skip_check_adv_addr`: do not compare the advert's address list at all. */
  skipCheckAdvertAddresses: boolean;
}

export interface ValidationContext {
  /** The instance running this VRID on the receiving interface, if any. */
  lookupVrid(vrid: number): InstanceExpectations | undefined;
  /**
   * Lowest TTL accepted on a unicast advert (multicast ones always need 255, RFC 3768 §7.1).
   * Default 255: keepalived sends unicast with TTL 255 too, so anything lower crossed a router.
   * Lower it only for peers deliberately reached through routers; 0 disables the check.
   */
  unicastTtlCheck?: number;
  /** auth_type AH: the instance's sequence counter (see validate-ah.ts); 0 when absent. */
  ahSequenceFloor?(instanceKey: string): number;
}

export interface AcceptedAdvert {
  ok: true;
  ip: Ipv4Header;
  advert: VrrpAdvert;
  instanceKey: string;
  /** Rules broken that keepalived counts and logs but accepts (RFC allows; see address step). */
  warnings: readonly DropReasonCode[];
  /** Log text for each warning, same index. */
  warningDetails: readonly string[];
  /** auth_type AH: the advert's sequence number; the instance's counter becomes this. */
  ahSequence?: number;
}

export interface DroppedPacket {
  ok: false;
  reason: DropReasonCode;
  /** One log line's worth: what was wrong, with the sender when known. */
  detail: string;
  /** IP source, once the IP header was readable. */
  source?: string;
}

export type ValidationResult = AcceptedAdvert | DroppedPacket;

const NO_WARNINGS: readonly DropReasonCode[] = Object.freeze([]);
const NO_WARNING_DETAILS: readonly string[] = Object.freeze([]);

/**
 * A drop whose log text is built only if someone reads it: under a flood nearly every drop is
 * counted and not logged (the daemon's drop log is rate-limited), and the text is most of the
 * allocation a drop would cost.
 */
class Drop implements DroppedPacket {
  readonly ok = false as const;
  constructor(
    readonly reason: DropReasonCode,
    private readonly describe: () => string,
    readonly source?: string,
  ) {}

  get detail(): string {
    return this.describe();
  }
}

function drop(reason: DropReasonCode, describe: () => string, source?: string): DroppedPacket {
  return new Drop(reason, describe, source);
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

/** Validates one raw IP packet from the VRRP socket. Never throws on wire input. */
export function validatePacket(raw: Buffer, ctx: ValidationContext): ValidationResult {
  // IP header: readable, complete, and really VRRP.
  const split = splitIpv4Packet(raw);
  if (!split.ok) {
    const source = raw.length >= 20 ? ipv4FromBytes(raw, 12) : undefined;
    return drop(split.reason, () => split.detail, source);
  }
  const { ip } = split.value;
  let payload = split.value.payload;
  const from = ip.source;
  // auth_type AH: authenticate and unwrap first (keepalived checks the AH before the VRRP part).
  let ahSequence: number | undefined;
  if (ip.protocol === IPSEC_AH_PROTOCOL) {
    const ah = checkAhPacket(raw.subarray(0, ip.totalLength), ip.headerLength, from, ctx);
    if (!ah.ok) return drop(ah.reason, () => ah.detail, from);
    payload = ah.vrrp;
    ahSequence = ah.sequence;
  } else if (ip.protocol !== VRRP_PROTOCOL) {
    return drop(DropReason.ipHeader, () => `IP protocol ${ip.protocol} from ${from} is not VRRP (112)`, from);
  }

  // Step 1: TTL 255, so the sender is on our link (RFC 3768 §7.1, RFC 5798 §7.1).
  const multicast = raw[16]! >= 224 && raw[16]! <= 239;
  const minimumTtl = multicast ? VRRP_TTL : (ctx.unicastTtlCheck ?? VRRP_TTL);
  if (ip.ttl < minimumTtl) {
    const rule = (): string =>
      multicast ? 'multicast adverts need 255' : `unicast adverts need at least ${minimumTtl}`;
    return drop(DropReason.ipTtl, () => `TTL ${ip.ttl} from ${from}: ${rule()}`, from);
  }

  // Steps 2-4 and type: version, complete packet, checksum (v3: with pseudo-header), type 1.
  const decoded = decodeAdvert(payload, { source: ip.source, destination: ip.destination });
  if (!decoded.ok) return drop(decoded.reason, () => `${decoded.detail} (from ${from})`, from);
  const advert = decoded.value;

  // Step 5: a local instance for this VRID, of the same version, that is not the owner.
  const instance = ctx.lookupVrid(advert.vrid);
  if (!instance) {
    return drop(
      DropReason.unknownVrid,
      () => `no instance for VRID ${advert.vrid} on this interface (from ${from})`,
      from,
    );
  }
  if (advert.version !== instance.version) {
    return drop(
      DropReason.version,
      () =>
        `VRRPv${advert.version} advert from ${from} for VRID ${advert.vrid}, which runs VRRPv${instance.version}`,
      from,
    );
  }
  if (instance.priority === 255) {
    return drop(
      DropReason.weAreOwner,
      () => `we own VRID ${advert.vrid}'s addresses (priority 255); advert from ${from} ignored`,
      from,
    );
  }

  if (advert.version === 2) {
    // Step 6: authentication (RFC 3768 §5.3.6; v3 has none, RFC 5798 §9). An AH instance takes
    // adverts only inside an AH header (already authenticated above), as keepalived.
    if (instance.authType === AuthType.ah && ahSequence === undefined) {
      return drop(
        DropReason.authType,
        () =>
          `advert from ${from} for VRID ${advert.vrid} has no AH header, but the instance uses auth_type AH`,
        from,
      );
    }
    if (advert.authType !== instance.authType) {
      return drop(
        DropReason.authType,
        () =>
          `auth type ${advert.authType} from ${from} for VRID ${advert.vrid}, expected ${instance.authType}`,
        from,
      );
    }
    if (
      instance.authType === AuthType.simple &&
      !authDataMatches(advert.authData, instance.authPassword ?? '')
    ) {
      return drop(
        DropReason.authPassword,
        () => `auth password mismatch from ${from} for VRID ${advert.vrid}`,
        from,
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
    );
  }
  // keepalived checks a peer's min_ttl/max_ttl once the source is known to be that peer.
  const window = instance.unicastPeerTtl?.get(from);
  if (window && !ttlInWindow(window, ip.ttl)) {
    return drop(
      DropReason.ipTtl,
      () =>
        `TTL ${ip.ttl} from ${from} for VRID ${advert.vrid}: not in min_ttl ${window.min} .. max_ttl ${window.max}`,
      from,
    );
  }

  const accepted: AcceptedAdvert = {
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
