// ICMPv6 echo for the uplink health checks of an IPv6 group: the ICMP prober (icmp-prober.ts)
// over a raw IPPROTO_ICMPV6 socket, with the ICMPv6 codec. Same marks, same matching (identifier,
// sequence, probed address, payload cookie), same results. A raw ICMPv6 socket also receives
// neighbour discovery and router advertisements; the codec ignores them.

import { canonicalIpv6, isIpv6 } from '../packet/address6.js';
import { decodeIcmp6Message, encodeEcho6Request, ICMPV6_PROTOCOL } from '../packet/icmp6-echo.js';
import {
  openIcmpProber,
  type IcmpFamily,
  type IcmpProber,
  type IcmpProberOptions,
  type IcmpRawSocketModule,
} from './icmp-prober.js';

export const ICMP_V6: IcmpFamily = {
  name: 'IPv6',
  protocol: ICMPV6_PROTOCOL,
  isAddress: isIpv6,
  normalise: (address) => canonicalIpv6(address) ?? address,
  encode: encodeEcho6Request,
  decode: decodeIcmp6Message,
};

export function openIcmp6Prober(
  options: IcmpProberOptions = {},
  rawSocket?: IcmpRawSocketModule,
): IcmpProber {
  return rawSocket === undefined
    ? openIcmpProber(options, undefined, ICMP_V6)
    : openIcmpProber(options, rawSocket, ICMP_V6);
}
