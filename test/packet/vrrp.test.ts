import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import { AuthType, type PseudoHeader, type VrrpAdvert } from '../../src/packet/types.js';
import { decodeAdvert, encodeAdvert, simpleAuthData } from '../../src/packet/vrrp.js';
import { fixtureComments, loadFixture, type Ipv4AdvertFixture } from './keepalived-fixtures.js';
import { v2Advert, v3Advert } from './packet-builder.js';

const UNICAST: PseudoHeader = { source: '192.0.2.1', destination: '192.0.2.2' };
const MULTICAST: PseudoHeader = { source: '192.0.2.1', destination: '224.0.0.18' };
const SECRET1 = Buffer.from('secret1\0', 'latin1');

interface Golden {
  fixture: Ipv4AdvertFixture;
  pseudo: PseudoHeader;
  advert: VrrpAdvert;
  /** The VRRP checksum keepalived put on the wire. */
  checksum: number;
}

// Field values read off the captured hex by hand (see each fixture's comment header).
const GOLDEN: Golden[] = [
  {
    fixture: 'v2-unicast-pass',
    pseudo: UNICAST,
    checksum: 0x177f,
    advert: v2Advert({ priority: 150, authType: AuthType.simple, authData: SECRET1 }),
  },
  {
    fixture: 'v2-priority0-shutdown',
    pseudo: UNICAST,
    checksum: 0xad7f,
    advert: v2Advert({ priority: 0, authType: AuthType.simple, authData: SECRET1 }),
  },
  {
    fixture: 'v2-multicast-noauth',
    pseudo: MULTICAST,
    checksum: 0xc2cc,
    advert: v2Advert({
      addresses: ['192.0.2.254', '192.0.2.253'],
      authType: AuthType.none,
      authData: Buffer.alloc(8),
    }),
  },
  { fixture: 'v3-multicast', pseudo: MULTICAST, checksum: 0xd2d7, advert: v3Advert() },
  { fixture: 'v3-unicast', pseudo: UNICAST, checksum: 0xf0e7, advert: v3Advert() },
];

describe('keepalived 2.2.7 golden adverts', () => {
  for (const { fixture, pseudo, advert, checksum } of GOLDEN) {
    describe(fixture, () => {
      const packet = loadFixture(fixture);
      const vrrp = packet.subarray(20);

      it('says in its header where it was captured from', () => {
        expect(fixtureComments(fixture).join('\n')).toMatch(/Keepalived v2\.2\.7/);
      });

      it('decodes to exactly the configured fields', () => {
        expect(vrrp.readUInt16BE(6)).toBe(checksum);
        expect(decodeAdvert(vrrp, pseudo)).toEqual({ ok: true, value: advert });
      });

      it('re-encodes to keepalived’s bytes exactly', () => {
        expect(encodeAdvert(advert, pseudo).toString('hex')).toBe(vrrp.toString('hex'));
      });

      it('re-encodes the whole IP packet exactly (IP header + advert)', () => {
        const body = encodeAdvert(advert, pseudo);
        const header = encodeIpv4Header({
          ...pseudo,
          ttl: 255,
          tos: 0xc0,
          protocol: 112,
          payloadLength: body.length,
          identification: packet.readUInt16BE(4),
        });
        expect(Buffer.concat([header, body]).toString('hex')).toBe(packet.toString('hex'));
      });
    });
  }

  it('v3 unicast checksums over the unicast destination, not the multicast group', () => {
    // keepalived ≥ 1.3.6 (see its old_unicast_checksum option); the RFC 5798 §5.2.8 pseudo-header.
    const vrrp = loadFixture('v3-unicast').subarray(20);
    expect(decodeAdvert(vrrp, UNICAST).ok).toBe(true);
    expect(decodeAdvert(vrrp, MULTICAST)).toMatchObject({ ok: false, reason: 'checksum' });
  });

  it('v2 checksums ignore the IP addresses (no pseudo-header, RFC 3768 §5.3.8)', () => {
    const vrrp = loadFixture('v2-unicast-pass').subarray(20);
    expect(decodeAdvert(vrrp).ok).toBe(true);
    expect(decodeAdvert(vrrp, { source: '203.0.113.1', destination: '203.0.113.2' }).ok).toBe(true);
  });
});

