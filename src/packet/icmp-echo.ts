// ICMP echo codec for the uplink prober (RFC 792): build echo requests, and recognise in a raw
// IPv4 packet either the echo reply to one of ours or an ICMP error (destination unreachable,
// time exceeded) quoting one of ours, so a probe the network refused fails at once instead of
// at its timeout. Wire input never throws: anything else decodes to `ignored` with a reason.

import { ipv4FromBytes } from './address.js';
import { internetChecksum } from './checksum.js';
import { splitIpv4Packet } from './ipv4.js';

export const ICMP_PROTOCOL = 1;
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DESTINATION_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
const ICMP_HEADER_LENGTH = 8;

export interface EchoRequest {
  identifier: number;
  sequence: number;
  payload: Buffer;
}

export function encodeEchoRequest(request: EchoRequest): Buffer {
  const message = Buffer.alloc(ICMP_HEADER_LENGTH + request.payload.length);
  message[0] = ICMP_ECHO_REQUEST;
  message[1] = 0;
  message.writeUInt16BE(request.identifier & 0xffff, 4);
  message.writeUInt16BE(request.sequence & 0xffff, 6);
  request.payload.copy(message, ICMP_HEADER_LENGTH);
  message.writeUInt16BE(internetChecksum(message), 2);
  return message;
}

export type IcmpFromPacket =
  | { kind: 'echoReply'; source: string; identifier: number; sequence: number; payload: Buffer }
  | {
      kind: 'error';
      /** The router that reported the error. */
      source: string;
      icmpType: number;
      code: number;
      /** The echo request it quotes. */
      destination: string;
      identifier: number;
      sequence: number;
    }
  | { kind: 'ignored'; reason: string };

function ignored(reason: string): IcmpFromPacket {
  return { kind: 'ignored', reason };
}

/** The echo request quoted in an ICMP error: original IPv4 header plus its first 8 payload bytes. */
function quotedEcho(quote: Buffer): { destination: string; identifier: number; sequence: number } | null {
  if (quote.length < 20) return null;
  const headerLength = (quote[0]! & 0x0f) * 4;
  if (quote[0]! >> 4 !== 4 || headerLength < 20 || quote.length < headerLength + ICMP_HEADER_LENGTH)
    return null;
  if (quote[9] !== ICMP_PROTOCOL || quote[headerLength] !== ICMP_ECHO_REQUEST) return null;
  return {
    destination: ipv4FromBytes(quote, 16),
    identifier: quote.readUInt16BE(headerLength + 4),
    sequence: quote.readUInt16BE(headerLength + 6),
  };
}

/** Decodes what a raw ICMP socket received (the whole IPv4 packet). */
export function decodeIcmpPacket(raw: Buffer): IcmpFromPacket {
  const split = splitIpv4Packet(raw);
  if (!split.ok) return ignored(split.detail);
  const { ip, payload } = split.value;
  if (ip.protocol !== ICMP_PROTOCOL) return ignored(`IP protocol ${ip.protocol} is not ICMP`);
  if (payload.length < ICMP_HEADER_LENGTH)
    return ignored(`ICMP message of ${payload.length} bytes is too short`);
  if (internetChecksum(payload) !== 0) return ignored('ICMP checksum is wrong');
  const type = payload[0]!;
  if (type === ICMP_ECHO_REPLY) {
    return {
      kind: 'echoReply',
      source: ip.source,
      identifier: payload.readUInt16BE(4),
      sequence: payload.readUInt16BE(6),
      payload: payload.subarray(ICMP_HEADER_LENGTH),
    };
  }
  if (type === ICMP_DESTINATION_UNREACHABLE || type === ICMP_TIME_EXCEEDED) {
    const quoted = quotedEcho(payload.subarray(ICMP_HEADER_LENGTH));
    if (!quoted) return ignored(`ICMP type ${type} does not quote an echo request`);
    return { kind: 'error', source: ip.source, icmpType: type, code: payload[1]!, ...quoted };
  }
  return ignored(`ICMP type ${type} is neither an echo reply nor an error`);
}
