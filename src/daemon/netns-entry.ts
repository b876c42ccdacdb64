// net_namespace (keepalived's top-level keyword, or `vrrpd -s NAME`): run the daemon inside the
// network namespace /run/netns/NAME, as keepalived 2.2.7 does (core/namespaces.c).
//
// keepalived opens /run/netns/NAME and setns()es into it before anything else; when it runs the
// daemon (not under -t) it also makes a mount namespace of its own, turns every mount into a
// slave and bind-mounts /run/keepalived/NAME on /run/keepalived, so each namespaced daemon has
// its own pid files there, seen from outside as /run/keepalived/NAME/; that step is best effort
// (failures logged). A namespace that cannot be entered stops it at once: no waiting.
//
// In Node, setns() and unshare() move the calling thread only, and a Node process already has
// other threads (libuv's pool, which runs fs and DNS work, and V8's workers). So this runs first
// thing, before any socket, netlink, child process or pool work: the main thread enters the
// namespaces and execs the same node with the same arguments, and execve keeps that thread's
// namespaces for the whole new process. The new image finds ENTERED_ENV (what was done, as JSON),
// removes it from its environment — scripts never see it — and carries on inside.
// Our run directory is /run/vrrpd (pid file, control socket), mounted from /run/vrrpd/NAME.

import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createNamespaceOps, type NamespaceOps } from '../kernel/namespaces.js';
import { errorMessage } from '../runtime/errors.js';

export const NETNS_DIRECTORY = '/run/netns';
/** Where the pid file and control socket live by default (the CLI's defaults); per namespace, a bind mount. */
export const RUN_DIRECTORY = '/run/vrrpd';
export const ENTERED_ENV = 'VRRPD_NETNS_ENTERED';

/** `run`: the daemon (namespaces and the run directory); `test`: `-t` (the network namespace only, as keepalived -t). */
export type EntryMode = 'run' | 'test';

/** What the process that entered tells the image it execs. */
interface EnteredMarker {
  name: string;
  mode: EntryMode;
  /** /run/vrrpd/NAME as seen from outside when it is mounted on /run/vrrpd; null when not. */
  runDirectory: string | null;
  /** The best-effort steps that failed (logged by the new image, which has the logger). */
  warnings: string[];
}

export type EntryOutcome =
  /** No namespace named: run where started. */
  | { kind: 'none' }
  /** Running inside the named namespace (entered by the image before this one). */
  | ({ kind: 'inside' } & EnteredMarker)
  /** /run/netns/NAME does not exist. */
  | { kind: 'missing'; name: string }
  /** It could not be entered. `moved`: the main thread is no longer where the others are: exit. */
  | { kind: 'failed'; name: string; error: string; moved: boolean };

/** The host facts and the process the entry needs; tests pass fakes. */
export interface EntryHost {
  env: NodeJS.ProcessEnv;
  /** Whether the path exists (the namespace's bind mount). */
  exists(path: string): boolean;
  /** Whether this process is already in the network namespace bound at `path`. */
  alreadyIn(path: string): boolean;
  mkdir(path: string): void;
  ops(): NamespaceOps;
  /** node, its options and the script with its arguments: what to exec. */
  execPath: string;
  argv0: string;
  execArgv: readonly string[];
  argv: readonly string[];
}

export function namespacePath(name: string): string {
  return join(NETNS_DIRECTORY, name);
}

function sameFile(a: string, b: string): boolean {
  const left = statSync(a);
  const right = statSync(b);
  return left.dev === right.dev && left.ino === right.ino;
}

export function processHost(): EntryHost {
  return {
    env: process.env,
    exists: (path) => {
      try {
        statSync(path);
        return true;
      } catch {
        return false;
      }
    },
    // /proc/self is the main thread's view: the one that called setns.
    alreadyIn: (path) => sameFile('/proc/self/ns/net', path),
    mkdir: (path) => mkdirSync(path, { recursive: true, mode: 0o755 }),
    // The addon is loaded only here, when a namespace is named.
    ops: () => createNamespaceOps(),
    execPath: process.execPath,
    argv0: process.argv0,
    execArgv: process.execArgv,
    argv: process.argv,
  };
}

