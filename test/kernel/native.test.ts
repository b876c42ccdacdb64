// The native addon on the real system: interface lookups, AF_PACKET argument and errno
// handling, sd_notify to path and abstract sockets, and process tuning (in a child process,
// so the test runner itself is never locked in memory or made real-time).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNativeOps, loadNative, type NativeError } from '../../src/kernel/native.js';
import { distPath, requireBuiltDist } from '../lab/dist.js';
import { run } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';

const skip = requireRoot();

function caught(call: () => unknown): NativeError {
  try {
    call();
  } catch (error) {
    return error as NativeError;
  }
  throw new Error('expected the call to throw');
}

/** A unix datagram receiver (python3: Node has no AF_UNIX SOCK_DGRAM) printing one datagram. */
function startNotifyReceiver(address: string): { child: ChildProcess; received: Promise<string> } {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    'a = sys.argv[1]',
    "s.bind('\\0' + a[1:] if a.startswith('@') else a)",
    "print('ready', flush=True)",
    's.settimeout(5)',
    'sys.stdout.write(s.recv(4096).decode()); sys.stdout.flush()',
  ].join('\n');
  const child = spawn('python3', ['-c', script, address], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  const received = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) =>
      code === 0 ? resolve(output.replace(/^ready\n/, '')) : reject(new Error(`receiver exit ${code}`)),
    );
  });
  return { child, received };
}

async function waitForReady(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('receiver not ready')), 5000);
    child.stdout?.on('data', (chunk: Buffer | string) => {
      if (String(chunk).includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('native addon', () => {
  const native = loadNative();
  const tempDir = mkdtempSync(join(tmpdir(), 'vrrpd-native-'));

  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it('looks interfaces up in the current namespace, with errno codes on failure', () => {
    expect(native.interfaceIndex('lo')).toBe(1);
    const missing = caught(() => native.interfaceIndex('nosuch0'));
    expect(missing).toMatchObject({ code: 'ENODEV', syscall: 'if_nametoindex' });
    expect(caught(() => native.interfaceHardwareAddress('lo')).message).toMatch(/not Ethernet-like/);
    expect(caught(() => native.interfaceIndex('x'.repeat(16)))).toBeInstanceOf(RangeError);
  });

  it('validates frames and reports a send to a missing interface as an errno error', () => {
    const frame = Buffer.alloc(42);
    expect(caught(() => native.sendPacketFrame(0, frame))).toBeInstanceOf(RangeError);
    expect(caught(() => native.sendPacketFrame(1, Buffer.alloc(13)))).toBeInstanceOf(RangeError);
    // No interface has this index, so nothing can leave the machine.
    const error = caught(() => native.sendPacketFrame(0x3fffffff, frame));
    expect(['ENXIO', 'ENODEV']).toContain(error.code);
    expect(error.syscall).toBe('sendto');
  });

  it('IPv6 VRRP socket: validates its options and reports open failures with errno, naming the interface', () => {
    const handlers = { onPacket: () => undefined, onError: () => undefined };
    const open = (options: Record<string, unknown>) => () =>
      native.openIpv6VrrpSocket(
        { ifname: 'lo', ifindex: 1, multicastGroup: null, ...options } as never,
        handlers,
      );
    expect(caught(open({ hopLimit: 256 }))).toBeInstanceOf(RangeError);
    expect(caught(open({ ifname: 'x'.repeat(16) }))).toBeInstanceOf(RangeError);
    expect(caught(open({ multicastGroup: '224.0.0.18' }))).toBeInstanceOf(TypeError);
    expect(caught(open({ multicastGroup: '2001:db8::12' })).message).toMatch(/not multicast/);
    if (skip !== undefined) return; // opening a raw socket needs CAP_NET_RAW
    const missing = caught(open({ ifname: 'nosuch0', ifindex: 0x3fffffff }));
    expect(missing).toMatchObject({ code: 'ENODEV', syscall: 'setsockopt' });
    expect(missing.message).toMatch(/SO_BINDTODEVICE.*nosuch0/);
  });

  it('sdNotify returns false when NOTIFY_SOCKET is unset (not under systemd)', () => {
    expect(createNativeOps(undefined, {}).sdNotify('READY=1')).toBe(false);
  });

  it.each([
    ['a filesystem socket', () => join(tempDir, 'notify.sock')],
    ['an abstract socket', () => `@vrrpd-test-notify-${process.pid}`],
  ])('sdNotify delivers one datagram to %s', async (_kind, address) => {
    const path = address();
    const receiver = startNotifyReceiver(path);
    await waitForReady(receiver.child);
    const ops = createNativeOps(undefined, { NOTIFY_SOCKET: path });
    expect(ops.sdNotify('READY=1\nSTATUS=2 instances')).toBe(true);
    expect(await receiver.received).toBe('READY=1\nSTATUS=2 instances');
  });

  it('sdNotify throws for a missing or malformed NOTIFY_SOCKET', () => {
    const missing = caught(() =>
      createNativeOps(undefined, { NOTIFY_SOCKET: join(tempDir, 'absent.sock') }).sdNotify('READY=1'),
    );
    expect(missing.code).toBe('ENOENT');
    expect(
      caught(() => createNativeOps(undefined, { NOTIFY_SOCKET: 'relative.sock' }).sdNotify('READY=1'))
        .message,
    ).toMatch(/absolute path/);
  });

  it.skipIf(skip !== undefined)(
    'locks memory, sets nice and SCHED_RR (not inherited by children) and exits cleanly',
    async () => {
      requireBuiltDist(['src/kernel', 'test/kernel/agent']);
      const result = await run([process.execPath, distPath('test/kernel/agent/process-tuning-child.ts')], {
        timeoutMs: 15_000,
      });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as Record<string, number>;
      expect(report.lockedKb).toBeGreaterThan(0);
      expect(report.nice).toBe(7);
      expect(report).toMatchObject({ policy: 2, rtPriority: 10 }); // SCHED_RR = 2
      expect(report).toMatchObject({ forkedPolicy: 0, forkedRtPriority: 0 }); // SCHED_RESET_ON_FORK
    },
  );
});
