// keepalived's "</path" scripts done without a shell, as bash would (src/scripts/open-check.ts).
// Network checks go to loopback only: a listener this test opens, a port it has just closed.

import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isOpenCheck,
  isRedirectedCommand,
  openCheckResult,
  parseOpenCheck,
  resolvePort,
  runOpenCheck,
  withOpenChecks,
} from '../../src/scripts/open-check.js';
import type { TrackScriptConfig } from '../../src/scripts/tracker.js';
import { isSuccess, type ScriptResult } from '../../src/scripts/types.js';
import { TempDir } from './helpers.js';

const SERVICES = 'ssh\t\t22/tcp\nhttp\t\t80/tcp\t\twww # WorldWideWeb\nsyslog\t\t514/udp\n';
const services = async () => SERVICES;

function trackConfig(command: string, timeoutMs = 2000): TrackScriptConfig {
  return {
    name: 'chk',
    script: { command, argv: [command], source: { file: 'keepalived.conf', line: 3 } },
    intervalMs: 1000,
    timeoutMs,
    weight: 0,
    weightReverse: false,
    rise: 1,
    fall: 1,
    initFail: false,
  };
}

describe('recognising "</path" scripts (keepalived lib/notify.c)', () => {
  it('takes one word starting with "<", optional blanks, then "/"', () => {
    expect(parseOpenCheck(['</dev/tcp/127.0.0.1/80'])).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: '80',
    });
    expect(parseOpenCheck(['< \t/dev/udp/localhost/syslog'])).toEqual({
      kind: 'udp',
      host: 'localhost',
      port: 'syslog',
    });
    expect(parseOpenCheck(['</dev/tcp/::1/22'])).toEqual({ kind: 'tcp', host: '::1', port: '22' });
    expect(parseOpenCheck(['</run/app.ready'])).toEqual({ kind: 'file', path: '/run/app.ready' });
    expect(parseOpenCheck(['</dev/tcp/127.0.0.1'])).toEqual({ kind: 'file', path: '/dev/tcp/127.0.0.1' });
  });

  it('leaves everything else to the script runner', () => {
    for (const argv of [['/bin/true'], ['<'], ['<relative'], ['x</dev/tcp/a/1'], ['<', '/dev/tcp/a/1']]) {
      expect(isOpenCheck(argv)).toBe(false);
      expect(parseOpenCheck(argv)).toBeNull();
    }
    expect(isRedirectedCommand(['</dev/tcp/127.0.0.1/80', 'cat'])).toBe(true);
    expect(isRedirectedCommand(['</dev/tcp/127.0.0.1/80'])).toBe(false);
  });

  it('resolves ports by number or by service name, as bash', async () => {
    expect(await resolvePort('8080', 'tcp', services)).toBe(8080);
    expect(await resolvePort('http', 'tcp', services)).toBe(80);
    expect(await resolvePort('www', 'tcp', services)).toBe(80);
    expect(await resolvePort('syslog', 'udp', services)).toBe(514);
    expect(await resolvePort('syslog', 'tcp', services)).toBeNull();
    expect(await resolvePort('70000', 'tcp', services)).toBeNull();
    expect(await resolvePort('ssh', 'tcp', async () => Promise.reject(new Error('no file')))).toBeNull();
  });
});

describe('running them on loopback', () => {
  let server: Server;
  let openPort: number;
  let closedPort: number;
  const dir = new TempDir('vrrpd-open-');

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  it('TCP: succeeds when something listens, fails with a refusal when nothing does', async () => {
    expect(
      await runOpenCheck({ kind: 'tcp', host: '127.0.0.1', port: String(openPort) }, { timeoutMs: 2000 }),
    ).toEqual({
      ok: true,
    });
    expect(
      await runOpenCheck({ kind: 'tcp', host: 'localhost', port: String(openPort) }, { timeoutMs: 2000 }),
    ).toEqual({
      ok: true,
    });
    const refused = await runOpenCheck(
      { kind: 'tcp', host: '127.0.0.1', port: String(closedPort) },
      { timeoutMs: 2000 },
    );
    expect(refused).toMatchObject({
      ok: false,
      timedOut: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('UDP: connecting needs only a route, as with bash', async () => {
    expect(
      await runOpenCheck({ kind: 'udp', host: '127.0.0.1', port: String(closedPort) }, { timeoutMs: 2000 }),
    ).toEqual({
      ok: true,
    });
    const unknown = await runOpenCheck(
      { kind: 'udp', host: '127.0.0.1', port: 'nosuchservice' },
      {
        timeoutMs: 2000,
        readServices: services,
      },
    );
    expect(unknown).toMatchObject({ ok: false, error: 'unknown port nosuchservice/udp' });
  });

  it('files: readable or not', async () => {
    const readable = dir.script('ready', 'x', 0o644);
    expect(await runOpenCheck({ kind: 'file', path: readable }, { timeoutMs: 2000 })).toEqual({ ok: true });
    expect(
      await runOpenCheck({ kind: 'file', path: dir.file('missing') }, { timeoutMs: 2000 }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ENOENT/),
    });
  });

  it('gives up at the timeout, and on abort, closing the attempt', async () => {
    // A host that never answers would be off loopback: a connect that never completes stands in.
    let destroyed = 0;
    const silent = () => ({ once: () => undefined, destroy: () => void destroyed++ });
    const target = { kind: 'tcp' as const, host: '127.0.0.1', port: '80' };
    expect(await runOpenCheck(target, { timeoutMs: 50, connectTcp: silent })).toEqual({
      ok: false,
      timedOut: true,
      error: 'no answer within 50 ms',
    });
    const controller = new AbortController();
    const pending = runOpenCheck(target, {
      timeoutMs: 60_000,
      signal: controller.signal,
      connectTcp: silent,
    });
    await new Promise((resolve) => setImmediate(resolve)); // the attempt is under way
    controller.abort();
    expect(await pending).toEqual({ ok: false, timedOut: false, error: 'aborted' });
    expect(destroyed).toBe(2);
    const aborted = new AbortController();
    aborted.abort();
    expect(
      await runOpenCheck(target, { timeoutMs: 50, signal: aborted.signal, connectTcp: silent }),
    ).toMatchObject({
      error: 'aborted',
    });
  });

  it('plugs into the vrrp_script scheduler as a TrackRun: exit 0 / 1, or timeout; others pass through', async () => {
    const passedThrough: string[] = [];
    const next = async (config: TrackScriptConfig): Promise<ScriptResult> => {
      passedThrough.push(config.script.command);
      return openCheckResult('x', config.script.argv, { ok: true }, 0);
    };
    const run = withOpenChecks(next);
    const signal = new AbortController().signal;
    const up = await run(trackConfig(`</dev/tcp/127.0.0.1/${openPort}`), signal);
    expect(up).toMatchObject({ label: 'vrrp_script chk', outcome: 'exited', exitCode: 0, pid: null });
    expect(isSuccess(up)).toBe(true);
    const down = await run(trackConfig(`</dev/tcp/127.0.0.1/${closedPort}`), signal);
    expect(down).toMatchObject({
      outcome: 'exited',
      exitCode: 1,
      stderr: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(isSuccess(down)).toBe(false);
    const late = openCheckResult('x', ['</dev/tcp/h/1'], { ok: false, timedOut: true, error: 'late' }, 9);
    expect(late).toMatchObject({ outcome: 'timeout', timedOut: true, exitCode: null });
    await run(trackConfig('/bin/true'), signal);
    expect(passedThrough).toEqual(['/bin/true']);
  });
});
