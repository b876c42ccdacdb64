import { describe, expect, it } from 'vitest';
import {
  ipv4FromBytes,
  ipv4ToBytes,
  ipv4ToNumber,
  isIpv4,
  isMulticastIpv4,
  parseIpv4,
} from '../../src/packet/address.js';
import { macFromBytes, macToBytes, parseMac } from '../../src/packet/mac.js';

describe('IPv4 address text', () => {
  it('parses dotted quads into octets', () => {
    expect(parseIpv4('192.0.2.254')).toEqual([192, 0, 2, 254]);
    expect(parseIpv4('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(parseIpv4('255.255.255.255')).toEqual([255, 255, 255, 255]);
  });

  it('rejects out-of-range octets, wrong shapes and leading zeros (as inet_pton does)', () => {
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.x',
      ' 1.2.3.4',
      '01.2.3.4',
      '1.2.3.004',
      '',
    ]) {
      expect(parseIpv4(bad), bad).toBeNull();
      expect(isIpv4(bad), bad).toBe(false);
    }
    expect(() => ipv4ToBytes('192.0.2')).toThrow(RangeError);
  });

  it('round-trips through bytes at an offset', () => {
    const buf = Buffer.concat([Buffer.from([9, 9]), ipv4ToBytes('198.51.100.7')]);
    expect([...buf.subarray(2)]).toEqual([198, 51, 100, 7]);
    expect(ipv4FromBytes(buf, 2)).toBe('198.51.100.7');
  });

  it('orders addresses as unsigned 32-bit numbers (RFC 3768 §6.4.3 tie-break)', () => {
    expect(ipv4ToNumber('192.0.2.1')).toBe(0xc0000201);
    expect(ipv4ToNumber('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToNumber('192.0.2.10')).toBeGreaterThan(ipv4ToNumber('192.0.2.9'));
  });

  it('recognises multicast (224.0.0.0/4)', () => {
    expect(isMulticastIpv4('224.0.0.18')).toBe(true);
    expect(isMulticastIpv4('239.255.255.255')).toBe(true);
    expect(isMulticastIpv4('223.255.255.255')).toBe(false);
    expect(isMulticastIpv4('240.0.0.1')).toBe(false);
    expect(isMulticastIpv4('nonsense')).toBe(false);
  });
});

describe('MAC address text', () => {
  it('parses either case and formats lower case', () => {
    expect(parseMac('02:00:C0:00:02:01')).toEqual([2, 0, 0xc0, 0, 2, 1]);
    expect(macFromBytes(macToBytes('02:00:C0:00:02:01'))).toBe('02:00:c0:00:02:01');
    expect(macFromBytes(Buffer.from([0, 0, 0xff, 0xab, 0xcd, 0xef, 1, 2]), 2)).toBe('ff:ab:cd:ef:01:02');
  });

  it('rejects other shapes', () => {
    for (const bad of ['02:00:c0:00:02', '02-00-c0-00-02-01', '0200.c000.0201', '02:00:c0:00:02:0g', '']) {
      expect(parseMac(bad), bad).toBeNull();
    }
    expect(() => macToBytes('nope')).toThrow(RangeError);
  });
});
