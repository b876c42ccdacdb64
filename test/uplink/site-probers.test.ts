// The ARP prober against a fake AF_PACKET socket, and the TCP connect and DNS query probers on loopback, with real sockets from the native addon
// (SO_MARK needs CAP_NET_ADMIN: root, as the real-kernel suites). What counts as an answer: an
// accepted or refused connection; a DNS response with the query's id from the probed address
// and port, whatever its RCODE. What does not: silence (timeout), a response with another id.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDnsMessage, encodeDnsResponse } from '../../src/packet/dns.js';
import { openDnsProber } from '../../src/kernel/dns-prober.js';
import { loadNative } from '../../src/kernel/native.js';
import { openTcpProber, type MarkedSocketOpener } from '../../src/kernel/tcp-prober.js';
import type { SiteProber } from '../../src/kernel/icmp-prober.js';
import { openSiteProber } from '../../src/daemon/uplinks/site-probers.js';
import { requireRoot } from '../lab/root.js';
import { openArpProber } from '../../src/kernel/arp-prober.js';
import { FakeNativeOps } from '../../src/kernel/native-fake.js';
import { ArpOperation, decodeArpFrame, encodeArpFrame } from '../../src/packet/arp.js';

const skip = requireRoot();
const openSocket: MarkedSocketOpener = (family, stream, mark) =>
  loadNative().openMarkedSocket(family, stream, mark);

describe.skipIf(skip !== undefined)(
  `TCP and DNS probers on loopback${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const cleanups: Array<() => void> = [];
    afterEach(() => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    });
    const keep = <T extends SiteProber>(prober: T): T => {
      cleanups.push(() => prober.close());
      return prober;
    };

    async function listen(): Promise<{ server: Server; port: number }> {
      const server = createServer((connection) => connection.on('error', () => undefined));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => server.close());
      return { server, port: (server.address() as { port: number }).port };
    }

    it('TCP: an accepted and a refused connection both answer; the mark is on the socket', async () => {
      const { port } = await listen();
      const accepted = await keep(openTcpProber({ fwmark: 7, port, openSocket })).echo('127.0.0.1', 2, 1000);
      expect(accepted.map((r) => r.outcome)).toEqual(['reply', 'reply']);
      expect(accepted[0]?.rttMs).toBeGreaterThanOrEqual(0);
      const closed = await listen();
      await new Promise((resolve) => closed.server.close(resolve));
      const refused = await keep(openTcpProber({ fwmark: 7, port: closed.port, openSocket })).echo(
        '127.0.0.1',
        1,
        1000,
      );
      expect(refused).toMatchObject([{ outcome: 'reply', detail: 'ECONNREFUSED' }]);
      const bad = await keep(openTcpProber({ fwmark: 7, port, openSocket })).echo('nowhere', 1, 100);
      expect(bad[0]?.outcome).toBe('sendError');
    });

    async function dnsServer(
      answer: (id: number) => number | null,
    ): Promise<{ socket: UdpSocket; port: number }> {
      const socket = createSocket('udp4');
      socket.on('message', (message, remote) => {
        const decoded = decodeDnsMessage(message);
        if (!decoded.ok) return;
        const id = answer(decoded.message.id);
        if (id === null) return;
        const question = decoded.message.questions[0];
        socket.send(
          encodeDnsResponse({ id, name: question?.name ?? '', type: 'A' }, [], 3),
          remote.port,
          remote.address,
        );
      });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      cleanups.push(() => socket.close());
      return { socket, port: socket.address().port };
    }

    it('DNS: any response with the query id counts (NXDOMAIN too); a wrong id or silence does not', async () => {
      const good = await dnsServer((id) => id);
      const prober = keep(openDnsProber({ fwmark: 7, port: good.port, query: 'uplink.example', openSocket }));
      expect((await prober.echo('127.0.0.1', 3, 1000)).map((r) => r.outcome)).toEqual([
        'reply',
        'reply',
        'reply',
      ]);

      const wrongId = await dnsServer((id) => (id + 1) & 0xffff);
      const fooled = keep(openDnsProber({ fwmark: 7, port: wrongId.port, query: '.', openSocket }));
      expect((await fooled.echo('127.0.0.1', 1, 200)).map((r) => r.outcome)).toEqual(['timeout']);

      const silent = await dnsServer(() => null);
      const quiet = keep(openDnsProber({ fwmark: 7, port: silent.port, query: '.', openSocket }));
      const pending = quiet.echo('127.0.0.1', 1, 5000);
      quiet.close();
      expect((await pending).map((r) => r.outcome)).toEqual(['closed']);
    });

    it('opens the prober the method names', () => {
      const gateway = { ip: '198.51.100.1', dev: 'eth1' };
      const tcp = keep(
        openSiteProber({ fwmark: 7, method: 'tcp', port: 9, dnsQuery: '.', gateway }, openSocket),
      );
      expect(tcp.isOpen()).toBe(true);
      const dns = keep(
        openSiteProber({ fwmark: 7, method: 'dns', port: 53, dnsQuery: '.', gateway }, openSocket),
      );
      expect(dns.isOpen()).toBe(true);
    });
  },
);

describe('ARP prober (fake AF_PACKET socket)', () => {
  const MAC = '02:00:c6:33:64:0e';
  const GATEWAY_MAC = '02:00:c6:33:64:01';
  const open = () => {
    const native = new FakeNativeOps({ interfaces: { eth1: { index: 4, mac: MAC } } });
    const prober = openArpProber({ ifname: 'eth1', native });
    const socket = native.arpSockets.get(4)!;
    return { native, prober, socket };
  };
  const reply = (senderIp: string, operation: number = ArpOperation.reply): Buffer =>
    encodeArpFrame({
      destinationMac: MAC,
      sourceMac: GATEWAY_MAC,
      operation,
      senderMac: GATEWAY_MAC,
      senderIp,
      targetMac: MAC,
      targetIp: '0.0.0.0',
    });

  it('sends an RFC 5227 probe (sender 0.0.0.0) and takes the gateway’s is-at as the answer', async () => {
    const { native, prober, socket } = open();
    const pending = prober.echo('198.51.100.1', 1, 1000);
    const sent = native.callsOf('arpSend')[0]!;
    const request = decodeArpFrame(sent.frame);
    expect(request.ok && request.value).toMatchObject({
      destinationMac: 'ff:ff:ff:ff:ff:ff',
      operation: ArpOperation.request,
      senderMac: MAC,
      senderIp: '0.0.0.0',
      targetIp: '198.51.100.1',
    });
    socket.handlers.onFrame(reply('198.51.100.99'));
    socket.handlers.onFrame(reply('198.51.100.1', ArpOperation.request));
    socket.handlers.onFrame(reply('198.51.100.1'));
    const [result] = await pending;
    expect(result?.outcome).toBe('reply');
    prober.close();
    expect(socket.closed).toBe(true);
  });

  it('times out without an answer, and a socket error ends the prober', async () => {
    const { prober, socket } = open();
    expect(await prober.echo('198.51.100.1', 2, 20)).toEqual([
      { outcome: 'timeout', rttMs: null },
      { outcome: 'timeout', rttMs: null },
    ]);
    const pending = prober.echo('198.51.100.1', 1, 5000);
    socket.handlers.onError(Object.assign(new Error('recvfrom: ENETDOWN'), { code: 'ENETDOWN' }));
    expect((await pending)[0]?.outcome).toBe('closed');
    expect(prober.isOpen()).toBe(false);
  });
});
