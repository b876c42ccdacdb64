// What the namespace scenarios read back from running vrrpd daemons besides `status`: the
// transition records of their JSON log, and state samples taken over a window of time (to show
// that something did NOT happen, e.g. no preemption with nopreempt). Every wait is bounded.

import { instanceStatus, waitFor, type RunningDaemon } from '../lab/daemons.js';
import type { Lab } from '../lab/lab.js';

export interface TransitionLogRecord {
  instance: string;
  from: string;
  to: string;
  reason: string;
  priority: number;
}

/** The `event: "transition"` records one daemon has logged so far, oldest first. */
export function transitionRecords(daemon: RunningDaemon, instance = 'VI_1'): TransitionLogRecord[] {
  return daemon
    .records()
    .filter((r) => r.event === 'transition' && r.instance === instance)
    .map((r) => ({
      instance: String(r.instance),
      from: String(r.from),
      to: String(r.to),
      reason: String(r.reason),
      priority: Number(r.priority),
    }));
}

/** Log records whose message (`msg`) contains `text`. */
export function recordsWithMessage(daemon: RunningDaemon, text: string): Array<Record<string, unknown>> {
  return daemon.records().filter((r) => typeof r.msg === 'string' && r.msg.includes(text));
}

/** Waits (bounded) until `count` records whose message contains `text` have been logged. */
export function waitForMessage(
  daemon: RunningDaemon,
  text: string,
  timeoutMs: number,
  count = 1,
): Promise<boolean> {
  return waitFor(() => recordsWithMessage(daemon, text).length >= count, timeoutMs, 20);
}

/**
 * Samples the state of VI_1 on each daemon every `stepMs` for `durationMs`; returns the distinct
 * states seen per daemon, in the order first seen (an unreachable control socket shows as
 * `unreachable`).
 */
export async function statesDuring(
  daemons: RunningDaemon[],
  durationMs: number,
  stepMs = 200,
): Promise<string[][]> {
  const seen = daemons.map(() => [] as string[]);
  const deadline = Date.now() + durationMs;
  for (;;) {
    const states = await Promise.all(
      daemons.map(async (d) => (await instanceStatus(d))?.state ?? 'unreachable'),
    );
    states.forEach((state, i) => {
      if (!seen[i]!.includes(state)) seen[i]!.push(state);
    });
    if (Date.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits (bounded) until the client's neighbour entry for `address` holds `router`'s MAC, without
 * sending anything to `address` first: only the new master's gratuitous ARP can have put it there.
 */
export async function clientNeighbourFollows(
  lab: Lab,
  router: string,
  address: string,
  timeoutMs = 1500,
  client = 'c1',
): Promise<boolean> {
  const mac = await lab.macOf(router, 'eth0');
  return waitFor(async () => (await lab.neighbourMac(client, address)) === mac, timeoutMs, 50);
}
