// The uplink echo prober on the addon's ICMP sockets (native/src/icmp_socket.cc) against a real
// kernel: namespaces `a` and `b` joined by a veth pair (192.0.2.1/24, 2001:db8::1/64 — .2, ::2).
// The prober runs in a kernel-agent child inside `a` (compiled, from dist/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoResult } from '../../src/kernel/icmp-prober.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

describe.skipIf(skip !== undefined)(
  `ICMP prober sockets on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;

    const echo = (params: Record<string, unknown>) => agent.request<EchoResult[]>('icmp.echo', params);

    beforeAll(async () => {
      await lab.addNamespace('a');
      await lab.addNamespace('b');
      await lab.addVethPair('a', 'eth0', 'b', 'eth0');
      await lab.addAddress('a', 'eth0', '192.0.2.1/24');
      await lab.addAddress('b', 'eth0', '192.0.2.2/24');
      await lab.ip('a', ['addr', 'add', '2001:db8::1/64', 'dev', 'eth0', 'nodad']);
      await lab.ip('b', ['addr', 'add', '2001:db8::2/64', 'dev', 'eth0', 'nodad']);
      agent = await startKernelAgent(lab, 'a');
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('IPv4: a neighbour answers each echo, marked or not', async () => {
      const plain = await echo({ address: '192.0.2.2', count: 3, timeoutMs: 2000 });
      expect(plain.map((r) => r.outcome)).toEqual(['reply', 'reply', 'reply']);
      expect(plain.every((r) => typeof r.rttMs === 'number' && r.rttMs >= 0 && r.rttMs < 2000)).toBe(true);
      const marked = await echo({ address: '192.0.2.2', count: 1, timeoutMs: 2000, fwmark: 0x76720001 });
      expect(marked.map((r) => r.outcome)).toEqual(['reply']);
    });

    it('IPv4: an address nobody holds times out; one without a route is a send error', async () => {
      const silent = await echo({ address: '192.0.2.77', count: 1, timeoutMs: 300 });
      expect(silent.map((r) => r.outcome)).toEqual([expect.stringMatching(/^(timeout|unreachable)$/)]);
      const unrouted = await echo({ address: '203.0.113.9', count: 1, timeoutMs: 300 });
      expect(unrouted).toEqual([
        expect.objectContaining({ outcome: 'sendError', detail: expect.stringContaining('ENETUNREACH') }),
      ]);
    });

    it('IPv6: a neighbour answers over ICMPv6 (the kernel writes the checksum)', async () => {
      const results = await echo({ family: 6, address: '2001:db8::2', count: 2, timeoutMs: 2000 });
      expect(results.map((r) => r.outcome)).toEqual(['reply', 'reply']);
    });
  },
);
