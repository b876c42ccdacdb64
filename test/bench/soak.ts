// The long run (issue 9): two vrrpd routers with 50 instances each for at least 10 minutes —
// load-balanced (r1 masters the even VRIDs, r2 the odd ones), half multicast, half unicast with
// check_unicast_src and PASS authentication, advert_int 1. Once every instance has settled, a
// baseline sample is taken, then one every --sample-seconds: resident memory, V8 heap and
// descriptors (the daemon's own metrics endpoint, scraped inside its namespace), CPU (/proc),
// transition counters and states (control socket), and who holds each VIP (`ip addr`). Prints a
// markdown table and a verdict (soak-verdict.ts); exits 1 when the verdict fails.
//
//   npm run build && node dist/test/bench/soak.js [--minutes 10] [--sample-seconds 30] [--instances 50]
//
// Not part of the test suite (too long for CI). Needs root (namespaces, raw sockets).

import { cpus, release } from 'node:os';
import { parseArgs } from 'node:util';
import type { StatusSnapshot } from '../../src/control/status-types.js';
import { DaemonSet, keepalivedConfig, status, waitFor, type RunningDaemon } from '../lab/daemons.js';
import type { VrrpInstanceOptions } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import type { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, segmentAddressOf, type RouterSegment } from '../lab/topology.js';
import { cpuTicks, METRICS_ARGS, openFds, scrapeFootprint } from '../reliability/process-probe.js';
import { clockTicksPerSecond } from './process-usage.js';
import { judgeSoak, type SoakRouterSample, type SoakSample } from './soak-verdict.js';

const ROUTERS = ['r1', 'r2'] as const;
type Router = (typeof ROUTERS)[number];
const SETTLE_TIMEOUT_MS = 60_000;
/** After every instance reached its state: let GARP rounds and start-up garbage settle. */
const WARMUP_MS = 15_000;

interface SoakOptions {
  minutes: number;
  sampleSeconds: number;
  instances: number;
}

