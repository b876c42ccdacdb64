// VRRPv3 over IPv6 on the wire between keepalived 2.2.7 and our lower layers (the native IPv6
// socket, the codec and the ladder; the daemon comes later): namespaces `k` (keepalived) and `v`
// (a kernel agent) joined by a veth pair with 2001:db8::1/64 and 2001:db8::2/64.
//
// - keepalived's multicast adverts reach our socket, pass our checksum and ladder;
// - our adverts, multicast and unicast, keep keepalived's BACKUP instances from taking over
//   (its kernel checks our checksum with IPV6_CHECKSUM and drops bad ones silently; keepalived
//   itself checks the hop limit), with no complaint in its log; once we stop, they take over.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ipv6PacketInfo } from '../../src/packet/types.js';
import type { InstanceExpectations } from '../../src/packet/validate.js';
import { validateIpv6Advert } from '../../src/packet/validate6.js';
import { encodeAdvert6 } from '../../src/packet/vrrp.js';
import { DaemonSet, keepalivedConfig, keepalivedState, waitFor, type RunningDaemon } from '../lab/daemons.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from '../kernel/agent/agent-client.js';
import { v3Advert } from '../packet/packet-builder.js';
import { requireKeepalived } from './keepalived-available.js';
import { keepalivedComplaints } from './keepalived-complaints.js';

const skip = requireRoot() ?? requireKeepalived();

const KEEPALIVED = '2001:db8::1';
const US = '2001:db8::2';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Opened {
  id: number;
  ifindex: number;
  source: string;
}

describe.skipIf(skip !== undefined)(
  `VRRPv3 over IPv6 between keepalived and our socket${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    const daemons = new DaemonSet(lab);
    let agent: JsonLinesChild;

    beforeAll(async () => {
      await lab.addNamespace('k');
      await lab.addNamespace('v');
      await lab.addVethPair('k', 'eth0', 'v', 'eth0');
      await lab.ip('k', ['addr', 'add', `${KEEPALIVED}/64`, 'dev', 'eth0', 'nodad']);
      await lab.ip('v', ['addr', 'add', `${US}/64`, 'dev', 'eth0', 'nodad']);
      agent = await startKernelAgent(lab, 'v');
    });

    afterAll(async () => {
      await daemons.cleanup();
      await lab.teardown();
    });

    /** Opens our socket once the link-local address has finished DAD (bounded). */
    async function openOurs(joinMulticast: boolean, source?: string): Promise<Opened> {
      let last: unknown;
      for (let attempt = 0; attempt < 60; attempt++) {
        try {
          return await agent.request<Opened>('transport6.open', {
            ifname: 'eth0',
            joinMulticast,
            ...(source ? { source } : {}),
          });
        } catch (error) {
          last = error;
          await sleep(100);
        }
      }
      throw last;
    }

    it('keepalived’s multicast adverts pass our checksum and ladder', async () => {
      const ours = await openOurs(true);
      const master = daemons.start(
        'keepalived',
        'k',
        keepalivedConfig([
          {
            state: 'MASTER',
            vrid: 61,
            priority: 150,
            vips: ['fe80::61/64', '2001:db8::254/64', '2001:db8::253/64'],
          },
        ]),
      );
      const event = await agent.waitForEvent((e) => e.event === 'packet6' && e.id === ours.id, 15_000);
      const info: Ipv6PacketInfo = {
        source: String(event.source),
        destination: String(event.destination),
        hopLimit: Number(event.hopLimit),
        ifindex: Number(event.ifindex),
      };
      expect(info).toMatchObject({ destination: 'ff02::12', hopLimit: 255, ifindex: ours.ifindex });
      expect(info.source.startsWith('fe80:')).toBe(true);
      const expectations: InstanceExpectations = {
        instanceKey: 'VI6',
        vrid: 61,
        version: 3,
        priority: 100,
        authType: 0,
        advertIntervalCs: 100,
        addresses: ['fe80::61', '2001:db8::254', '2001:db8::253'],
        checkUnicastSource: false,
        skipCheckAdvertAddresses: false,
      };
      const verdict = validateIpv6Advert(Buffer.from(String(event.hex), 'hex'), info, {
        lookupVrid: (vrid) => (vrid === 61 ? expectations : undefined),
      });
      if (!verdict.ok) throw new Error(`dropped (${verdict.reason}): ${verdict.detail}`);
      expect(verdict.advert).toMatchObject({ vrid: 61, priority: 150, advertIntervalCs: 100 });
      expect(verdict.warnings).toEqual([]);
      await daemons.stop(master);
      await agent.request('transport6.close', { id: ours.id });
    });

    it('our multicast and unicast adverts hold keepalived’s backups, until we stop', async () => {
      const multicast = { vrid: 62, vips: ['2001:db8::62/64'] };
      const unicast = { vrid: 63, vips: ['2001:db8::63/64'] };
      const keepalived: RunningDaemon = daemons.start(
        'keepalived',
        'k',
        keepalivedConfig([
          { name: 'MC', state: 'BACKUP', vrid: multicast.vrid, priority: 100, vips: multicast.vips },
          {
            name: 'UC',
            state: 'BACKUP',
            vrid: unicast.vrid,
            priority: 100,
            unicastSrc: KEEPALIVED,
            unicastPeers: [US],
            vips: unicast.vips,
          },
        ]),
      );
      const sender = await openOurs(false);
      const sendOnce = async (): Promise<void> => {
        const toGroup = encodeAdvert6(
          v3Advert({ vrid: multicast.vrid, priority: 200, addresses: ['2001:db8::62'] }),
          {
            source: sender.source,
            destination: 'ff02::12',
          },
        );
        const toPeer = encodeAdvert6(
          v3Advert({ vrid: unicast.vrid, priority: 200, addresses: ['2001:db8::63'] }),
          {
            source: US,
            destination: KEEPALIVED,
          },
        );
        await agent.request('transport6.send', {
          id: sender.id,
          payloadHex: toGroup.toString('hex'),
          dest: 'ff02::12',
        });
        await agent.request('transport6.send', {
          id: sender.id,
          payloadHex: toPeer.toString('hex'),
          dest: KEEPALIVED,
          source: US,
        });
      };
      // keepalived starts as BACKUP; its master-down timer is 3 × 1 s + skew (≈ 3.6 s). Six
      // seconds of our adverts at priority 200: it must stay BACKUP all along.
      await waitFor(() => keepalivedState(keepalived, 'MC') === 'BACKUP', 5000);
      for (let second = 0; second < 6; second++) {
        await sendOnce();
        await sleep(1000);
      }
      expect(keepalivedState(keepalived, 'MC')).toBe('BACKUP');
      expect(keepalivedState(keepalived, 'UC')).toBe('BACKUP');
      expect(keepalivedComplaints(keepalived.logs)).toEqual([]);
      expect(agent.eventsOf('transport-error').filter((e) => e.id === sender.id)).toEqual([]);

      // Positive control: without our adverts both take over.
      const tookOver = await waitFor(
        () =>
          keepalivedState(keepalived, 'MC') === 'MASTER' && keepalivedState(keepalived, 'UC') === 'MASTER',
        8000,
        50,
      );
      expect(tookOver).toBe(true);
      await daemons.stop(keepalived);
    });
  },
);
