// One view over both daemons, so a scenario reads the same whichever of vrrpd and keepalived
// plays which router: the state of VI_1 (vrrpd: its control socket; keepalived: the last
// "Entering X STATE" line of its log), a bounded wait for a state, and a crash that really is one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  instanceStatus,
  keepalivedState,
  waitFor,
  type DaemonSet,
  type RunningDaemon,
} from '../lab/daemons.js';

export type RouterState = 'MASTER' | 'BACKUP' | 'FAULT' | 'INIT';

/** How often state waits poll: keeps the error on measured takeover times near 10 ms. */
const POLL_MS = 10;

/** VI_1's state now, or null when the daemon has exited or not reported one yet. */
export async function routerState(daemon: RunningDaemon, name = 'VI_1'): Promise<RouterState | null> {
  if (daemon.exited()) return null;
  if (daemon.kind === 'keepalived') return keepalivedState(daemon, name) as RouterState | null;
  return ((await instanceStatus(daemon, name))?.state as RouterState | undefined) ?? null;
}

/** Waits (bounded) until the daemon reports `state`; the time it took in ms, or null on timeout. */
export async function waitForRouterState(
  daemon: RunningDaemon,
  state: RouterState,
  timeoutMs: number,
  name = 'VI_1',
): Promise<number | null> {
  const started = Date.now();
  const ok = await waitFor(async () => (await routerState(daemon, name)) === state, timeoutMs, POLL_MS);
  return ok ? Date.now() - started : null;
}

export interface KeepalivedPids {
  /** The process we started (it stays the parent: --dont-fork only skips daemonising). */
  parent: number;
  /** The VRRP child it forks, from the pid file it writes (-r). */
  vrrp: number | null;
}

/** keepalived's processes, from its pid files (never by name). */
export function keepalivedPids(daemon: RunningDaemon): KeepalivedPids {
  const read = (file: string): number | null => {
    try {
      const pid = Number(readFileSync(join(daemon.dir, file), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  return { parent: read('keepalived.pid') ?? daemon.pid, vrrp: read('vrrp.pid') };
}

function signal(pid: number | null, name: NodeJS.Signals): void {
  if (pid === null) return;
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Kills the daemon as a crash would: nothing gets to run on the way out (no priority-0 advert, no
 * VIP removal). For vrrpd that is SIGKILL. keepalived needs more: its VRRP child asks to be sent a
 * signal when its parent dies and then shuts down cleanly (priority 0), and the parent respawns a
 * child that dies. So the parent is frozen first, the VRRP child killed, then the parent.
 */
export async function crashDaemon(daemons: DaemonSet, daemon: RunningDaemon): Promise<void> {
  if (daemon.kind === 'vrrpd') {
    await daemons.stop(daemon, 'SIGKILL');
    return;
  }
  const { parent, vrrp } = keepalivedPids(daemon);
  signal(parent, 'SIGSTOP');
  signal(vrrp, 'SIGKILL');
  signal(parent, 'SIGKILL');
  await daemons.stop(daemon, 'SIGKILL');
  if (vrrp !== null) {
    // The VRRP child is gone once /proc no longer lists it as running (a zombie counts as gone).
    await waitFor(() => !processRunning(vrrp), 2000, POLL_MS);
  }
}

/** True while `pid` exists and is not a zombie. */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
