// keepalived's "can this be opened" scripts: `script "</dev/tcp/127.0.0.1/80"`.
//
// keepalived (lib/notify.c) treats a script whose first word is '<' (blanks allowed) then '/' as
// a shell redirection and runs it with system(): the check succeeds when the shell can open the
// path for reading. /dev/tcp/HOST/PORT and /dev/udp/HOST/PORT are bash's pseudo-files (connect a
// TCP / UDP socket); on a system whose /bin/sh is dash, as Debian's, keepalived's check therefore
// always fails (status 2, verified with keepalived 2.2.7). vrrpd does what the line means, without
// a shell, as bash would: TCP → connect within the script's timeout; UDP → connect (no packet is
// sent, so it fails only when the address cannot be resolved or routed); any other path → open
// for reading. Exit status 0 on success, 1 on failure (bash's), timeout as for any script.
// Only the one-word form is handled here: with more words keepalived would run a command with its
// input redirected, which needs a shell (isOpenCheck returns false; the config layer says so).

import { dgram, net } from '../runtime/builtins.js';
import { constants } from 'node:fs';
import { close, open, readFile } from '../runtime/fs-async.js';
import type { TrackRun, TrackScriptConfig } from './tracker.js';
import type { ScriptResult } from './types.js';
import { systemClock } from '../runtime/clock.js';
import { errorMessage } from '../runtime/errors.js';
import { systemTimers } from '../runtime/timers.js';

export type OpenCheckTarget =
  { kind: 'tcp' | 'udp'; host: string; port: string } | { kind: 'file'; path: string };

/** The path of a '<' script (keepalived's test: '<', optional spaces or tabs, then '/'). */
function redirectedPath(argv0: string): string | null {
  const match = /^<[ \t]*(\/.*)$/s.exec(argv0);
  return match ? match[1]! : null;
}

/** True for keepalived's one-word "</path" scripts, which vrrpd checks itself. */
export function isOpenCheck(argv: readonly string[]): boolean {
  return argv.length === 1 && redirectedPath(argv[0] ?? '') !== null;
}

/** A "</path" first word with more words after it: a redirection of a command, not supported. */
export function isRedirectedCommand(argv: readonly string[]): boolean {
  return argv.length > 1 && redirectedPath(argv[0] ?? '') !== null;
}

/** What a "</path" script checks; null if `argv` is not one. */
export function parseOpenCheck(argv: readonly string[]): OpenCheckTarget | null {
  if (!isOpenCheck(argv)) return null;
  const path = redirectedPath(argv[0]!)!;
  // bash: /dev/tcp/HOST/PORT — HOST up to the last '/', which IPv6 literals never contain.
  const socket = /^\/dev\/(tcp|udp)\/(.+)\/([^/]+)$/.exec(path);
  if (socket) return { kind: socket[1] as 'tcp' | 'udp', host: socket[2]!, port: socket[3]! };
  return { kind: 'file', path };
}

/** A port number, or a service name looked up in /etc/services for the protocol (as bash). */
export async function resolvePort(
  port: string,
  protocol: 'tcp' | 'udp',
  readServices: () => Promise<string> = () => readFile('/etc/services', 'utf8'),
): Promise<number | null> {
  if (/^\d+$/.test(port)) {
    const value = Number(port);
    return value <= 65535 ? value : null;
  }
  let services: string;
  try {
    services = await readServices();
  } catch {
    return null;
  }
  for (const line of services.split('\n')) {
    const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!name || !portProto) continue;
    const [number, proto] = portProto.split('/');
    if (proto === protocol && (name === port || aliases.includes(port))) return Number(number);
  }
  return null;
}

export interface OpenCheckOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** For tests: /etc/services. */
  readServices?: () => Promise<string>;
  /** For tests: the TCP connect (net.connect by default). */
  connectTcp?: (options: { host: string; port: number; autoSelectFamily?: boolean }) => TcpAttempt;
}

/** The part of net.Socket a TCP check uses. */
export interface TcpAttempt {
  once(event: 'connect', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): unknown;
}

export type OpenCheckOutcome = { ok: true } | { ok: false; timedOut: boolean; error: string };

