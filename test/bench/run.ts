// `npm run bench` (= npm run build && node dist/test/bench/run.js [options]): vrrpd and keepalived
// side by side in the namespace lab, failover outage at the client, idle footprint, advert timing
// idle and under CPU load; one markdown table on stdout and in test/bench/results/latest.md.
// Not part of the tests' pass/fail. Needs root (namespaces, raw sockets) and keepalived.
//
// Options (environment variables in brackets):
//   --quick                  1 repetition, 10 s windows: a smoke test of the whole bench
//   --reps N        [BENCH_REPS]               failover repetitions per daemon (default 5)
//   --footprint-seconds S [BENCH_FOOTPRINT_SECONDS]  idle window (default 60)
//   --timing-seconds S    [BENCH_TIMING_SECONDS]     each advert-timing window (default 60)
//   --soak-minutes M      [BENCH_SOAK_MINUTES]       the soak section's duration (default 10)
//   --only LIST              failover,footprint,startup,timing,soak (default all)
//   --out FILE               where to write the table (default test/bench/results/latest.md)

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { dirname } from 'node:path';
import { listNamespaces } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { runAdvertTimingBench, type TimingSample } from './advert-timing-bench.js';
import { FAILOVER_VARIANTS, failoverBounds, runFailoverBench, type OutageSample } from './failover-bench.js';
import { runFootprintBench, type FootprintFailure, type FootprintSample } from './footprint-bench.js';
import { parseBenchOptions, type BenchOptions, type Section } from './options.js';
import { runSoak, type SoakSummary } from './soak-row.js';
import { runStartupBench, startupBoundMs, type StartupSample } from './startup-bench.js';
import { renderTable } from './table.js';

function keepalivedVersion(): string {
  // keepalived prints its version on stderr.
  const result = spawnSync('/usr/sbin/keepalived', ['--version'], { encoding: 'utf8', timeout: 5000 });
  const first = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0]?.trim();
  return first || 'keepalived: version unknown';
}

function commandLine(argv: string[]): string {
  return ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
}

function report(
  options: BenchOptions,
  argv: string[],
  table: string,
  startedAt: Date,
  failures: string[],
  loadAtStart: number[],
) {
  const cpuList = cpus();
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ');
  const lines = [
    '# vrrpd vs keepalived: failover, footprint, advert timing',
    '',
    `Command: \`${commandLine(argv)}\` (as root; builds first). ` +
      `Run ${startedAt.toISOString()}, took ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s.`,
    '',
    `Host: Linux ${release()}, ${cpuList.length} CPU (${cpuList[0]?.model ?? 'unknown'}), Node ${process.version}, ${keepalivedVersion()}. ` +
      `Failover repetitions per daemon: ${options.repetitions}; idle window ${options.footprintSeconds} s; ` +
      `advert-timing windows ${options.timingSeconds} s; soak ${options.soakMinutes} min. Load average at start ${load(loadAtStart)}, ` +
      `at end ${load(loadavg())} (other work on the machine shows up here).`,
    '',
    table.trimEnd(),
    '',
    'Method: the lab segment of test/lab (r1 192.0.2.1 priority 200, r2 .2 priority 100, client c1 .100, ' +
      'VIP .254, one bridge), both daemons reading the same keepalived.conf (unicast, auth PASS, advert_int 1). ' +
      'The client pings the VIP every 10 ms; "longest gap" is the longest time without a reply. ' +
      'A crash is the router dying: its daemon is killed with nothing run on the way out (keepalived: parent ' +
      'frozen, VRRP child then parent SIGKILLed) and it is cut off the LAN at the same moment, right after one ' +
      'of its adverts is seen on its switch port (so each round waits the whole Master_Down_Interval). Footprint: RSS ' +
      "and CPU time from /proc (the scheduler's se.sum_exec_runtime of every thread, where the kernel shows it, " +
      'else utime+stime; keepalived: parent + VRRP child, from its pid files) over an idle window ' +
      "once every instance has settled. Advert interval: tcpdump capture timestamps on the master's switch " +
      'port; the busy window runs one spinning process per CPU. Start to first advert: a lone r1 spawned, ' +
      'its first advert on the wire (both daemons wait Master_Down_Interval first). Soak: `npm run soak` ' +
      '(two vrrpd routers, 50 instances each, metrics on) run as a child; RSS over its second half.',
  ];
  if (failures.length > 0) lines.push('', '**Sections that failed:**', '', ...failures.map((f) => `- ${f}`));
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseBenchOptions(argv, process.env);
  const notRunnable = requireRoot();
  if (notRunnable !== undefined) {
    process.stderr.write(`bench: ${notRunnable}\n`);
    return 2;
  }
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const progress = (line: string) =>
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const failures: string[] = [];
  let failover: OutageSample[] = [];
  let footprint: { samples: FootprintSample[]; failures: FootprintFailure[] } = { samples: [], failures: [] };
  let timing: TimingSample[] = [];
  let startup: StartupSample[] = [];
  let soak: SoakSummary | null = null;
  const attempt = async <T>(section: Section, run: () => Promise<T>, fallback: T): Promise<T> => {
    if (!options.sections.includes(section)) return fallback;
    progress(`${section}: starting`);
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${section}: ${message}`);
      progress(`${section} failed: ${message}`);
      return fallback;
    }
  };
  failover = await attempt('failover', () => runFailoverBench(options.repetitions, progress), failover);
  footprint = await attempt(
    'footprint',
    () => runFootprintBench(options.footprintSeconds, progress),
    footprint,
  );
  startup = await attempt('startup', () => runStartupBench(options.repetitions, progress), startup);
  timing = await attempt('timing', () => runAdvertTimingBench(options.timingSeconds, progress), timing);
  const soakSampleSeconds = options.soakMinutes < 5 ? 15 : 30;
  soak = await attempt('soak', () => runSoak(options.soakMinutes, soakSampleSeconds, progress), soak);

  for (const failure of footprint.failures) {
    failures.push(`footprint ${failure.kind} × ${failure.instances}: ${failure.error}`);
  }
  const table = renderTable({
    failover,
    footprint: footprint.samples,
    footprintFailures: footprint.failures,
    timing,
    startup,
    startupBoundMs: startupBoundMs(),
    soak,
    variants: FAILOVER_VARIANTS,
    bounds: Object.fromEntries(FAILOVER_VARIANTS.map((variant) => [variant.id, failoverBounds(variant)])),
    hogs: cpus().length,
  });
  const text = report(options, argv, table, startedAt, failures, loadAtStart);
  process.stdout.write(text);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, text);
  progress(`written to ${options.out}`);

  // Lab ids start with v<pid % 10000> (test/lab/lab.ts): only this process's labs are ours.
  const ours = new RegExp(`^v${process.pid % 10000}[0-9a-f]{2}-`);
  const leaked = (await listNamespaces()).filter((name) => ours.test(name));
  if (leaked.length > 0) {
    progress(`error: namespaces left behind: ${leaked.join(', ')}`);
    return 1;
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
