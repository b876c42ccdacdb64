// A compiled child that floods the segment with the invalid VRRP packets of flood-packets.ts,
// from its own namespace: `ip netns exec NS node dist/test/reliability/flood-sender.js --rate R
// --seconds S --ifindex N`. It writes pre-built IPv4 packets (IP_HDRINCL, so spoofed sources and
// TTL 64 go out as built) through raw-socket, in batches every 10 ms to hold the rate, with a
// bounded number of packets in flight. At the end it prints one JSON line: what it really sent,
// per kind, and the rate it really achieved (the test compares the receiver's counters with it).

import { parseArgs } from 'node:util';
import { ipMreqn, IP_HDRINCL, IP_MULTICAST_IF, IPPROTO_IP } from '../../src/kernel/socket-options.js';
import { loadRawSocket } from '../lab/raw-socket.js';
import { VRRP_MULTICAST_GROUP4, VRRP_PROTOCOL } from '../../src/packet/vrrp.js';
import { FLOOD_KINDS, floodPackets, type FloodKind, type FloodPacket } from './flood-packets.js';

export interface FloodReport {
  sent: number;
  errors: number;
  firstError: string | null;
  byKind: Record<FloodKind, number>;
  seconds: number;
  /** Packets actually handed to the kernel per second. */
  rate: number;
}

const BATCH_INTERVAL_MS = 10;
/** Variants per kind (sources differ); the schedule cycles through kinds, then variants. */
const VARIANTS = 40;
const DRAIN_TIMEOUT_MS = 3000;

function options() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '10' },
      ifindex: { type: 'string' },
    },
    strict: true,
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const ifindex = Number(values.ifindex);
  if (!(rate > 0) || !(seconds > 0) || !Number.isInteger(ifindex) || ifindex < 1) {
    throw new Error('usage: flood-sender --rate R --seconds S --ifindex N');
  }
  return { rate, seconds, ifindex };
}

async function main(): Promise<void> {
  const { rate, seconds, ifindex } = options();
  const raw = loadRawSocket();
  const socket = raw.createSocket({ protocol: VRRP_PROTOCOL, addressFamily: raw.AddressFamily.IPv4 });
  socket.setOption(IPPROTO_IP, IP_HDRINCL, 1);
  const membership = ipMreqn(VRRP_MULTICAST_GROUP4, ifindex);
  socket.setOption(IPPROTO_IP, IP_MULTICAST_IF, membership, membership.length);
  // This socket only sends; what the routers multicast is of no interest here.
  socket.pauseRecv();
  socket.on('error', () => undefined);

  // Kinds interleaved, so that every kind gets the same share of any prefix of the schedule.
  const perKind = FLOOD_KINDS.map((kind) => floodPackets(kind, VARIANTS));
  const schedule: FloodPacket[] = [];
  for (let variant = 0; variant < VARIANTS; variant++)
    for (const list of perKind) schedule.push(list[variant]!);

  const report: FloodReport = {
    sent: 0,
    errors: 0,
    firstError: null,
    byKind: Object.fromEntries(FLOOD_KINDS.map((k) => [k, 0])) as Record<FloodKind, number>,
    seconds: 0,
    rate: 0,
  };
  const perBatch = Math.ceil((rate * BATCH_INTERVAL_MS) / 1000);
  let queued = 0;
  let completed = 0;
  const started = process.hrtime.bigint();
  const elapsedMs = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  const durationMs = seconds * 1000;
  const total = Math.round(rate * seconds);
  /** Give up on the schedule this long after the planned end (a sender that cannot keep up). */
  const lateMs = durationMs + 2000;

  while (queued < total && elapsedMs() < lateMs) {
    // Catch up to where the rate says we should be, but never more than two batches in flight.
    const due = Math.min(Math.floor((elapsedMs() * rate) / 1000), total);
    while (queued < due && queued - completed < 2 * perBatch) {
      const item = schedule[queued % schedule.length]!;
      queued++;
      socket.send(item.packet, 0, item.packet.length, item.destination, (error) => {
        completed++;
        if (error) {
          report.errors++;
          report.firstError ??= error.message;
        } else {
          report.sent++;
          report.byKind[item.kind]++;
        }
      });
    }
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS));
  }
  const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (completed < queued && Date.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  report.seconds = elapsedMs() / 1000;
  report.rate = report.sent / report.seconds;
  socket.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`flood-sender: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
