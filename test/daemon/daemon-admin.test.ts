// vrrpctl handover / resume / demote through the daemon (issue 14), on the deterministic two-router
// lab: make-before-break handover, maintenance that survives a reload and a restart, --for, runtime
// priority, and the refusals a user sees.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statusSnapshot } from '../../src/daemon/status.js';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import { vrrpViewOf } from '../../src/daemon/uplinks/daemon-uplinks.js';
import { uplinkRoleForFollow } from '../../src/uplink/vrrp-follow.js';
import { fifoLines } from './fifo-reader.js';
import { instanceBlock, Lab, VIP } from './harness.js';

const A = '192.0.2.1';
const B = '192.0.2.2';
const WHO = { by: 'alice', reason: 'kernel upgrade' };
let stateDir: string;

beforeEach(() => {
  vi.useFakeTimers();
  stateDir = mkdtempSync(join(tmpdir(), 'vrrpd-admin-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(stateDir, { recursive: true, force: true });
});

const unicast = (self: string, peer: string, priority: number) =>
  instanceBlock({
    priority,
    extra: `  unicast_src_ip ${self}\n  unicast_peer {\n    ${peer}\n  }`,
  });

async function pair(options: { stateDir?: string } = {}) {
  const lab = new Lab();
  const a = lab.router(A, options);
  const b = lab.router(B);
  await a.start(unicast(A, B, 200));
  await b.start(unicast(B, A, 100));
  await lab.advance(4000);
  expect(a.state()).toBe('MASTER');
  return { lab, a, b };
}

describe('vrrpctl handover', () => {
  it('hands over make-before-break: the VIP stays on the old master until the new one holds it', async () => {
    const { lab, a, b } = await pair();
    const outcome = await a.daemon.requests.handover({ instances: ['VI_1'], ...WHO });
    expect(outcome).toEqual({ ok: true, instances: ['VI_1'] });
    expect(a.state()).toBe('BACKUP');
    // At every step until b took over, someone holds the VIP; after, only b.
    for (let t = 0; t < 2000; t += 10) {
      await lab.advance(10);
      expect(a.hasAddress(VIP) || b.hasAddress(VIP)).toBe(true);
    }
    expect(b.state()).toBe('MASTER');
    expect(a.hasAddress(VIP)).toBe(false);
    const status = statusSnapshot(a.daemon).instances[0]!;
    expect(status.maintenance).toMatchObject({ by: 'alice', reason: 'kernel upgrade', until: null });
    expect(status.releasing).toBe(false);
    expect(validateStatusSnapshot(JSON.parse(JSON.stringify(statusSnapshot(a.daemon))))).toEqual([]);
    // Maintenance: a (priority 200) never preempts b (100) back.
    await lab.advance(20_000);
    expect(a.state()).toBe('BACKUP');
    expect(a.daemon.requests.resume({ instances: ['VI_1'], ...WHO })).toEqual({
      ok: true,
      instances: ['VI_1'],
    });
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(statusSnapshot(a.daemon).instances[0]!.maintenance).toBeNull();
  });

  it('an uplink group following the instance keeps its route as long as the addresses stay (make-before-break)', async () => {
    const { lab, a, b } = await pair();
    const role = () => uplinkRoleForFollow({ kind: 'instance', name: 'VI_1' }, vrrpViewOf(a.daemon));
    expect(role()).toBe('master');
    const removedBefore = a.vipsRemoved.length;
    await a.daemon.requests.handover({ instances: ['VI_1'], ...WHO });
    expect(a.state()).toBe('BACKUP');
    // BACKUP already, but still holding the VIP and forwarding: the default route stays.
    expect(role()).toBe('master');
    let releasedAt: number | null = null;
    for (let t = 0; t < 2000; t += 10) {
      await lab.advance(10);
      if (role() === 'master') expect(a.hasAddress(VIP)).toBe(true);
      else releasedAt ??= Date.now();
    }
    expect(b.state()).toBe('MASTER');
    expect(role()).toBe('backup');
    expect(releasedAt).not.toBeNull();
    // The daemon told its hook when the addresses went (that is when run.ts re-reads the roles).
    const removed = a.vipsRemoved.slice(removedBefore);
    expect(removed.map((r) => r.instance)).toEqual(['VI_1']);
    expect(removed[0]!.at).toBeLessThanOrEqual(releasedAt!);
    expect(removed[0]!.at).toBeGreaterThan(a.transitions.at(-1)!.at);
  });

  it('--wait answers once the addresses are released; --for resumes by itself', async () => {
    const { lab, a } = await pair();
    const pending = a.daemon.requests.handover({ instances: ['VI_1'], ...WHO, wait: true, forMs: 30_000 });
    let settled: unknown = null;
    void pending.then((value) => (settled = value));
    await lab.advance(500);
    expect(settled).toBeNull();
    await lab.advance(1500);
    expect(settled).toEqual({ ok: true, instances: ['VI_1'] });
    expect(a.hasAddress(VIP)).toBe(false);
    expect(statusSnapshot(a.daemon).instances[0]!.maintenance?.until).not.toBeNull();
    await lab.advance(30_000);
    expect(statusSnapshot(a.daemon).instances[0]!.maintenance).toBeNull();
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
  });

  it('refuses what it cannot do, saying why', async () => {
    const { a } = await pair();
    expect(await a.daemon.requests.handover({ instances: ['NOPE'], ...WHO })).toMatchObject({
      ok: false,
      error: expect.stringContaining('no instance named NOPE'),
    });
    expect(await a.daemon.requests.handover({ instances: ['VI_1'], to: '192.0.2.9', ...WHO })).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a unicast_peer'),
    });
    expect(a.daemon.requests.demote({ instances: ['VI_1'], priority: 255, ...WHO })).toMatchObject({
      ok: false,
    });
    expect(a.daemon.requests.demote({ instances: ['VI_1'], delta: 250, ...WHO })).toMatchObject({
      ok: false,
    });
    expect(a.state()).toBe('MASTER');
  });
});

