import { describe, expect, it } from 'vitest';
import { finishChecksum, sumWords } from '../../src/packet/checksum.js';
import { pseudoHeaderSum6 } from '../../src/packet/pseudo-header.js';
import {
  decodeNeighborAdvertFrame,
  encodeNeighborAdvertFrame,
  encodeUnsolicitedNeighborAdvert,
  ipv6MulticastMac,
  NEIGHBOR_ADVERT_FRAME_LENGTH,
  unsolicitedNeighborAdvert,
} from '../../src/packet/neighbor-advert.js';
import { fixtureComments, loadFixture } from './keepalived-fixtures.js';

const KA_MAC = '02:00:c0:00:02:01';

describe('keepalived 2.2.7 golden unsolicited Neighbor Advertisements', () => {
  it('says where it was captured from', () => {
    expect(fixtureComments('ipv6-na').join('\n')).toMatch(/Keepalived v2\.2\.7/);
    expect(fixtureComments('ipv6-na-router').join('\n')).toMatch(/forwarding=1/);
  });

  it('without IPv6 forwarding: Override only, byte for byte', () => {
    const captured = loadFixture('ipv6-na');
    expect(encodeUnsolicitedNeighborAdvert(KA_MAC, '2001:db8::252', false).toString('hex')).toBe(
      captured.toString('hex'),
    );
  });

  it('with IPv6 forwarding on the interface: Router and Override, byte for byte', () => {
    const captured = loadFixture('ipv6-na-router');
    expect(encodeUnsolicitedNeighborAdvert(KA_MAC, '2001:db8::254', true).toString('hex')).toBe(
      captured.toString('hex'),
    );
  });

  it('decodes to the fields keepalived sets: from the VIP to ff02::1, hop limit 255, target MAC option', () => {
    expect(decodeNeighborAdvertFrame(loadFixture('ipv6-na-router'))).toEqual({
      ok: true,
      value: {
        destinationMac: '33:33:00:00:00:01',
        sourceMac: KA_MAC,
        source: '2001:db8::254',
        destination: 'ff02::1',
        hopLimit: 255,
        router: true,
        solicited: false,
        override: true,
        target: '2001:db8::254',
        targetLinkAddress: KA_MAC,
      },
    });
    expect(loadFixture('ipv6-na').length).toBe(NEIGHBOR_ADVERT_FRAME_LENGTH);
  });
});

describe('Neighbor Advertisement frames', () => {
  it('maps IPv6 multicast groups to 33:33 MACs (RFC 2464 §7)', () => {
    expect(ipv6MulticastMac('ff02::1')).toBe('33:33:00:00:00:01');
    expect(ipv6MulticastMac('ff02::1:ff00:254')).toBe('33:33:ff:00:02:54');
    expect(() => ipv6MulticastMac('2001:db8::1')).toThrow(RangeError);
  });

  it('round-trips any combination of flags, with and without the option', () => {
    const base = unsolicitedNeighborAdvert(KA_MAC, 'fe80::51', true);
    for (const solicited of [false, true]) {
      for (const targetLinkAddress of [KA_MAC, null]) {
        const na = { ...base, solicited, override: !solicited, targetLinkAddress };
        expect(decodeNeighborAdvertFrame(encodeNeighborAdvertFrame(na))).toEqual({ ok: true, value: na });
      }
    }
  });

  it('rejects what a receiver would: bad checksum, wrong type, truncation, zero-length options', () => {
    const good = encodeUnsolicitedNeighborAdvert(KA_MAC, '2001:db8::254', false);
    const edit = (offset: number, value: number): Buffer => {
      const copy = Buffer.from(good);
      copy[offset] = value;
      return copy;
    };
    expect(decodeNeighborAdvertFrame(edit(60, 0xff))).toMatchObject({ ok: false, detail: /checksum/ });
    expect(decodeNeighborAdvertFrame(edit(54, 135))).toMatchObject({ ok: false, detail: /not a Neighbor/ });
    expect(decodeNeighborAdvertFrame(edit(12, 0x08))).toMatchObject({ ok: false, detail: /not IPv6/ });
    expect(decodeNeighborAdvertFrame(edit(20, 17))).toMatchObject({ ok: false, detail: /not ICMPv6/ });
    expect(decodeNeighborAdvertFrame(good.subarray(0, 80))).toMatchObject({ ok: false, detail: /truncated/ });
    expect(decodeNeighborAdvertFrame(good.subarray(0, 10))).toMatchObject({ ok: false });
    // An option of length 0 would loop a parser forever: refused even with a valid checksum.
    const zeroOption = Buffer.from(good);
    zeroOption[79] = 0;
    const icmp = zeroOption.subarray(54);
    icmp.writeUInt16BE(0, 2);
    const pseudo = pseudoHeaderSum6({ source: '2001:db8::254', destination: 'ff02::1' }, 58, icmp.length)!;
    icmp.writeUInt16BE(finishChecksum(sumWords(icmp, pseudo)), 2);
    expect(decodeNeighborAdvertFrame(zeroOption)).toMatchObject({
      ok: false,
      detail: /option with a bad length/,
    });
  });
});
