// Helpers for the control-socket tests: temp directories, a fake daemon, and a raw client that
// records exactly what the server sends. Every wait is bounded.

import { connect, type Socket } from 'node:net';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlHandlers } from '../../src/control/dispatch.js';
import type { GarpResult, ReloadResult, UplinkPinResult } from '../../src/control/status-types.js';
import { loadNative, unixStreams } from '../../src/kernel/native.js';
import { sampleStats, sampleStatus } from './fixtures.js';

/** The unix streams the daemon's control socket runs on (the native addon's). */
export const streams = unixStreams(loadNative());

/** A world-traversable temp directory (0755), so permission tests exercise the socket's own mode. */
export async function makeSocketDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vrrpd-ctl-'));
  await chmod(dir, 0o755);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface FakeDaemon extends ControlHandlers {
  calls: string[];
  reloadResult: ReloadResult;
  garpResult: GarpResult;
  pinResult: UplinkPinResult;
  /** When set, reload() waits for this promise (to hold a request in flight). */
  reloadGate?: Promise<void>;
  failStatus?: Error;
}

export function fakeDaemon(): FakeDaemon {
  const daemon: FakeDaemon = {
    calls: [],
    reloadResult: { accepted: true, errors: [] },
    garpResult: { ok: true },
    pinResult: { ok: true, group: 'OPERATORS', pinned: 'operator3', modeFile: '/var/lib/netgwm/mode' },
    status() {
      daemon.calls.push('status');
      if (daemon.failStatus) throw daemon.failStatus;
      return sampleStatus();
    },
    stats(clear) {
      daemon.calls.push(`stats clear=${clear}`);
      return sampleStats();
    },
    async reload() {
      daemon.calls.push('reload');
      if (daemon.reloadGate) await daemon.reloadGate;
      return daemon.reloadResult;
    },
    garp(instance) {
      daemon.calls.push(`garp ${instance}`);
      return daemon.garpResult;
    },
    handover(args) {
      daemon.calls.push(`handover ${JSON.stringify(args)}`);
      return { ok: true, instances: args.instances };
    },
    resume(args) {
      daemon.calls.push(`resume ${JSON.stringify(args)}`);
      return { ok: true, instances: args.instances };
    },
    demote(args) {
      daemon.calls.push(`demote ${JSON.stringify(args)}`);
      return args.priority === 200
        ? { ok: false, error: 'refused' }
        : { ok: true, instances: args.instances };
    },
    async uplinkPin(group, gateway) {
      daemon.calls.push(`uplinkPin ${group ?? '-'} ${gateway ?? 'auto'}`);
      return daemon.pinResult;
    },
  };
  return daemon;
}

export interface Exchange {
  /** Reply lines, parsed. */
  replies: Record<string, unknown>[];
  /** Whether the server closed the connection. */
  closed: boolean;
  /** Error code of a failed connect (EACCES, ENOENT…), if any. */
  connectError?: string;
}

/**
 * Connects, writes `payload`, and collects reply lines until `expectLines` arrived, the server
 * closed, or `timeoutMs` passed; with `waitForClose`, keeps reading until the server closes.
 */
export function exchange(
  path: string,
  payload: string | Buffer,
  options: { expectLines?: number; timeoutMs?: number; waitForClose?: boolean } = {},
): Promise<Exchange> {
  const expectLines = options.expectLines ?? 1;
  const timeoutMs = options.timeoutMs ?? 3000;
  return new Promise((resolve) => {
    const result: Exchange = { replies: [], closed: false };
    let pending = '';
    let socket: Socket | undefined = undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket?.destroy();
      resolve(result);
    };
    const timer = setTimeout(done, timeoutMs);
    socket = connect({ path });
    socket.on('connect', () => {
      if (payload.length > 0) socket!.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        result.replies.push(JSON.parse(pending.slice(0, newline)) as Record<string, unknown>);
        pending = pending.slice(newline + 1);
      }
      if (result.replies.length >= expectLines && !options.waitForClose) done();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (result.replies.length === 0 && !result.closed) result.connectError = error.code;
      done();
    });
    socket.on('close', () => {
      result.closed = true;
      done();
    });
  });
}

/** Opens a connection and keeps it open without sending anything; resolves once connected. */
export function idleConnection(path: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}
