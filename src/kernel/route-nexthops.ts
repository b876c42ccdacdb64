// Routes with several next hops (RTA_MULTIPATH, an array of struct rtnexthop each followed by its
// own attributes; rtnetlink(7)): keepalived's `nexthop via A nexthop via B` and its older
// `via A or B` form. The kernel spreads flows over the next hops (ECMP, by `weight`); it skips one
// only when its link is down (or, with net.ipv4.fib_multipath_use_neigh, when its neighbour is
// known unreachable) — "or" has never meant "the second one if the first fails".
// Pure encode/decode; routes.ts puts the result in RTA_MULTIPATH.

import { ipv4FromBytes, ipv4ToBytes, isIpv4 } from '../packet/address.js';
import { ipv6FromBytes, ipv6ToBytes, isIpv6 } from '../packet/address6.js';
import { attribute, i32, parseAttributes, readI32, readU16, u16, u32, u8 } from './netlink-attributes.js';
import { encapAttributes, type RouteEncap } from './route-encap.js';

const RTA_GATEWAY = 5;
const RTA_FLOW = 11;
const RTNH_HEADER = 8;
/** RTNH_F_ONLINK: the gateway is on the link even if no prefix says so. */
const RTNH_F_ONLINK = 4;

export interface RouteNexthop {
  gateway?: string;
  /** 0 or absent: the kernel finds the device from the gateway. */
  ifindex?: number;
  /** 1..256 as iproute2 and keepalived write it (sent as hops = weight - 1); default 1. */
  weight?: number;
  onlink?: boolean;
  encap?: RouteEncap;
  /** IPv4 realms (RTA_FLOW): FROM << 16 | TO. */
  realms?: number;
}

function requireNexthop(nexthop: RouteNexthop): void {
  if (nexthop.gateway !== undefined && !isIpv4(nexthop.gateway) && !isIpv6(nexthop.gateway)) {
    throw new RangeError(`nexthop gateway is not an IP address: ${nexthop.gateway}`);
  }
  if (nexthop.gateway === undefined && !nexthop.ifindex)
    throw new RangeError('a nexthop needs a gateway or a device');
  const weight = nexthop.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 1 || weight > 256)
    throw new RangeError(`nexthop weight ${weight} is outside 1..256`);
  if (nexthop.ifindex !== undefined && (!Number.isInteger(nexthop.ifindex) || nexthop.ifindex < 0)) {
    throw new RangeError(`bad nexthop ifindex ${nexthop.ifindex}`);
  }
}

/** The RTA_MULTIPATH payload for these next hops. Throws RangeError on a malformed one. */
export function encodeMultipath(nexthops: readonly RouteNexthop[]): Buffer {
  if (nexthops.length === 0) throw new RangeError('a multipath route needs at least one nexthop');
  return Buffer.concat(
    nexthops.map((nexthop) => {
      requireNexthop(nexthop);
      const gateway = nexthop.gateway;
      const bytes =
        gateway === undefined ? null : isIpv4(gateway) ? ipv4ToBytes(gateway) : ipv6ToBytes(gateway);
      const attrs = Buffer.concat([
        ...(bytes ? [attribute(RTA_GATEWAY, bytes)] : []),
        ...(nexthop.realms !== undefined ? [attribute(RTA_FLOW, u32(nexthop.realms))] : []),
        ...(nexthop.encap ? encapAttributes(nexthop.encap) : []),
      ]);
      // struct rtnexthop, host order: length (with its attributes), flags, hops, ifindex.
      return Buffer.concat([
        u16(RTNH_HEADER + attrs.length),
        u8(nexthop.onlink ? RTNH_F_ONLINK : 0),
        u8((nexthop.weight ?? 1) - 1),
        i32(nexthop.ifindex ?? 0),
        attrs,
      ]);
    }),
  );
}

export interface DecodedNexthop {
  gateway?: string;
  ifindex: number;
  weight: number;
  onlink: boolean;
}

/** The next hops of an RTA_MULTIPATH payload (IPv4 or IPv6 gateways); malformed tails are ignored. */
export function decodeMultipath(payload: Buffer): DecodedNexthop[] {
  const found: DecodedNexthop[] = [];
  let offset = 0;
  while (offset + RTNH_HEADER <= payload.length) {
    const length = readU16(payload, offset);
    if (length < RTNH_HEADER || offset + length > payload.length) break;
    const attrs = parseAttributes(payload.subarray(offset + RTNH_HEADER, offset + length));
    const gateway = attrs.get(RTA_GATEWAY);
    const nexthop: DecodedNexthop = {
      ifindex: readI32(payload, offset + 4),
      weight: payload[offset + 3]! + 1,
      onlink: (payload[offset + 2]! & RTNH_F_ONLINK) !== 0,
    };
    if (gateway && gateway.length === 4) nexthop.gateway = ipv4FromBytes(gateway);
    else if (gateway && gateway.length === 16) nexthop.gateway = ipv6FromBytes(gateway);
    found.push(nexthop);
    offset += (length + 3) & ~3;
  }
  return found;
}

/**
 * keepalived's deprecated `via A or B`: two next hops, A then B, weight 1 each. With `dev IF`
 * keepalived sends RTA_OIF and next hops without a device, which the kernel refuses (EINVAL,
 * "Nexthop device index does not match RTA_OIF") so the route never appears; vrrpd gives both next
 * hops the device instead (docs/design/ka-features.md §6) — pass it as `ifindex`.
 */
export function orRouteNexthops(via: string, alternative: string, ifindex?: number): RouteNexthop[] {
  const device = ifindex === undefined ? {} : { ifindex };
  return [
    { gateway: via, ...device },
    { gateway: alternative, ...device },
  ];
}
