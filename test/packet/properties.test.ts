// Property tests: the codecs round-trip every valid advert and never throw on arbitrary bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeArpFrame } from '../../src/packet/arp.js';
import { decodeIpv4Header, splitIpv4Packet } from '../../src/packet/ipv4.js';
import type { PseudoHeader, VrrpAdvert } from '../../src/packet/types.js';
import { validatePacket, type InstanceExpectations } from '../../src/packet/validate.js';
import { validateIpv6Advert } from '../../src/packet/validate6.js';
import { decodeAdvert, decodeAdvert6, encodeAdvert, encodeAdvert6 } from '../../src/packet/vrrp.js';
import { canonicalIpv6 } from '../../src/packet/address6.js';
import { decodeNeighborAdvertFrame } from '../../src/packet/neighbor-advert.js';
import { decodeIpv6Header } from '../../src/packet/ipv6.js';
import { craftPacket, v2Advert } from './packet-builder.js';

const RUNS = 2000;

const addresses = fc.array(fc.ipV4(), { maxLength: 20 });
const common = {
  type: fc.constant(1),
  vrid: fc.integer({ min: 1, max: 255 }),
  priority: fc.integer({ min: 0, max: 255 }),
};

const v2Adverts: fc.Arbitrary<VrrpAdvert> = fc.record({
  version: fc.constant(2 as const),
  ...common,
  advertIntervalCs: fc.integer({ min: 1, max: 255 }).map((seconds) => seconds * 100),
  addresses,
  authType: fc.integer({ min: 0, max: 255 }),
  authData: fc.uint8Array({ minLength: 8, maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
});

const v3Adverts: fc.Arbitrary<VrrpAdvert> = fc.record({
  version: fc.constant(3 as const),
  ...common,
  advertIntervalCs: fc.integer({ min: 1, max: 4095 }),
  addresses,
  authType: fc.constant(0),
  authData: fc.constant(Buffer.alloc(0)),
});

const pseudoHeaders: fc.Arbitrary<PseudoHeader> = fc.record({ source: fc.ipV4(), destination: fc.ipV4() });

/** fast-check's IPv6 text in every legal spelling, as our canonical text (what decode returns). */
const ipv6Canonical = fc.ipV6().map((text) => canonicalIpv6(text)!);
const pseudoHeaders6: fc.Arbitrary<PseudoHeader> = fc.record({
  source: ipv6Canonical,
  destination: ipv6Canonical,
});
const v3Adverts6: fc.Arbitrary<VrrpAdvert> = v3Adverts.chain((advert) =>
  fc.array(ipv6Canonical, { maxLength: 20 }).map((addresses) => ({ ...advert, addresses })),
);
/** keepalived's VRRPv2 over IPv6: no auth data. */
const v2Adverts6: fc.Arbitrary<VrrpAdvert> = v2Adverts.chain((advert) =>
  fc
    .array(ipv6Canonical, { maxLength: 20 })
    .map((addresses) => ({ ...advert, addresses, authData: Buffer.alloc(0) })),
);

const anyBytes = fc.uint8Array({ maxLength: 128 }).map((bytes) => Buffer.from(bytes));

const INSTANCE: InstanceExpectations = {
  instanceKey: 'prop',
  vrid: 51,
  version: 2,
  priority: 100,
  authType: 1,
  authPassword: 'secret1',
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  unicastPeers: ['192.0.2.1'],
  checkUnicastSource: true,
  skipCheckAdvertAddresses: false,
};

describe('codec properties', () => {
  it('decode(encode(advert)) == advert for random valid v2 and v3 adverts', () => {
    fc.assert(
      fc.property(fc.oneof(v2Adverts, v3Adverts), pseudoHeaders, (advert, pseudo) => {
        expect(decodeAdvert(encodeAdvert(advert, pseudo), pseudo)).toEqual({ ok: true, value: advert });
      }),
      { numRuns: RUNS },
    );
  });

  it('IPv6: decodeAdvert6(encodeAdvert6(advert)) == advert for random v2 and v3 adverts', () => {
    fc.assert(
      fc.property(fc.oneof(v2Adverts6, v3Adverts6), pseudoHeaders6, (advert, pseudo) => {
        expect(decodeAdvert6(encodeAdvert6(advert, pseudo), pseudo)).toEqual({ ok: true, value: advert });
      }),
      { numRuns: RUNS },
    );
  });

  it('any single-bit error outside the address count is caught', () => {
    // Over the same checksummed span a one's-complement sum always detects one flipped bit, so
    // only the bits that change the span itself (address count, version) are left out.
    fc.assert(
      fc.property(
        fc.oneof(v2Adverts, v3Adverts),
        pseudoHeaders,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (advert, pseudo, position, bit) => {
          const bytes = encodeAdvert(advert, pseudo);
          const candidates = [...bytes.keys()].filter((i) => i !== 3);
          const index = candidates[position % candidates.length]!;
          // Bit 4 of byte 0 turns v2 into v3 (or back), which also changes what is checksummed.
          bytes[index]! ^= 1 << (index === 0 && bit === 4 ? 0 : bit);
          expect(decodeAdvert(bytes, pseudo).ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('decoders never throw on random bytes', () => {
    fc.assert(
      fc.property(anyBytes, fc.option(pseudoHeaders, { nil: undefined }), (bytes, pseudo) => {
        const results = [
          decodeAdvert(bytes, pseudo),
          decodeIpv4Header(bytes),
          splitIpv4Packet(bytes),
          decodeArpFrame(bytes),
          decodeAdvert6(bytes, { source: 'fe80::1', destination: 'ff02::12' }),
          decodeNeighborAdvertFrame(bytes),
          decodeIpv6Header(bytes),
        ];
        for (const result of results) expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });

  it('validatePacket never throws and always names a known reason, on random or damaged packets', () => {
    const good = craftPacket(v2Advert());
    const damaged = fc
      .tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: good.length }))
      .map(([index, value, cut]) => {
        const copy = Buffer.from(good);
        copy[index] = value;
        return copy.subarray(0, Math.max(cut, index + 1));
      });
    const reasons = new Set([
      'ip_header',
      'ip_ttl',
      'version',
      'length',
      'checksum',
      'type',
      'unknown_vrid',
      'we_are_owner',
      'auth_type',
      'auth_password',
      'advert_interval',
      'address_mismatch',
      'unicast_source',
    ]);
    const lookupVrid = (vrid: number) => (vrid === 51 ? INSTANCE : undefined);
    const info = { source: 'fe80::1', destination: 'ff02::12', hopLimit: 255, ifindex: 2 };
    fc.assert(
      fc.property(fc.oneof(anyBytes, damaged), (bytes) => {
        for (const result of [
          validatePacket(bytes, { lookupVrid }),
          validateIpv6Advert(bytes.subarray(Math.min(20, bytes.length)), info, { lookupVrid }),
        ]) {
          if (!result.ok) {
            expect(reasons.has(result.reason)).toBe(true);
            expect(result.detail.length).toBeGreaterThan(0);
          } else {
            expect(result.instanceKey).toBe('prop');
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
