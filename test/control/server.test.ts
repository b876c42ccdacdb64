import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { ControlClientError, sendControlRequest } from '../../src/control/client.js';
import { ControlErrorCode } from '../../src/control/protocol.js';
import { validateStatsSnapshot, validateStatusSnapshot } from '../../src/control/status-validate.js';
import {
  exchange,
  fakeDaemon,
  idleConnection,
  makeSocketDir,
  type FakeDaemon,
  streams,
} from './socket-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let socketPath: string;
let daemon: FakeDaemon;
let server: ControlServer | undefined;
const handlerErrors: string[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeSocketDir());
  socketPath = join(dir, 'run', 'vrrpd.sock');
  daemon = fakeDaemon();
  handlerErrors.length = 0;
  server = await startControlServer(daemon, {
    streams,
    socketPath,
    idleTimeoutMs: 300,
    onError: (error, context) => handlerErrors.push(`${context}: ${String(error)}`),
  });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await cleanup();
});

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

describe('control server round trips', () => {
  it('answers status with the whole snapshot, valid against the schema', async () => {
    const { replies } = await exchange(socketPath, line({ id: 1, command: 'status' }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ id: 1, ok: true });
    expect(validateStatusSnapshot(replies[0]!.result)).toEqual([]);
    expect((replies[0]!.result as { instances: unknown[] }).instances).toHaveLength(3);
  });

  it('filters status by instance and names the known ones when the name is wrong', async () => {
    const one = await exchange(socketPath, line({ id: 2, command: 'status', args: { instance: 'VI_DMZ' } }));
    const result = one.replies[0]!.result as { instances: { name: string }[]; uplinks: unknown[] };
    expect(result.instances.map((instance) => instance.name)).toEqual(['VI_DMZ']);
    expect(result.uplinks).toHaveLength(2);

    const missing = await exchange(
      socketPath,
      line({ id: 3, command: 'status', args: { instance: 'VI_X' } }),
    );
    expect(missing.replies[0]).toEqual({
      id: 3,
      ok: false,
      error: {
        code: ControlErrorCode.unknownInstance,
        message: 'no instance named "VI_X" (instances: VI_LAN, VI_WAN_with_a_rather_long_name, VI_DMZ)',
      },
    });
  });

  it('passes stats --clear through and returns schema-valid counters', async () => {
    const { replies } = await exchange(socketPath, line({ id: 4, command: 'stats', args: { clear: true } }));
    expect(replies[0]).toMatchObject({ id: 4, ok: true });
    expect(validateStatsSnapshot(replies[0]!.result)).toEqual([]);
    expect(daemon.calls).toEqual(['stats clear=true']);
  });

  it('reports whether a reload was accepted, with the reasons when not', async () => {
    const accepted = await exchange(socketPath, line({ id: 5, command: 'reload' }));
    expect(accepted.replies[0]).toEqual({ id: 5, ok: true, result: { accepted: true, errors: [] } });
    daemon.reloadResult = { accepted: false, errors: ['vrrpd.conf:12: unknown keyword "priorty"'] };
    const rejected = await exchange(socketPath, line({ id: 6, command: 'reload' }));
    expect(rejected.replies[0]).toEqual({
      id: 6,
      ok: true,
      result: { accepted: false, errors: ['vrrpd.conf:12: unknown keyword "priorty"'] },
    });
  });

  it('resends GARP for a known instance and reports failures', async () => {
    const sent = await exchange(socketPath, line({ id: 7, command: 'garp', args: { instance: 'VI_LAN' } }));
    expect(sent.replies[0]).toEqual({ id: 7, ok: true, result: { ok: true } });
    expect(daemon.calls).toContain('garp VI_LAN');

    daemon.garpResult = { ok: false, error: 'VI_WAN_with_a_rather_long_name is BACKUP, not MASTER' };
    const refused = await exchange(
      socketPath,
      line({ id: 8, command: 'garp', args: { instance: 'VI_WAN_with_a_rather_long_name' } }),
    );
    expect(refused.replies[0]).toEqual({
      id: 8,
      ok: false,
      error: {
        code: ControlErrorCode.garpFailed,
        message: 'VI_WAN_with_a_rather_long_name is BACKUP, not MASTER',
      },
    });

    const unknown = await exchange(socketPath, line({ id: 9, command: 'garp', args: { instance: 'nope' } }));
    expect(unknown.replies[0]).toMatchObject({
      ok: false,
      error: { code: ControlErrorCode.unknownInstance },
    });
    expect(daemon.calls.filter((call) => call.startsWith('garp'))).toHaveLength(2);
  });

  it('answers malformed JSON and unknown commands with errors and keeps serving the connection', async () => {
    const payload = [
      '{"id":1,"command":',
      line({ id: 2, command: 'shutdown' }).trimEnd(),
      line({ id: 3, command: 'status' }),
    ].join('\n');
    const { replies, closed } = await exchange(socketPath, payload, { expectLines: 3 });
    expect(closed).toBe(false);
    expect(replies.map((reply) => reply.id)).toEqual([null, 2, 3]);
    expect(replies[0]).toMatchObject({ ok: false, error: { code: ControlErrorCode.badJson } });
    expect(replies[1]).toMatchObject({ ok: false, error: { code: ControlErrorCode.unknownCommand } });
    expect(replies[2]).toMatchObject({ ok: true });
  });

  it('answers pipelined requests in order', async () => {
    const payload = [1, 2, 3, 4, 5].map((id) => line({ id, command: id % 2 ? 'status' : 'stats' })).join('');
    const { replies } = await exchange(socketPath, payload, { expectLines: 5 });
    expect(replies.map((reply) => reply.id)).toEqual([1, 2, 3, 4, 5]);
    expect(replies.every((reply) => reply.ok === true)).toBe(true);
  });

  it('turns a throwing handler into an INTERNAL error and stays up', async () => {
    daemon.failStatus = new Error('snapshot exploded');
    const failed = await exchange(socketPath, line({ id: 1, command: 'status' }));
    expect(failed.replies[0]).toEqual({
      id: 1,
      ok: false,
      error: { code: ControlErrorCode.internal, message: 'status failed inside vrrpd: snapshot exploded' },
    });
    expect(handlerErrors).toEqual(['control command status: Error: snapshot exploded']);
    daemon.failStatus = undefined;
    const next = await exchange(socketPath, line({ id: 2, command: 'status' }));
    expect(next.replies[0]).toMatchObject({ id: 2, ok: true });
  });

  it('refuses a request over 64 KiB without a newline, closes that client, and serves others', async () => {
    const flood = Buffer.alloc(70 * 1024, 0x61);
    const { replies, closed } = await exchange(socketPath, flood, { waitForClose: true });
    expect(closed).toBe(true);
    expect(replies).toEqual([
      {
        id: null,
        ok: false,
        error: {
          code: ControlErrorCode.tooLarge,
          message: 'request longer than 65536 bytes without a newline',
        },
      },
    ]);
    const next = await exchange(socketPath, line({ id: 1, command: 'status' }));
    expect(next.replies[0]).toMatchObject({ ok: true });
  });

  it('serves other clients while one sits idle, then closes the idle one with an error line', async () => {
    const idle = await idleConnection(socketPath);
    const other = await exchange(socketPath, line({ id: 1, command: 'status' }));
    expect(other.replies[0]).toMatchObject({ ok: true });
    const received = await idle.closed;
    expect(JSON.parse(received.trim())).toEqual({
      id: null,
      ok: false,
      error: { code: ControlErrorCode.idleTimeout, message: 'no request for 300 ms; closing' },
    });
  });

  it('handles clients concurrently: a slow reload does not hold up a status', async () => {
    let release!: () => void;
    daemon.reloadGate = new Promise<void>((resolve) => (release = resolve));
    const reloading = exchange(socketPath, line({ id: 1, command: 'reload' }));
    const status = await exchange(socketPath, line({ id: 2, command: 'status' }));
    expect(status.replies[0]).toMatchObject({ id: 2, ok: true });
    expect(daemon.calls).toEqual(['reload', 'status']);
    release();
    expect((await reloading).replies[0]).toEqual({ id: 1, ok: true, result: { accepted: true, errors: [] } });
  });

  it('answers a request whose sender already half-closed its side', async () => {
    const { replies, closed } = await new Promise<{ replies: string; closed: boolean }>((resolve) => {
      import('node:net').then(({ connect }) => {
        const socket = connect({ path: socketPath });
        let text = '';
        socket.on('connect', () => socket.end(line({ id: 1, command: 'stats' })));
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve({ replies: text, closed: true }));
        setTimeout(() => resolve({ replies: text, closed: false }), 3000);
      });
    });
    expect(closed).toBe(true);
    expect(JSON.parse(replies.trim())).toMatchObject({ id: 1, ok: true });
  });
});

