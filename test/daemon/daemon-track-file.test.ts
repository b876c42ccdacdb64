// track_file through the whole daemon: the file's value must count from the first moment (a
// maintenance flag present at start-up), survive a reload without a jump, honour init_file, and
// leave no watcher or timer behind. The files live in a private temporary directory.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instanceBlock, Lab, type TestRouter } from './harness.js';

// Captured before vi.useFakeTimers(): file reads complete on the real event loop.
const realSetTimeout = globalThis.setTimeout;
const realDelay = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vrrpd-trackfile-'));
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function config(weight: number, extra = ''): string {
  return (
    `track_file maint {\n  file "${join(dir, 'maint')}"\n  weight ${weight}\n${extra}}\n` +
    instanceBlock({ priority: 150, extra: '  track_file {\n    maint\n  }' })
  );
}

const priorityOf = (router: TestRouter) => router.daemon.instances()[0]!.instance.effectivePriority;

describe('track_file in the daemon', () => {
  it('a weight-0 file already non-zero at start-up keeps the instance in FAULT from the start', async () => {
    writeFileSync(join(dir, 'maint'), '1\n');
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(0));
    await lab.advance(5000);
    expect(a.state()).toBe('FAULT');
    expect(a.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['INIT->FAULT']);
    expect(a.netlink.operations).toEqual([]);
    await a.daemon.stop({ immediate: true });
  });

  it('a weighted file counts at start-up and keeps counting across a reload (no priority jump)', async () => {
    writeFileSync(join(dir, 'maint'), '5\n');
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(10));
    expect(priorityOf(a)).toBe(200);
    await lab.advance(4000);
    const logLines = a.logLines.length;
    await a.reload(config(10));
    expect(priorityOf(a)).toBe(200);
    expect(a.logLines.slice(logLines).filter((l) => String(l.msg).startsWith('effective priority'))).toEqual(
      [],
    );
    await a.daemon.stop({ immediate: true });
  });

  it('a reload keeps a weight-0 maintenance FAULT', async () => {
    writeFileSync(join(dir, 'maint'), '1\n');
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(0));
    await lab.advance(100);
    await a.reload(config(0));
    await lab.advance(5000);
    expect(a.state()).toBe('FAULT');
    expect(a.transitions).toHaveLength(1);
    await a.daemon.stop({ immediate: true });
  });

  it('a change of the file moves the priority', async () => {
    writeFileSync(join(dir, 'maint'), '0\n');
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(10));
    expect(priorityOf(a)).toBe(150);
    writeFileSync(join(dir, 'maint'), '-3\n');
    for (let i = 0; i < 50 && priorityOf(a) === 150; i++) {
      await realDelay(10);
      await lab.advance(200, 50);
    }
    expect(priorityOf(a)).toBe(120);
    await a.daemon.stop({ immediate: true });
  });

  it('init_file creates a missing file before it is read', async () => {
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(10, '  init_file 7\n'));
    expect(readFileSync(join(dir, 'maint'), 'utf8').trim()).toBe('7');
    expect(priorityOf(a)).toBe(220);
    await a.daemon.stop({ immediate: true });
  });

  it('init_file overwrite resets the file at start-up but not on reload', async () => {
    writeFileSync(join(dir, 'maint'), '3\n');
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    const text = config(10, '  init_file 0 overwrite\n');
    await a.start(text);
    expect(readFileSync(join(dir, 'maint'), 'utf8').trim()).toBe('0');
    expect(priorityOf(a)).toBe(150);
    // The operator sets a value, then reloads: the value stays and counts.
    writeFileSync(join(dir, 'maint'), '4\n');
    await a.reload(text);
    expect(readFileSync(join(dir, 'maint'), 'utf8').trim()).toBe('4');
    expect(priorityOf(a)).toBe(190);
    await a.daemon.stop({ immediate: true });
  });

  it('start, an immediate reload and stop leave no timer or watcher running', async () => {
    const lab = new Lab();
    const a = lab.router('192.0.2.1');
    await a.start(config(10));
    await a.reload(config(10));
    await a.daemon.stop({ immediate: true });
    // Let any file read still in flight finish: it must not start watching after stop().
    await realDelay(50);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
