// The raw VRRP transport against a real kernel: two namespaces `a` and `b` joined by a veth
// pair (192.0.2.1/24 — 192.0.2.2/24) and, for the bind-to-device check, a second pair in
// 198.51.100.0/24. The adapters run in kernel-agent children (compiled, from dist/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAdvert, encodeAdvert } from '../../src/packet/vrrp.js';
import { splitIpv4Packet } from '../../src/packet/ipv4.js';
import type { VrrpAdvert } from '../../src/packet/types.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { ChildEvent, JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

const advert: VrrpAdvert = {
  version: 2,
  type: 1,
  vrid: 51,
  priority: 150,
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  authType: 0,
  authData: Buffer.alloc(8),
};
const payload = encodeAdvert(advert);

interface Opened {
  id: number;
  ifindex: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function packetsOf(agent: JsonLinesChild, transportId: number): ChildEvent[] {
  return agent.eventsOf('packet').filter((e) => e.id === transportId);
}

function errorsOf(agent: JsonLinesChild, transportId: number): ChildEvent[] {
  return agent.eventsOf('transport-error').filter((e) => e.id === transportId);
}

function waitForPacket(
  agent: JsonLinesChild,
  transportId: number,
  match: (raw: Buffer) => boolean = () => true,
) {
  return agent.waitForEvent(
    (e) => e.event === 'packet' && e.id === transportId && match(Buffer.from(String(e.hex), 'hex')),
    3000,
  );
}

function open(
  agent: JsonLinesChild,
  ifname: string,
  source: string,
  joinMulticast: boolean,
): Promise<Opened> {
  return agent.request<Opened>('transport.open', { ifname, source, joinMulticast });
}

function send(agent: JsonLinesChild, id: number, dest: string, count = 1, bytes: Buffer = payload) {
  return agent.request('transport.send', { id, payloadHex: bytes.toString('hex'), dest, count });
}

describe.skipIf(skip !== undefined)(
  `advert transport on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agentA: JsonLinesChild;
    let agentB: JsonLinesChild;

    beforeAll(async () => {
      await lab.addNamespace('a');
      await lab.addNamespace('b');
      await lab.addVethPair('a', 'eth0', 'b', 'eth0');
      await lab.addAddress('a', 'eth0', '192.0.2.1/24');
      await lab.addAddress('b', 'eth0', '192.0.2.2/24');
      await lab.addVethPair('a', 'eth1', 'b', 'eth1');
      await lab.addAddress('a', 'eth1', '198.51.100.1/24');
      await lab.addAddress('b', 'eth1', '198.51.100.2/24');
      agentA = await startKernelAgent(lab, 'a');
      agentB = await startKernelAgent(lab, 'b');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('delivers a unicast advert byte for byte, with TTL 255, TOS 0xC0 and our source', async () => {
      const receiver = await open(agentB, 'eth0', '192.0.2.2', false);
      const sender = await open(agentA, 'eth0', '192.0.2.1', false);
      await send(agentA, sender.id, '192.0.2.2');

      const event = await waitForPacket(agentB, receiver.id);
      expect(event.source).toBe('192.0.2.1');
      expect(event.ifindex).toBe(receiver.ifindex);
      const split = splitIpv4Packet(Buffer.from(String(event.hex), 'hex'));
      if (!split.ok) throw new Error(split.detail);
      expect(split.value.ip).toMatchObject({
        ttl: 255,
        tos: 0xc0,
        protocol: 112,
        source: '192.0.2.1',
        destination: '192.0.2.2',
        totalLength: 20 + payload.length,
      });
      expect(split.value.payload.equals(payload)).toBe(true);
      const decoded = decodeAdvert(split.value.payload);
      expect(decoded.ok && decoded.value.vrid).toBe(51);
      expect(errorsOf(agentA, sender.id)).toEqual([]);
    });

    it('sends from the configured source address (unicast_src_ip), not the kernel-chosen one', async () => {
      await lab.addAddress('a', 'eth0', '192.0.2.11/24');
      const receiver = await open(agentB, 'eth0', '192.0.2.2', false);
      const sender = await open(agentA, 'eth0', '192.0.2.11', false);
      await send(agentA, sender.id, '192.0.2.2');
      const event = await waitForPacket(agentB, receiver.id, (raw) => raw.readUInt32BE(12) === 0xc000020b);
      expect(event.source).toBe('192.0.2.11');
    });

    it('needs the 224.0.0.18 join to hear multicast adverts, and never hears its own', async () => {
      // A namespace where no socket has joined 224.0.0.18: the kernel drops the group's packets.
      const unjoined = await open(agentB, 'eth0', '192.0.2.2', false);
      const sender = await open(agentA, 'eth0', '192.0.2.1', true);
      await send(agentA, sender.id, '224.0.0.18');
      // Positive control on the same path: a unicast sent after it arrives, so the multicast had its chance.
      await send(agentA, sender.id, '192.0.2.2');
      await waitForPacket(agentB, unjoined.id, (raw) => raw.readUInt32BE(16) === 0xc0000202);
      await sleep(100);
      expect(
        packetsOf(agentB, unjoined.id).filter((e) => Buffer.from(String(e.hex), 'hex')[16] === 224),
      ).toEqual([]);

      const joined = await open(agentB, 'eth0', '192.0.2.2', true);
      await send(agentA, sender.id, '224.0.0.18');
      const event = await waitForPacket(agentB, joined.id, (raw) => raw[16] === 224);
      const split = splitIpv4Packet(Buffer.from(String(event.hex), 'hex'));
      if (!split.ok) throw new Error(split.detail);
      expect(split.value.ip).toMatchObject({
        ttl: 255,
        tos: 0xc0,
        destination: '224.0.0.18',
        source: '192.0.2.1',
      });
      expect(split.value.payload.equals(payload)).toBe(true);
      // IP_MULTICAST_LOOP is off: the sender's own joined socket saw none of its adverts.
      expect(packetsOf(agentA, sender.id)).toEqual([]);
    });

    it('is bound to its interface: adverts arriving on another interface never reach it', async () => {
      const onEth0 = await open(agentA, 'eth0', '192.0.2.1', true);
      const onEth1 = await open(agentA, 'eth1', '198.51.100.1', true);
      const fromEth1 = await open(agentB, 'eth1', '198.51.100.2', false);
      const fromEth0 = await open(agentB, 'eth0', '192.0.2.2', false);

      await send(agentB, fromEth1.id, '198.51.100.1');
      await send(agentB, fromEth1.id, '224.0.0.18');
      await waitForPacket(agentA, onEth1.id, (raw) => raw[16] === 224);
      expect(packetsOf(agentA, onEth1.id).length).toBe(2);

      await send(agentB, fromEth0.id, '192.0.2.1');
      await waitForPacket(agentA, onEth0.id);
      await sleep(100);
      const sourcesOnEth0 = packetsOf(agentA, onEth0.id).map((e) => e.source);
      expect(sourcesOnEth0).toEqual(['192.0.2.2']);
    });

    it('survives a burst without throwing and keeps receiving afterwards', async () => {
      const receiver = await open(agentA, 'eth0', '192.0.2.1', false);
      const sender = await open(agentB, 'eth0', '192.0.2.2', false);
      await send(agentB, sender.id, '192.0.2.1', 2000);
      await agentA.waitForEvent(() => packetsOf(agentA, receiver.id).length >= 100, 5000);
      await sleep(300);
      const afterBurst = packetsOf(agentA, receiver.id).length;
      expect(afterBurst).toBeGreaterThan(100);
      expect(afterBurst).toBeLessThanOrEqual(2000);

      const marker = encodeAdvert({ ...advert, vrid: 77 });
      await send(agentB, sender.id, '192.0.2.1', 1, marker);
      await waitForPacket(agentA, receiver.id, (raw) => raw[21] === 77);
      expect(errorsOf(agentA, receiver.id)).toEqual([]);
      expect(errorsOf(agentB, sender.id)).toEqual([]);
    });

    it('shrugs off "protocol unreachable" from a peer without VRRP and keeps working', async () => {
      // A fresh namespace whose kernel has no protocol-112 socket answers ICMP "protocol 112
      // unreachable". Linux reports such errors only on connected raw sockets or with IP_RECVERR,
      // neither of which we use, so the transport must stay silent and usable.
      await lab.addNamespace('d');
      await lab.addVethPair('a', 'eth2', 'd', 'eth0');
      await lab.addAddress('a', 'eth2', '203.0.113.1/24');
      await lab.addAddress('d', 'eth0', '203.0.113.2/24');
      const sender = await open(agentA, 'eth2', '203.0.113.1', false);
      await send(agentA, sender.id, '203.0.113.2');
      const unreachablesSentByPeer = async (): Promise<number> => {
        const { stdout } = await lab.exec('d', ['cat', '/proc/net/snmp']);
        const lines = stdout.split('\n').filter((line) => line.startsWith('Icmp:'));
        const [names, values] = lines.map((line) => line.trim().split(/\s+/));
        return Number(values?.[names?.indexOf('OutDestUnreachs') ?? -1]);
      };
      // The peer really did answer with an unreachable (bounded wait for its counter).
      for (let attempt = 0; attempt < 20 && (await unreachablesSentByPeer()) < 1; attempt++) await sleep(50);
      expect(await unreachablesSentByPeer()).toBeGreaterThanOrEqual(1);

      const peer = await startKernelAgent(lab, 'd');
      const peerTransport = await open(peer, 'eth0', '203.0.113.2', false);
      await send(peer, peerTransport.id, '203.0.113.1');
      const event = await waitForPacket(agentA, sender.id);
      expect(event.source).toBe('203.0.113.2');
      expect(errorsOf(agentA, sender.id)).toEqual([]);
    });
  },
);
