// auth_type AH against keepalived's own packets (test/fixtures/keepalived/v2-ah-*.hex): the codec
// rebuilds them byte for byte, verifies their ICV, and the ladder accepts them for an AH instance
// and drops every kind of forgery with its own reason.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import {
  AH_HEADER_LENGTH,
  ahIcvMatches,
  ahKey,
  ahVrrpAuthData,
  computeAhIcv,
  encodeAhPacket,
  IPSEC_AH_PROTOCOL,
  readAhHeader,
} from '../../src/packet/ipsec-ah.js';
import { AuthType, DropReason } from '../../src/packet/types.js';
import {
  validatePacket,
  type InstanceExpectations,
  type ValidationContext,
  type ValidationResult,
} from '../../src/packet/validate.js';
import { encodeAdvert } from '../../src/packet/vrrp.js';
import { loadFixture } from './keepalived-fixtures.js';

const IP = 20;

// keepalived's instance in the fixtures: VRID 51, priority 150, 1 s, VIP 192.0.2.254, secret1.
function keepalivedVrrpPart(priority = 150): Buffer {
  return encodeAdvert({
    version: 2,
    type: 1,
    vrid: 51,
    priority,
    advertIntervalCs: 100,
    addresses: ['192.0.2.254'],
    authType: AuthType.ah,
    authData: ahVrrpAuthData(),
  });
}

/** We are the backup 192.0.2.2 of that pair, configured with AH. */
const BACKUP: InstanceExpectations = {
  instanceKey: 'VI_51',
  vrid: 51,
  version: 2,
  priority: 100,
  authType: AuthType.ah,
  authPassword: 'secret1',
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  checkUnicastSource: false,
  skipCheckAdvertAddresses: false,
};

function context(overrides: Partial<InstanceExpectations> = {}, floor = 0): ValidationContext {
  const instance = { ...BACKUP, ...overrides };
  return {
    lookupVrid: (vrid) => (vrid === instance.vrid ? instance : undefined),
    ahSequenceFloor: (key) => (key === instance.instanceKey ? floor : 0),
  };
}
const UNICAST = { unicastPeers: ['192.0.2.1'] };

function expectDrop(result: ValidationResult, reason: string, detail?: RegExp): void {
  if (result.ok) throw new Error(`expected a drop (${reason}) but the advert was accepted`);
  expect(result.reason).toBe(reason);
  if (detail) expect(result.detail).toMatch(detail);
}

/** Rewrites the ICV after a change, so a test isolates the one rule it breaks. */
function reauthenticated(packet: Buffer, unicast: boolean, password = 'secret1'): Buffer {
  const copy = Buffer.from(packet);
  computeAhIcv(copy, IP, ahKey(password), unicast).copy(copy, IP + 12);
  return copy;
}

/** Changes IP header bytes and fixes the header checksum (so only the AH can object). */
function withIpHeader(packet: Buffer, change: (header: Buffer) => void): Buffer {
  const copy = Buffer.from(packet);
  change(copy);
  copy.writeUInt16BE(0, 10);
  copy.writeUInt16BE(internetChecksum(copy.subarray(0, IP)), 10);
  return copy;
}

