// Watching adverts on the wire: tcpdump on a router's port of the lab switch, with kernel capture
// timestamps (-tt: seconds.microseconds), so the measured intervals are what the LAN sees, not
// what the daemon believes it sent.

import type { ChildProcess } from 'node:child_process';
import type { Lab } from '../lab/lab.js';
import { waitFor } from '../lab/daemons.js';

/**
 * `1795243049.702477 IP 192.0.2.1 > 192.0.2.2: VRRPv2, Advertisement, ..., prio 200, ...`, or the
 * same with `IP6 fe80::... > ff02::12: VRRPv3, ...` for IPv6.
 */
const ADVERT_LINE = /^(\d+)\.(\d{6}) IP6? (\S+) > (\S+): VRRPv[23], Advertisement\b.*?\bprio (\d+)/;

export interface CapturedAdvert {
  /** Capture time, ms since the epoch (µs precision). */
  atMs: number;
  source: string;
  destination: string;
  priority: number;
}

/** Parses tcpdump -n -tt lines; anything that is not a VRRP advert is skipped. */
export function parseTcpdumpAdverts(text: string): CapturedAdvert[] {
  const adverts: CapturedAdvert[] = [];
  for (const line of text.split('\n')) {
    const match = ADVERT_LINE.exec(line);
    if (!match) continue;
    adverts.push({
      atMs: Number(match[1]) * 1000 + Number(match[2]) / 1000,
      source: match[3]!,
      destination: match[4]!,
      priority: Number(match[5]),
    });
  }
  return adverts;
}

export interface AdvertCapture {
  /** Adverts captured so far. */
  adverts(): CapturedAdvert[];
  /**
   * Resolves as soon as tcpdump prints an advert after this call (true), or false after
   * `timeoutMs`. Event-driven, so a caller can act within a few ms of an advert on the wire.
   */
  next(timeoutMs: number): Promise<boolean>;
  /** Stops tcpdump (by PID, through the lab) and returns everything captured. */
  stop(): Promise<CapturedAdvert[]>;
}

/**
 * Starts tcpdump on `port` (a bridge port in the switch namespace) for frames coming from the
 * router, VRRP from `source` only (null: any VRRP over IPv4 or IPv6 entering at that port), and
 * waits until it listens. It ends by itself after `maxSeconds` in any case.
 */
export async function startAdvertCapture(
  lab: Lab,
  switchRole: string,
  port: string,
  source: string | null,
  maxSeconds: number,
): Promise<AdvertCapture> {
  const child: ChildProcess = lab.spawnIn(switchRole, [
    'timeout',
    String(Math.ceil(maxSeconds)),
    'tcpdump',
    '-i',
    port,
    '-n',
    '-l',
    '-tt',
    '--immediate-mode',
    '-Q',
    'in',
    source === null ? 'ip proto 112 or ip6 proto 112' : `ip proto 112 and src host ${source}`,
  ]);
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  let seen = 0;
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
    // Whole lines only: a line split across chunks counts when its end arrives.
    const count = parseTcpdumpAdverts(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).length;
    if (count === seen) return;
    seen = count;
    for (const wake of waiting) wake();
    waiting.clear();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const listening = await waitFor(() => stderr.includes('listening on'), 5000, 20);
  if (!listening) {
    await lab.kill(child);
    throw new Error(`tcpdump did not start on ${port}: ${stderr.trim()}`);
  }
  return {
    adverts: () => parseTcpdumpAdverts(stdout),
    next: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiting.delete(wake);
          resolve(false);
        }, timeoutMs);
        waiting.add(wake);
      }),
    async stop() {
      await lab.kill(child, 'SIGINT');
      return parseTcpdumpAdverts(stdout);
    },
  };
}
