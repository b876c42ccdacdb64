import { SocketAddress } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIpv6,
  ipv6FromBytes,
  ipv6ToBytes,
  isIpv6,
  isLinkLocalIpv6,
  isLinkScopeMulticastIpv6,
  isMulticastIpv6,
  parseIpv6,
} from '../../src/packet/address6.js';

const hex = (text: string): string => Buffer.from(parseIpv6(text) ?? []).toString('hex');

describe('parseIpv6', () => {
  it('reads every RFC 4291 §2.2 text form', () => {
    expect(hex('2001:db8:0:0:0:0:0:1')).toBe('20010db8000000000000000000000001');
    expect(hex('2001:DB8::1')).toBe('20010db8000000000000000000000001');
    expect(hex('::')).toBe('0'.repeat(32));
    expect(hex('::1')).toBe('0'.repeat(30) + '01');
    expect(hex('fe80::')).toBe('fe80' + '0'.repeat(28));
    expect(hex('ff02::12')).toBe('ff02' + '0'.repeat(26) + '12');
    expect(hex('::ffff:192.0.2.1')).toBe('00000000000000000000ffffc0000201');
    expect(hex('64:ff9b::192.0.2.33')).toBe('0064ff9b0000000000000000c0000221');
    expect(hex('1:2:3:4:5:6:192.0.2.1')).toBe('000100020003000400050006c0000201');
  });

  it('rejects what inet_pton rejects, and zones', () => {
    for (const bad of [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7::8',
      '12345::1',
      'g::1',
      ':1::',
      '1::2:',
      'fe80::1%eth0',
      '::ffff:192.0.2.256',
      '::ffff:192.0.02.1',
      '::192.0.2',
      '192.0.2.1',
      '192.0.2.1::',
      ' ::1',
    ]) {
      expect(parseIpv6(bad), bad).toBeNull();
      expect(isIpv6(bad), bad).toBe(false);
    }
    expect(() => ipv6ToBytes('2001:db8::g')).toThrow(RangeError);
  });
});

describe('canonical text (RFC 5952, as inet_ntop writes it)', () => {
  it('lower case, no leading zeros, the longest zero run shortened, the first on a tie', () => {
    expect(canonicalIpv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIpv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpv6('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonicalIpv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalIpv6('FE80:0:0:0:C0FF:FE00:201:0')).toBe('fe80::c0ff:fe00:201:0');
    expect(canonicalIpv6('2001:db8::')).toBe('2001:db8::');
    expect(canonicalIpv6('::ffff:c000:201')).toBe('::ffff:192.0.2.1');
    expect(canonicalIpv6('not an address')).toBeNull();
  });

  it('matches the C library formatter byte for byte on random addresses', () => {
    // Node's SocketAddress formats with libuv's inet_ntop, the same ISC algorithm as glibc's,
    // which the native socket uses for the addresses it reports.
    const words = fc.array(
      fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })),
      {
        minLength: 8,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(words, (w) => {
        const full = w.map((x) => x.toString(16)).join(':');
        const bytes = Buffer.alloc(16);
        w.forEach((x, i) => bytes.writeUInt16BE(x, 2 * i));
        const expected = new SocketAddress({ address: full, family: 'ipv6' }).address;
        expect(ipv6FromBytes(bytes)).toBe(expected);
        expect(canonicalIpv6(full)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads at an offset, and refuses to read past the end', () => {
    const buf = Buffer.concat([Buffer.from([9, 9]), ipv6ToBytes('2001:db8::254')]);
    expect(ipv6FromBytes(buf, 2)).toBe('2001:db8::254');
    expect(() => ipv6FromBytes(buf, 3)).toThrow(RangeError);
  });
});

describe('address classes', () => {
  it('link-local is fe80::/10', () => {
    expect(isLinkLocalIpv6('fe80::c0ff:fe00:201')).toBe(true);
    expect(isLinkLocalIpv6('FEBF::1')).toBe(true);
    expect(isLinkLocalIpv6('fec0::1')).toBe(false);
    expect(isLinkLocalIpv6('2001:db8::1')).toBe(false);
    expect(isLinkLocalIpv6('fe80::1%eth0')).toBe(false);
  });

  it('multicast is ff00::/8; link scope is ffX2::', () => {
    expect(isMulticastIpv6('ff02::12')).toBe(true);
    expect(isMulticastIpv6('ff05::1')).toBe(true);
    expect(isMulticastIpv6('fe80::1')).toBe(false);
    expect(isLinkScopeMulticastIpv6('ff02::12')).toBe(true);
    expect(isLinkScopeMulticastIpv6('ff12::1')).toBe(true);
    expect(isLinkScopeMulticastIpv6('ff05::12')).toBe(false);
  });
});