describe('the AH header keepalived sends', () => {
  it('reads as next header VRRP, length 4, SPI = source, sequence 1 then 2', () => {
    for (const [name, sequence] of [
      ['v2-ah-multicast', 1],
      ['v2-ah-multicast-second', 2],
      ['v2-ah-unicast', 1],
    ] as const) {
      const packet = loadFixture(name);
      expect(packet[9]).toBe(IPSEC_AH_PROTOCOL);
      const read = readAhHeader(packet.subarray(IP));
      if (!read.ok) throw new Error(read.detail);
      expect(read.value.header).toMatchObject({
        nextHeader: 112,
        payloadLength: 4,
        spi: '192.0.2.1',
        sequence,
      });
      expect(read.value.vrrp.equals(keepalivedVrrpPart())).toBe(true);
    }
  });

  it('carries the HMAC-MD5-96 of the 8-byte key; unicast adverts hash TTL 0, multicast ones TTL 255', () => {
    const key = ahKey('secret1');
    expect(ahIcvMatches(loadFixture('v2-ah-multicast'), IP, key, false)).toBe(true);
    expect(ahIcvMatches(loadFixture('v2-ah-multicast-second'), IP, key, false)).toBe(true);
    expect(ahIcvMatches(loadFixture('v2-ah-unicast'), IP, key, true)).toBe(true);
    expect(ahIcvMatches(loadFixture('v2-ah-unicast'), IP, key, false)).toBe(false);
    expect(ahIcvMatches(loadFixture('v2-ah-multicast'), IP, key, true)).toBe(false);
    expect(ahIcvMatches(loadFixture('v2-ah-multicast'), IP, ahKey('secret2'), false)).toBe(false);
  });

  it('uses only the first 8 password bytes as the key, as keepalived truncates auth_pass', () => {
    expect(ahKey('secret1')).toEqual(Buffer.from('secret1\0'));
    expect(ahKey('secret1234')).toEqual(Buffer.from('secret12'));
    expect(ahIcvMatches(loadFixture('v2-ah-multicast'), IP, ahKey('secret1\0ignored'), false)).toBe(true);
  });

  it('leaves TOS, fragment field and checksum out of the ICV (and the TTL when unicast), but not the id', () => {
    const key = ahKey('secret1');
    const multicast = loadFixture('v2-ah-multicast');
    const unicast = loadFixture('v2-ah-unicast');
    const tos = withIpHeader(multicast, (h) => (h[1] = 0x00));
    const fragment = withIpHeader(multicast, (h) => h.writeUInt16BE(0x4000, 6));
    expect(ahIcvMatches(tos, IP, key, false)).toBe(true);
    expect(ahIcvMatches(fragment, IP, key, false)).toBe(true);
    expect(
      ahIcvMatches(
        withIpHeader(unicast, (h) => (h[8] = 62)),
        IP,
        key,
        true,
      ),
    ).toBe(true);
    expect(
      ahIcvMatches(
        withIpHeader(multicast, (h) => (h[8] = 254)),
        IP,
        key,
        false,
      ),
    ).toBe(false);
    expect(
      ahIcvMatches(
        withIpHeader(multicast, (h) => h.writeUInt16BE(9, 4)),
        IP,
        key,
        false,
      ),
    ).toBe(false);
  });
});

