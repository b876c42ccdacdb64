// Client-side reachability probes for the lab: one-shot ping, and a prober that pings a target
// at a fixed interval for a bounded time and reports the loss and the longest silence — the
// number a failover benchmark or the demo prints ("192.0.2.254 was unreachable for 3.1 s").
//
// iputils ping does the work (`-D` prefixes each reply with its wall-clock time); parsing is a
// pure function so it is tested without a kernel.

import type { ChildProcess } from 'node:child_process';
import type { ExecOptions, ExecResult } from './lab.js';

export interface ProbeOptions {
  /** Time between echo requests (ping -i); 10 ms minimum. */
  intervalMs: number;
  /** How long to probe; the prober sends ceil(durationMs / intervalMs) requests. */
  durationMs: number;
}

export interface ProbeReport {
  target: string;
  sent: number;
  received: number;
  lost: number;
  /** Longest time without any reply, counting from the start and up to the last request. */
  longestGapMs: number;
  /** Most consecutive requests without a reply. */
  longestLossRun: number;
  /** Wall-clock time (ms since epoch) of each received reply, by sequence number. */
  replies: Array<{ seq: number; atMs: number }>;
}

export interface Prober {
  readonly target: string;
  /** Settles when the probe ends (by itself or via stop()). */
  readonly done: Promise<ProbeReport>;
  /** Ends the probe early and reports what was seen so far. */
  stop(): Promise<ProbeReport>;
}

const REPLY_LINE = /^\[(\d+)\.(\d+)\] \d+ bytes from \S+?: icmp_seq=(\d+) /;
const SUMMARY_LINE = /^(\d+) packets transmitted, /m;

/** Requests ping says it sent (its summary, printed at the end or on SIGINT), else `planned`. */
export function transmittedCount(output: string, planned: number): number {
  const match = SUMMARY_LINE.exec(output);
  return match ? Number(match[1]) : planned;
}

/**
 * Reads `ping -n -D` output. `startedAtMs` is when the first request went out and
 * `lastRequestAtMs` when the last one did (both wall clock), bounding the first and last gaps.
 */
export function parsePingOutput(
  output: string,
  target: string,
  sent: number,
  startedAtMs: number,
  lastRequestAtMs: number,
): ProbeReport {
  const bySeq = new Map<number, number>();
  for (const line of output.split('\n')) {
    const match = REPLY_LINE.exec(line);
    if (!match) continue;
    const seq = Number(match[3]);
    // Keep the first reply of a sequence number: later ones are DUP!s.
    if (seq >= 1 && seq <= sent && !bySeq.has(seq)) {
      const atMs = Number(match[1]) * 1000 + Number(`0.${match[2]}`) * 1000;
      bySeq.set(seq, atMs);
    }
  }
  const replies = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([seq, atMs]) => ({ seq, atMs }));

  let longestGapMs = 0;
  let previousAt = startedAtMs;
  for (const reply of replies) {
    longestGapMs = Math.max(longestGapMs, reply.atMs - previousAt);
    previousAt = reply.atMs;
  }
  if (replies.length === 0 || replies[replies.length - 1]!.seq < sent) {
    longestGapMs = Math.max(longestGapMs, lastRequestAtMs - previousAt);
  }

  let longestLossRun = 0;
  let run = 0;
  for (let seq = 1; seq <= sent; seq++) {
    run = bySeq.has(seq) ? 0 : run + 1;
    longestLossRun = Math.max(longestLossRun, run);
  }
  return {
    target,
    sent,
    received: replies.length,
    lost: sent - replies.length,
    longestGapMs: Math.round(longestGapMs),
    longestLossRun,
    replies,
  };
}

type Exec = (argv: string[], options?: ExecOptions) => Promise<ExecResult>;

export async function pingOnce(exec: Exec, ip: string, timeoutMs: number): Promise<boolean> {
  const seconds = Math.max(timeoutMs, 10) / 1000;
  const result = await exec(['ping', '-n', '-q', '-c', '1', '-W', seconds.toFixed(3), ip], {
    check: false,
    timeoutMs: timeoutMs + 5000,
  });
  return result.code === 0;
}

export function startPingProber(
  spawnInNamespace: (argv: string[]) => ChildProcess,
  kill: (child: ChildProcess, signal?: NodeJS.Signals) => Promise<void>,
  target: string,
  options: ProbeOptions,
): Prober {
  const intervalMs = Math.max(10, Math.round(options.intervalMs));
  const count = Math.max(1, Math.ceil(options.durationMs / intervalMs));
  const startedAtMs = Date.now();
  const child = spawnInNamespace([
    'ping',
    '-n',
    '-D',
    '-i',
    (intervalMs / 1000).toFixed(3),
    '-W',
    '1',
    '-c',
    String(count),
    target,
  ]);
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (output += chunk));
  // Bound the probe even if ping misbehaves: its own duration plus a reply timeout and slack.
  const deadline = setTimeout(() => void kill(child), options.durationMs + 5000);

  const done = new Promise<ProbeReport>((resolve) => {
    child.once('close', () => {
      clearTimeout(deadline);
      const sent = transmittedCount(output, count);
      // Approximate: ping's real interval drifts a little above the requested one.
      const lastRequestAtMs = Math.min(Date.now(), startedAtMs + (sent - 1) * intervalMs);
      resolve(parsePingOutput(output, target, sent, startedAtMs, lastRequestAtMs));
    });
  });

  return {
    target,
    done,
    async stop() {
      // SIGINT makes ping print its summary (how many it really sent) before exiting.
      await kill(child, 'SIGINT');
      return done;
    },
  };
}
