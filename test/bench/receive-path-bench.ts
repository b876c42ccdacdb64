// Micro-benchmark of the receive hot path (issue 9, "keep the hot path free of allocation-heavy
// work"): validatePacket alone and PacketReceiver.receive, over valid adverts and over the flood
// test's mix of invalid packets (bad checksum, unknown VRID, TTL 64, truncated, wrong password,
// spoofed source). Prints packets per second and bytes allocated per packet; not a test.
//
//   npm run build && node --expose-gc --max-semi-space-size=64 dist/test/bench/receive-path-bench.js [--seconds 3]

import { parseArgs } from 'node:util';
import { parseConfigText } from '../../src/config/parse-config.js';
import { newCounters } from '../../src/daemon/counters.js';
import type { Logger } from '../../src/runtime/log.js';
import { expectationsOf, planDaemon } from '../../src/daemon/plan.js';
import { countVerdict, PacketReceiver } from '../../src/daemon/receiver.js';
import { validatePacket, type ValidationContext } from '../../src/packet/validate.js';
import { floodPackets, FLOOD_KINDS, validAdvertPacket } from '../reliability/flood-packets.js';

const CONFIG = `
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret1
  }
  unicast_src_ip 192.0.2.1
  unicast_peer {
    192.0.2.2
  }
  check_unicast_src
  virtual_ipaddress {
    192.0.2.254/24
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.253/24
  }
}
`;

interface Measure {
  packetsPerSecond: number;
  bytesPerPacket: number | null;
}

/** Packets between two heap readings; small enough to fit the young generation (no collection). */
const ALLOCATION_SAMPLE = 20_000;

/** Results are kept here so that the optimiser cannot drop the work (or its allocations). */
export let lastResult: unknown;

function measure(packets: Buffer[], seconds: number, handle: (packet: Buffer) => unknown): Measure {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Warm up the JIT first.
  for (let i = 0; i < 50_000; i++) lastResult = handle(packets[i % packets.length]!);
  // Allocation: heap growth over a sample small enough that no scavenge runs in between (needs
  // --expose-gc and a young generation larger than the sample's garbage: --max-semi-space-size).
  let bytesPerPacket: number | null = null;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ALLOCATION_SAMPLE; i++) lastResult = handle(packets[i % packets.length]!);
    const grown = process.memoryUsage().heapUsed - before;
    bytesPerPacket = grown >= 0 ? grown / ALLOCATION_SAMPLE : null;
  }
  let handled = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (const packet of packets) lastResult = handle(packet);
    handled += packets.length;
  }
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { packetsPerSecond: handled / elapsedSeconds, bytesPerPacket };
}

function main(): void {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } }, strict: true });
  const seconds = Number(values.seconds);
  const parsed = parseConfigText(CONFIG);
  if (!parsed.ok) throw new Error('bench config does not parse');
  const plans = planDaemon(parsed.config).instances;
  const byVrid = new Map(plans.map((plan) => [plan.vrid, expectationsOf(plan)]));
  const ctx: ValidationContext = { lookupVrid: (vrid) => byVrid.get(vrid) };
  const counters = new Map(plans.map((plan) => [plan.name, newCounters()]));
  const quiet = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } as unknown as Logger;
  let delivered = 0;
  let clock = 0;
  const receiver = new PacketReceiver(quiet, { now: () => clock++, wallNow: () => clock });
  receiver.configure(plans.map((plan) => ({ ...plan, interfaceName: 'eth0' })));
  const receive = (packet: Buffer, source: string) => {
    const verdict = receiver.receive('eth0', packet, source);
    countVerdict(verdict, (name) => counters.get(name));
    if (verdict.kind === 'advert') delivered++;
  };

  const invalid = FLOOD_KINDS.flatMap((kind) => floodPackets(kind, 64).map((p) => p.packet));
  const valid = Array.from({ length: 64 }, () => validAdvertPacket());
  const rows: Array<[string, Measure]> = [
    ['validatePacket, valid adverts', measure(valid, seconds, (p) => validatePacket(p, ctx))],
    ['validatePacket, flood mix', measure(invalid, seconds, (p) => validatePacket(p, ctx))],
    ['PacketReceiver.receive, valid adverts', measure(valid, seconds, (p) => receive(p, '192.0.2.2'))],
    ['PacketReceiver.receive, flood mix', measure(invalid, seconds, (p) => receive(p, '192.0.2.9'))],
  ];
  process.stdout.write('| path | packets/s | bytes allocated/packet |\n| --- | ---: | ---: |\n');
  for (const [name, m] of rows) {
    const bytes =
      m.bytesPerPacket === null
        ? 'n/a (run with --expose-gc --max-semi-space-size=64)'
        : m.bytesPerPacket.toFixed(0);
    process.stdout.write(`| ${name} | ${Math.round(m.packetsPerSecond).toLocaleString('en')} | ${bytes} |\n`);
  }
  if (delivered === 0) throw new Error('no valid advert was delivered: the bench measures nothing useful');
}

main();
