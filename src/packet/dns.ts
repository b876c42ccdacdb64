// A small DNS message codec (RFC 1035 §4): queries for one name, and responses read far enough to
// know whether the server answered and with which addresses. Used by the uplink module's DNS
// probe (a resolver reached through one uplink answers: the uplink works). Pure; decoding never
// throws and follows compression pointers (§4.1.4) with a bound, so a hostile reply cannot loop.

import { ipv4FromBytes, ipv4ToBytes } from './address.js';
import { ipv6FromBytes, ipv6ToBytes } from './address6.js';

export const DNS_TYPE = { A: 1, AAAA: 28 } as const;
export type DnsQueryType = keyof typeof DNS_TYPE;
const CLASS_IN = 1;
const HEADER_BYTES = 12;
const MAX_POINTER_HOPS = 16;
/** RCODEs (RFC 1035 §4.1.1) by name, for logs. */
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export interface DnsQuery {
  id: number;
  name: string;
  type: DnsQueryType;
}

export interface DnsAnswer {
  name: string;
  type: number;
  ttl: number;
  /** A and AAAA records as text; null for other types. */
  address: string | null;
}

export interface DnsResponse {
  id: number;
  isResponse: boolean;
  rcode: number;
  questions: Array<{ name: string; type: number }>;
  answers: DnsAnswer[];
}

export type DnsDecodeResult = { ok: true; message: DnsResponse } | { ok: false; reason: string };

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length > 63) throw new RangeError(`DNS label longer than 63 bytes: ${label}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function header(id: number, flags: number, counts: [number, number, number, number]): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  buf.writeUInt16BE(id & 0xffff, 0);
  buf.writeUInt16BE(flags, 2);
  counts.forEach((count, index) => buf.writeUInt16BE(count, 4 + index * 2));
  return buf;
}

/** A standard query with recursion desired (RD). */
export function encodeDnsQuery(query: DnsQuery): Buffer {
  const question = Buffer.alloc(4);
  question.writeUInt16BE(DNS_TYPE[query.type], 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header(query.id, 0x0100, [1, 0, 0, 0]), encodeName(query.name), question]);
}

function addressBytes(address: string): Buffer {
  return address.includes(':') ? ipv6ToBytes(address) : ipv4ToBytes(address);
}

/**
 * A response to `query` (for the tests' DNS responder): the addresses as A or AAAA records, or
 * `rcode` (e.g. 3, NXDOMAIN) with no answer.
 */
export function encodeDnsResponse(
  query: DnsQuery,
  addresses: readonly string[],
  rcode = 0,
  ttl = 60,
): Buffer {
  const name = encodeName(query.name);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(DNS_TYPE[query.type], 0);
  question.writeUInt16BE(CLASS_IN, 2);
  const answers = addresses.map((address) => {
    const data = addressBytes(address);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(data.length === 16 ? DNS_TYPE.AAAA : DNS_TYPE.A, 0);
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(ttl, 4);
    fixed.writeUInt16BE(data.length, 8);
    // A pointer to the question's name (offset 12), as servers usually compress it.
    return Buffer.concat([Buffer.from([0xc0, HEADER_BYTES]), fixed, data]);
  });
  // QR, RD, RA, and the rcode.
  const flags = 0x8000 | 0x0100 | 0x0080 | (rcode & 0x0f);
  return Buffer.concat([header(query.id, flags, [1, answers.length, 0, 0]), name, question, ...answers]);
}

function readName(buf: Buffer, start: number): { name: string; next: number } | null {
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  for (let hops = 0; hops <= MAX_POINTER_HOPS;) {
    if (offset >= buf.length) return null;
    const length = buf[offset] as number;
    if (length === 0) {
      return { name: labels.join('.'), next: next >= 0 ? next : offset + 1 };
    }
    if ((length & 0xc0) === 0xc0) {
      if (offset + 1 >= buf.length) return null;
      if (next < 0) next = offset + 2;
      offset = ((length & 0x3f) << 8) | (buf[offset + 1] as number);
      hops++;
      continue;
    }
    if (length > 63 || offset + 1 + length > buf.length) return null;
    labels.push(buf.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  return null;
}

function formatAddress(data: Buffer): string | null {
  if (data.length === 4) return ipv4FromBytes(data);
  if (data.length === 16) return ipv6FromBytes(data);
  return null;
}

export function decodeDnsMessage(buf: Buffer): DnsDecodeResult {
  if (buf.length < HEADER_BYTES) return { ok: false, reason: 'shorter than a DNS header' };
  const flags = buf.readUInt16BE(2);
  const qdcount = buf.readUInt16BE(4);
  const ancount = buf.readUInt16BE(6);
  let offset = HEADER_BYTES;
  const questions: DnsResponse['questions'] = [];
  for (let i = 0; i < qdcount; i++) {
    const name = readName(buf, offset);
    if (!name || name.next + 4 > buf.length) return { ok: false, reason: 'truncated question' };
    questions.push({ name: name.name, type: buf.readUInt16BE(name.next) });
    offset = name.next + 4;
  }
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < ancount; i++) {
    const name = readName(buf, offset);
    if (!name || name.next + 10 > buf.length) return { ok: false, reason: 'truncated answer' };
    const type = buf.readUInt16BE(name.next);
    const ttl = buf.readUInt32BE(name.next + 4);
    const length = buf.readUInt16BE(name.next + 8);
    const dataStart = name.next + 10;
    if (dataStart + length > buf.length) return { ok: false, reason: 'truncated answer data' };
    const data = buf.subarray(dataStart, dataStart + length);
    const address = type === DNS_TYPE.A || type === DNS_TYPE.AAAA ? formatAddress(data) : null;
    answers.push({ name: name.name, type, ttl, address });
    offset = dataStart + length;
  }
  return {
    ok: true,
    message: {
      id: buf.readUInt16BE(0),
      isResponse: (flags & 0x8000) !== 0,
      rcode: flags & 0x0f,
      questions,
      answers,
    },
  };
}
