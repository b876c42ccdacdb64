// The uplink manager's I/O shell with an in-memory kernel and scripted probe sockets (no root
// needed): probe routing installed and removed, the default route written on switches only by an
// owner, hooks run for real (shell scripts recording their argv), NetGWM's log line, the state
// file, fallback on leaving MASTER and the retry after a failed route write. Waits are bounded
// polls; no test asserts a duration.

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../../src/config/netgwm/parse.js';
import type { NetgwmConfig } from '../../../src/config/netgwm/types.js';
import { memoryFileSource } from '../../../src/config/language/file-source.js';
import { UplinkManager, type UplinkNotice } from '../../../src/daemon/uplinks/manager.js';
import { startStandaloneUplinks } from '../../../src/daemon/uplinks/standalone.js';
import { FakeKernel, FakeNetwork } from './fake-kernel.js';
import { callbackLogger, type Logger } from '../../../src/runtime/log.js';

const MARK_BASE = 0x76720000;
const OP1 = MARK_BASE + 1;
const OP2 = MARK_BASE + 2;
const OP3 = MARK_BASE + 3;

interface LogRecord {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function recorder(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(
    callbackLogger((level, fields, message) => void records.push({ level, fields, message })),
    { records },
  );
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('uplink manager (fake kernel)', () => {
  let dir: string;
  let kernel: FakeKernel;
  let network: FakeNetwork;
  let logger: ReturnType<typeof recorder>;
  const managers: UplinkManager[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-'));
    kernel = new FakeKernel();
    network = new FakeNetwork();
    for (const mark of [OP1, OP2, OP3]) network.reachable.add(mark);
    logger = recorder();
    await writeFile(join(dir, 'hooks-out'), '');
    await mkdir(join(dir, 'post-replace.d'));
  });

  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function config(extra = ''): Promise<NetgwmConfig> {
    const hooks = join(dir, 'post-replace.d');
    const sink = new DiagnosticSink();
    const parsed = parseNetgwmConfig(
      `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 2}
  operator3: {ip: 198.51.100.33, priority: 3}
min_uptime: 0.3
check_sites: [203.0.113.10]
vrrpd:
  interval: 0.05
  timeout: 0.05
  count: 1
  rise: 1
  fall: 2
  post_replace_dir: ${hooks}
  log_file: ${join(dir, 'netgwm.log')}
  state_file: ${join(dir, 'state', 'uplinks.json')}
  mode_file: ${join(dir, 'mode')}
  status_dir: ${join(dir, 'run')}
${extra}`,
      '/test/netgwm.yml',
      sink,
    );
    expect(sink.diagnostics).toEqual([]);
    return parsed as NetgwmConfig;
  }

  async function addHook(name: string, body: string): Promise<void> {
    const path = join(dir, 'post-replace.d', name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
  }

  async function start(
    role: 'master' | 'backup' | 'standalone',
    cfg?: NetgwmConfig,
    onLeaveMaster?: Parameters<typeof UplinkManager.start>[0]['onLeaveMaster'],
  ) {
    const notices: UplinkNotice[] = [];
    const options: Parameters<typeof UplinkManager.start>[0] = {
      name: 'ISP',
      config: cfg ?? (await config()),
      role,
      logger,
    };
    if (onLeaveMaster) options.onLeaveMaster = onLeaveMaster;
    const manager = await UplinkManager.start(options, {
      kernel,
      openProber: network.open,
      utcOffsetMinutes: () => 0,
    });
    managers.push(manager);
    manager.onNotice((notice) => notices.push(notice));
    return { manager, notices };
  }

  const hookLines = async (): Promise<string[]> =>
    (await readFile(join(dir, 'hooks-out'), 'utf8')).split('\n').filter(Boolean);

  it('installs probe routing, switches on failure, runs hooks in name order, logs and persists', async () => {
    const out = join(dir, 'hooks-out');
    await addHook('20-second', `echo "second $*" >> ${out}`);
    await addHook('10-first', `echo "first $*" >> ${out}`);
    await writeFile(join(dir, 'post-replace.d', '30-not-executable'), `#!/bin/sh\necho never >> ${out}\n`);
    const { manager, notices } = await start('standalone');

    expect(kernel.ruleTable.map((r) => [r.priority, r.fwmark, r.table])).toEqual([
      [3401, OP1, 3401],
      [3402, OP2, 3402],
      [3403, OP3, 3403],
    ]);
    expect(
      kernel.routeTable
        .filter((r) => r.table === 3401)
        .map((r) => [r.type, r.gateway ?? null, r.metric ?? 0]),
    ).toEqual([
      [7, null, 0xffffffff],
      [1, '198.51.100.1', 0],
    ]);

    await waitFor('first install', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    expect(kernel.defaultRoute()?.ifindex).toBe(3); // eth1
    const linesAfterStart = await waitForLines(2);
    expect(linesAfterStart).toEqual([
      'first operator1 198.51.100.1 eth1 NaN NaN NaN',
      'second operator1 198.51.100.1 eth1 NaN NaN NaN',
    ]);

    network.reachable.delete(OP1);
    await waitFor('failover', () => kernel.defaultRoute()?.gateway === '198.51.100.17');
    const lines = await waitForLines(4);
    expect(lines.slice(2)).toEqual([
      'first operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
      'second operator2 198.51.100.17 eth2 operator1 198.51.100.1 eth1',
    ]);
    expect(notices.filter((n) => n.kind === 'switch')).toEqual([
      { kind: 'switch', from: null, to: 'operator1', reason: 'initial' },
      { kind: 'switch', from: 'operator1', to: 'operator2', reason: 'failover' },
    ]);
    const status = manager.status();
    expect(status.map((s) => [s.id, s.state, s.active])).toEqual([
      ['operator1', 'DOWN', false],
      ['operator2', 'UP', true],
      ['operator3', 'UP', false],
    ]);
    expect(status[1]?.rttMs).toBe(1.5);

    const netgwmLog = await waitForFile(join(dir, 'netgwm.log'), 2);
    expect(netgwmLog[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} route replaced to: via 198\.51\.100\.1 dev eth1$/,
    );
    expect(netgwmLog[1]).toMatch(/ route replaced to: via 198\.51\.100\.17 dev eth2$/);
    // The state file is written after the switch: wait for the one naming the new gateway.
    const state = JSON.parse(await waitForText(join(dir, 'state', 'uplinks.json'), '"active": "operator2"'));
    expect(state).toMatchObject({
      version: 1,
      active: 'operator2',
      flapping: { operator1: expect.any(Number) },
    });
    expect(
      logger.records.some((r) => r.fields.event === 'uplink_switch' && r.fields.to === 'operator2'),
    ).toBe(true);

    // Fail-back after min_uptime.
    network.reachable.add(OP1);
    await waitFor('failback', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    expect(notices.filter((n) => n.kind === 'switch').at(-1)).toMatchObject({
      to: 'operator1',
      reason: 'failback',
    });

    await manager.stop();
    expect(kernel.ruleTable).toEqual([]);
    expect(kernel.routeTable.filter((r) => r.table !== 254)).toEqual([]);
    // The default route stays where it is.
    expect(kernel.defaultRoute()?.gateway).toBe('198.51.100.1');
  });

  /** Polls an async reader until `done` accepts its value (bounded). */
  async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const waitForLines = (count: number): Promise<string[]> =>
    poll(`${count} hook lines`, hookLines, (lines) => lines.length >= count);

  const waitForText = (path: string, needle: string): Promise<string> =>
    poll(
      `${needle} in ${path}`,
      () => readFile(path, 'utf8').catch(() => ''),
      (text) => text.includes(needle),
    );

  const waitForFile = (path: string, lines: number): Promise<string[]> =>
    poll(
      `${lines} lines in ${path}`,
      async () => (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean),
      (found) => found.length >= lines,
    );

  it('as backup probes without touching the route; as master writes it at once; leaving restores the fallback', async () => {
    kernel.routeTable.push({
      destination: '0.0.0.0',
      prefixLength: 0,
      table: 254,
      gateway: '192.0.2.2',
      scope: 0,
      protocol: 3,
      type: 1,
      onlink: false,
    });
    const { manager } = await start('backup', undefined, { kind: 'fallback', via: '192.0.2.2', dev: 'eth0' });
    network.reachable.delete(OP1);
    await waitFor('operator1 seen DOWN', () => manager.status()[0]?.state === 'DOWN');
    expect(manager.health()[0]).toMatchObject({ id: 'operator1', consecutiveSuccesses: 0 });
    expect(manager.health()[0]?.consecutiveFailures).toBeGreaterThan(0);
    const before = network.probes;
    await waitFor('more rounds', () => network.probes > before + 9);
    expect(kernel.writes.filter((w) => w.table === 254)).toEqual([]);
    expect(kernel.defaultRoute()?.gateway).toBe('192.0.2.2');

    await manager.setRole('master');
    expect(kernel.defaultRoute()?.gateway).toBe('198.51.100.17');
    expect(manager.status().find((s) => s.active)?.id).toBe('operator2');

    await manager.setRole('backup');
    expect(kernel.defaultRoute()).toMatchObject({ gateway: '192.0.2.2', ifindex: 2 });
    expect(manager.status().some((s) => s.active)).toBe(false);
  });

  it('retries a route write the kernel refused', async () => {
    kernel.failNextReplace = [254];
    const { manager, notices } = await start('standalone');
    await waitFor('route after retry', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    expect(notices.filter((n) => n.kind === 'routeError')).toHaveLength(1);
    expect(notices.filter((n) => n.kind === 'switch')).toEqual([
      { kind: 'switch', from: null, to: 'operator1', reason: 'retry' },
    ]);
    expect(logger.records.some((r) => r.level === 'error' && r.fields.event === 'uplink_route_error')).toBe(
      true,
    );
    const stats = manager.stats();
    expect(stats).toMatchObject({ switches: 1, routeErrors: 1 });
    expect(stats.repliesReceived).toBeGreaterThan(0);
    expect(stats.repliesReceived).toBeLessThanOrEqual(stats.probesSent);
  });

  it('keeps flap memory across a restart through the state file', async () => {
    const cfg = await config();
    const first = await start('standalone', cfg);
    await waitFor('operator1 active', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    network.reachable.delete(OP1);
    await waitFor('failover', () => kernel.defaultRoute()?.gateway === '198.51.100.17');
    await waitForText(join(dir, 'state', 'uplinks.json'), 'operator1');
    await first.manager.stop();

    network.reachable.add(OP1);
    const second = await start('standalone', cfg);
    await waitFor('a few rounds', () => second.manager.status()[0]?.state === 'UP');
    // operator1 is healthy again but still flapping: not preferred until min_uptime passes.
    expect(kernel.defaultRoute()?.gateway).toBe('198.51.100.17');
    await waitFor('failback', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    expect(second.notices.filter((n) => n.kind === 'switch')).toEqual([
      { kind: 'switch', from: 'operator2', to: 'operator1', reason: 'failback' },
    ]);
  });

  it('reload adds gateways, keeps the health of unchanged ones and reinstalls probe routing', async () => {
    const { manager } = await start('standalone');
    await waitFor('operator1 active', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
    const sink = new DiagnosticSink();
    const smaller = parseNetgwmConfig(
      `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 5}
  backup: {ip: 198.51.100.49, priority: 1}
min_uptime: 0
check_sites: [203.0.113.10]
vrrpd: {interval: 0.05, timeout: 0.05, count: 1, post_replace_dir: null, log_file: null, status_dir: null, mode_file: null, state_file: ${join(dir, 'state2.json')}}
`,
      '/test/netgwm.yml',
      sink,
    ) as NetgwmConfig;
    network.reachable.add(MARK_BASE + 2);
    await manager.reload(smaller);
    expect(kernel.ruleTable.map((r) => r.fwmark)).toEqual([MARK_BASE + 1, MARK_BASE + 2]);
    await waitFor(
      'switch to the new preferred gateway',
      () => kernel.defaultRoute()?.gateway === '198.51.100.49',
    );
    expect(manager.status().map((s) => s.id)).toEqual(['backup', 'operator1']);
  });

  it('runs standalone from a netgwm.yml, and refuses a bad one with every diagnostic', async () => {
    const yml = `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 2}
min_uptime: 0
check_sites: [203.0.113.10]
vrrpd: {interval: 0.05, timeout: 0.05, post_replace_dir: null, log_file: null, status_dir: null, mode_file: null, state_file: ${join(dir, 'solo.json')}}
`;
    const files = memoryFileSource({ '/etc/netgwm/netgwm.yml': yml, '/bad.yml': 'gateways: {}\n' });
    const bad = await startStandaloneUplinks({ configPath: '/bad.yml', logger, files });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.diagnostics.map((d) => d.message)).toEqual([
        'gateways is empty (key path: gateways)',
        'netgwm.yml has no check_sites (key path: check_sites)',
      ]);

    const started = await startStandaloneUplinks({
      logger,
      files,
      deps: { kernel, openProber: network.open },
    });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    try {
      expect(started.uplinks.manager.role()).toBe('standalone');
      await waitFor('standalone install', () => kernel.defaultRoute()?.gateway === '198.51.100.1');
      expect(await started.uplinks.reload()).toEqual([]);
    } finally {
      await started.uplinks.stop();
    }
    expect(kernel.ruleTable).toEqual([]);
  });
});
