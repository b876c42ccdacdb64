// The IPv6 VRRP transport (native socket) against a real kernel: namespaces `a` and `b` joined by
// a veth pair with 2001:db8::1/64 and 2001:db8::2/64 plus their own link-locals, a second pair
// for the bind-to-device check, and an unsolicited NA from `a` updating `b`'s neighbour cache.
// The adapters run in kernel-agent children (compiled, from dist/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ipv6PacketInfo } from '../../src/packet/types.js';
import { validateIpv6Advert } from '../../src/packet/validate6.js';
import { encodeAdvert6, decodeAdvert6 } from '../../src/packet/vrrp.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { ChildEvent, JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';
import { v3Advert } from '../packet/packet-builder.js';

const skip = requireRoot();

const VIPS = ['2001:db8::254'];
const advert = v3Advert({ addresses: VIPS });

interface Opened {
  id: number;
  ifindex: number;
  source: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function infoOf(event: ChildEvent): Ipv6PacketInfo {
  return {
    source: String(event.source),
    destination: String(event.destination),
    hopLimit: Number(event.hopLimit),
    ifindex: Number(event.ifindex),
  };
}

function packetsOf(agent: JsonLinesChild, id: number): ChildEvent[] {
  return agent.eventsOf('packet6').filter((e) => e.id === id);
}

function errorsOf(agent: JsonLinesChild, id: number): ChildEvent[] {
  return agent.eventsOf('transport-error').filter((e) => e.id === id);
}

function waitForPacket(agent: JsonLinesChild, id: number, match: (e: ChildEvent) => boolean = () => true) {
  return agent.waitForEvent((e) => e.event === 'packet6' && e.id === id && match(e), 3000);
}

/** The link-local address, once DAD on it is done (bounded: a few seconds after link-up). */
async function linkLocalOf(agent: JsonLinesChild, ifindex: number): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const address = await agent.request<string | null>('addresses.linkLocal', { ifindex });
    if (address) return address;
    await sleep(100);
  }
  throw new Error(`no usable link-local address on ifindex ${ifindex} after 6 s`);
}

function open(
  agent: JsonLinesChild,
  ifname: string,
  joinMulticast: boolean,
  extra: { source?: string; hopLimit?: number } = {},
): Promise<Opened> {
  return agent.request<Opened>('transport6.open', { ifname, joinMulticast, ...extra });
}

/** Sends `advert` from `sender` to `dest`, checksummed for the source it is sent from. */
function send(agent: JsonLinesChild, sender: Opened, dest: string, source = sender.source, count = 1) {
  const payload = encodeAdvert6(advert, { source, destination: dest });
  return agent.request('transport6.send', {
    id: sender.id,
    payloadHex: payload.toString('hex'),
    dest,
    source,
    count,
  });
}

