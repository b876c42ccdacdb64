import { describe, expect, it } from 'vitest';
import { AuthType, DropReason } from '../../src/packet/types.js';
import {
  validatePacket,
  type InstanceExpectations,
  type ValidationContext,
  type ValidationResult,
} from '../../src/packet/validate.js';
import { simpleAuthData } from '../../src/packet/vrrp.js';
import { loadFixture } from './keepalived-fixtures.js';
import { craftPacket, fixV2Checksum, v2Advert, v3Advert } from './packet-builder.js';

// We are the backup 192.0.2.2 of the seed article's pair, matching the keepalived fixture's config.
const BACKUP: InstanceExpectations = {
  instanceKey: 'VI_51',
  vrid: 51,
  version: 2,
  priority: 100,
  authType: AuthType.simple,
  authPassword: 'secret1',
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  unicastPeers: ['192.0.2.1'],
  checkUnicastSource: true,
  skipCheckAdvertAddresses: false,
};

function context(
  overrides: Partial<InstanceExpectations> = {},
  extra: Partial<ValidationContext> = {},
): ValidationContext {
  const instance = { ...BACKUP, ...overrides };
  return { lookupVrid: (vrid) => (vrid === instance.vrid ? instance : undefined), ...extra };
}

function expectDrop(result: ValidationResult, reason: string, detail?: RegExp): void {
  if (result.ok) throw new Error(`expected a drop (${reason}) but the advert was accepted`);
  expect(result.reason).toBe(reason);
  if (detail) expect(result.detail).toMatch(detail);
}

function expectAccepted(result: ValidationResult): Extract<ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('validatePacket accepts keepalived’s real adverts', () => {
  it('v2 unicast with PASS auth', () => {
    const result = expectAccepted(validatePacket(loadFixture('v2-unicast-pass'), context()));
    expect(result.instanceKey).toBe('VI_51');
    expect(result.ip).toMatchObject({ source: '192.0.2.1', destination: '192.0.2.2', ttl: 255 });
    expect(result.advert).toMatchObject({ vrid: 51, priority: 150, advertIntervalCs: 100 });
    expect(result.warnings).toEqual([]);
  });

  it('v2 priority 0 on shutdown (the state machine acts on it, the ladder passes it)', () => {
    const result = expectAccepted(validatePacket(loadFixture('v2-priority0-shutdown'), context()));
    expect(result.advert.priority).toBe(0);
  });

  it('v2 multicast without auth', () => {
    const ctx = context({
      authType: AuthType.none,
      authPassword: undefined,
      unicastPeers: undefined,
      addresses: ['192.0.2.253', '192.0.2.254'], // order differs from the advert: still the same set
    });
    const result = expectAccepted(validatePacket(loadFixture('v2-multicast-noauth'), ctx));
    expect(result.warnings).toEqual([]);
  });

  it('v3 multicast and unicast (pseudo-header checksums)', () => {
    const ctx = context({ version: 3, authType: AuthType.none, authPassword: undefined });
    expectAccepted(validatePacket(loadFixture('v3-multicast'), ctx));
    expectAccepted(validatePacket(loadFixture('v3-unicast'), ctx));
  });
});