describe('encodeAhPacket', () => {
  it('rebuilds keepalived’s multicast, second and unicast adverts byte for byte', () => {
    const common = { source: '192.0.2.1', key: ahKey('secret1'), vrrp: keepalivedVrrpPart() };
    const multicast = { ...common, destination: '224.0.0.18', unicast: false };
    expect(encodeAhPacket({ ...multicast, identification: 1, sequence: 1 })).toEqual(
      loadFixture('v2-ah-multicast'),
    );
    expect(encodeAhPacket({ ...multicast, identification: 2, sequence: 2 })).toEqual(
      loadFixture('v2-ah-multicast-second'),
    );
    expect(
      encodeAhPacket({ ...common, destination: '192.0.2.2', unicast: true, identification: 1, sequence: 1 }),
    ).toEqual(loadFixture('v2-ah-unicast'));
  });

  it('refuses an id of 0 (the kernel would pick one after the ICV is made) and an empty key', () => {
    const fields = {
      source: '192.0.2.1',
      destination: '224.0.0.18',
      unicast: false,
      sequence: 1,
      key: ahKey('x'),
      vrrp: keepalivedVrrpPart(),
    };
    expect(() => encodeAhPacket({ ...fields, identification: 0 })).toThrow(RangeError);
    expect(() => encodeAhPacket({ ...fields, identification: 1, key: Buffer.alloc(0) })).toThrow(RangeError);
    expect(() => encodeAhPacket({ ...fields, identification: 1, sequence: 2 ** 32 })).toThrow(RangeError);
  });

  it('round-trips through the ladder for any sequence, id, password and mode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 254 }),
        (sequence, identification, password, unicast, priority) => {
          const packet = encodeAhPacket({
            source: '192.0.2.1',
            destination: unicast ? '192.0.2.2' : '224.0.0.18',
            identification,
            unicast,
            sequence,
            key: ahKey(password),
            vrrp: keepalivedVrrpPart(priority),
          });
          const overrides = { authPassword: password, ...(unicast ? UNICAST : {}) };
          const result = validatePacket(packet, context(overrides, sequence - 1));
          expect(result.ok && result.ahSequence).toBe(sequence);
          expectDrop(validatePacket(packet, context(overrides, sequence)), DropReason.ahSequence);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the ladder with an AH instance', () => {
  it('accepts keepalived’s adverts and reports their sequence number', () => {
    const first = validatePacket(loadFixture('v2-ah-multicast'), context());
    if (!first.ok) throw new Error(first.detail);
    expect(first.ahSequence).toBe(1);
    expect(first.advert).toMatchObject({ vrid: 51, priority: 150, authType: AuthType.ah });
    const unicast = validatePacket(loadFixture('v2-ah-unicast'), context(UNICAST));
    expect(unicast.ok && unicast.ahSequence).toBe(1);
    const second = validatePacket(loadFixture('v2-ah-multicast-second'), context({}, 1));
    expect(second.ok && second.ahSequence).toBe(2);
  });

  it('drops a replay: a sequence number not above the instance counter', () => {
    expectDrop(
      validatePacket(loadFixture('v2-ah-multicast'), context({}, 1)),
      DropReason.ahSequence,
      /sequence number 1 from 192\.0\.2\.1 .* already seen \(ours 1\)/,
    );
  });

  it('drops another password, and a unicast advert checked as multicast, as ah_icv', () => {
    expectDrop(
      validatePacket(loadFixture('v2-ah-multicast'), context({ authPassword: 'wrong' })),
      DropReason.ahIcv,
    );
    expectDrop(validatePacket(loadFixture('v2-ah-unicast'), context()), DropReason.ahIcv);
  });

  it('drops a changed field the ICV covers (the advert’s priority), even with a fixed VRRP checksum', () => {
    const forged = Buffer.from(loadFixture('v2-ah-multicast'));
    const vrrp = forged.subarray(IP + AH_HEADER_LENGTH);
    vrrp[2] = 255;
    vrrp.writeUInt16BE(0, 6);
    vrrp.writeUInt16BE(internetChecksum(vrrp), 6);
    expectDrop(validatePacket(forged, context()), DropReason.ahIcv);
  });

  it('drops an SPI that is not the source address', () => {
    const forged = Buffer.from(loadFixture('v2-ah-multicast'));
    forged[IP + 7] = 9;
    expectDrop(
      validatePacket(reauthenticated(forged, false), context()),
      DropReason.ahSpi,
      /SPI 192\.0\.2\.9/,
    );
  });

  it('drops a malformed AH header: short, another next header, another length', () => {
    const packet = loadFixture('v2-ah-multicast');
    const short = withIpHeader(packet.subarray(0, IP + 10), (h) => h.writeUInt16BE(IP + 10, 2));
    expectDrop(validatePacket(short, context()), DropReason.ahHeader, /shorter than the 24-byte AH header/);
    const otherNext = Buffer.from(packet);
    otherNext[IP] = 17;
    expectDrop(validatePacket(otherNext, context()), DropReason.ahHeader, /next header 17/);
    const otherLength = Buffer.from(packet);
    otherLength[IP + 1] = 6;
    expectDrop(validatePacket(otherLength, context()), DropReason.ahHeader, /length field 6/);
  });

  it('drops AH adverts for an instance without AH, and plain adverts for an AH instance (auth_type)', () => {
    expectDrop(
      validatePacket(loadFixture('v2-ah-multicast'), context({ authType: AuthType.simple })),
      DropReason.authType,
      /AH packet from 192\.0\.2\.1 for VRID 51, which runs auth type 1/,
    );
    expectDrop(validatePacket(loadFixture('v2-unicast-pass'), context(UNICAST)), DropReason.authType);
    // The hole that check closes: a plain protocol-112 advert claiming auth type 2 (AH).
    const ip = Buffer.from(loadFixture('v2-ah-multicast').subarray(0, IP));
    const vrrp = keepalivedVrrpPart();
    const plain = withIpHeader(Buffer.concat([ip, vrrp]), (h) => {
      h[9] = 112;
      h.writeUInt16BE(IP + vrrp.length, 2);
    });
    expectDrop(validatePacket(plain, context()), DropReason.authType, /has no AH header/);
  });

  it('leaves VRIDs no instance runs to the ordinary unknown_vrid step', () => {
    expectDrop(validatePacket(loadFixture('v2-ah-multicast'), context({ vrid: 52 })), DropReason.unknownVrid);
  });

  it('still runs the ordinary steps on the unwrapped advert (interval)', () => {
    expectDrop(
      validatePacket(loadFixture('v2-ah-multicast'), context({ advertIntervalCs: 200 })),
      DropReason.advertInterval,
    );
  });
});