describe.skipIf(skip !== undefined)(
  `IPv6 advert transport on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agentA: JsonLinesChild;
    let agentB: JsonLinesChild;
    let linkLocalA: string;
    let linkLocalB: string;
    let ifindexB: number;

    beforeAll(async () => {
      await lab.addNamespace('a');
      await lab.addNamespace('b');
      await lab.addVethPair('a', 'eth0', 'b', 'eth0');
      await lab.ip('a', ['addr', 'add', '2001:db8::1/64', 'dev', 'eth0', 'nodad']);
      await lab.ip('b', ['addr', 'add', '2001:db8::2/64', 'dev', 'eth0', 'nodad']);
      await lab.addVethPair('a', 'eth1', 'b', 'eth1');
      await lab.ip('a', ['addr', 'add', '2001:db8:1::1/64', 'dev', 'eth1', 'nodad']);
      await lab.ip('b', ['addr', 'add', '2001:db8:1::2/64', 'dev', 'eth1', 'nodad']);
      agentA = await startKernelAgent(lab, 'a');
      agentB = await startKernelAgent(lab, 'b');
      ifindexB = await lab.ifindexOf('b', 'eth0');
      linkLocalA = await linkLocalOf(agentA, await lab.ifindexOf('a', 'eth0'));
      linkLocalB = await linkLocalOf(agentB, ifindexB);
      // eth1 is used unbound to a source by one case: its link-local must have left DAD too.
      await linkLocalOf(agentA, await lab.ifindexOf('a', 'eth1'));
      // The agent found the same address iproute2 shows.
      const { stdout } = await lab.ip('a', ['-6', '-j', 'addr', 'show', 'dev', 'eth0', 'scope', 'link']);
      const [link] = JSON.parse(stdout) as Array<{ addr_info: Array<{ local: string }> }>;
      expect(link?.addr_info.map((a) => a.local).filter(Boolean)).toEqual([linkLocalA]);
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('multicasts to ff02::12 from the link-local with hop limit 255; a joined peer gets it with its metadata', async () => {
      const receiver = await open(agentB, 'eth0', true);
      const sender = await open(agentA, 'eth0', true);
      expect(sender.source).toBe(linkLocalA);
      await send(agentA, sender, 'ff02::12');

      const event = await waitForPacket(agentB, receiver.id);
      const info = infoOf(event);
      expect(info).toEqual({ source: linkLocalA, destination: 'ff02::12', hopLimit: 255, ifindex: ifindexB });
      const message = Buffer.from(String(event.hex), 'hex');
      // Our checksum over the IPv6 pseudo-header is what the receiver computes too.
      expect(decodeAdvert6(message, info)).toEqual({ ok: true, value: advert });
      const verdict = validateIpv6Advert(message, info, {
        lookupVrid: () => ({
          instanceKey: 'VI6',
          vrid: 51,
          version: 3,
          priority: 100,
          authType: 0,
          advertIntervalCs: 100,
          addresses: VIPS,
          checkUnicastSource: false,
          skipCheckAdvertAddresses: false,
        }),
      });
      expect(verdict.ok).toBe(true);
      // IPV6_MULTICAST_LOOP is off: the sender's own joined socket heard nothing.
      await sleep(100);
      expect(packetsOf(agentA, sender.id)).toEqual([]);
      expect(errorsOf(agentA, sender.id)).toEqual([]);
    });

    it('unicasts between global addresses and to a peer’s link-local, with hop limit 255', async () => {
      const receiver = await open(agentB, 'eth0', false, { source: '2001:db8::2' });
      const sender = await open(agentA, 'eth0', false, { source: '2001:db8::1' });
      await send(agentA, sender, '2001:db8::2');
      const global = infoOf(await waitForPacket(agentB, receiver.id, (e) => e.destination === '2001:db8::2'));
      expect(global).toEqual({
        source: '2001:db8::1',
        destination: '2001:db8::2',
        hopLimit: 255,
        ifindex: ifindexB,
      });

      await send(agentA, sender, linkLocalB, linkLocalA);
      const event = await waitForPacket(agentB, receiver.id, (e) => e.destination === linkLocalB);
      const linkLocal = infoOf(event);
      expect(linkLocal).toEqual({
        source: linkLocalA,
        destination: linkLocalB,
        hopLimit: 255,
        ifindex: ifindexB,
      });
      expect(decodeAdvert6(Buffer.from(String(event.hex), 'hex'), linkLocal).ok).toBe(true);
    });

    it('reports the hop limit a packet really arrived with: 64 is seen as 64 and the ladder drops it', async () => {
      const receiver = await open(agentB, 'eth0', true);
      const routedLike = await open(agentA, 'eth0', false, { hopLimit: 64 });
      await send(agentA, routedLike, 'ff02::12');
      const event = await waitForPacket(agentB, receiver.id);
      const info = infoOf(event);
      expect(info.hopLimit).toBe(64);
      const verdict = validateIpv6Advert(Buffer.from(String(event.hex), 'hex'), info, {
        lookupVrid: () => undefined,
      });
      expect(verdict).toMatchObject({ ok: false, reason: 'ip_ttl', vrid: 51, source: linkLocalA });
    });

    it('hears multicast only when joined, even while another socket on the interface has joined', async () => {
      const joined = await open(agentB, 'eth0', true);
      const unjoined = await open(agentB, 'eth0', false, { source: '2001:db8::2' });
      const sender = await open(agentA, 'eth0', false, { source: '2001:db8::1' });
      await send(agentA, sender, 'ff02::12', linkLocalA);
      // Positive control on the same path: a unicast sent after it reaches the unjoined socket.
      await send(agentA, sender, '2001:db8::2');
      await waitForPacket(agentB, joined.id, (e) => e.destination === 'ff02::12');
      await waitForPacket(agentB, unjoined.id, (e) => e.destination === '2001:db8::2');
      await sleep(100);
      expect(packetsOf(agentB, unjoined.id).filter((e) => e.destination === 'ff02::12')).toEqual([]);
    });

    it('is bound to its interface: packets arriving on another interface never reach it', async () => {
      const onEth0 = await open(agentA, 'eth0', true);
      const onEth1 = await open(agentA, 'eth1', true);
      const fromEth1 = await open(agentB, 'eth1', false, { source: '2001:db8:1::2' });
      await send(agentB, fromEth1, '2001:db8:1::1');
      const event = await waitForPacket(agentA, onEth1.id);
      expect(event.ifindex).toBe(await lab.ifindexOf('a', 'eth1'));
      await sleep(100);
      expect(packetsOf(agentA, onEth0.id)).toEqual([]);
    });

    it('reports a send the kernel refuses (a source we do not have) as a value, and keeps working', async () => {
      const sender = await open(agentA, 'eth0', false, { source: '2001:db8::1' });
      await send(agentA, sender, '2001:db8::2', '2001:db8::99');
      const error = await agentA.waitForEvent(
        (e) => e.event === 'transport-error' && e.id === sender.id,
        3000,
      );
      expect(error).toMatchObject({ kind: 'send', dest: '2001:db8::2', code: 'EINVAL' });
      const receiver = await open(agentB, 'eth0', false, { source: '2001:db8::2' });
      await send(agentA, sender, '2001:db8::2');
      await waitForPacket(agentB, receiver.id);
    });

    it('survives a burst without blocking and keeps receiving afterwards', async () => {
      const receiver = await open(agentA, 'eth0', false, { source: '2001:db8::1' });
      const sender = await open(agentB, 'eth0', false, { source: '2001:db8::2' });
      await send(agentB, sender, '2001:db8::1', '2001:db8::2', 2000);
      await agentA.waitForEvent(() => packetsOf(agentA, receiver.id).length >= 100, 5000);
      // The agent answers requests during the burst: its event loop is not blocked.
      expect(await agentA.request('native.interfaceIndex', { ifname: 'eth0' })).toBeGreaterThan(0);
      await sleep(300);
      const count = packetsOf(agentA, receiver.id).length;
      expect(count).toBeGreaterThan(100);
      expect(count).toBeLessThanOrEqual(2000);
      expect(errorsOf(agentA, receiver.id)).toEqual([]);
    });

    it('on loopback: a message to ::1 comes back to the socket with its metadata', async () => {
      const loopback = await open(agentA, 'lo', false, { source: '::1' });
      await send(agentA, loopback, '::1');
      const event = await waitForPacket(agentA, loopback.id);
      expect(infoOf(event)).toEqual({ source: '::1', destination: '::1', hopLimit: 255, ifindex: 1 });
      await agentA.request('transport6.close', { id: loopback.id });
      expect(errorsOf(agentA, loopback.id)).toEqual([]);
    });

    it('an unsolicited NA from `a` moves `b`’s neighbour entry for the VIP to a’s MAC', async () => {
      const macA = await lab.macOf('a', 'eth0');
      // b believes the VIP lives at another MAC (the old master's).
      await lab.ip('b', [
        '-6',
        'neigh',
        'replace',
        '2001:db8::254',
        'lladdr',
        '02:00:5e:00:02:99',
        'dev',
        'eth0',
        'nud',
        'stale',
      ]);
      expect(await lab.neighbourMac('b', '2001:db8::254')).toBe('02:00:5e:00:02:99');
      await lab.ip('a', ['addr', 'add', '2001:db8::254/64', 'dev', 'eth0', 'nodad']);
      expect(await agentA.request('na.send', { ifname: 'eth0', vip: '2001:db8::254' })).toEqual({
        ok: true,
        bytes: 86,
      });
      let mac: string | null = null;
      for (let attempt = 0; attempt < 30 && mac !== macA; attempt++) {
        mac = await lab.neighbourMac('b', '2001:db8::254');
        if (mac !== macA) await sleep(100);
      }
      expect(mac).toBe(macA);
    });
  },
);
