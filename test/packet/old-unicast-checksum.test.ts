// keepalived's old_unicast_checksum (VRRPv3 over IPv4): before 1.3.6 keepalived put the multicast
// group, not the unicast destination, in the checksum's pseudo-header (RFC 5798 §5.2.8 wants the
// packet's own). The ladder checks by the instance's V3ChecksumRule (keepalived vrrp.c,
// vrrp_check_packet): 'rfc', 'old', or 'detect' (take the old form from a unicast peer and say so).
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/packet/checksum.js';
import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import { AuthType, DropReason, type VrrpAdvert } from '../../src/packet/types.js';
import {
  validatePacket,
  type InstanceExpectations,
  type ValidationContext,
  type ValidationResult,
} from '../../src/packet/validate.js';
import { VRRP_PROTOCOL, encodeAdvert } from '../../src/packet/vrrp.js';
import { craftPacket, v2Advert, v3Advert } from './packet-builder.js';

const GROUP = '224.0.0.18';
const PEER = '192.0.2.1';
const US = '192.0.2.2';

const BACKUP: InstanceExpectations = {
  instanceKey: 'VI_51',
  vrid: 51,
  version: 3,
  priority: 100,
  authType: AuthType.none,
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  unicastPeers: [PEER],
  checkUnicastSource: true,
  skipCheckAdvertAddresses: false,
};

function context(overrides: Partial<InstanceExpectations> = {}): ValidationContext {
  const instance = { ...BACKUP, ...overrides };
  return { lookupVrid: (vrid) => (vrid === instance.vrid ? instance : undefined) };
}

const rule = (form: 'rfc' | 'detect' | 'old'): Partial<InstanceExpectations> => ({
  v3Checksum: { form, group: GROUP },
});

/** A unicast packet from `source` to us whose VRRPv3 checksum covers `pseudoDestination`. */
function packet(advert: VrrpAdvert, pseudoDestination: string, source = PEER, destination = US): Buffer {
  const vrrp = encodeAdvert(advert, { source, destination: pseudoDestination });
  const header = encodeIpv4Header({
    source,
    destination,
    ttl: 255,
    tos: 0xc0,
    protocol: VRRP_PROTOCOL,
    payloadLength: vrrp.length,
    identification: 7,
  });
  return Buffer.concat([header, vrrp]);
}

const oldForm = (advert = v3Advert()): Buffer => packet(advert, GROUP);
const rfcForm = (advert = v3Advert()): Buffer => packet(advert, US);

function accepted(result: ValidationResult): Extract<ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('the old checksum form', () => {
  it('is the RFC 768-style pseudo-header sum with the group as destination', () => {
    const vrrp = encodeAdvert(v3Advert(), { source: PEER, destination: GROUP });
    const pseudo = Buffer.from([192, 0, 2, 1, 224, 0, 0, 18, 0, VRRP_PROTOCOL, 0, vrrp.length]);
    const zeroed = Buffer.from(vrrp);
    zeroed.writeUInt16BE(0, 6);
    expect(vrrp.readUInt16BE(6)).toBe(internetChecksum(Buffer.concat([pseudo, zeroed])));
    // and differs from the RFC form to the unicast address
    expect(encodeAdvert(v3Advert(), { source: PEER, destination: US }).readUInt16BE(6)).not.toBe(
      vrrp.readUInt16BE(6),
    );
  });
});

describe('receiving by V3ChecksumRule', () => {
  it("no rule or 'rfc' (old_unicast_checksum never): RFC form only", () => {
    for (const overrides of [{}, rule('rfc')]) {
      expect(accepted(validatePacket(rfcForm(), context(overrides))).oldChecksumInstance).toBeUndefined();
      expect(validatePacket(oldForm(), context(overrides))).toMatchObject({
        ok: false,
        reason: DropReason.checksum,
      });
    }
  });

  it("'old' (old_unicast_checksum): the group form only", () => {
    const result = accepted(validatePacket(oldForm(), context(rule('old'))));
    expect(result.oldChecksumInstance).toBeUndefined();
    expect(result.advert).toMatchObject({ vrid: 51, priority: 150 });
    expect(validatePacket(rfcForm(), context(rule('old')))).toMatchObject({
      ok: false,
      reason: DropReason.checksum,
    });
    // a multicast advert in the old form is the RFC form: same destination
    const multicast = craftPacket(v3Advert(), { destination: GROUP });
    expect(accepted(validatePacket(multicast, context({ ...rule('old'), unicastPeers: undefined }))).ok).toBe(
      true,
    );
  });

  it("'detect' (no keyword, unicast): both forms; the old one names the instance that switches", () => {
    expect(accepted(validatePacket(rfcForm(), context(rule('detect')))).oldChecksumInstance).toBeUndefined();
    const old = accepted(validatePacket(oldForm(), context(rule('detect'))));
    expect(old.oldChecksumInstance).toBe('VI_51');
    expect(old.advert.priority).toBe(150);
  });

  it("'detect': keepalived switches at the checksum step, even when a later step drops the advert", () => {
    // check_unicast_src: 192.0.2.9 is not a peer
    const result = validatePacket(packet(v3Advert(), GROUP, '192.0.2.9'), context(rule('detect')));
    expect(result).toMatchObject({
      ok: false,
      reason: DropReason.unicastSource,
      oldChecksumInstance: 'VI_51',
    });
  });

  it("'detect': a checksum wrong in both forms is a checksum drop, and switches nothing", () => {
    const broken = oldForm();
    broken.writeUInt16BE(broken.readUInt16BE(26) ^ 0x0101, 26);
    const result = validatePacket(broken, context(rule('detect')));
    expect(result).toMatchObject({ ok: false, reason: DropReason.checksum });
    expect(result.oldChecksumInstance).toBeUndefined();
  });

  it('VRRPv2 has no pseudo-header: the rule changes nothing', () => {
    const v2 = craftPacket(v2Advert());
    const ctx = context({ ...rule('old'), version: 2, authType: AuthType.simple, authPassword: 'secret1' });
    expect(accepted(validatePacket(v2, ctx)).oldChecksumInstance).toBeUndefined();
  });
});
