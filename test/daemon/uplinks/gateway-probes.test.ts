// Per-gateway probe settings in the manager (fake kernel, scripted probe sockets): each gateway
// probes its own track_ip, on its own interval, and faster while it is changing state
// (failure_interval, recovery_interval). Assertions are about what was probed and what the
// policy decided, never about durations; every wait is a bounded poll.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../../src/config/netgwm/parse.js';
import type { NetgwmConfig } from '../../../src/config/netgwm/types.js';
import { UplinkManager } from '../../../src/daemon/uplinks/manager.js';
import { callbackLogger } from '../../../src/runtime/log.js';
import { FakeKernel, FakeNetwork } from './fake-kernel.js';

const OP1 = 0x76720001;
const OP2 = 0x76720002;

async function waitFor(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('per-gateway probe settings (fake kernel)', () => {
  let dir: string;
  let kernel: FakeKernel;
  let network: FakeNetwork;
  const managers: UplinkManager[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrrpd-gwprobe-'));
    kernel = new FakeKernel();
    network = new FakeNetwork();
    network.reachable.add(OP1).add(OP2);
  });

  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function config(vrrpd: string): NetgwmConfig {
    const sink = new DiagnosticSink();
    const parsed = parseNetgwmConfig(
      `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 2}
min_uptime: 0
check_sites: [203.0.113.10, 203.0.113.11]
vrrpd:
  count: 1
  rise: 2
  fall: 3
  post_replace_dir: null
  event_dir: null
  log_file: null
  mode_file: null
  status_dir: null
  state_file: ${join(dir, 'uplinks.json')}
${vrrpd}`,
      '/test/netgwm.yml',
      sink,
    );
    expect(sink.diagnostics).toEqual([]);
    return parsed as NetgwmConfig;
  }

  async function start(cfg: NetgwmConfig): Promise<UplinkManager> {
    const manager = await UplinkManager.start(
      { name: 'ISP', config: cfg, role: 'standalone', logger: callbackLogger(() => undefined) },
      { kernel, openProber: network.open, utcOffsetMinutes: () => 0 },
    );
    managers.push(manager);
    return manager;
  }

  const probesOf = (mark: number): string[] =>
    network.echoes.filter((echo) => echo.mark === mark).map((echo) => echo.address);
  const stateOf = (manager: UplinkManager, id: string) => manager.health().find((h) => h.id === id);

  it("probes a gateway's own track_ip instead of check_sites, on its own interval", async () => {
    const cfg = config(`  interval: 30
  timeout: 0.05
  gateways:
    operator1:
      track_ip: [192.0.2.50]
      interval: 0.05
`);
    await start(cfg);
    await waitFor('five probes of operator1', () => probesOf(OP1).length >= 5);
    expect(new Set(probesOf(OP1))).toEqual(new Set(['192.0.2.50']));
    // operator2 keeps the group's sites and its 30 s interval: one round so far.
    expect(probesOf(OP2)).toEqual(['203.0.113.10', '203.0.113.11']);
  });

  it('confirms a failure at failure_interval and a recovery at recovery_interval', async () => {
    const cfg = config(`  interval: 30
  timeout: 0.05
  failure_interval: 0.05
  recovery_interval: 0.05
`);
    const manager = await start(cfg);
    await waitFor('both UP', () => stateOf(manager, 'operator1')?.state === 'UP');
    expect(manager.activeGateway()).toBe('operator1');
    network.reachable.delete(OP1);
    // A reload probes every gateway at once (health kept): one failed round, then the rest come
    // at failure_interval; at `interval` alone, `fall` rounds would take a minute and a half.
    await manager.reload(cfg);
    await waitFor('operator1 DOWN', () => stateOf(manager, 'operator1')?.state === 'DOWN');
    expect(manager.activeGateway()).toBe('operator2');
    // operator2 answered its round: still at `interval`.
    expect(probesOf(OP2).length).toBe(4);

    network.reachable.add(OP1);
    await manager.reload(cfg);
    await waitFor('operator1 UP again', () => stateOf(manager, 'operator1')?.state === 'UP');
  });

  it('applies per-gateway rise and fall (quorum among its own sites)', async () => {
    const cfg = config(`  interval: 0.05
  timeout: 0.05
  quorum: 2
  gateways:
    operator2: {fall: 1, track_ip: 198.51.100.200, quorum: 1}
`);
    const manager = await start(cfg);
    await waitFor('both UP', () => manager.health().every((h) => h.state === 'UP'));
    network.reachable.delete(OP2);
    await waitFor('operator2 DOWN', () => stateOf(manager, 'operator2')?.state === 'DOWN');
    // fall 1: the first failed round was enough.
    expect(stateOf(manager, 'operator2')?.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(manager.status().find((s) => s.id === 'operator2')?.state).toBe('DOWN');
  });
});
