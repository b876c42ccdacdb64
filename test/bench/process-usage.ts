// Memory and CPU of a daemon's processes, read from /proc (proc(5)): VmRSS from /proc/PID/status;
// CPU time as the scheduler counts it, se.sum_exec_runtime of every thread from
// /proc/PID/task/TID/sched (nanosecond accounting, shown in ms: an idle daemon uses a few
// hundredths of a second a minute, which utime + stime, in 10 ms clock ticks, cannot tell apart),
// or, on a kernel without that file (no CONFIG_SCHED_DEBUG), utime + stime (fields 14 and 15 of
// /proc/PID/stat). keepalived is two processes (the parent and its VRRP child), found through
// the pid files it writes, never by name.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { RunningDaemon } from '../lab/daemons.js';
import { keepalivedPids } from '../interop/router-view.js';

export interface ProcessUsage {
  rssKiB: number;
  /** RssAnon and RssFile: the heap and malloc'd memory vs the pages of node, libraries, addons. */
  anonKiB: number;
  fileKiB: number;
  cpuSeconds: number;
}

/** VmRSS in KiB from the text of /proc/PID/status; null when absent (a zombie has none). */
export function parseStatusRssKiB(statusText: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) : null;
}

/** A `Field:   N kB` line of /proc/PID/status in KiB; 0 when absent. */
export function parseStatusKiB(statusText: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(statusText);
  return match ? Number(match[1]) : 0;
}

/** utime + stime in clock ticks from the text of /proc/PID/stat. */
export function parseStatCpuTicks(statText: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return Number(fields[11]) + Number(fields[12]);
}

/** se.sum_exec_runtime in ms from the text of /proc/PID/task/TID/sched; null when absent. */
export function parseSchedRuntimeMs(schedText: string): number | null {
  const match = /^se\.sum_exec_runtime\s*:\s*([\d.]+)$/m.exec(schedText);
  return match ? Number(match[1]) : null;
}

/** CPU seconds of every thread of `pid` from the scheduler's own count; null where unreadable. */
export function schedCpuSeconds(pid: number): number | null {
  let totalMs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8');
    } catch {
      return null;
    }
    const ms = parseSchedRuntimeMs(text);
    if (ms === null) return null;
    totalMs += ms;
  }
  return totalMs / 1000;
}

let ticksPerSecond: number | null = null;

/** sysconf(_SC_CLK_TCK) through getconf; 100 on every Linux we know of, used if getconf fails. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim());
      ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readProcessUsage(pid: number): ProcessUsage | null {
  try {
    const statusText = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = parseStatusRssKiB(statusText);
    if (rssKiB === null) return null;
    const cpuSeconds =
      schedCpuSeconds(pid) ??
      parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond();
    return {
      rssKiB,
      anonKiB: parseStatusKiB(statusText, 'RssAnon'),
      fileKiB: parseStatusKiB(statusText, 'RssFile'),
      cpuSeconds,
    };
  } catch {
    return null;
  }
}

/** The PIDs that make up a running daemon: vrrpd's one process, keepalived's parent and VRRP child. */
export function daemonProcessIds(daemon: RunningDaemon): number[] {
  if (daemon.kind === 'vrrpd') return [daemon.pid];
  const { parent, vrrp } = keepalivedPids(daemon);
  return vrrp === null ? [parent] : [parent, vrrp];
}

/** Summed usage of the daemon's processes; throws if one of them cannot be read. */
export function daemonUsage(daemon: RunningDaemon): ProcessUsage {
  const total: ProcessUsage = { rssKiB: 0, anonKiB: 0, fileKiB: 0, cpuSeconds: 0 };
  for (const pid of daemonProcessIds(daemon)) {
    const usage = readProcessUsage(pid);
    if (!usage) throw new Error(`cannot read /proc/${pid} of ${daemon.kind} in ${daemon.role}`);
    total.rssKiB += usage.rssKiB;
    total.anonKiB += usage.anonKiB;
    total.fileKiB += usage.fileKiB;
    total.cpuSeconds += usage.cpuSeconds;
  }
  return total;
}
