// ICMPv6 echo codec for the uplink prober over IPv6 (RFC 4443 §4.1, §4.2): build echo requests,
// and recognise in what a raw ICMPv6 socket hands over (the ICMPv6 message alone: an IPv6 raw
// socket never delivers the IPv6 header, the source comes with recvfrom) either the echo reply to
// one of ours or an error (destination unreachable §3.1, time exceeded §3.3) quoting one of ours.
// The checksum covers a pseudo-header with addresses the kernel chooses, and Linux computes and
// verifies it for every ICMPv6 raw socket (RFC 3542 §3.1), so it is left 0 here and not checked.
// Wire input never throws: anything else decodes to `ignored` with a reason.

import { canonicalIpv6, ipv6FromBytes } from './address6.js';
import type { EchoRequest, IcmpFromPacket } from './icmp-echo.js';

export const ICMPV6_PROTOCOL = 58;
export const ICMPV6_DESTINATION_UNREACHABLE = 1;
export const ICMPV6_TIME_EXCEEDED = 3;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
const HEADER_LENGTH = 8;
const IPV6_HEADER_LENGTH = 40;

export function encodeEcho6Request(request: EchoRequest): Buffer {
  const message = Buffer.alloc(HEADER_LENGTH + request.payload.length);
  message[0] = ICMPV6_ECHO_REQUEST;
  message[1] = 0;
  message.writeUInt16BE(request.identifier & 0xffff, 4);
  message.writeUInt16BE(request.sequence & 0xffff, 6);
  request.payload.copy(message, HEADER_LENGTH);
  return message;
}

function ignored(reason: string): IcmpFromPacket {
  return { kind: 'ignored', reason };
}

/** The echo request an error quotes: the invoking IPv6 header (no extension headers) and our ICMPv6 header. */
function quotedEcho(quote: Buffer): { destination: string; identifier: number; sequence: number } | null {
  if (quote.length < IPV6_HEADER_LENGTH + HEADER_LENGTH || quote[0]! >> 4 !== 6) return null;
  if (quote[6] !== ICMPV6_PROTOCOL || quote[IPV6_HEADER_LENGTH] !== ICMPV6_ECHO_REQUEST) return null;
  return {
    destination: ipv6FromBytes(quote, 24),
    identifier: quote.readUInt16BE(IPV6_HEADER_LENGTH + 4),
    sequence: quote.readUInt16BE(IPV6_HEADER_LENGTH + 6),
  };
}

/** Decodes one ICMPv6 message received from `source`. */
export function decodeIcmp6Message(message: Buffer, source: string): IcmpFromPacket {
  if (message.length < HEADER_LENGTH)
    return ignored(`ICMPv6 message of ${message.length} bytes is too short`);
  const from = canonicalIpv6(source);
  if (from === null) return ignored(`source ${source} is not an IPv6 address`);
  const type = message[0]!;
  if (type === ICMPV6_ECHO_REPLY) {
    return {
      kind: 'echoReply',
      source: from,
      identifier: message.readUInt16BE(4),
      sequence: message.readUInt16BE(6),
      payload: message.subarray(HEADER_LENGTH),
    };
  }
  if (type === ICMPV6_DESTINATION_UNREACHABLE || type === ICMPV6_TIME_EXCEEDED) {
    const quoted = quotedEcho(message.subarray(HEADER_LENGTH));
    if (!quoted) return ignored(`ICMPv6 type ${type} does not quote an echo request`);
    return { kind: 'error', source: from, icmpType: type, code: message[1]!, ...quoted };
  }
  return ignored(`ICMPv6 type ${type} is neither an echo reply nor an error`);
}