describe('control socket file', () => {
  it('creates the parent directory 0755 and the socket 0600', async () => {
    expect((await stat(join(dir, 'run'))).mode & 0o777).toBe(0o755);
    const info = await lstat(socketPath);
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('is 0660 and owned by the configured group', async () => {
    const groupPath = join(dir, 'group.sock');
    const grouped = await startControlServer(daemon, { streams, socketPath: groupPath, group: 'nogroup' });
    try {
      const info = await lstat(groupPath);
      expect(info.mode & 0o777).toBe(0o660);
      const nogroup = (await readFile('/etc/group', 'utf8'))
        .split('\n')
        .find((entry) => entry.startsWith('nogroup:'));
      expect(info.gid).toBe(Number(nogroup!.split(':')[2]));
    } finally {
      await grouped.close();
    }
  });

  it('rejects an unknown group before touching the path', async () => {
    await expect(
      startControlServer(daemon, { streams, socketPath: join(dir, 'x.sock'), group: 'no-such-group-vrrpd' }),
    ).rejects.toMatchObject({ code: 'VRRPD_E_CTL_UNKNOWN_GROUP' });
  });

  it('refuses to start on a socket another server answers on, leaving that server working', async () => {
    await expect(startControlServer(fakeDaemon(), { streams, socketPath })).rejects.toMatchObject({
      code: 'VRRPD_E_CTL_SOCKET_IN_USE',
    });
    const still = await exchange(socketPath, line({ id: 1, command: 'status' }));
    expect(still.replies[0]).toMatchObject({ ok: true });
  });

  it('replaces a stale socket nobody answers on', async () => {
    const stalePath = join(dir, 'stale.sock');
    // A socket bound by a process that has exited: the file remains, connect() is refused.
    const made = spawnSync('python3', [
      '-c',
      'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])',
      stalePath,
    ]);
    expect(made.status).toBe(0);
    expect((await lstat(stalePath)).isSocket()).toBe(true);
    await expect(
      sendControlRequest('status', {}, { socketPath: stalePath, timeoutMs: 1000 }),
    ).rejects.toMatchObject({
      failure: 'not_running',
    });
    const replacement = await startControlServer(daemon, { streams, socketPath: stalePath });
    try {
      const { replies } = await exchange(stalePath, line({ id: 1, command: 'status' }));
      expect(replies[0]).toMatchObject({ ok: true });
    } finally {
      await replacement.close();
    }
  });

  it('will not replace something that is not a socket', async () => {
    const filePath = join(dir, 'precious.txt');
    await writeFile(filePath, 'keep me');
    await expect(startControlServer(daemon, { streams, socketPath: filePath })).rejects.toMatchObject({
      code: 'VRRPD_E_CTL_SOCKET_NOT_A_SOCKET',
    });
    expect(await readFile(filePath, 'utf8')).toBe('keep me');
  });

  it('removes the socket file on close and drops connected clients', async () => {
    const idle = await idleConnection(socketPath);
    expect(server!.connectionCount()).toBe(1);
    await server!.close();
    server = undefined;
    await idle.closed;
    await expect(lstat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('control client', () => {
  it('explains a missing socket in one line', async () => {
    const missing = join(dir, 'nothing-here.sock');
    const error = await sendControlRequest('status', {}, { socketPath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlClientError);
    expect((error as ControlClientError).failure).toBe('not_running');
    expect((error as ControlClientError).message).toBe(
      `cannot reach vrrpd at ${missing}: no such file (is vrrpd running?)`,
    );
  });

  it('gives up after its timeout when the daemon does not answer', async () => {
    daemon.reloadGate = new Promise<void>(() => {});
    const error = await sendControlRequest('reload', {}, { socketPath, timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      failure: 'timeout',
      message: `vrrpd at ${socketPath} did not answer within 0.2 s`,
    });
  });

  it('returns error replies as replies', async () => {
    const reply = await sendControlRequest('garp', { instance: 'nope' }, { socketPath });
    expect(reply).toMatchObject({ ok: false, error: { code: ControlErrorCode.unknownInstance } });
  });

  it('reaches a server whose socket sits in freshly created nested directories', async () => {
    const nested = join(dir, 'a', 'b', 'c.sock');
    await mkdir(join(dir, 'a'), { mode: 0o755 });
    const extra = await startControlServer(daemon, { streams, socketPath: nested });
    try {
      expect((await stat(join(dir, 'a', 'b'))).mode & 0o777).toBe(0o755);
      const reply = await sendControlRequest('status', {}, { socketPath: nested });
      expect(reply.ok).toBe(true);
    } finally {
      await extra.close();
    }
  });
});
