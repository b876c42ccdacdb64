// The process-events connector (src/kernel/proc-events.ts): the byte layout against hand-built
// datagrams, then the real kernel — from this (initial-namespace) process it reports the fork,
// exec and exit of a child the test starts and kills by PID; inside a lab namespace the kernel
// refuses it, which is why the tracker falls back to polling /proc there.

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeProcEvent,
  encodeProcListen,
  openProcConnector,
  PROC_EVENT,
  type ProcEvent,
  type ProcEventSource,
} from '../../src/kernel/proc-events.js';
import { readU16, readU32, u16, u32 } from '../../src/kernel/netlink-attributes.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { startKernelAgent } from './agent/agent-client.js';

/** nlmsghdr + cn_msg + proc_event header + event data, as the kernel sends them. */
function datagram(what: number, data: Buffer, type = 3): Buffer {
  const event = Buffer.concat([u32(what), u32(0), Buffer.alloc(8), data]);
  const cn = Buffer.concat([u32(1), u32(1), u32(7), u32(0), u16(event.length), u16(0)]);
  const length = 16 + cn.length + event.length;
  return Buffer.concat([u32(length), u16(type), u16(0), u32(0), u32(0), cn, event]);
}

describe('proc connector messages', () => {
  it('encodes LISTEN and IGNORE as keepalived sends them', () => {
    const listen = encodeProcListen(true, 0x1234);
    expect(listen.length).toBe(40);
    // Host byte order, as netlink wants.
    expect(readU32(listen, 0)).toBe(40);
    expect(readU16(listen, 4)).toBe(3); // NLMSG_DONE
    expect(readU32(listen, 12)).toBe(0x1234);
    expect([readU32(listen, 16), readU32(listen, 20), readU16(listen, 32)]).toEqual([1, 1, 4]);
    expect(readU32(listen, 36)).toBe(1);
    expect(readU32(encodeProcListen(false, 1), 36)).toBe(2);
  });

  it('decodes ack, fork, exec, comm and exit events', () => {
    expect(decodeProcEvent(datagram(PROC_EVENT.none, Buffer.alloc(24)))).toEqual({ kind: 'ack' });
    expect(
      decodeProcEvent(datagram(PROC_EVENT.fork, Buffer.concat([u32(1), u32(1), u32(42), u32(42)]))),
    ).toEqual({
      kind: 'fork',
      parentPid: 1,
      parentTgid: 1,
      childPid: 42,
      childTgid: 42,
    });
    expect(
      decodeProcEvent(datagram(PROC_EVENT.exec, Buffer.concat([u32(42), u32(42), Buffer.alloc(16)]))),
    ).toEqual({
      kind: 'exec',
      pid: 42,
      tgid: 42,
    });
    const comm = Buffer.alloc(16);
    comm.write('worker');
    expect(decodeProcEvent(datagram(PROC_EVENT.comm, Buffer.concat([u32(43), u32(42), comm])))).toEqual({
      kind: 'comm',
      pid: 43,
      tgid: 42,
      comm: 'worker',
    });
    expect(
      decodeProcEvent(datagram(PROC_EVENT.exit, Buffer.concat([u32(42), u32(42), u32(0), u32(17)]))),
    ).toEqual({
      kind: 'exit',
      pid: 42,
      tgid: 42,
    });
    expect(decodeProcEvent(datagram(0x4, Buffer.alloc(24)))).toEqual({ kind: 'other', what: 4 });
  });

  it('ignores what is not a proc event: errors, other connectors, truncated datagrams', () => {
    expect(decodeProcEvent(datagram(PROC_EVENT.exec, Buffer.alloc(24), 2))).toBeNull();
    const other = datagram(PROC_EVENT.exec, Buffer.alloc(24));
    u32(9).copy(other, 16);
    expect(decodeProcEvent(other)).toBeNull();
    expect(decodeProcEvent(datagram(PROC_EVENT.fork, Buffer.alloc(4)))).toBeNull();
    expect(decodeProcEvent(Buffer.alloc(10))).toBeNull();
  });
});

const skip = requireRoot();

describe.skipIf(skip !== undefined)(
  `proc connector on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let source: ProcEventSource;
    const events: ProcEvent[] = [];
    const lab = new Lab();

    beforeAll(async () => {
      source = await openProcConnector();
      source.onEvent((event) => events.push(event));
    });

    afterAll(async () => {
      source?.close();
      await lab.teardown();
    });

    const waitFor = async (predicate: () => boolean): Promise<boolean> => {
      for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return predicate();
    };

    it('reports the fork, exec and exit of a process this test starts and kills', async () => {
      const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
      const pid = child.pid!;
      try {
        expect(await waitFor(() => events.some((e) => e.kind === 'exec' && e.tgid === pid))).toBe(true);
        const fork = events.find((e) => e.kind === 'fork' && e.childTgid === pid);
        expect(fork).toMatchObject({ kind: 'fork', parentTgid: process.pid, childPid: pid });
      } finally {
        process.kill(pid, 'SIGKILL');
      }
      expect(
        await waitFor(() => events.some((e) => e.kind === 'exit' && e.pid === pid && e.tgid === pid)),
      ).toBe(true);
    });

    it('is refused inside a lab network namespace (ECONNREFUSED)', async () => {
      await lab.addNamespace('n');
      const agent = await startKernelAgent(lab, 'n');
      expect(await agent.request('procEvents.probe')).toEqual({ ok: false, code: 'ECONNREFUSED' });
    });
  },
);
