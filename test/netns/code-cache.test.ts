// The V8 code cache of the daemon's bundle (src/cli/vrrpd-loader.ts): with $CACHE_DIRECTORY (the
// unit's CacheDirectory=), a start without a usable cache writes one after its start-up; the next
// start uses it and leaves it alone; a damaged cache is rejected by V8 and replaced, the daemon
// running as usual either way; without the unit's --verify-snapshot-checksum no cache is used.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, keepalivedConfig, status, waitFor } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, segmentAddressOf, type RouterSegment } from '../lab/topology.js';
import { vrrpdCommand } from '../lab/vrrpd-command.js';

const skip = requireRoot();

describe.skipIf(skip !== undefined)('code cache', () => {
  let segment: RouterSegment;
  let cacheDirectory: string;

  beforeAll(async () => {
    segment = await createRouterSegment();
    cacheDirectory = mkdtempSync(join(tmpdir(), 'vrrpd-cache-'));
  });

  afterAll(async () => {
    await segment?.lab.teardown();
    if (cacheDirectory) rmSync(cacheDirectory, { recursive: true, force: true });
  });

  const config = keepalivedConfig([
    { priority: 200, unicastSrc: segmentAddressOf('r1'), unicastPeers: [segmentAddressOf('r2')] },
  ]);
  const cacheFiles = () => readdirSync(cacheDirectory).filter((name) => name.endsWith('.cache'));

  /** Runs vrrpd in r1 until it is MASTER and `holdMs` more, then stops it. */
  async function runOnce(holdMs: number, command = vrrpdCommand()): Promise<void> {
    const daemons = new DaemonSet(segment.lab, {
      vrrpdCommand: command,
      environment: { CACHE_DIRECTORY: cacheDirectory },
    });
    try {
      const daemon = daemons.start('vrrpd', 'r1', config);
      const master = await waitFor(
        async () => (await status(daemon))?.instances[0]?.state === 'MASTER',
        15_000,
        50,
      );
      expect(master, daemon.logs.join('\n')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      expect(await daemons.stop(daemon, 'SIGTERM')).toBe(0);
    } finally {
      await daemons.cleanup();
    }
  }

  it('is neither read nor written without --verify-snapshot-checksum (a damaged file could crash)', async () => {
    expect(vrrpdCommand()).toContain('--verify-snapshot-checksum'); // the unit's flags
    await runOnce(
      6000,
      vrrpdCommand().filter((word) => word !== '--verify-snapshot-checksum'),
    );
    expect(cacheFiles()).toEqual([]);
  }, 60_000);

  it('is written by a start without one (here at its exit, ~3.5 s in), then used as it is', async () => {
    await runOnce(0);
    const [name, ...others] = cacheFiles();
    expect(others).toEqual([]);
    expect(name).toMatch(/^vrrpd-[0-9a-f]{16}-nodev\d+\.\d+\.\d+-\w+\.cache$/);
    const path = join(cacheDirectory, name!);
    const written = statSync(path).mtimeMs;
    expect(statSync(path).size).toBeGreaterThan(100_000);

    await runOnce(3000);
    expect(cacheFiles()).toEqual([name]);
    expect(statSync(path).mtimeMs).toBe(written);
  }, 60_000);

  it('is replaced when damaged (here 5 s into the run), and the daemon runs regardless', async () => {
    const [name] = cacheFiles();
    const path = join(cacheDirectory, name!);
    const damaged = Buffer.from(readFileSync(path));
    damaged.fill(0x5a, 64, 4096);
    writeFileSync(path, damaged);
    await runOnce(3000);
    expect(cacheFiles()).toEqual([name]);
    expect(readFileSync(path).equals(damaged)).toBe(false);
  }, 60_000);
});