describe('validatePacket drops with exactly one reason per ladder step', () => {
  it('ip_header: unreadable IP header, and protocol other than 112', () => {
    expectDrop(validatePacket(Buffer.alloc(10), context()), DropReason.ipHeader, /10 bytes/);
    const udp = craftPacket(v2Advert(), { protocol: 17 });
    const result = validatePacket(udp, context());
    expectDrop(result, DropReason.ipHeader, /IP protocol 17 from 192\.0\.2\.1 is not VRRP/);
    expect(!result.ok && result.source).toBe('192.0.2.1');
  });

  it('length: IP packet shorter than its total length', () => {
    const packet = loadFixture('v2-unicast-pass');
    expectDrop(validatePacket(packet.subarray(0, 35), context()), DropReason.length, /truncated/);
  });

  it('ip_ttl: multicast needs 255', () => {
    const packet = craftPacket(v2Advert(), { destination: '224.0.0.18', ttl: 254 });
    expectDrop(
      validatePacket(packet, context()),
      DropReason.ipTtl,
      /^TTL 254 from 192\.0\.2\.1: multicast adverts need 255$/,
    );
  });

  it('ip_ttl: unicast needs 255 by default, or the configured unicastTtlCheck minimum', () => {
    const routed = craftPacket(v2Advert(), { ttl: 64 });
    expectDrop(validatePacket(routed, context()), DropReason.ipTtl, /unicast adverts need at least 255/);
    expectAccepted(validatePacket(routed, context({}, { unicastTtlCheck: 64 })));
    expectDrop(validatePacket(routed, context({}, { unicastTtlCheck: 65 })), DropReason.ipTtl);
    expectAccepted(validatePacket(craftPacket(v2Advert(), { ttl: 1 }), context({}, { unicastTtlCheck: 0 })));
    // The unicast allowance never relaxes multicast.
    const multicast = craftPacket(v2Advert(), { destination: '224.0.0.18', ttl: 64 });
    expectDrop(validatePacket(multicast, context({}, { unicastTtlCheck: 0 })), DropReason.ipTtl);
  });

  it('version: VRRP version not 2 or 3', () => {
    const packet = craftPacket(v2Advert());
    packet[20] = 0x41;
    expectDrop(
      validatePacket(packet, context()),
      DropReason.version,
      /version 4 is not 2 or 3 \(from 192\.0\.2\.1\)/,
    );
  });

  it('version: a v3 advert for an instance running v2', () => {
    expectDrop(
      validatePacket(loadFixture('v3-unicast'), context()),
      DropReason.version,
      /VRRPv3 advert from 192\.0\.2\.1 for VRID 51, which runs VRRPv2/,
    );
  });

  it('length: address count claims more than the packet holds', () => {
    const packet = craftPacket(v2Advert());
    packet[23] = 2;
    expectDrop(
      validatePacket(packet, context()),
      DropReason.length,
      /advert is 20 bytes but 2 addresses need 24/,
    );
  });

  it('checksum: corrupted advert', () => {
    const packet = Buffer.from(loadFixture('v2-unicast-pass'));
    packet[22] = 200; // priority, checksum not updated
    expectDrop(validatePacket(packet, context()), DropReason.checksum, /checksum 0x177f is wrong/);
  });

  it('checksum: v3 advert whose pseudo-header (IP destination) does not match', () => {
    // Re-wrap keepalived's unicast v3 advert for another destination with a valid IP header.
    const advert = loadFixture('v3-unicast').subarray(20);
    const rewrapped = craftPacket(v3Advert(), { destination: '192.0.2.3' });
    advert.copy(rewrapped, 20);
    const ctx = context({ version: 3, authType: AuthType.none });
    expectDrop(validatePacket(rewrapped, ctx), DropReason.checksum);
  });

  it('type: not ADVERTISEMENT', () => {
    expectDrop(validatePacket(craftPacket(v2Advert({ type: 3 })), context()), DropReason.type, /type 3/);
  });

  it('unknown_vrid: no instance for the VRID on this interface', () => {
    expectDrop(
      validatePacket(craftPacket(v2Advert({ vrid: 52 })), context()),
      DropReason.unknownVrid,
      /no instance for VRID 52 on this interface \(from 192\.0\.2\.1\)/,
    );
  });

  it('we_are_owner: our priority is 255', () => {
    expectDrop(
      validatePacket(loadFixture('v2-unicast-pass'), context({ priority: 255 })),
      DropReason.weAreOwner,
      /priority 255/,
    );
  });

  it('auth_type: PASS received, none configured (and the reverse)', () => {
    expectDrop(
      validatePacket(loadFixture('v2-unicast-pass'), context({ authType: AuthType.none })),
      DropReason.authType,
      /auth type 1 from 192\.0\.2\.1 for VRID 51, expected 0/,
    );
    const noAuth = craftPacket(v2Advert({ authType: AuthType.none, authData: Buffer.alloc(8) }));
    expectDrop(validatePacket(noAuth, context()), DropReason.authType);
  });

  it('auth_password: the eight bytes differ', () => {
    expectDrop(
      validatePacket(loadFixture('v2-unicast-pass'), context({ authPassword: 'secret2' })),
      DropReason.authPassword,
      /^auth password mismatch from 192\.0\.2\.1 for VRID 51$/,
    );
    // A prefix is not enough: keepalived pads with zeros, so "secret" != "secret1".
    expectDrop(
      validatePacket(loadFixture('v2-unicast-pass'), context({ authPassword: 'secret' })),
      DropReason.authPassword,
    );
    // Only the first eight bytes count, as keepalived truncates auth_pass.
    const long = craftPacket(v2Advert({ authData: simpleAuthData('longpassword') }));
    expectAccepted(validatePacket(long, context({ authPassword: 'longpass-and-more' })));
  });

  it('auth_password: non-ASCII passwords compare as UTF-8 bytes', () => {
    const packet = craftPacket(v2Advert({ authData: simpleAuthData('mötley') }));
    expectAccepted(validatePacket(packet, context({ authPassword: 'mötley' })));
    expectDrop(validatePacket(packet, context({ authPassword: 'mötlez' })), DropReason.authPassword);
    expectDrop(validatePacket(packet, context({ authPassword: 'motley' })), DropReason.authPassword);
  });

  it('advert_interval: v2 drops a different interval', () => {
    const packet = craftPacket(v2Advert({ advertIntervalCs: 200 }));
    expectDrop(
      validatePacket(packet, context()),
      DropReason.advertInterval,
      /advert interval 2s from 192\.0\.2\.1 for VRID 51, ours is 1s/,
    );
  });

  it('advert_interval: v3 accepts a different interval (it learns the master’s, RFC 5798 §6.4.2)', () => {
    const packet = craftPacket(v3Advert({ advertIntervalCs: 35 }));
    const result = expectAccepted(validatePacket(packet, context({ version: 3, authType: AuthType.none })));
    expect(result.advert.advertIntervalCs).toBe(35);
    expect(result.warnings).toEqual([]);
  });

  it('unicast_source: sender is not a configured peer when check_unicast_src is on', () => {
    const stranger = craftPacket(v2Advert(), { source: '192.0.2.9' });
    const result = validatePacket(stranger, context());
    expectDrop(
      result,
      DropReason.unicastSource,
      /advert from 192\.0\.2\.9 for VRID 51: not a configured unicast peer/,
    );
    expect(!result.ok && result.source).toBe('192.0.2.9');
    expectAccepted(validatePacket(stranger, context({ checkUnicastSource: false })));
    // Multicast instances have no peers to check against.
    expectAccepted(validatePacket(stranger, context({ unicastPeers: undefined })));
  });
});