function withDeadline(
  options: OpenCheckOptions,
  attempt: (settle: (outcome: OpenCheckOutcome) => void) => () => void,
): Promise<OpenCheckOutcome> {
  return new Promise((resolve) => {
    let done = false;
    let cleanup: () => void = () => undefined;
    const settle = (outcome: OpenCheckOutcome): void => {
      if (done) return;
      done = true;
      timer.cancel();
      options.signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve(outcome);
    };
    const onAbort = (): void => settle({ ok: false, timedOut: false, error: 'aborted' });
    const timer = systemTimers.after(options.timeoutMs, () =>
      settle({ ok: false, timedOut: true, error: `no answer within ${options.timeoutMs} ms` }),
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    cleanup = attempt(settle);
    if (done) cleanup();
  });
}

/** Performs the check. Never rejects. */
export async function runOpenCheck(
  target: OpenCheckTarget,
  options: OpenCheckOptions,
): Promise<OpenCheckOutcome> {
  if (target.kind === 'file') {
    return withDeadline(options, (settle) => {
      // O_NONBLOCK: a FIFO without a writer would otherwise hold a libuv worker until a writer
      // comes (bash would wait for the timeout instead; both end as a failure or success alike
      // for files, which is what these checks are about).
      open(target.path, constants.O_RDONLY | constants.O_NONBLOCK)
        .then(async (fd) => {
          await close(fd);
          settle({ ok: true });
        })
        .catch((error: unknown) => settle({ ok: false, timedOut: false, error: errorMessage(error) }));
      return () => undefined;
    });
  }
  const port = await resolvePort(target.port, target.kind, options.readServices);
  if (port === null)
    return { ok: false, timedOut: false, error: `unknown port ${target.port}/${target.kind}` };
  // bash takes [v6] literals without brackets; Node wants the bare address either way.
  const host = target.host.replace(/^\[(.*)\]$/, '$1');
  if (target.kind === 'tcp') {
    return withDeadline(options, (settle) => {
      const socket = (options.connectTcp ?? net().connect)({
        host,
        port,
        ...(net().isIP(host) ? {} : { autoSelectFamily: true }),
      });
      socket.once('connect', () => settle({ ok: true }));
      socket.once('error', (error) => settle({ ok: false, timedOut: false, error: errorMessage(error) }));
      return () => socket.destroy();
    });
  }
  return withDeadline(options, (settle) => {
    const socket = dgram().createSocket(net().isIP(host) === 6 ? 'udp6' : 'udp4');
    socket.once('error', (error) => settle({ ok: false, timedOut: false, error: errorMessage(error) }));
    socket.connect(port, host, () => settle({ ok: true }));
    return () => {
      try {
        socket.close();
      } catch {
        // already closed
      }
    };
  });
}

/** The outcome as a script result, so trackers count it like any vrrp_script run. */
export function openCheckResult(
  label: string,
  argv: readonly string[],
  outcome: OpenCheckOutcome,
  durationMs: number,
): ScriptResult {
  const failed = !outcome.ok;
  return {
    label,
    argv: [...argv],
    pid: null,
    outcome:
      failed && outcome.timedOut ? 'timeout' : failed && outcome.error === 'aborted' ? 'aborted' : 'exited',
    exitCode: failed && (outcome.timedOut || outcome.error === 'aborted') ? null : failed ? 1 : 0,
    signal: null,
    timedOut: failed && outcome.timedOut,
    durationMs,
    stdout: '',
    stderr: failed ? `${argv[0]}: ${outcome.error}` : '',
    stdoutTruncated: false,
    stderrTruncated: false,
    error: null,
  };
}

/**
 * A TrackRun for the vrrp_script scheduler (tracker.ts): "</path" scripts are checked here,
 * everything else goes to `next` (the ordinary runner).
 */
export function withOpenChecks(next: TrackRun, clock: () => number = systemClock.now): TrackRun {
  return async (config: TrackScriptConfig, signal: AbortSignal) => {
    const target = parseOpenCheck(config.script.argv);
    if (!target) return next(config, signal);
    const startedAt = clock();
    const outcome = await runOpenCheck(target, { timeoutMs: config.timeoutMs, signal });
    return openCheckResult(`vrrp_script ${config.name}`, config.script.argv, outcome, clock() - startedAt);
  };
}
