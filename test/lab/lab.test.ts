// The lab itself on a real kernel: the standard segment comes up and forwards, cut/heal
// partition a node without touching its carrier, linkDown is a carrier loss, children are
// killed by PID, and teardown leaves no namespace behind.

import { afterAll, describe, expect, it } from 'vitest';
import { listNamespaces } from './lab.js';
import { requireRoot } from './root.js';
import { createRouterSegment, type RouterSegment } from './topology.js';

const skip = requireRoot();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(skip !== undefined)(`test lab on a real kernel${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let segment: RouterSegment;

  afterAll(async () => {
    await segment?.lab.teardown();
  });

  it('builds r1, r2, c1 on one bridge, with unique short names and working addresses', async () => {
    segment = await createRouterSegment();
    const { lab } = segment;
    expect(lab.roles().sort()).toEqual(['c1', 'r1', 'r2', 'sw']);
    const names = lab.roles().map((role) => lab.ns(role));
    expect(names.every((name) => name.startsWith(`${lab.id}-`))).toBe(true);
    expect(await listNamespaces()).toEqual(expect.arrayContaining(names));

    expect(await lab.pingOnce('c1', '192.0.2.1')).toBe(true);
    expect(await lab.pingOnce('c1', '192.0.2.2')).toBe(true);
    expect(await lab.pingOnce('r1', '192.0.2.2')).toBe(true);
    // The VIP is free until a router claims it.
    expect(await lab.pingOnce('c1', segment.vip, 300)).toBe(false);
    // After talking to r1, the client's neighbour table holds r1's MAC.
    expect(await lab.neighbourMac('c1', '192.0.2.1')).toBe(await lab.macOf('r1', 'eth0'));
    expect(await lab.neighbourMac('c1', '192.0.2.77')).toBeNull();
  });

  it('cut() partitions a node while its link stays up; heal() restores it', async () => {
    const { lab } = segment;
    await lab.cut('r2');
    expect(await lab.pingOnce('c1', '192.0.2.2', 300)).toBe(false);
    expect(await lab.pingOnce('r1', '192.0.2.2', 300)).toBe(false);
    const { stdout } = await lab.ip('r2', ['-j', 'link', 'show', 'dev', 'eth0']);
    const [link] = JSON.parse(stdout) as Array<{ flags: string[]; operstate: string }>;
    expect(link?.flags).toEqual(expect.arrayContaining(['UP', 'LOWER_UP']));
    expect(link?.operstate).toBe('UP');

    await lab.heal('r2');
    expect(await lab.pingOnce('c1', '192.0.2.2')).toBe(true);
  });

  it('linkDown() is a carrier loss seen by the node; linkUp() brings it back', async () => {
    const { lab } = segment;
    await lab.linkDown('r1', 'eth0');
    expect(await lab.pingOnce('c1', '192.0.2.1', 300)).toBe(false);
    await lab.linkUp('r1', 'eth0');
    // Link-up plus address reinstatement is quick but not instant: bounded retries.
    let reachable = false;
    for (let attempt = 0; attempt < 20 && !reachable; attempt++)
      reachable = await lab.pingOnce('c1', '192.0.2.1', 250);
    expect(reachable).toBe(true);
  });

  it('the prober measures an outage as lost replies and a gap', async () => {
    const { lab } = segment;
    const prober = lab.startProber('c1', '192.0.2.1', { intervalMs: 20, durationMs: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await lab.cut('r1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await lab.heal('r1');
    const report = await prober.done;
    expect(report.target).toBe('192.0.2.1');
    expect(report.received).toBeGreaterThan(10);
    expect(report.lost).toBeGreaterThan(5);
    expect(report.longestLossRun).toBeGreaterThan(5);
    // The cut lasted ~500 ms: the silence is at least most of that, and less than the whole probe.
    expect(report.longestGapMs).toBeGreaterThan(300);
    expect(report.longestGapMs).toBeLessThan(1500);
  });

  it('teardown kills the children it started (by PID) and deletes every namespace', async () => {
    const { lab } = segment;
    const child = lab.spawnIn('r1', ['sleep', '60']);
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid!;
    expect(isRunning(pid)).toBe(true);
    const names = lab.roles().map((role) => lab.ns(role));

    await lab.teardown();
    expect(isRunning(pid)).toBe(false);
    const remaining = await listNamespaces();
    expect(remaining.filter((name) => names.includes(name))).toEqual([]);
    expect(() => lab.spawnIn('r1', ['true'])).toThrow(/torn down/);
  });
});