describe('address list mismatch is accepted with a warning (keepalived ≥ 2.3.3)', () => {
  it('different addresses: accepted, warned with a log-ready detail', () => {
    const result = expectAccepted(
      validatePacket(loadFixture('v2-unicast-pass'), context({ addresses: ['192.0.2.253'] })),
    );
    expect(result.warnings).toEqual([DropReason.addressMismatch]);
    expect(result.warningDetails).toEqual([
      'advert from 192.0.2.1 for VRID 51 carries [192.0.2.254], ours are [192.0.2.253]',
    ]);
  });

  it('different count: accepted, warned', () => {
    const ctx = context({ addresses: ['192.0.2.254', '192.0.2.253'] });
    expect(expectAccepted(validatePacket(loadFixture('v2-unicast-pass'), ctx)).warnings).toEqual([
      'address_mismatch',
    ]);
  });

  it('skip_check_adv_addr: not compared at all', () => {
    const ctx = context({ addresses: ['192.0.2.253'], skipCheckAdvertAddresses: true });
    expect(expectAccepted(validatePacket(loadFixture('v2-unicast-pass'), ctx)).warnings).toEqual([]);
  });
});

describe('ladder order: the first broken rule is the one reported', () => {
  it('TTL before a bad checksum', () => {
    const packet = craftPacket(v2Advert(), { ttl: 10 });
    packet[22] ^= 0xff;
    expectDrop(validatePacket(packet, context()), DropReason.ipTtl);
  });

  it('checksum before type and unknown VRID', () => {
    const packet = craftPacket(v2Advert({ type: 2, vrid: 99 }));
    packet[26] ^= 1;
    expectDrop(validatePacket(packet, context()), DropReason.checksum);
  });

  it('unknown VRID before auth, owner before auth, auth type before password', () => {
    const wrongEverything = craftPacket(
      v2Advert({ vrid: 9, authType: AuthType.none, advertIntervalCs: 500 }),
    );
    expectDrop(validatePacket(wrongEverything, context()), DropReason.unknownVrid);
    const owner = craftPacket(v2Advert({ authType: AuthType.none }));
    expectDrop(validatePacket(owner, context({ priority: 255 })), DropReason.weAreOwner);
    expectDrop(validatePacket(owner, context({ authPassword: 'other' })), DropReason.authType);
  });

  it('password before interval, interval before unicast source', () => {
    const packet = craftPacket(v2Advert({ advertIntervalCs: 300, authData: simpleAuthData('nope') }), {
      source: '192.0.2.9',
    });
    expectDrop(validatePacket(packet, context()), DropReason.authPassword);
    expectDrop(validatePacket(packet, context({ authPassword: 'nope' })), DropReason.advertInterval);
    expectDrop(
      validatePacket(packet, context({ authPassword: 'nope', advertIntervalCs: 300 })),
      DropReason.unicastSource,
    );
  });

  it('a header edit repaired by fixV2Checksum reaches the later steps (sanity of the builder)', () => {
    const packet = craftPacket(v2Advert());
    packet[22] = 42; // priority
    expectAccepted(validatePacket(fixV2Checksum(packet), context()));
  });
});

