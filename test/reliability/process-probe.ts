// What the reliability checks read about a running vrrpd from the outside: /proc (proc(5)) for
// descriptors, scheduling and locked memory, and the daemon's own Prometheus endpoint for the V8
// heap (which /proc cannot see). Resident memory and CPU come from test/bench/process-usage.ts.

import { readdirSync, readFileSync } from 'node:fs';
import type { RunningDaemon } from '../lab/daemons.js';
import type { Lab } from '../lab/lab.js';

/** Where the reliability suites ask vrrpd to serve metrics (inside its own namespace). */
export const METRICS_PORT = 9650;
export const METRICS_ARGS = ['--metrics-listen', `127.0.0.1:${METRICS_PORT}`];

/** Open descriptors of `pid` (entries of /proc/PID/fd); null when the process is gone. */
export function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** The fields of /proc/PID/stat after the command name: index 0 is field 3 (state). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Field `n` (1-based, as proc(5) numbers them) of /proc/PID/stat, as a number. */
export function statField(pid: number, n: number): number {
  return Number(statFields(pid)[n - 3]);
}

export interface SchedulingInfo {
  /** Field 19: nice value. */
  nice: number;
  /** Field 40: real-time priority (0 for SCHED_OTHER). */
  realtimePriority: number;
  /** Field 41: policy (0 OTHER, 1 FIFO, 2 RR). */
  policy: number;
}

export const SCHED_RR = 2;

export function schedulingOf(pid: number): SchedulingInfo {
  const fields = statFields(pid);
  return {
    nice: Number(fields[19 - 3]),
    realtimePriority: Number(fields[40 - 3]),
    policy: Number(fields[41 - 3]),
  };
}

/** A `Vm…:` line of /proc/PID/status in KiB (VmLck, VmRSS, …); null when absent. */
export function statusKiB(pid: number, field: string): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** utime + stime of `pid` in clock ticks (fields 14 and 15). */
export function cpuTicks(pid: number): number {
  return statField(pid, 14) + statField(pid, 15);
}

/** Unlabelled samples of a Prometheus text exposition, by metric name. */
export function parseUnlabelledSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

export interface DaemonFootprint {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** As the daemon counts them itself (process_open_fds). */
  openFds: number;
}

/** The daemon's own footprint metrics, scraped with curl inside its namespace. */
export async function scrapeFootprint(lab: Lab, daemon: RunningDaemon): Promise<DaemonFootprint> {
  const result = await lab.exec(
    daemon.role,
    ['curl', '-sS', '--max-time', '3', `http://127.0.0.1:${METRICS_PORT}/metrics`],
    { timeoutMs: 5000 },
  );
  const samples = parseUnlabelledSamples(result.stdout);
  const read = (name: string): number => {
    const value = samples.get(name);
    if (value === undefined) throw new Error(`metrics of ${daemon.role} have no ${name}`);
    return value;
  };
  return {
    rssBytes: read('process_resident_memory_bytes'),
    heapUsedBytes: read('nodejs_heap_size_used_bytes'),
    heapTotalBytes: read('nodejs_heap_size_total_bytes'),
    openFds: read('process_open_fds'),
  };
}

/** True while `pid` exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    return statFields(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}
