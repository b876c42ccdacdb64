import { describe, expect, it } from 'vitest';
import { AuthType, DropReason, type Ipv6PacketInfo, type VrrpAdvert } from '../../src/packet/types.js';
import type { InstanceExpectations } from '../../src/packet/validate.js';
import {
  validateIpv6Advert,
  type Ipv6ValidationResult,
  type ValidationContext6,
} from '../../src/packet/validate6.js';
import { encodeAdvert6 } from '../../src/packet/vrrp.js';
import { loadFixture, type Ipv6AdvertFixture } from './keepalived-fixtures.js';
import { splitIpv6Fixture, v2Advert, v3Advert, v3Advert6 } from './packet-builder.js';

const PEER = 'fe80::c0ff:fe00:201';
const US = 'fe80::c0ff:fe00:202';
const IFINDEX = 2;

// We are the backup of the v3-ipv6-multicast fixture's master.
const BACKUP: InstanceExpectations = {
  instanceKey: 'VI6_51',
  vrid: 51,
  version: 3,
  priority: 100,
  authType: AuthType.none,
  advertIntervalCs: 100,
  addresses: ['fe80::51', '2001:db8::254', '2001:db8::253'],
  checkUnicastSource: false,
  skipCheckAdvertAddresses: false,
};

function context(
  overrides: Partial<InstanceExpectations> = {},
  extra: Partial<ValidationContext6> = {},
): ValidationContext6 {
  const instance = { ...BACKUP, ...overrides };
  return { lookupVrid: (vrid) => (vrid === instance.vrid ? instance : undefined), ...extra };
}

function multicastInfo(overrides: Partial<Ipv6PacketInfo> = {}): Ipv6PacketInfo {
  return { source: PEER, destination: 'ff02::12', hopLimit: 255, ifindex: IFINDEX, ...overrides };
}

/** A message as the peer would send it to `info.destination`, and the info the socket reports. */
function sent(advert: VrrpAdvert, overrides: Partial<Ipv6PacketInfo> = {}): [Buffer, Ipv6PacketInfo] {
  const info = multicastInfo(overrides);
  return [encodeAdvert6(advert, info), info];
}

/** A captured fixture as our socket would report it: message, and the header facts as metadata. */
function received(fixture: Ipv6AdvertFixture): [Buffer, Ipv6PacketInfo] {
  const { header, vrrp } = splitIpv6Fixture(loadFixture(fixture));
  return [
    vrrp,
    { source: header.source, destination: header.destination, hopLimit: header.hopLimit, ifindex: IFINDEX },
  ];
}

function expectDrop(result: Ipv6ValidationResult, reason: string, detail?: RegExp): void {
  if (result.ok) throw new Error(`expected a drop (${reason}) but the advert was accepted`);
  expect(result.reason).toBe(reason);
  if (detail) expect(result.detail).toMatch(detail);
}

function expectAccepted(result: Ipv6ValidationResult): Extract<Ipv6ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('validateIpv6Advert accepts keepalived’s real IPv6 adverts', () => {
  it('v3 multicast from the link-local, with the metadata the socket reported', () => {
    const result = expectAccepted(validateIpv6Advert(...received('v3-ipv6-multicast'), context()));
    expect(result.instanceKey).toBe('VI6_51');
    expect(result.ip).toEqual({ source: PEER, destination: 'ff02::12', hopLimit: 255, ifindex: IFINDEX });
    expect(result.advert).toMatchObject({ vrid: 51, priority: 150, advertIntervalCs: 100 });
    expect(result.warnings).toEqual([]);
  });

  it('the priority-0 advert on shutdown', () => {
    const result = expectAccepted(validateIpv6Advert(...received('v3-ipv6-priority0-shutdown'), context()));
    expect(result.advert.priority).toBe(0);
  });

  it('v3 unicast with keepalived’s default hop limit 64 (it checks none for unicast, nor do we by default)', () => {
    const ctx = context({
      vrid: 53,
      addresses: ['2001:db8::254', '2001:db8:1::254', '2001:db8:2::254'],
      unicastPeers: ['2001:db8::1'],
      checkUnicastSource: true,
    });
    const [message, info] = received('v3-ipv6-unicast');
    expect(info.hopLimit).toBe(64);
    expectAccepted(validateIpv6Advert(message, info, ctx));
  });

  it('v3 unicast between link-locals with unicast_ttl 255', () => {
    const ctx = context({
      vrid: 54,
      addresses: ['2001:db8::254'],
      unicastPeers: [PEER],
      checkUnicastSource: true,
    });
    expectAccepted(validateIpv6Advert(...received('v3-ipv6-unicast-linklocal'), ctx));
  });

  it('keepalived’s VRRPv2 over IPv6 for a v2 instance', () => {
    const ctx = context({ vrid: 55, version: 2, addresses: ['2001:db8::254'] });
    const result = expectAccepted(validateIpv6Advert(...received('v2-ipv6-multicast'), ctx));
    expect(result.advert).toMatchObject({ version: 2, advertIntervalCs: 100, authType: 0 });
  });
});

