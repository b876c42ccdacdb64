// The DNS codec of the uplink module's DNS probe: a query as on the wire, responses with and
// without compression, and hostile replies (truncated, pointer loops) that must not throw.

import { describe, expect, it } from 'vitest';
import { decodeDnsMessage, encodeDnsQuery, encodeDnsResponse, rcodeName } from '../../src/packet/dns.js';

describe('DNS codec', () => {
  it('encodes a recursive A query for one name', () => {
    const query = encodeDnsQuery({ id: 0x1234, name: 'check.example', type: 'A' });
    expect(query.toString('hex')).toBe(
      '123401000001000000000000' + '05636865636b076578616d706c6500' + '00010001',
    );
  });

  it('decodes a response with a compressed answer name, A and AAAA', () => {
    const a = encodeDnsResponse({ id: 7, name: 'check.example', type: 'A' }, ['203.0.113.20']);
    const decoded = decodeDnsMessage(a);
    expect(decoded).toEqual({
      ok: true,
      message: {
        id: 7,
        isResponse: true,
        rcode: 0,
        questions: [{ name: 'check.example', type: 1 }],
        answers: [{ name: 'check.example', type: 1, ttl: 60, address: '203.0.113.20' }],
      },
    });
    const aaaa = decodeDnsMessage(
      encodeDnsResponse({ id: 8, name: 'v6.example', type: 'AAAA' }, ['2001:db8::20']),
    );
    expect(aaaa.ok && aaaa.message.answers[0]?.address).toBe('2001:db8::20');
    const nx = decodeDnsMessage(encodeDnsResponse({ id: 9, name: 'gone.example', type: 'A' }, [], 3));
    expect(nx.ok && rcodeName(nx.message.rcode)).toBe('NXDOMAIN');
  });

  it('never throws on truncated or looping replies', () => {
    const good = encodeDnsResponse({ id: 1, name: 'a.example', type: 'A' }, ['192.0.2.1']);
    for (let length = 0; length < good.length; length++) {
      const decoded = decodeDnsMessage(good.subarray(0, length));
      expect(decoded.ok).toBe(false);
    }
    // A name that points at itself.
    const loop = Buffer.from('000181800001000000000000c00c00010001', 'hex');
    expect(decodeDnsMessage(loop)).toEqual({ ok: false, reason: 'truncated question' });
  });
});
