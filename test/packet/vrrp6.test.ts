import { describe, expect, it } from 'vitest';
import { encodeIpv6Header, decodeIpv6Header } from '../../src/packet/ipv6.js';
import type { PseudoHeader, VrrpAdvert } from '../../src/packet/types.js';
import { advertLength, decodeAdvert6, encodeAdvert6 } from '../../src/packet/vrrp.js';
import { fixtureComments, loadFixture, type Ipv6AdvertFixture } from './keepalived-fixtures.js';
import { splitIpv6Fixture, v2Advert, v3Advert, v3Advert6 } from './packet-builder.js';

const KA_LINK_LOCAL = 'fe80::c0ff:fe00:201';
const PEER_LINK_LOCAL = 'fe80::c0ff:fe00:202';
const MULTICAST: PseudoHeader = { source: KA_LINK_LOCAL, destination: 'ff02::12' };

interface Golden6 {
  fixture: Ipv6AdvertFixture;
  pseudo: PseudoHeader;
  hopLimit: number;
  advert: VrrpAdvert;
  checksum: number;
}

// Field values read off the captured hex (each fixture's comment header says what was configured).
const GOLDEN: Golden6[] = [
  {
    fixture: 'v3-ipv6-multicast',
    pseudo: MULTICAST,
    hopLimit: 255,
    checksum: 0x1a3a,
    advert: v3Advert6(),
  },
  {
    fixture: 'v3-ipv6-priority0-shutdown',
    pseudo: MULTICAST,
    hopLimit: 255,
    checksum: 0xb03a,
    advert: v3Advert6({ priority: 0 }),
  },
  {
    fixture: 'v3-ipv6-multicast-fast',
    pseudo: MULTICAST,
    hopLimit: 255,
    checksum: 0x1786,
    advert: v3Advert({ vrid: 52, priority: 200, advertIntervalCs: 25, addresses: ['2001:db8::252'] }),
  },
  {
    // No unicast_ttl: keepalived leaves the hop limit to the kernel's default, 64.
    fixture: 'v3-ipv6-unicast',
    pseudo: { source: '2001:db8::1', destination: '2001:db8::2' },
    hopLimit: 64,
    checksum: 0x69b7,
    advert: v3Advert({
      vrid: 53,
      priority: 120,
      advertIntervalCs: 200,
      addresses: ['2001:db8::254', '2001:db8:1::254', '2001:db8:2::254'],
    }),
  },
  {
    // unicast_ttl 255 becomes an IPV6_HOPLIMIT control message; the source is the link-local.
    fixture: 'v3-ipv6-unicast-linklocal',
    pseudo: { source: KA_LINK_LOCAL, destination: PEER_LINK_LOCAL },
    hopLimit: 255,
    checksum: 0xbac8,
    advert: v3Advert({ vrid: 54, priority: 100, advertIntervalCs: 100, addresses: ['2001:db8::254'] }),
  },
  {
    // keepalived's VRRPv2 over IPv6: v2 header, no auth data, pseudo-header checksum.
    fixture: 'v2-ipv6-multicast',
    pseudo: MULTICAST,
    hopLimit: 255,
    checksum: 0x5999,
    advert: v2Advert({
      vrid: 55,
      priority: 150,
      addresses: ['2001:db8::254'],
      authType: 0,
      authData: Buffer.alloc(0),
    }),
  },
];

describe('keepalived 2.2.7 golden IPv6 adverts', () => {
  for (const { fixture, pseudo, hopLimit, advert, checksum } of GOLDEN) {
    describe(fixture, () => {
      const packet = loadFixture(fixture);
      const { header, vrrp } = splitIpv6Fixture(packet);

      it('says in its header where it was captured from', () => {
        expect(fixtureComments(fixture).join('\n')).toMatch(/Keepalived v2\.2\.7/);
      });

      it('has the IPv6 header keepalived sends: class 0xc0, VRRP, the configured hop limit', () => {
        expect(header).toMatchObject({
          trafficClass: 0xc0,
          nextHeader: 112,
          hopLimit,
          payloadLength: vrrp.length,
          ...pseudo,
        });
      });

      it('decodes to exactly the configured fields (VIPs in config order, nothing added)', () => {
        expect(vrrp.readUInt16BE(6)).toBe(checksum);
        expect(decodeAdvert6(vrrp, pseudo)).toEqual({ ok: true, value: advert });
      });

      it('re-encodes to keepalived’s bytes exactly', () => {
        expect(encodeAdvert6(advert, pseudo).toString('hex')).toBe(vrrp.toString('hex'));
      });

      it('re-encodes the whole packet but for the kernel-chosen flow label', () => {
        const body = encodeAdvert6(advert, pseudo);
        const ip = encodeIpv6Header({
          trafficClass: 0xc0,
          flowLabel: header.flowLabel,
          payloadLength: body.length,
          nextHeader: 112,
          hopLimit,
          ...pseudo,
        });
        expect(Buffer.concat([ip, body]).toString('hex')).toBe(packet.toString('hex'));
      });
    });
  }

  it('keepalived puts the configured VIPs on the wire as they are: a link-local first only if configured first', () => {
    // RFC 5798 §5.2.9 wants the first address to be the virtual router's link-local one;
    // keepalived only logs "should be link local" and sends the list as configured.
    const fast = decodeAdvert6(splitIpv6Fixture(loadFixture('v3-ipv6-multicast-fast')).vrrp, MULTICAST);
    expect(fast.ok && fast.value.addresses).toEqual(['2001:db8::252']);
    const rfcStyle = decodeAdvert6(splitIpv6Fixture(loadFixture('v3-ipv6-multicast')).vrrp, MULTICAST);
    expect(rfcStyle.ok && rfcStyle.value.addresses[0]).toBe('fe80::51');
  });

  it('the checksum covers the IPv6 pseudo-header: another source or destination fails it', () => {
    const { vrrp } = splitIpv6Fixture(loadFixture('v3-ipv6-unicast'));
    const right = { source: '2001:db8::1', destination: '2001:db8::2' };
    expect(decodeAdvert6(vrrp, right).ok).toBe(true);
    expect(decodeAdvert6(vrrp, { ...right, destination: 'ff02::12' })).toMatchObject({ reason: 'checksum' });
    expect(decodeAdvert6(vrrp, { ...right, source: '2001:db8::3' })).toMatchObject({ reason: 'checksum' });
    // Also for keepalived's v2 over IPv6 (the kernel's IPV6_CHECKSUM covers the pseudo-header).
    const v2 = splitIpv6Fixture(loadFixture('v2-ipv6-multicast')).vrrp;
    expect(decodeAdvert6(v2, { ...MULTICAST, source: PEER_LINK_LOCAL })).toMatchObject({
      reason: 'checksum',
    });
  });
});

