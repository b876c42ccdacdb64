// auth_type AH with keepalived 2.2.7 as a live peer. keepalived runs in r1 (BACKUP, priority 100,
// `auth_type AH`, `auth_pass secret1`); in r2 the kernel agent speaks for "us" through a
// protocol-51 transport, with adverts built by src/packet/ipsec-ah.ts and the counter rules of
// src/vrrp/ah-sequence.ts. What keepalived does with our packets proves they are right:
//  - our priority-200 adverts every second keep it BACKUP, with no complaint in its log;
//  - when we stop, it takes over and its adverts pass our ladder, their sequence numbers
//    continuing right above ours (the counter it learned from us);
//  - a wrong password and a replayed sequence number are refused in its log, and it stays MASTER;
//  - a correct higher-priority advert above its counter makes it BACKUP again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ahKey, ahVrrpAuthData, encodeAhPacket } from '../../src/packet/ipsec-ah.js';
import { AuthType } from '../../src/packet/types.js';
import { validatePacket, type InstanceExpectations } from '../../src/packet/validate.js';
import { encodeAdvert } from '../../src/packet/vrrp.js';
import {
  acceptedSequence,
  INITIAL_AH_SEQUENCE,
  nextAdvertSequence,
  type AhSequenceCounter,
} from '../../src/vrrp/ah-sequence.js';
import { DaemonSet, keepalivedConfig, keepalivedState, waitFor, type RunningDaemon } from '../lab/daemons.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { requireRoot } from '../lab/root.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';
import { startKernelAgent } from '../kernel/agent/agent-client.js';
import { keepalivedComplaints } from './keepalived-complaints.js';
import { requireKeepalived } from './keepalived-available.js';

const skip = requireRoot() ?? requireKeepalived();

const KEEPALIVED = '192.0.2.1';
const US = '192.0.2.2';
const GROUP = '224.0.0.18';
const AH_AUTH = ['authentication {', '  auth_type AH', '  auth_pass secret1', '}'];

