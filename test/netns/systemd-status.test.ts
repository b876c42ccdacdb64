// systemd's STATUS= line (sd_notify): one per event-loop turn, not one per instance transition.
// Twenty instances start, become MASTER and stop; the notify socket (bound here, as systemd binds
// it) sees a handful of STATUS lines, the last of each phase covering every instance.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonSet, keepalivedConfig, status, waitFor } from '../lab/daemons.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, segmentAddressOf, type RouterSegment } from '../lab/topology.js';

const skip = requireRoot();
const INSTANCES = 20;

/** A python3 datagram receiver on `path`, printing each datagram as one JSON line, for ≤ 30 s. */
function notifyReceiver(path: string): { child: ChildProcess; lines: string[]; ready: Promise<void> } {
  const script = [
    'import json, socket, sys, time',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    "print('ready', flush=True)",
    's.settimeout(0.2)',
    'end = time.time() + 30',
    'while time.time() < end:',
    '    try: print(json.dumps(s.recv(65536).decode()), flush=True)',
    '    except socket.timeout: pass',
  ].join('\n');
  const child = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffered = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts) {
        if (part === 'ready') resolve();
        else if (part) lines.push(JSON.parse(part) as string);
      }
    });
  });
  return { child, lines, ready };
}

describe.skipIf(skip !== undefined)('STATUS= for systemd', () => {
  let segment: RouterSegment;
  let dir: string;
  let receiver: ReturnType<typeof notifyReceiver>;

  beforeAll(async () => {
    segment = await createRouterSegment();
    dir = mkdtempSync(join(tmpdir(), 'vrrpd-notify-'));
    receiver = notifyReceiver(join(dir, 'notify.sock'));
    await receiver.ready;
  });

  afterAll(async () => {
    if (receiver?.child.pid) process.kill(receiver.child.pid, 'SIGTERM');
    await segment?.lab.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is sent once per batch of transitions, and names every instance', async () => {
    const daemons = new DaemonSet(segment.lab, { environment: { NOTIFY_SOCKET: join(dir, 'notify.sock') } });
    try {
      const instances = Array.from({ length: INSTANCES }, (_, i) => ({
        name: `VI_${i + 1}`,
        vrid: i + 1,
        priority: 200,
        unicastSrc: segmentAddressOf('r1'),
        unicastPeers: [segmentAddressOf('r2')],
        vips: [`198.51.100.${i + 1}/32`],
      }));
      const daemon = daemons.start('vrrpd', 'r1', keepalivedConfig(instances));
      const allMaster = await waitFor(
        async () =>
          (await status(daemon))?.instances.filter((i) => i.state === 'MASTER').length === INSTANCES,
        15_000,
        100,
      );
      expect(allMaster, daemon.logs.join('\n')).toBe(true);
      const settled = await waitFor(
        () => receiver.lines.some((l) => l.includes(`${INSTANCES} MASTER`)),
        5000,
        50,
      );
      expect(settled, receiver.lines.join(' | ')).toBe(true);
      expect(await daemons.stop(daemon, 'SIGTERM')).toBe(0);
      await waitFor(() => receiver.lines.some((l) => l.includes('STOPPING=1')), 5000, 50);

      const statusLines = receiver.lines.filter((l) => l.includes('STATUS='));
      // 3 × INSTANCES transitions (INIT→BACKUP, BACKUP→MASTER, MASTER→INIT); one line per phase,
      // a few more if a phase is split across loop turns, never one per transition.
      expect(statusLines.length, statusLines.join(' | ')).toBeLessThanOrEqual(8);
      expect(receiver.lines.some((l) => l.startsWith('READY=1'))).toBe(true);
      expect(statusLines.some((l) => l.includes(`STATUS=${INSTANCES} instances: ${INSTANCES} MASTER`))).toBe(
        true,
      );
    } finally {
      await daemons.cleanup();
    }
  });
});