function positive(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${text}`);
  return value;
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      'sample-seconds': { type: 'string' },
      instances: { type: 'string' },
    },
    strict: true,
  });
  const instances = positive(values.instances, 50, '--instances');
  if (!Number.isInteger(instances) || instances > 99) throw new Error('--instances must be 1..99');
  return {
    minutes: positive(values.minutes, 10, '--minutes'),
    sampleSeconds: positive(values['sample-seconds'], 30, '--sample-seconds'),
    instances,
  };
}

/** r1 masters the even VRIDs, r2 the odd ones. */
function expectedMaster(vrid: number): Router {
  return vrid % 2 === 0 ? 'r1' : 'r2';
}

/** 192.0.2.101 and up: clear of the routers (.1, .2), the client (.100) and the usual VIP (.254). */
function vipOf(vrid: number): string {
  return `192.0.2.${100 + vrid}`;
}

function soakConfig(role: Router, count: number): string {
  const self = segmentAddressOf(role);
  const peer = segmentAddressOf(role === 'r1' ? 'r2' : 'r1');
  const instances: VrrpInstanceOptions[] = [];
  for (let vrid = 1; vrid <= count; vrid++) {
    const unicast = vrid > count / 2;
    instances.push({
      name: `VI_${vrid}`,
      vrid,
      priority: expectedMaster(vrid) === role ? 200 : 100,
      vips: [`${vipOf(vrid)}/24`],
      ...(unicast
        ? { unicastSrc: self, unicastPeers: [peer], authPass: 'soak1', extra: ['check_unicast_src'] }
        : {}),
    });
  }
  return keepalivedConfig(instances);
}

function wrongStates(snapshot: StatusSnapshot | null, role: Router, count: number): number {
  if (!snapshot) return count;
  let wrong = 0;
  for (let vrid = 1; vrid <= count; vrid++) {
    const instance = snapshot.instances.find((i) => i.name === `VI_${vrid}`);
    const expected = expectedMaster(vrid) === role ? 'MASTER' : 'BACKUP';
    if (instance?.state !== expected) wrong++;
  }
  return wrong;
}

function transitionsOf(snapshot: StatusSnapshot | null): number {
  return (snapshot?.instances ?? []).reduce(
    (sum, i) => sum + i.counters.becameMaster + i.counters.releasedMaster,
    0,
  );
}

async function addressesOf(lab: Lab, role: Router): Promise<Set<string>> {
  const result = await lab.ip(role, ['-j', 'addr', 'show', 'dev', 'eth0']);
  const links = JSON.parse(result.stdout || '[]') as Array<{ addr_info?: Array<{ local?: string }> }>;
  return new Set(links.flatMap((link) => (link.addr_info ?? []).map((a) => a.local ?? '')));
}

async function vipProblems(lab: Lab, count: number): Promise<number> {
  const held = { r1: await addressesOf(lab, 'r1'), r2: await addressesOf(lab, 'r2') };
  let problems = 0;
  for (let vrid = 1; vrid <= count; vrid++) {
    const master = expectedMaster(vrid);
    const other: Router = master === 'r1' ? 'r2' : 'r1';
    if (!held[master].has(vipOf(vrid)) || held[other].has(vipOf(vrid))) problems++;
  }
  return problems;
}

class Sampler {
  private lastTicks = new Map<Router, number>();
  private lastAt = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly lab: Lab,
    private readonly daemons: Record<Router, RunningDaemon>,
    private readonly count: number,
  ) {}

  async sample(): Promise<SoakSample> {
    const now = Date.now();
    const routers: Record<string, SoakRouterSample> = {};
    for (const role of ROUTERS) {
      const daemon = this.daemons[role];
      const [snapshot, footprint] = await Promise.all([status(daemon), scrapeFootprint(this.lab, daemon)]);
      const ticks = cpuTicks(daemon.pid);
      const previous = this.lastTicks.get(role);
      const seconds = (now - this.lastAt) / 1000;
      routers[role] = {
        rssBytes: footprint.rssBytes,
        heapUsedBytes: footprint.heapUsedBytes,
        // /proc's count, taken from outside (the metrics scrape itself holds a socket meanwhile).
        openFds: openFds(daemon.pid) ?? -1,
        cpuFraction: previous === undefined ? 0 : (ticks - previous) / clockTicksPerSecond() / seconds,
        transitions: transitionsOf(snapshot),
        wrongStates: wrongStates(snapshot, role, this.count),
      };
      this.lastTicks.set(role, ticks);
    }
    this.lastAt = now;
    return {
      elapsedSeconds: Math.round((now - this.startedAt) / 1000),
      routers,
      vipProblems: await vipProblems(this.lab, this.count),
    };
  }
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function tableHeader(): string {
  const perRouter = ROUTERS.flatMap((r) => [`${r} RSS MiB`, `${r} heap MiB`, `${r} fds`, `${r} CPU %`]);
  const header = ['t (s)', ...perRouter, 'transitions', 'state misses', 'VIP misses'];
  return `| ${header.join(' | ')} |\n|${header.map(() => ' ---: ').join('|')}|`;
}

function tableRow(sample: SoakSample, baseline: SoakSample | null): string {
  const cells = [String(sample.elapsedSeconds)];
  let transitions = 0;
  let misses = 0;
  for (const role of ROUTERS) {
    const r = sample.routers[role]!;
    cells.push(mib(r.rssBytes), mib(r.heapUsedBytes), String(r.openFds), (r.cpuFraction * 100).toFixed(1));
    transitions += r.transitions - (baseline?.routers[role]!.transitions ?? r.transitions);
    misses += r.wrongStates;
  }
  cells.push(String(transitions), String(misses), String(sample.vipProblems));
  return `| ${cells.join(' | ')} |`;
}

async function settle(daemons: Record<Router, RunningDaemon>, count: number): Promise<boolean> {
  return waitFor(
    async () => {
      for (const role of ROUTERS) if (wrongStates(await status(daemons[role]), role, count) > 0) return false;
      return true;
    },
    SETTLE_TIMEOUT_MS,
    500,
  );
}

async function soak(options: SoakOptions): Promise<boolean> {
  requireBuiltDist(['src', 'test/lab', 'test/bench', 'test/reliability']);
  let segment: RouterSegment | undefined;
  let set: DaemonSet | undefined;
  try {
    segment = await createRouterSegment();
    set = new DaemonSet(segment.lab);
    const daemons = {
      r1: set.start('vrrpd', 'r1', soakConfig('r1', options.instances), METRICS_ARGS),
      r2: set.start('vrrpd', 'r2', soakConfig('r2', options.instances), METRICS_ARGS),
    };
    if (!(await settle(daemons, options.instances))) {
      for (const role of ROUTERS) {
        const snapshot = await status(daemons[role]);
        const states = (snapshot?.instances ?? []).map((i) => `${i.name}=${i.state}`).join(' ');
        process.stderr.write(`${role}: ${snapshot ? states : 'control socket unreachable'}\n`);
        process.stderr.write(`${daemons[role].logs.slice(-5).join('\n')}\n`);
      }
      process.stderr.write('instances never settled in their expected states\n');
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const sampler = new Sampler(segment.lab, daemons, options.instances);
    await sampler.sample(); // primes the CPU counters
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const samples: SoakSample[] = [await sampler.sample()];
    process.stdout.write(`${tableHeader()}\n${tableRow(samples[0]!, null)}\n`);
    const endAt = Date.now() + options.minutes * 60_000;
    while (Date.now() < endAt) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(options.sampleSeconds * 1000, endAt - Date.now())),
      );
      for (const role of ROUTERS) {
        if (daemons[role].exited())
          throw new Error(`vrrpd in ${role} exited: ${daemons[role].logs.slice(-5).join('\n')}`);
      }
      const sample = await sampler.sample();
      samples.push(sample);
      process.stdout.write(`${tableRow(sample, samples[0]!)}\n`);
    }
    const checks = judgeSoak(samples, [...ROUTERS]);
    const cpu = ROUTERS.map((role) => {
      const mean =
        samples.slice(1).reduce((sum, s) => sum + s.routers[role]!.cpuFraction, 0) / (samples.length - 1);
      return `${role} ${(mean * 100).toFixed(2)} % of one core`;
    });
    process.stdout.write(`\nMean CPU: ${cpu.join(', ')}\n\nVerdict:\n`);
    for (const check of checks)
      process.stdout.write(`- ${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    return checks.every((c) => c.ok);
  } finally {
    await set?.cleanup();
    await segment?.lab.teardown();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const skip = requireRoot();
  if (skip !== undefined) throw new Error(skip);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Linux ${release()}, Node ${process.version}`;
  process.stdout.write(
    `# vrrpd soak: ${options.instances} instances × 2 routers, ${options.minutes} min, ` +
      `samples every ${options.sampleSeconds} s\n${new Date().toISOString()} — ${machine}\n\n`,
  );
  const ok = await soak(options);
  process.stdout.write(`\n${ok ? 'SOAK PASSED' : 'SOAK FAILED'}\n`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