describe('validateIpv6Advert drops with exactly one reason per ladder step', () => {
  it('ip_ttl: multicast needs hop limit 255', () => {
    expectDrop(
      validateIpv6Advert(...sent(v3Advert6(), { hopLimit: 254 }), context()),
      DropReason.ipTtl,
      /^hop limit 254 from fe80::c0ff:fe00:201: multicast adverts need 255$/,
    );
  });

  it('ip_ttl: unicast is unchecked by default, or needs the configured unicastHopLimitCheck', () => {
    const routed = sent(v3Advert6(), { destination: US, hopLimit: 64 });
    expectAccepted(validateIpv6Advert(...routed, context()));
    expectDrop(
      validateIpv6Advert(...routed, context({}, { unicastHopLimitCheck: 255 })),
      DropReason.ipTtl,
      /hop limit 64 .*unicast adverts need at least 255/,
    );
    expectAccepted(validateIpv6Advert(...routed, context({}, { unicastHopLimitCheck: 64 })));
    // The unicast allowance never relaxes multicast.
    expectDrop(
      validateIpv6Advert(...sent(v3Advert6(), { hopLimit: 64 }), context({}, { unicastHopLimitCheck: 0 })),
      DropReason.ipTtl,
    );
  });

  it('version: neither 2 nor 3, or not the instance’s', () => {
    const [message, info] = sent(v3Advert6());
    const bad = Buffer.from(message);
    bad[0] = 0x41;
    expectDrop(validateIpv6Advert(bad, info, context()), DropReason.version, /version 4 is not 2 or 3/);
    expectDrop(
      validateIpv6Advert(...sent(v3Advert6()), context({ version: 2 })),
      DropReason.version,
      /VRRPv3 advert from fe80::c0ff:fe00:201 for VRID 51, which runs VRRPv2/,
    );
  });

  it('length: fewer bytes than the address count needs', () => {
    const [message, info] = sent(v3Advert6());
    expectDrop(
      validateIpv6Advert(message.subarray(0, 40), info, context()),
      DropReason.length,
      /advert is 40 bytes but 3 addresses need 56/,
    );
  });

  it('checksum: a corrupted byte, or a pseudo-header that does not match (another destination)', () => {
    const [message, info] = sent(v3Advert6());
    const corrupted = Buffer.from(message);
    corrupted[2] ^= 1;
    expectDrop(
      validateIpv6Advert(corrupted, info, context()),
      DropReason.checksum,
      /checksum 0x[0-9a-f]{4} is wrong/,
    );
    expectDrop(validateIpv6Advert(message, { ...info, destination: US }, context()), DropReason.checksum);
  });

  it('type: not ADVERTISEMENT', () => {
    expectDrop(validateIpv6Advert(...sent(v3Advert6({ type: 3 })), context()), DropReason.type, /type 3/);
  });

  it('unknown_vrid', () => {
    expectDrop(
      validateIpv6Advert(...sent(v3Advert6({ vrid: 9 })), context()),
      DropReason.unknownVrid,
      /no instance for VRID 9 on this interface \(from fe80::c0ff:fe00:201\)/,
    );
  });

  it('we_are_owner', () => {
    expectDrop(validateIpv6Advert(...sent(v3Advert6()), context({ priority: 255 })), DropReason.weAreOwner);
  });

  it('auth_type and auth_password (VRRPv2 over IPv6 carries no password)', () => {
    const v2 = v2Advert({ addresses: ['2001:db8::254'], authType: AuthType.none, authData: Buffer.alloc(0) });
    const ctx = { version: 2 as const, addresses: ['2001:db8::254'] };
    expectDrop(
      validateIpv6Advert(...sent(v2), context({ ...ctx, authType: AuthType.simple, authPassword: 'x' })),
      DropReason.authType,
    );
    const withPass = v2Advert({
      addresses: ['2001:db8::254'],
      authType: AuthType.simple,
      authData: Buffer.alloc(0),
    });
    expectDrop(
      validateIpv6Advert(
        ...sent(withPass),
        context({ ...ctx, authType: AuthType.simple, authPassword: 'x' }),
      ),
      DropReason.authPassword,
      /carries no password \(VRRPv2 over IPv6 has no auth data\)/,
    );
  });

  it('advert_interval: v2 over IPv6 must match ours; v3 learns the master’s', () => {
    const v2 = v2Advert({
      addresses: ['2001:db8::254'],
      authType: AuthType.none,
      authData: Buffer.alloc(0),
      advertIntervalCs: 300,
    });
    expectDrop(
      validateIpv6Advert(...sent(v2), context({ version: 2, addresses: ['2001:db8::254'] })),
      DropReason.advertInterval,
      /advert interval 3s .* ours is 1s/,
    );
    expectAccepted(validateIpv6Advert(...sent(v3Advert6({ advertIntervalCs: 25 })), context()));
  });

  it('address_mismatch: accepted with a warning naming both lists in canonical text', () => {
    const result = expectAccepted(
      validateIpv6Advert(...sent(v3Advert({ addresses: ['2001:DB8:0::254'] })), context()),
    );
    expect(result.warnings).toEqual([DropReason.addressMismatch]);
    expect(result.warningDetails[0]).toBe(
      'advert from fe80::c0ff:fe00:201 for VRID 51 carries [2001:db8::254], ours are [fe80::51, 2001:db8::254, 2001:db8::253]',
    );
  });

  it('unicast_source: only configured peers, compared as canonical text', () => {
    const ctx = context({ unicastPeers: ['fe80::c0ff:fe00:209'], checkUnicastSource: true });
    expectDrop(
      validateIpv6Advert(...sent(v3Advert6(), { destination: US }), ctx),
      DropReason.unicastSource,
      /advert from fe80::c0ff:fe00:201 for VRID 51: not a configured unicast peer/,
    );
  });

  it('every drop after the message’s second byte names the VRID and the source', () => {
    const drops = [
      validateIpv6Advert(...sent(v3Advert6(), { hopLimit: 1 }), context()),
      validateIpv6Advert(...sent(v3Advert6({ vrid: 9 })), context()),
      validateIpv6Advert(...sent(v3Advert6()), context({ priority: 255 })),
    ];
    expect(drops.map((d) => !d.ok && [d.vrid, d.source])).toEqual([
      [51, PEER],
      [9, PEER],
      [51, PEER],
    ]);
    const tiny = validateIpv6Advert(Buffer.from([0x31]), multicastInfo(), context());
    expect(!tiny.ok && tiny.vrid).toBeUndefined();
  });
});

describe('ladder order (IPv6): the first broken rule is the one reported', () => {
  it('hop limit before a bad checksum, checksum before type and VRID', () => {
    const [message, info] = sent(v3Advert6({ type: 2, vrid: 9 }), { hopLimit: 10 });
    const corrupted = Buffer.from(message);
    corrupted[20] ^= 1;
    expectDrop(validateIpv6Advert(corrupted, info, context()), DropReason.ipTtl);
    expectDrop(validateIpv6Advert(corrupted, { ...info, hopLimit: 255 }, context()), DropReason.checksum);
    expectDrop(validateIpv6Advert(message, { ...info, hopLimit: 255 }, context()), DropReason.type);
  });
});