describe('persistence across reload and restart', () => {
  it('a hold and a priority override survive a reload and a restart of the daemon', async () => {
    const { lab, a, b } = await pair({ stateDir });
    expect(a.daemon.requests.demote({ instances: ['VI_1'], priority: 150, ...WHO })).toMatchObject({
      ok: true,
    });
    await a.daemon.requests.handover({ instances: ['VI_1'], ...WHO });
    await lab.advance(2000);
    expect(b.state()).toBe('MASTER');
    await a.reload(unicast(A, B, 200));
    await lab.advance(10_000);
    expect(a.state()).toBe('BACKUP');
    const afterReload = statusSnapshot(a.daemon).instances[0]!;
    expect(afterReload).toMatchObject({ priority: 200, effectivePriority: 150 });
    expect(afterReload.priorityOverride).toMatchObject({ priority: 150, by: 'alice' });
    // Stopping waits for the state file; on disk it says the same thing.
    await a.daemon.stop({ immediate: true });
    const saved = JSON.parse(readFileSync(join(stateDir, 'runtime-state.json'), 'utf8'));
    expect(saved.instances.VI_1.hold).toMatchObject({ by: 'alice', reason: 'kernel upgrade', until: null });
    // A new daemon on the same state directory starts held, with the override.
    const again = lab.router(A, { stateDir });
    await again.start(unicast(A, B, 200));
    await lab.advance(10_000);
    expect(again.state()).toBe('BACKUP');
    expect(statusSnapshot(again.daemon).instances[0]).toMatchObject({
      effectivePriority: 150,
      maintenance: { by: 'alice' },
    });
    again.daemon.requests.resume({ instances: ['VI_1'], ...WHO });
    await lab.advance(5000);
    expect(again.state()).toBe('MASTER');
    expect(statusSnapshot(again.daemon).instances[0]).toMatchObject({
      effectivePriority: 200,
      priorityOverride: null,
    });
    await again.daemon.stop({ immediate: true });
  });
});

describe('vrrpctl demote', () => {
  it('lowering the master below the backup hands over by preemption, make-before-break', async () => {
    const { lab, a, b } = await pair();
    expect(a.daemon.requests.demote({ instances: ['VI_1'], delta: 150, ...WHO })).toEqual({
      ok: true,
      instances: ['VI_1'],
    });
    expect(statusSnapshot(a.daemon).instances[0]).toMatchObject({ priority: 200, effectivePriority: 50 });
    for (let t = 0; t < 6000; t += 10) {
      await lab.advance(10);
      expect(a.hasAddress(VIP) || b.hasAddress(VIP)).toBe(true);
    }
    expect(b.state()).toBe('MASTER');
    expect(a.state()).toBe('BACKUP');
  });
});

describe('notify_priority_changes', () => {
  it('a demote writes MASTER_PRIORITY, the BACKUP then BACKUP_PRIORITY (global default, instance off wins)', async () => {
    const fifo = join(stateDir, 'notify.fifo');
    const globals = `global_defs {\n  notify_fifo ${fifo}\n  vrrp_notify_priority_changes\n}\n`;
    const lab = new Lab();
    const a = lab.router(A);
    const b = lab.router(B);
    await a.start(globals + unicast(A, B, 200));
    await b.start(
      instanceBlock({
        priority: 100,
        extra: `  unicast_src_ip ${B}\n  unicast_peer {\n    ${A}\n  }\n  notify_priority_changes off`,
      }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    fifoLines(fifo);
    expect(a.daemon.requests.demote({ instances: ['VI_1'], priority: 150, ...WHO })).toMatchObject({
      ok: true,
    });
    expect(b.daemon.requests.demote({ instances: ['VI_1'], priority: 90, ...WHO })).toMatchObject({
      ok: true,
    });
    await lab.advance(100);
    expect(fifoLines(fifo)).toEqual(['INSTANCE "VI_1" MASTER_PRIORITY 150']);
    expect(a.daemon.requests.demote({ instances: ['VI_1'], priority: 50, ...WHO })).toMatchObject({
      ok: true,
    });
    await lab.advance(6000);
    expect(a.state()).toBe('BACKUP');
    expect(a.daemon.requests.resume({ instances: ['VI_1'], ...WHO })).toMatchObject({ ok: true });
    await lab.advance(100);
    const lines = fifoLines(fifo);
    expect(lines[0]).toBe('INSTANCE "VI_1" MASTER_PRIORITY 50');
    expect(lines).toContain('INSTANCE "VI_1" BACKUP 50');
    expect(lines.at(-1)).toMatch(/^INSTANCE "VI_1" (BACKUP_PRIORITY|MASTER) 200$/);
    // Closes the FIFO; the stop's release waits run on the lab's clock.
    const stopped = Promise.all([a.daemon.stop(), b.daemon.stop()]);
    await lab.advance(5000);
    await stopped;
  });
});
