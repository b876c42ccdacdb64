// The validation ladder for VRRP over IPv6 (RFC 5798 §7.1). An IPv6 raw socket hands over only
// what follows the IPv6 header; the header facts the ladder needs (source, destination, hop
// limit, interface) come with each message as ancillary data (RFC 3542 IPV6_PKTINFO,
// IPV6_HOPLIMIT). From there the steps, their order and their drop reasons are the IPv4 ones
// (validate.ts validateMessage); only the hop-limit rule for unicast differs by default.

import { isMulticastIpv6 } from './address6.js';
import type { Ipv6PacketInfo } from './types.js';
import { validateMessage, type InstanceExpectations, type ValidationResult } from './validate.js';
import { decodeAdvert6 } from './vrrp.js';

export interface ValidationContext6 {
  /** The instance running this VRID on the receiving interface, if any. */
  lookupVrid(vrid: number, source?: string, destination?: string): InstanceExpectations | undefined;
  /**
   * Lowest hop limit accepted on a unicast advert (multicast ones always need 255, RFC 5798
   * §7.1). Default 0, no check, unlike IPv4's 255: keepalived 2.2.7 sends unicast IPv6 adverts
   * with the kernel's default hop limit (64, captured in
   * test/fixtures/keepalived/v3-ipv6-unicast.hex) unless `unicast_ttl` is set, and checks none
   * itself, so demanding 255 would drop every advert of a keepalived peer. Set it (to the
   * peers' unicast_ttl) when every peer is known to send 255.
   */
  unicastHopLimitCheck?: number;
}

export type Ipv6ValidationResult = ValidationResult<Ipv6PacketInfo>;

/**
 * Validates one VRRP message received over IPv6 with what the socket reported about it. Never
 * throws on wire input. Drops carry the source, and the VRID once the message has two bytes.
 */
export function validateIpv6Advert(
  message: Buffer,
  info: Ipv6PacketInfo,
  ctx: ValidationContext6,
): Ipv6ValidationResult {
  return validateMessage(
    message,
    info,
    {
      value: info.hopLimit,
      multicast: isMulticastIpv6(info.destination),
      unicastMinimum: ctx.unicastHopLimitCheck ?? 0,
      label: 'hop limit',
    },
    decodeAdvert6,
    ctx,
  );
}