/** Our side of VRID 51, as the ladder sees it. */
const OURS: InstanceExpectations = {
  instanceKey: 'US',
  vrid: 51,
  version: 2,
  priority: 200,
  authType: AuthType.ah,
  authPassword: 'secret1',
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  checkUnicastSource: false,
  skipCheckAdvertAddresses: false,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip !== undefined)('auth_type AH with keepalived as a live peer', () => {
  let segment: RouterSegment;
  let daemons: DaemonSet;
  let agent: JsonLinesChild;
  let keepalived: RunningDaemon;
  let transportId: number;
  let counter: AhSequenceCounter = INITIAL_AH_SEQUENCE;
  let ipId = 0;

  /** Sends one advert as keepalived would, with our counter unless `sequence` forces one. */
  async function sendAdvert(priority: number, options: { password?: string; sequence?: number } = {}) {
    let sequence = options.sequence;
    if (sequence === undefined) {
      counter = nextAdvertSequence(counter);
      sequence = counter.sequence;
    }
    ipId = (ipId % 0xffff) + 1;
    const vrrp = encodeAdvert({
      version: 2,
      type: 1,
      vrid: 51,
      priority,
      advertIntervalCs: 100,
      addresses: ['192.0.2.254'],
      authType: AuthType.ah,
      authData: ahVrrpAuthData(),
    });
    const packet = encodeAhPacket({
      source: US,
      destination: GROUP,
      identification: ipId,
      unicast: false,
      sequence,
      key: ahKey(options.password ?? 'secret1'),
      vrrp,
    });
    await agent.request('transport.sendIpPacket', {
      id: transportId,
      packetHex: packet.toString('hex'),
      dest: GROUP,
    });
  }

  /** keepalived's adverts received so far, each run once through our ladder with our counter. */
  const judged: Array<{ ok: boolean; reason?: string; sequence?: number; priority?: number }> = [];
  let seen = 0;
  function keepalivedAdverts(): typeof judged {
    const packets = agent.eventsOf('packet').filter((e) => e.source === KEEPALIVED);
    for (const event of packets.slice(seen)) {
      const result = validatePacket(Buffer.from(String(event.hex), 'hex'), {
        lookupVrid: (vrid) => (vrid === 51 ? OURS : undefined),
        ahSequenceFloor: () => counter.sequence,
      });
      if (!result.ok) {
        judged.push({ ok: false, reason: result.reason });
        continue;
      }
      counter = acceptedSequence(counter, result.ahSequence ?? 0);
      judged.push({ ok: true, sequence: result.ahSequence, priority: result.advert.priority });
    }
    seen = packets.length;
    return judged;
  }

  const entered = (state: string) =>
    keepalived.logs.filter((l) => l.includes(`Entering ${state} STATE`)).length;

  beforeAll(async () => {
    segment = await createRouterSegment();
    daemons = new DaemonSet(segment.lab);
    agent = await startKernelAgent(segment.lab, 'r2');
    const opened = await agent.request<{ id: number }>('transport.open', {
      ifname: 'eth0',
      source: US,
      joinMulticast: true,
      protocol: 51,
    });
    transportId = opened.id;
  }, 30_000);

  afterAll(async () => {
    await daemons?.cleanup();
    await segment?.lab.teardown();
  });

  it('keepalived stays BACKUP under our AH adverts and has nothing to complain about', async () => {
    await sendAdvert(200);
    keepalived = daemons.start(
      'keepalived',
      'r1',
      keepalivedConfig([{ vrid: 51, priority: 100, state: 'BACKUP', extra: AH_AUTH }]),
    );
    // Master_Down_Interval is 3.6 s: six of our adverts a second apart span it well.
    for (let i = 0; i < 6; i++) {
      await sleep(1000);
      await sendAdvert(200);
    }
    expect(keepalivedState(keepalived)).toBe('BACKUP');
    expect(entered('MASTER')).toBe(0);
    expect(keepalivedComplaints(keepalived.logs)).toEqual([]);
  }, 30_000);

  it('when we stop, keepalived takes over and continues our sequence numbers', async () => {
    const lastOurs = counter.sequence;
    expect(await waitFor(() => keepalivedState(keepalived) === 'MASTER', 8000, 50)).toBe(true);
    expect(await waitFor(() => keepalivedAdverts().length >= 3, 5000, 50)).toBe(true);
    const received = keepalivedAdverts().slice(0, 3);
    expect(received.every((r) => r.ok)).toBe(true);
    expect(received.map((r) => r.sequence)).toEqual([lastOurs + 1, lastOurs + 2, lastOurs + 3]);
    expect(received.every((r) => r.priority === 100)).toBe(true);
  }, 20_000);

  it('refuses a wrong password and a replayed sequence number, and stays MASTER', async () => {
    await sendAdvert(250, { password: 'secret2' });
    await sendAdvert(250, { sequence: 1 });
    const kinds = () => keepalivedComplaints(keepalived.logs).map((c) => c.kind);
    expect(await waitFor(() => kinds().includes('ah_icv') && kinds().includes('ah_sequence'), 3000, 50)).toBe(
      true,
    );
    expect(kinds()).toEqual(['ah_icv', 'ah_sequence']);
    await sleep(500);
    expect(keepalivedState(keepalived)).toBe('MASTER');
  }, 15_000);

  it('a correct higher-priority advert above its counter sends it back to BACKUP', async () => {
    keepalivedAdverts(); // follow its counter up to now, as a backup would
    await sendAdvert(250);
    expect(await waitFor(() => keepalivedState(keepalived) === 'BACKUP', 3000, 50)).toBe(true);
    expect(keepalivedComplaints(keepalived.logs).map((c) => c.kind)).toEqual(['ah_icv', 'ah_sequence']);
  }, 15_000);
});