describe('drops carry the VRID once the VRRP message got that far', () => {
  const vridOf = (result: ValidationResult): number | undefined => (result.ok ? undefined : result.vrid);

  it('from the TTL step on, whatever failed', () => {
    expect(vridOf(validatePacket(craftPacket(v2Advert(), { ttl: 1 }), context()))).toBe(51);
    const corrupted = craftPacket(v2Advert());
    corrupted[22] ^= 0xff;
    expect(vridOf(validatePacket(corrupted, context()))).toBe(51);
    expect(vridOf(validatePacket(craftPacket(v2Advert({ vrid: 52 })), context()))).toBe(52);
    expect(vridOf(validatePacket(loadFixture('v2-unicast-pass'), context({ priority: 255 })))).toBe(51);
    expect(vridOf(validatePacket(craftPacket(v2Advert(), { source: '192.0.2.9' }), context()))).toBe(51);
  });

  it('for a truncated packet whose IP header was good', () => {
    const packet = loadFixture('v2-unicast-pass');
    expect(vridOf(validatePacket(packet.subarray(0, 22), context()))).toBe(51);
    expect(vridOf(validatePacket(packet.subarray(0, 21), context()))).toBeUndefined();
  });

  it('not when the IP header itself is unreadable or not VRRP', () => {
    expect(vridOf(validatePacket(Buffer.alloc(10), context()))).toBeUndefined();
    const badHeader = craftPacket(v2Advert());
    badHeader[10] ^= 0xff; // IP header checksum
    expect(vridOf(validatePacket(badHeader, context()))).toBeUndefined();
    expect(vridOf(validatePacket(craftPacket(v2Advert(), { protocol: 17 }), context()))).toBeUndefined();
  });
});
