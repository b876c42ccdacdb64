// Shapes shared by the VRRP codec, the validation ladder and the state machine.
// Addresses are strings (dotted quads, or canonical IPv6 text as address6.ts writes it) so they
// print, compare and serialise plainly; the family is the codec's business, not the advert's.

export type VrrpVersion = 2 | 3;
export type AddressFamily = 'ipv4' | 'ipv6';

/** RFC 3768 §5.3.6 authentication types (v2 only; v3 removed authentication). */
export const AuthType = { none: 0, simple: 1, ah: 2 } as const;
export type AuthTypeCode = (typeof AuthType)[keyof typeof AuthType];

/** A decoded (or to-be-encoded) VRRP advertisement, independent of the IP header around it. */
export interface VrrpAdvert {
  version: VrrpVersion;
  /** 1 = ADVERTISEMENT; the only type defined by RFC 3768 / RFC 5798. */
  type: number;
  vrid: number;
  priority: number;
  /**
   * Advertisement interval in centiseconds for both versions so the state machine has one unit:
   * v2 carries whole seconds on the wire (value × 100 here), v3 carries centiseconds (RFC 5798 §5.2.7).
   */
  advertIntervalCs: number;
  /** IPvX addresses carried in the advert, in wire order (IPv6 ones in canonical text). */
  addresses: string[];
  /**
   * v2 only: auth type and the 8 raw auth-data bytes (password zero-padded). VRRPv2 over IPv6
   * (keepalived's extension) carries the type but no auth data: authData is empty there.
   */
  authType: number;
  authData: Buffer;
}

/** The fields of a received IPv4 header the validation ladder needs (RFC 791). */
export interface Ipv4Header {
  version: number;
  headerLength: number;
  tos: number;
  totalLength: number;
  identification: number;
  ttl: number;
  protocol: number;
  checksum: number;
  source: string;
  destination: string;
}

/**
 * What the IPv6 VRRP socket reports with each message it receives (RFC 3542 ancillary data:
 * IPV6_PKTINFO and IPV6_HOPLIMIT), since an IPv6 raw socket never hands over the IPv6 header.
 */
export interface Ipv6PacketInfo {
  /** Canonical text (inet_ntop), e.g. the sender's fe80:: address. */
  source: string;
  /** ff02::12 for multicast adverts, our own address for unicast ones. */
  destination: string;
  hopLimit: number;
  /** The interface the packet arrived on. */
  ifindex: number;
}

/**
 * One code per validation step, in the order validate.ts checks them (RFC 3768 §7.1, after the
 * IP header itself has been read). Each code becomes a counter label (`drops{reason=...}`) and a
 * log field, so they are stable identifiers: never rename one. `address_mismatch` is counted and
 * logged but the advert is still accepted (see validate.ts).
 */
export const DropReason = {
  ipHeader: 'ip_header',
  ipTtl: 'ip_ttl',
  version: 'version',
  length: 'length',
  checksum: 'checksum',
  type: 'type',
  unknownVrid: 'unknown_vrid',
  weAreOwner: 'we_are_owner',
  authType: 'auth_type',
  authPassword: 'auth_password',
  advertInterval: 'advert_interval',
  addressMismatch: 'address_mismatch',
  unicastSource: 'unicast_source',
  // auth_type AH (ipsec-ah.ts, validate-ah.ts), checked right after the IP header:
  /** Not keepalived's AH: truncated, next header not VRRP, or a length field other than 4. */
  ahHeader: 'ah_header',
  /** The HMAC-MD5-96 ICV does not match: another password, or a field changed on the way. */
  ahIcv: 'ah_icv',
  /** The SPI is not the sender's address (keepalived's convention). */
  ahSpi: 'ah_spi',
  /** Sequence number not above the instance's counter: a replay (or a peer behind ours). */
  ahSequence: 'ah_sequence',
} as const;
export type DropReasonCode = (typeof DropReason)[keyof typeof DropReason];

export interface DecodeError {
  ok: false;
  reason: DropReasonCode;
  detail: string;
}

export type DecodeResult<T> = { ok: true; value: T } | DecodeError;

/** Source and destination of the enclosing IP packet: VRRPv3 checksums cover them (RFC 5798 §5.2.8). */
export interface PseudoHeader {
  source: string;
  destination: string;
}
