// The benchmark's pure parts: order statistics, tcpdump and /proc parsing, the table. The
// benchmark itself (`npm run bench`) is not part of the test run; what it computes is.

import { describe, expect, it } from 'vitest';
import { parseTcpdumpAdverts } from './advert-capture.js';
import type { OutageSample } from './failover-bench.js';
import { parseBenchOptions } from './options.js';
import {
  parseStatCpuTicks,
  parseSchedRuntimeMs,
  schedCpuSeconds,
  parseStatusRssKiB,
} from './process-usage.js';
import { parseSoakOutput } from './soak-row.js';
import { formatRatio, intervals, median, quantile, summarize } from './stats.js';
import { markdownTable, renderTable, type BenchResults } from './table.js';

describe('stats', () => {
  it('median of odd and even counts, nearest-rank quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    const sorted = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.99)).toBe(198);
    expect(quantile(sorted, 0.5)).toBe(100);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('summarises intervals between timestamps', () => {
    const gaps = intervals([0, 1000, 2001, 2999, 4000]);
    expect(gaps).toEqual([1000, 1001, 998, 1001]);
    expect(summarize(gaps)).toEqual({ count: 4, min: 998, median: 1000.5, p99: 1001, max: 1001 });
    expect(summarize([])).toBeNull();
  });

  it('ratios only when both sides mean something', () => {
    expect(formatRatio(3, 4)).toBe('0.75');
    expect(formatRatio(3, 0)).toBe('—');
    expect(formatRatio(undefined, 4)).toBe('—');
  });
});

describe('tcpdump adverts', () => {
  it('reads capture time, addresses and priority; skips other lines', () => {
    const text = [
      '1795243049.702477 IP 192.0.2.1 > 192.0.2.2: VRRPv2, Advertisement, vrid 51, prio 200, authtype simple, intvl 1s, length 20',
      '1795243050.702901 IP 192.0.2.1 > 224.0.0.18: VRRPv2, Advertisement, (ttl 64), vrid 51, prio 0, authtype none, intvl 1s, length 20',
      '1795243050.800000 ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28',
      'tcpdump: verbose output suppressed',
    ].join('\n');
    const adverts = parseTcpdumpAdverts(text);
    expect(adverts).toHaveLength(2);
    expect(adverts[0]).toEqual({
      atMs: 1795243049702.477,
      source: '192.0.2.1',
      destination: '192.0.2.2',
      priority: 200,
    });
    expect(adverts[1]!.priority).toBe(0);
    expect(adverts[1]!.atMs - adverts[0]!.atMs).toBeCloseTo(1000.424, 3);
  });

  it('reads VRRPv3 adverts over IPv6 too', () => {
    const line =
      '1795243049.702477 IP6 fe80::1 > ff02::12: VRRPv3, Advertisement, vrid 51, prio 200, intvl 10cs, length 28';
    expect(parseTcpdumpAdverts(line)).toEqual([
      { atMs: 1795243049702.477, source: 'fe80::1', destination: 'ff02::12', priority: 200 },
    ]);
  });
});

describe('/proc parsing', () => {
  it('VmRSS in KiB, and utime + stime past a command name with spaces and parentheses', () => {
    expect(parseStatusRssKiB('Name:\tnode\nVmRSS:\t   65432 kB\nThreads:\t7\n')).toBe(65432);
    expect(parseStatusRssKiB('Name:\tzombie\nState:\tZ (zombie)\n')).toBeNull();
    // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const stat = '4242 (odd) name)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 123 45 0 0 20 0 1 0 100 0 0';
    expect(parseStatCpuTicks(stat)).toBe(168);
  });

  it("a thread's CPU time from the scheduler's se.sum_exec_runtime (ms), or nothing without it", () => {
    const sched = [
      'node (4242, #threads: 1)',
      '-------------------------------------------------------------------',
      'se.exec_start                                :      22490858.753130',
      'se.sum_exec_runtime                          :            26.548749',
      'nr_switches                                  :                  120',
    ].join('\n');
    expect(parseSchedRuntimeMs(sched)).toBe(26.548749);
    expect(parseSchedRuntimeMs('nr_switches : 3\n')).toBeNull();
  });

  it('reads this very process: the scheduler count moves with work done', () => {
    const before = schedCpuSeconds(process.pid);
    if (before === null) return; // a kernel without /proc/PID/task/TID/sched: the ticks are used
    let spin = 0;
    for (const end = Date.now() + 30; Date.now() < end;) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(schedCpuSeconds(process.pid)! - before).toBeGreaterThan(0.02);
  });
});

describe('bench options', () => {
  it('quick mode shortens everything; flags beat the environment', () => {
    const quick = parseBenchOptions(['--quick'], {});
    expect([quick.repetitions, quick.footprintSeconds, quick.timingSeconds]).toEqual([1, 10, 10]);
    const full = parseBenchOptions([], { BENCH_REPS: '3' });
    expect([full.repetitions, full.footprintSeconds, full.timingSeconds]).toEqual([3, 60, 60]);
    expect(parseBenchOptions(['--reps', '4'], { BENCH_REPS: '3' }).repetitions).toBe(4);
    expect(parseBenchOptions(['--only', 'timing'], {}).sections).toEqual(['timing']);
    expect(() => parseBenchOptions(['--only', 'speed'], {})).toThrow(/unknown section speed/);
    expect(() => parseBenchOptions(['--reps', '0'], {})).toThrow(/positive integer/);
  });
});

describe('the table', () => {
  const outage = (kind: 'vrrpd' | 'keepalived', scenario: OutageSample['scenario'], gapMs: number) => ({
    kind,
    variant: 'ipv4-1',
    scenario,
    gapMs,
    lost: Math.round(gapMs / 10),
    takeoverMs: gapMs,
  });

  it('puts medians, maxima and the ratio side by side, and says what could not be measured', () => {
    const results: BenchResults = {
      failover: [
        outage('vrrpd', 'crash', 3000),
        outage('vrrpd', 'crash', 3400),
        outage('vrrpd', 'crash', 3200),
        outage('keepalived', 'crash', 3200),
        outage('keepalived', 'crash', 3300),
        outage('keepalived', 'crash', 3100),
      ],
      footprint: [
        {
          kind: 'keepalived',
          instances: 1,
          extras: 'plain',
          windowSeconds: 60,
          master: { rssKiB: 10240, anonKiB: 2048, fileKiB: 8192, cpuSeconds: 0.02 },
          backup: { rssKiB: 9216, anonKiB: 2048, fileKiB: 7168, cpuSeconds: 0.01 },
        },
      ],
      footprintFailures: [{ kind: 'vrrpd', instances: 1, extras: 'plain', error: 'did not settle' }],
      timing: [
        {
          kind: 'vrrpd',
          profile: 'v2-1s',
          condition: 'idle',
          windowSeconds: 10,
          intervalsMs: [1000, 1001, 1002],
          spuriousTransitions: 0,
        },
      ],
      variants: [{ id: 'ipv4-1', label: 'IPv4, advert_int 1' }],
      bounds: { 'ipv4-1': { crash: 'MDI 3.61 s', graceful: 'Skew 0.61 s', handover: '0', preempt: '0' } },
      hogs: 2,
    };
    const table = renderTable(results);
    // Cells are padded to the column width: compare them with the padding squeezed out.
    const line = (prefix: string) =>
      (table.split('\n').find((l) => l.startsWith(`| ${prefix}`)) ?? '').replace(/ {2,}/g, ' ');
    expect(line('Master crash (SIGKILL + cut off the LAN): longest gap')).toBe(
      '| Master crash (SIGKILL + cut off the LAN): longest gap at the client, median (max), n=3 | 3.20 s (3.40 s) | 3.20 s (3.30 s) | 1.00 | MDI 3.61 s |',
    );
    expect(line('Idle RSS, 1 instance')).toBe(
      '| Idle RSS, 1 instance: master / backup | not measured: did not settle | 10.0 MiB / 9.0 MiB | — | — |',
    );
    expect(line('Advert interval on the wire, VRRPv2 advert_int 1, idle')).toContain(
      '1000.0 / 1001.0 / 1002.0 / 1002.0 ms (n=3)',
    );
    expect(line('Spurious transitions')).toBe(
      '| Spurious transitions during the timing windows, VRRPv2 advert_int 1: idle / busy | 0 / — | — | — | 0 / 0 |',
    );
    // Every line of the table has the same width (prettier's layout, so the file passes lint).
    const widths = new Set(
      table
        .trimEnd()
        .split('\n')
        .map((l) => l.length),
    );
    expect(widths.size).toBe(1);
  });

  it('lays a table out as prettier does: padded cells, right-aligned columns padded on the left', () => {
    expect(
      markdownTable(
        ['Name', 'n'],
        ['left', 'right'],
        [
          ['a|b', '10'],
          ['ccccc', '2'],
        ],
      ),
    ).toBe(['| Name  |   n |', '| ----- | --: |', '| a\\|b  |  10 |', '| ccccc |   2 |', ''].join('\n'));
  });

  it('reads the soak verdict back for its row', () => {
    const output = [
      '| t (s) | r1 RSS MiB |',
      'Verdict:',
      '',
      '- PASS r1 resident memory: 73.8 MiB..74.7 MiB over the second half (band 0.9 MiB, allowed 4.0 MiB); start 66.2 MiB',
      '- FAIL r2 resident memory: 70.0 MiB..80.5 MiB over the second half (band 10.5 MiB, allowed 4.0 MiB); start 66.0 MiB',
      '- PASS r1 file descriptors: 25..25',
      '',
      'SOAK FAILED',
    ].join('\n');
    const summary = parseSoakOutput(output, 10, 50);
    expect(summary?.routers).toEqual([
      { router: 'r1', lowMiB: 73.8, highMiB: 74.7, startMiB: 66.2 },
      { router: 'r2', lowMiB: 70, highMiB: 80.5, startMiB: 66 },
    ]);
    expect(summary?.passed).toBe(false);
    expect(summary?.failures).toEqual([
      'FAIL r2 resident memory: 70.0 MiB..80.5 MiB over the second half (band 10.5 MiB, allowed 4.0 MiB); start 66.0 MiB',
    ]);
    expect(parseSoakOutput('soak failed: no root', 10, 50)).toBeNull();
  });
});
