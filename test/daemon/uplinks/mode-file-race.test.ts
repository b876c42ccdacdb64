// `vrrpctl uplink pin` against the mode-file read before each probe round (in-memory kernel, no
// root): a read that started before the pin was written and returns after it has been applied
// must not put the old pin back. Seen on a real kernel as one extra switch (and hook run) back to
// the previous pin for one round. The read is held open by a mock, so the overlap is forced, not
// hoped for.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DiagnosticSink } from '../../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../../src/config/netgwm/parse.js';
import type { NetgwmConfig } from '../../../src/config/netgwm/types.js';
import type { ModeFileContent } from '../../../src/daemon/uplinks/mode-file.js';
import { UplinkManager } from '../../../src/daemon/uplinks/manager.js';
import { callbackLogger } from '../../../src/runtime/log.js';
import { FakeKernel, FakeNetwork } from './fake-kernel.js';

/** Reads return `content`, except that while `hold` is set each read waits to be released. */
const reads = vi.hoisted(() => ({
  content: { kind: 'gateway', id: 'operator3' } as ModeFileContent,
  hold: false,
  held: [] as ((content: ModeFileContent) => void)[],
}));

vi.mock('../../../src/daemon/uplinks/mode-file.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/daemon/uplinks/mode-file.js')>();
  return {
    ...actual,
    readModeFile: (): Promise<ModeFileContent> =>
      reads.hold ? new Promise((resolve) => reads.held.push(resolve)) : Promise.resolve(reads.content),
  };
});

let dir: string;
let manager: UplinkManager | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vrrpd-mode-race-'));
});

afterEach(async () => {
  reads.hold = false;
  for (const release of reads.held.splice(0)) release({ kind: 'auto' });
  await manager?.stop();
  manager = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function waitFor(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('a mode-file read overlapping `uplink pin auto` does not restore the old pin', async () => {
  const sink = new DiagnosticSink();
  const config = parseNetgwmConfig(
    `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator3: {ip: 198.51.100.33, dev: eth3, priority: 3}
check_sites: [203.0.113.10]
vrrpd: {interval: 0.05, timeout: 0.05, count: 1, post_replace_dir: null, log_file: null, status_dir: null, mode_file: ${join(dir, 'mode')}, state_file: ${join(dir, 'state.json')}}
`,
    '/test/netgwm.yml',
    sink,
  ) as NetgwmConfig;
  expect(sink.diagnostics).toEqual([]);
  const network = new FakeNetwork();
  network.reachable.add(0x76720001);
  network.reachable.add(0x76720002);
  manager = await UplinkManager.start(
    { name: 'ISP', config, role: 'standalone', logger: callbackLogger(() => undefined) },
    { kernel: new FakeKernel(), openProber: network.open, utcOffsetMinutes: () => 0 },
  );
  const running = manager;
  await waitFor('the file pin to apply', () => running.pinned() === 'operator3');

  // The next round's read starts while the file still says operator3 ...
  reads.hold = true;
  await waitFor('a round to read the mode file', () => reads.held.length === 1);
  const stale = reads.held.shift()!;
  // ... the admin unpins (the command writes the real file and applies it) ...
  expect(await running.pin(null)).toMatchObject({ ok: true, pinned: null });
  expect(await readFile(join(dir, 'mode'), 'utf8')).toBe('auto\n');
  reads.content = { kind: 'auto' };
  expect(running.pinned()).toBeNull();
  // ... and only then does the old read return. By the next round's read, the pin is still off.
  stale({ kind: 'gateway', id: 'operator3' });
  await waitFor('the following round to read the mode file', () => reads.held.length === 1);
  expect(running.pinned()).toBeNull();
  reads.hold = false;
  reads.held.shift()!(reads.content);
});