describe('decodeAdvert rejects, one reason per step', () => {
  const good = encodeAdvert(v2Advert());
  const edited = (edit: (b: Buffer) => void, fixChecksum = false): Buffer => {
    const copy = Buffer.from(good);
    edit(copy);
    if (fixChecksum) {
      copy.writeUInt16BE(0, 6);
      copy.writeUInt16BE(internetChecksum(copy), 6);
    }
    return copy;
  };

  it('length: empty, or shorter than the 8-byte header', () => {
    expect(decodeAdvert(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'length' });
    expect(decodeAdvert(good.subarray(0, 7))).toMatchObject({
      ok: false,
      reason: 'length',
      detail: 'advert is 7 bytes, shorter than the 8-byte header',
    });
  });

  it('version: neither 2 nor 3 — checked before the length, as RFC 3768 §7.1 orders them', () => {
    expect(decodeAdvert(Buffer.from([0x11]))).toEqual({
      ok: false,
      reason: 'version',
      detail: 'VRRP version 1 is not 2 or 3',
    });
    expect(decodeAdvert(edited((b) => (b[0] = 0x41)))).toMatchObject({ reason: 'version' });
  });

  it('length: fewer bytes than the address count and auth data need', () => {
    expect(decodeAdvert(good.subarray(0, good.length - 1))).toMatchObject({
      reason: 'length',
      detail: 'advert is 19 bytes but 1 addresses need 20',
    });
    expect(decodeAdvert(edited((b) => (b[3] = 2)))).toMatchObject({ reason: 'length' });
  });

  it('checksum: any corrupted byte', () => {
    expect(decodeAdvert(edited((b) => (b[2] = 151)))).toEqual({
      ok: false,
      reason: 'checksum',
      detail: 'checksum 0x177f is wrong',
    });
  });

  it('checksum: v3 without the IP addresses cannot be checked', () => {
    const v3 = encodeAdvert(v3Advert(), MULTICAST);
    expect(decodeAdvert(v3)).toMatchObject({
      reason: 'checksum',
      detail: expect.stringMatching(/without IP/),
    });
    expect(decodeAdvert(v3, { source: 'bad', destination: '224.0.0.18' })).toMatchObject({
      reason: 'checksum',
    });
  });

  it('type: anything but ADVERTISEMENT (1), even with a valid checksum', () => {
    expect(decodeAdvert(encodeAdvert(v2Advert({ type: 2 })))).toEqual({
      ok: false,
      reason: 'type',
      detail: 'VRRP type 2 is not ADVERTISEMENT (1)',
    });
  });
});

describe('decodeAdvert tolerance', () => {
  it('ignores bytes after the declared advert', () => {
    const padded = Buffer.concat([encodeAdvert(v2Advert()), Buffer.from([0xaa, 0xbb])]);
    expect(decodeAdvert(padded)).toEqual({ ok: true, value: v2Advert() });
  });

  it('ignores the v3 reserved bits above the 12-bit interval (RFC 5798 §5.2.6)', () => {
    const v3 = encodeAdvert(v3Advert({ advertIntervalCs: 4095 }), MULTICAST);
    v3[4] |= 0xf0; // set rsvd, then repair the checksum arithmetic: +0xf000 in that word
    const old = v3.readUInt16BE(6);
    let repaired = (~old & 0xffff) + 0xf000;
    repaired = (repaired & 0xffff) + (repaired >>> 16);
    v3.writeUInt16BE(~repaired & 0xffff, 6);
    expect(decodeAdvert(v3, MULTICAST)).toEqual({ ok: true, value: v3Advert({ advertIntervalCs: 4095 }) });
  });

  it('copies the auth data out of the receive buffer', () => {
    const buf = encodeAdvert(v2Advert());
    const result = decodeAdvert(buf);
    buf.fill(0);
    expect(result.ok && result.value.authData.toString('latin1')).toBe('secret1\0');
  });
});

