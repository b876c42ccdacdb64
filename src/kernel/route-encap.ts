// Lightweight-tunnel encapsulation of a route or a next hop (RTA_ENCAP_TYPE + RTA_ENCAP; the
// uapi headers lwtunnel.h, mpls_iptunnel.h, ila.h), laid out as keepalived 2.2.7 and iproute2 send
// it: `ip`/`ip6` tunnel metadata for a collect_md tunnel device, an MPLS label stack, an ILA
// locator. Pure encoding; routes.ts and route-nexthops.ts put it in the message.

import { ipv4ToBytes } from '../packet/address.js';
import { ipv6ToBytes } from '../packet/address6.js';
import { attribute, u16, u8 } from './netlink-attributes.js';

export const RTA_ENCAP_TYPE = 21;
export const RTA_ENCAP = 22;

const ENCAP_TYPES = { mpls: 1, ip: 2, ila: 3, ip6: 4 } as const;
/** LWTUNNEL_IP_* and LWTUNNEL_IP6_* share their numbers. */
const IP = { id: 1, dst: 2, src: 3, ttl: 4, tos: 5, flags: 6 } as const;
const MPLS_IPTUNNEL_DST = 1;
const ILA_ATTR_LOCATOR = 1;
/** Bottom-of-stack bit of an MPLS label stack entry (RFC 3032 §2.1). */
const MPLS_BOS = 0x100;
const MPLS_LABEL_SHIFT = 12;

export type RouteEncap =
  | {
      type: 'ip' | 'ip6';
      /** Tunnel id (u64), decimal text. */
      id?: string;
      dst?: string;
      src?: string;
      /** tos (ip) / tc (ip6). */
      dsfield?: number;
      /** ttl (ip) / hoplimit (ip6). */
      ttl?: number;
      flags?: number;
    }
  | { type: 'mpls'; labels: readonly number[] }
  | { type: 'ila'; locator: string };

function u64be(text: string): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(text));
  return buf;
}

function payload(encap: RouteEncap): Buffer[] {
  switch (encap.type) {
    case 'mpls': {
      if (encap.labels.length === 0) throw new RangeError('an MPLS encapsulation needs a label');
      const stack = Buffer.alloc(4 * encap.labels.length);
      encap.labels.forEach((label, index) => {
        const bos = index === encap.labels.length - 1 ? MPLS_BOS : 0;
        stack.writeUInt32BE(((label << MPLS_LABEL_SHIFT) | bos) >>> 0, 4 * index);
      });
      return [attribute(MPLS_IPTUNNEL_DST, stack)];
    }
    case 'ila': {
      const groups = encap.locator.split(':').map((g) => parseInt(g, 16));
      const locator = Buffer.alloc(8);
      groups.forEach((group, index) => locator.writeUInt16BE(group, 2 * index));
      return [attribute(ILA_ATTR_LOCATOR, locator)];
    }
    case 'ip':
    case 'ip6': {
      const address = encap.type === 'ip' ? ipv4ToBytes : ipv6ToBytes;
      const attrs: Buffer[] = [];
      if (encap.id !== undefined) attrs.push(attribute(IP.id, u64be(encap.id)));
      if (encap.dst !== undefined) attrs.push(attribute(IP.dst, address(encap.dst)));
      if (encap.src !== undefined) attrs.push(attribute(IP.src, address(encap.src)));
      // keepalived sends the DS field and the TTL as attributes 5 and 4 of both families
      // (LWTUNNEL_IP_TOS/TTL, LWTUNNEL_IP6_TC/HOPLIMIT).
      if (encap.dsfield !== undefined) attrs.push(attribute(IP.tos, u8(encap.dsfield)));
      if (encap.ttl !== undefined) attrs.push(attribute(IP.ttl, u8(encap.ttl)));
      if (encap.flags !== undefined) attrs.push(attribute(IP.flags, u16(encap.flags)));
      return attrs;
    }
  }
}

/** The RTA_ENCAP_TYPE value and the RTA_ENCAP payload (its nested attributes). */
export function encodeRouteEncap(encap: RouteEncap): { encapType: number; encap: Buffer } {
  return { encapType: ENCAP_TYPES[encap.type], encap: Buffer.concat(payload(encap)) };
}

/** The two attributes as they go inside a next hop (struct rtnexthop's attributes). */
export function encapAttributes(encap: RouteEncap): Buffer[] {
  const encoded = encodeRouteEncap(encap);
  return [attribute(RTA_ENCAP, encoded.encap), attribute(RTA_ENCAP_TYPE, u16(encoded.encapType))];
}
