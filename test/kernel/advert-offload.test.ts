// The addon socket's steady-state offload (native/src/advert_offload.h) against a real kernel:
// namespaces `a` and `b` joined by a veth pair (192.0.2.1/24 — 192.0.2.2/24), the transports in
// kernel-agent children (compiled, from dist/). Pacing must put the same packet on the wire at
// the interval and say how many it sent and when; a watch must take exactly the repeats of its
// packet (not another advert), move its deadline with each, and end on its own when they stop.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAdvert } from '../../src/packet/vrrp.js';
import { v2Advert } from '../packet/packet-builder.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { ChildEvent, JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

const advert = v2Advert({ authType: 0, authData: Buffer.alloc(8) });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Opened {
  id: number;
  ifindex: number;
}

function packetsOf(agent: JsonLinesChild, transportId: number): Buffer[] {
  return agent
    .eventsOf('packet')
    .filter((e) => e.id === transportId)
    .map((e) => Buffer.from(String(e.hex), 'hex'));
}

/** The packet as a watch compares it: identification and header checksum zeroed. */
function zeroVolatile(raw: Buffer): Buffer {
  const copy = Buffer.from(raw);
  copy.fill(0, 4, 6);
  copy.fill(0, 10, 12);
  return copy;
}

describe.skipIf(skip !== undefined)(
  `advert offload on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agentA: JsonLinesChild;
    let agentB: JsonLinesChild;
    let sender: Opened;
    let receiver: Opened;

    beforeAll(async () => {
      await lab.addNamespace('a');
      await lab.addNamespace('b');
      await lab.addVethPair('a', 'eth0', 'b', 'eth0');
      await lab.addAddress('a', 'eth0', '192.0.2.1/24');
      await lab.addAddress('b', 'eth0', '192.0.2.2/24');
      agentA = await startKernelAgent(lab, 'a');
      agentB = await startKernelAgent(lab, 'b');
      sender = await agentA.request<Opened>('transport.open', {
        ifname: 'eth0',
        source: '192.0.2.1',
        joinMulticast: false,
      });
      receiver = await agentB.request<Opened>('transport.open', {
        ifname: 'eth0',
        source: '192.0.2.2',
        joinMulticast: false,
      });
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('paces one packet at the interval until settled, and says how many and when the last went', async () => {
      const before = packetsOf(agentB, receiver.id).length;
      const started = await agentA.request('transport.pace', {
        id: sender.id,
        entry: 1,
        dest: '192.0.2.2',
        payloadHex: encodeAdvert(advert).toString('hex'),
        delayMs: 0,
        intervalMs: 50,
      });
      expect(started).toBe(true);
      await sleep(600);
      const outcome = await agentA.request<{ count: number; lastAt: number }>('transport.settle', {
        id: sender.id,
        entry: 1,
      });
      const now = await agentA.request<number>('clock.now', {});
      // 0, 50, ..., 550 ms: about 12, on a loaded machine fewer, never more than the time allows.
      expect(outcome.count).toBeGreaterThanOrEqual(6);
      expect(outcome.count).toBeLessThanOrEqual(13);
      expect(outcome.lastAt).toBeLessThanOrEqual(now);
      expect(outcome.lastAt).toBeGreaterThan(now - 300);
      await sleep(200);
      const arrived = packetsOf(agentB, receiver.id).slice(before);
      // Everything sent arrived, and nothing after the settle.
      expect(arrived.length).toBe(outcome.count);
      const first = zeroVolatile(arrived[0]!);
      expect(arrived.every((raw) => zeroVolatile(raw).equals(first))).toBe(true);
      expect(first.subarray(20).equals(encodeAdvert(advert))).toBe(true);
      expect(await agentA.request('transport.settle', { id: sender.id, entry: 1 })).toBeNull();
    });

    it('takes the repeats of the watched packet, not another advert, and ends when they stop', async () => {
      const payload = encodeAdvert(advert);
      const other = encodeAdvert({ ...advert, priority: 100 });
      const arrivedSince = async (count: number, atLeast: number): Promise<Buffer[]> => {
        for (let i = 0; i < 60 && packetsOf(agentB, receiver.id).length < count + atLeast; i++)
          await sleep(50);
        return packetsOf(agentB, receiver.id).slice(count);
      };
      const sendTo = (bytes: Buffer) =>
        agentA.request('transport.send', {
          id: sender.id,
          payloadHex: bytes.toString('hex'),
          dest: '192.0.2.2',
        });
      const start = packetsOf(agentB, receiver.id).length;
      await sendTo(payload);
      const [first] = await arrivedSince(start, 1);
      expect(first?.subarray(20).equals(payload)).toBe(true);
      const watched = zeroVolatile(first!);
      const before = packetsOf(agentB, receiver.id).length;
      expect(
        await agentB.request('transport.watch', {
          id: receiver.id,
          entry: 7,
          packetHex: watched.toString('hex'),
          delayMs: 400,
          timeoutMs: 300,
        }),
      ).toBe(true);
      // Five repeats 100 ms apart: each moves the deadline, none reaches JavaScript.
      for (let i = 0; i < 5; i++) {
        await sendTo(payload);
        await sleep(100);
      }
      expect(await agentB.request('transport.offloadCount', { id: receiver.id, entry: 7 })).toBe(5);
      expect(agentB.eventsOf('offload-ended').filter((e) => e.id === receiver.id)).toEqual([]);
      // Another advert (another priority) is delivered as usual; the repeats were not.
      await sendTo(other);
      const delivered = await arrivedSince(before, 1);
      expect(delivered.map((raw) => raw.subarray(20).toString('hex'))).toEqual([other.toString('hex')]);
      // No repeat for 300 ms: the watch ends on its own and says so.
      const ended = await agentB.waitForEvent(
        (e: ChildEvent) => e.event === 'offload-ended' && e.id === receiver.id,
        3000,
      );
      expect(ended.entry).toBe(7);
      const outcome = await agentB.request<{ count: number; lastAt: number }>('transport.settle', {
        id: receiver.id,
        entry: 7,
      });
      expect(outcome.count).toBe(5);
      // An ended watch takes nothing: the next repeat is delivered.
      await sendTo(payload);
      const after = await arrivedSince(before + 1, 1);
      expect(after.map((raw) => raw.subarray(20).toString('hex'))).toEqual([payload.toString('hex')]);
    });

    it('ends pacing on its own when a send fails, so the daemon sends (and reports) it', async () => {
      // A packet longer than the interface's MTU: the first paced send fails (EMSGSIZE).
      await lab.addVethPair('a', 'eth1', 'b', 'eth1');
      await lab.addAddress('a', 'eth1', '198.51.100.1/24');
      await lab.exec('a', ['ip', 'link', 'set', 'eth1', 'mtu', '1000']);
      const down = await agentA.request<Opened>('transport.open', {
        ifname: 'eth1',
        source: '198.51.100.1',
        joinMulticast: false,
      });
      expect(
        await agentA.request('transport.pace', {
          id: down.id,
          entry: 3,
          dest: '198.51.100.2',
          payloadHex: Buffer.alloc(1100, 0x5a).toString('hex'),
          delayMs: 10,
          intervalMs: 50,
        }),
      ).toBe(true);
      const ended = await agentA.waitForEvent(
        (e: ChildEvent) => e.event === 'offload-ended' && e.id === down.id,
        3000,
      );
      expect(ended.entry).toBe(3);
      expect(await agentA.request('transport.settle', { id: down.id, entry: 3 })).toEqual({
        count: 0,
        lastAt: expect.any(Number),
      });
    });

    it('keeps what it did when the socket closes, for the daemon to settle', async () => {
      expect(
        await agentA.request('transport.pace', {
          id: sender.id,
          entry: 4,
          dest: '192.0.2.2',
          payloadHex: encodeAdvert(advert).toString('hex'),
          delayMs: 0,
          intervalMs: 50,
        }),
      ).toBe(true);
      await sleep(200);
      await agentA.request('transport.close', { id: sender.id, keep: true });
      const count = await agentA.request<number>('transport.offloadCount', { id: sender.id, entry: 4 });
      expect(count).toBeGreaterThanOrEqual(1);
      await sleep(150);
      // Halted: no sends after the close.
      expect(await agentA.request('transport.offloadCount', { id: sender.id, entry: 4 })).toBe(count);
      expect(await agentA.request('transport.settle', { id: sender.id, entry: 4 })).toMatchObject({ count });
    });
  },
);
