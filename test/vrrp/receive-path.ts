// The daemon's receive path, for the simulator and the conformance replays: an advert becomes the
// bytes of a whole IPv4 packet (the real codecs) and goes through the real validation ladder
// (src/packet/validate.ts) with the expectations the daemon builds (src/daemon/plan.ts). Nothing
// here decides what is accepted, so the tests can never disagree with the daemon about it.
// This is the only test module that calls the ladder: keep it the one place to change when the
// ladder's entry points change (IPv6).

import { expectationsOf, type InstancePlan } from '../../src/daemon/plan.js';
import { encodeIpv4Header, TOS_INTERNETWORK_CONTROL } from '../../src/packet/ipv4.js';
import type { VrrpAdvert } from '../../src/packet/types.js';
import {
  validatePacket,
  type InstanceExpectations,
  type ValidationResult,
} from '../../src/packet/validate.js';
import { encodeAdvert, VRRP_PROTOCOL, VRRP_TTL } from '../../src/packet/vrrp.js';

export interface PacketHeader {
  readonly source: string;
  readonly destination: string;
  /** Default 255, as every VRRP sender must use (RFC 3768 §5.2.3, RFC 5798 §5.1.1.3). */
  readonly ttl?: number;
}

/** The IPv4 packet a router sends for this advert (v3 checksums cover source and destination). */
export function advertPacket(advert: VrrpAdvert, header: PacketHeader): Buffer {
  const pseudo = { source: header.source, destination: header.destination };
  const vrrp = encodeAdvert(advert, advert.version === 3 ? pseudo : undefined);
  const ip = encodeIpv4Header({
    ...pseudo,
    ttl: header.ttl ?? VRRP_TTL,
    tos: TOS_INTERNETWORK_CONTROL,
    protocol: VRRP_PROTOCOL,
    payloadLength: vrrp.length,
    identification: 0,
  });
  return Buffer.concat([ip, vrrp]);
}

/** The instances of one receiving interface, looked up by VRID as the daemon's receiver does. */
export class ReceivingInterface {
  private readonly byVrid = new Map<number, InstanceExpectations>();

  constructor(plans: readonly InstancePlan[]) {
    for (const plan of plans) {
      if (this.byVrid.has(plan.vrid))
        throw new Error(`two instances with VRID ${plan.vrid} on one interface`);
      this.byVrid.set(plan.vrid, expectationsOf(plan));
    }
  }

  receive(packet: Buffer): ValidationResult {
    return validatePacket(packet, { lookupVrid: (vrid) => this.byVrid.get(vrid) });
  }
}
