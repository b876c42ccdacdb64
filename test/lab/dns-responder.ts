// A tiny authoritative DNS responder for namespace tests (run as a lab child, compiled, inside a
// namespace): answers A/AAAA queries for the names it is given, NXDOMAIN for the rest, on one
// documentation address, UDP port 53. `answering: false` makes it drop every query, as a DNS
// server that is down; `delayMs` holds each answer back that long (a slow path, for latency
// thresholds). Driven over JSON lines (json-lines.ts): start, set.

import { createSocket, type Socket } from 'node:dgram';
import { decodeDnsMessage, DNS_TYPE, encodeDnsResponse, type DnsQueryType } from '../../src/packet/dns.js';
import { emitEvent, serveJsonLines } from './json-lines-server.js';

let socket: Socket | null = null;
let answering = true;
let delayMs = 0;
let records: Record<string, string[]> = {};
let queries = 0;

function typeName(type: number): DnsQueryType | null {
  if (type === DNS_TYPE.A) return 'A';
  if (type === DNS_TYPE.AAAA) return 'AAAA';
  return null;
}

function apply(params: Record<string, unknown>): void {
  if (typeof params.answering === 'boolean') answering = params.answering;
  if (typeof params.delayMs === 'number') delayMs = Math.max(0, Math.min(10_000, params.delayMs));
  if (params.records && typeof params.records === 'object')
    records = params.records as Record<string, string[]>;
}

serveJsonLines(
  {
    async start(params) {
      if (socket) throw new Error('already started');
      apply(params);
      const address = String(params.address);
      const family = address.includes(':') ? 'udp6' : 'udp4';
      const server = createSocket(family);
      socket = server;
      server.on('message', (message, remote) => {
        queries++;
        if (!answering) return;
        const decoded = decodeDnsMessage(message);
        const question = decoded.ok ? decoded.message.questions[0] : undefined;
        const type = question ? typeName(question.type) : null;
        if (!decoded.ok || !question || !type) return;
        const wanted = (records[question.name.toLowerCase()] ?? []).filter(
          (a) => a.includes(':') === (type === 'AAAA'),
        );
        const known = question.name.toLowerCase() in records;
        const reply = encodeDnsResponse(
          { id: decoded.message.id, name: question.name, type },
          wanted,
          known ? 0 : 3,
        );
        if (delayMs === 0) server.send(reply, remote.port, remote.address);
        else setTimeout(() => server.send(reply, remote.port, remote.address), delayMs);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.bind(53, address, () => resolve());
      });
      return 'started';
    },
    set(params) {
      apply(params);
      return { answering, queries };
    },
  },
  () => {
    socket?.close();
    process.exit(0);
  },
);
emitEvent('ready');