function readMarker(env: NodeJS.ProcessEnv): EnteredMarker | null {
  const text = env[ENTERED_ENV];
  if (text === undefined) return null;
  delete env[ENTERED_ENV];
  try {
    const marker = JSON.parse(text) as EnteredMarker;
    if (typeof marker.name === 'string' && Array.isArray(marker.warnings)) return marker;
  } catch {
    // A marker that is not ours: treated as absent below.
  }
  return null;
}

/**
 * Enters the namespace `name` (null: none) for `mode`, by exec: on success this does not return.
 * Returns what the caller must act on: running inside (the new image), nothing to do, or why not.
 */
export function enterNamespace(wanted: string | null, mode: EntryMode, host: EntryHost): EntryOutcome {
  const marker = readMarker(host.env);
  if (marker) {
    // The image before this one entered; make sure the kernel agrees (a stale variable must not
    // make a daemon run in the wrong namespace).
    const path = namespacePath(marker.name);
    if (host.exists(path) && host.alreadyIn(path)) return { kind: 'inside', ...marker };
    return {
      kind: 'failed',
      name: marker.name,
      error: `${ENTERED_ENV} is set but this process is not in ${path}`,
      moved: false,
    };
  }
  if (wanted === null) return { kind: 'none' };
  const name = wanted;
  const path = namespacePath(name);
  if (!host.exists(path)) return { kind: 'missing', name };
  let ops: NamespaceOps;
  try {
    ops = host.ops();
  } catch (error) {
    return { kind: 'failed', name, error: errorMessage(error), moved: false };
  }
  const warnings: string[] = [];
  let runDirectory: string | null = null;
  let moved = false;
  try {
    // Already inside (`ip netns exec NAME vrrpd`, systemd's NetworkNamespacePath=): keepalived
    // setns()es anyway; skipping it spares a capability the mount step may not need either.
    if (!host.alreadyIn(path)) {
      ops.enterNetworkNamespace(path);
      moved = true;
    }
  } catch (error) {
    return { kind: 'failed', name, error: errorMessage(error), moved };
  }
  if (mode === 'run') {
    const outside = join(RUN_DIRECTORY, name);
    try {
      ops.privateMountNamespace();
      moved = true;
      // After the unshare: where it is refused (systemd's RestrictNamespaces=), nothing is left behind.
      host.mkdir(outside);
      ops.bindMount(outside, RUN_DIRECTORY);
      runDirectory = outside;
    } catch (error) {
      warnings.push(errorMessage(error));
    }
  }
  if (!moved) {
    // Nothing changed for this thread: no need for a new image.
    return { kind: 'inside', name, mode, runDirectory, warnings };
  }
  const entered: EnteredMarker = { name, mode, runDirectory, warnings };
  const env = Object.entries({ ...host.env, [ENTERED_ENV]: JSON.stringify(entered) })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  try {
    ops.execve(host.execPath, [host.argv0, ...host.execArgv, ...host.argv.slice(1)], env);
  } catch (error) {
    return { kind: 'failed', name, error: errorMessage(error), moved: true };
  }
  // execve returns only by throwing; a fake that returns is a test's.
  return { kind: 'failed', name, error: 'execve returned', moved: true };
}

/**
 * At stop: unmount /run/vrrpd/NAME from /run/vrrpd and remove it if empty (the pid file and
 * socket are gone by then), as keepalived does with /run/keepalived/NAME. Best effort.
 */
export function leaveRunDirectory(runDirectory: string | null, ops: NamespaceOps): string | null {
  if (runDirectory === null) return null;
  try {
    ops.unmount(RUN_DIRECTORY);
    rmdirSync(runDirectory);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EBUSY' || code === 'ENOENT') return null;
    return errorMessage(error);
  }
}

/** The names `ip netns list` shows (the entries of /run/netns), for the config test. */
export function listNamespaces(): Set<string> {
  try {
    return new Set(readdirSync(NETNS_DIRECTORY));
  } catch {
    return new Set();
  }
}