describe('encodeAdvert', () => {
  it('writes v2 intervals as whole seconds, rounding centiseconds', () => {
    expect(encodeAdvert(v2Advert({ advertIntervalCs: 300 }))[5]).toBe(3);
    expect(encodeAdvert(v2Advert({ advertIntervalCs: 149 }))[5]).toBe(1);
    expect(encodeAdvert(v2Advert({ advertIntervalCs: 150 }))[5]).toBe(2);
  });

  it('writes v3 intervals as 12-bit centiseconds', () => {
    expect(encodeAdvert(v3Advert({ advertIntervalCs: 50 }), MULTICAST).readUInt16BE(4)).toBe(50);
    expect(encodeAdvert(v3Advert({ advertIntervalCs: 4095 }), MULTICAST).readUInt16BE(4)).toBe(4095);
  });

  it('pads short auth data with zeros and never writes more than eight bytes', () => {
    const short = encodeAdvert(v2Advert({ authData: Buffer.from('ab') }));
    expect(short.subarray(12).toString('hex')).toBe('6162000000000000');
    const long = encodeAdvert(v2Advert({ authData: Buffer.from('0123456789') }));
    expect(long.length).toBe(20);
    expect(long.subarray(12).toString('latin1')).toBe('01234567');
  });

  it('throws RangeError on values no valid config produces', () => {
    expect(() => encodeAdvert(v2Advert({ vrid: 0 }))).toThrow(/VRID 0/);
    expect(() => encodeAdvert(v2Advert({ vrid: 256 }))).toThrow(RangeError);
    expect(() => encodeAdvert(v2Advert({ priority: 256 }))).toThrow(RangeError);
    expect(() => encodeAdvert(v2Advert({ advertIntervalCs: 40 }))).toThrow(/v2 advert interval/);
    expect(() => encodeAdvert(v2Advert({ advertIntervalCs: 25600 }))).toThrow(RangeError);
    expect(() => encodeAdvert(v3Advert({ advertIntervalCs: 4096 }), MULTICAST)).toThrow(RangeError);
    expect(() => encodeAdvert(v3Advert({ advertIntervalCs: 0 }), MULTICAST)).toThrow(RangeError);
    expect(() => encodeAdvert(v3Advert())).toThrow(/pseudo|source and destination/);
    expect(() => encodeAdvert(v2Advert({ addresses: ['192.0.2.300'] }))).toThrow(RangeError);
    expect(() => encodeAdvert(v2Advert({ addresses: new Array<string>(256).fill('192.0.2.1') }))).toThrow(
      /address count/,
    );
    expect(() => encodeAdvert({ ...v2Advert(), version: 4 as 2 })).toThrow(/version 4/);
  });
});

describe('simpleAuthData (keepalived auth_pass)', () => {
  it('zero-pads to eight bytes', () => {
    expect(simpleAuthData('secret1').toString('hex')).toBe('7365637265743100');
    expect(simpleAuthData('').toString('hex')).toBe('0000000000000000');
  });

  it('truncates to eight bytes', () => {
    expect(simpleAuthData('longpassword').toString('latin1')).toBe('longpass');
  });

  it('uses the UTF-8 bytes of the config text, cut at eight bytes even mid-character', () => {
    // keepalived copies bytes, not characters: "passworö" keeps only the first byte of "ö".
    expect(simpleAuthData('passworö').toString('hex')).toBe('70617373776f72c3');
    expect(simpleAuthData('pässwört').toString('hex')).toBe('70c3a4737377c3b6');
    expect(simpleAuthData('mötley').toString('hex')).toBe('6dc3b6746c657900');
  });
});