describe('IPv6 advert codec', () => {
  it('16-byte addresses, and no auth data for v2 over IPv6', () => {
    expect(advertLength(3, 3, 'ipv6')).toBe(8 + 48);
    expect(advertLength(2, 1, 'ipv6')).toBe(8 + 16);
    expect(advertLength(2, 1, 'ipv4')).toBe(8 + 4 + 8);
  });

  it('round-trips canonical text and canonicalises what it is given', () => {
    const bytes = encodeAdvert6(v3Advert6({ addresses: ['2001:DB8:0:0::1', 'FE80::51'] }), MULTICAST);
    const decoded = decodeAdvert6(bytes, MULTICAST);
    expect(decoded.ok && decoded.value.addresses).toEqual(['2001:db8::1', 'fe80::51']);
  });

  it('drops with one reason per step, like IPv4', () => {
    const good = encodeAdvert6(v3Advert6(), MULTICAST);
    expect(decodeAdvert6(Buffer.alloc(0), MULTICAST)).toMatchObject({ reason: 'length' });
    expect(decodeAdvert6(Buffer.from([0x11]), MULTICAST)).toMatchObject({ reason: 'version' });
    expect(decodeAdvert6(good.subarray(0, good.length - 1), MULTICAST)).toMatchObject({
      reason: 'length',
      detail: 'advert is 55 bytes but 3 addresses need 56',
    });
    const corrupted = Buffer.from(good);
    corrupted[2] = 1;
    expect(decodeAdvert6(corrupted, MULTICAST)).toMatchObject({ reason: 'checksum' });
    expect(decodeAdvert6(good, { source: '192.0.2.1', destination: 'ff02::12' })).toMatchObject({
      reason: 'checksum',
      detail: expect.stringMatching(/without IP addresses/),
    });
    expect(decodeAdvert6(encodeAdvert6(v3Advert6({ type: 2 }), MULTICAST), MULTICAST)).toMatchObject({
      reason: 'type',
    });
  });

  it('refuses IPv4 text where IPv6 is needed (a programming error, so it throws)', () => {
    expect(() => encodeAdvert6(v3Advert({ addresses: ['192.0.2.254'] }), MULTICAST)).toThrow(RangeError);
    expect(() => encodeAdvert6(v3Advert6(), { source: '192.0.2.1', destination: 'ff02::12' })).toThrow(
      /not ipv6/,
    );
  });

  it('decodes the IPv6 header fields it reads', () => {
    const header = encodeIpv6Header({
      trafficClass: 0xc0,
      flowLabel: 0xfffff,
      payloadLength: 24,
      nextHeader: 112,
      hopLimit: 64,
      source: '2001:db8::1',
      destination: 'ff02::12',
    });
    expect(header.subarray(0, 8).toString('hex')).toBe('6c0fffff00187040');
    expect(decodeIpv6Header(header)).toEqual({
      ok: true,
      value: {
        trafficClass: 0xc0,
        flowLabel: 0xfffff,
        payloadLength: 24,
        nextHeader: 112,
        hopLimit: 64,
        source: '2001:db8::1',
        destination: 'ff02::12',
      },
    });
    expect(decodeIpv6Header(header.subarray(0, 39))).toMatchObject({ ok: false });
    expect(decodeIpv6Header(Buffer.alloc(40, 0x45))).toMatchObject({
      ok: false,
      detail: 'IP version 4 is not 6',
    });
    expect(() => encodeIpv6Header({ ...decodeIpv6HeaderOk(header), hopLimit: 256 })).toThrow(RangeError);
  });
});

function decodeIpv6HeaderOk(buf: Buffer) {
  const decoded = decodeIpv6Header(buf);
  if (!decoded.ok) throw new Error(decoded.detail);
  return decoded.value;
}
