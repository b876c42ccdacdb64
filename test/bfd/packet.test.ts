import { describe, expect, it } from 'vitest';

import {
  BfdDropReason,
  BfdState,
  decodeBfdControl,
  encodeBfdControl,
  type BfdControl,
} from '../../src/bfd/packet.js';

const SAMPLE: BfdControl = {
  diag: 1,
  state: BfdState.up,
  poll: true,
  final: false,
  controlPlaneIndependent: false,
  authPresent: false,
  demand: false,
  multipoint: false,
  detectMult: 5,
  myDiscriminator: 0x01020304,
  yourDiscriminator: 0xa0b0c0d0,
  desiredMinTxUs: 10_000,
  requiredMinRxUs: 1_000_000,
  requiredMinEchoRxUs: 0,
};

// RFC 5880 §4.1 laid out by hand: version 1 / diag 1, state Up (3) + Poll, mult 5, length 24.
const SAMPLE_HEX = '21' + 'e0' + '05' + '18' + '01020304' + 'a0b0c0d0' + '00002710' + '000f4240' + '00000000';

describe('BFD Control packet codec (RFC 5880 §4.1)', () => {
  it('encodes the mandatory section byte for byte', () => {
    expect(encodeBfdControl(SAMPLE).toString('hex')).toBe(SAMPLE_HEX);
  });

  it('decodes what it encodes, every flag on its own bit', () => {
    const flags = ['poll', 'final', 'controlPlaneIndependent', 'demand'] as const;
    for (const flag of flags) {
      const packet = { ...SAMPLE, poll: false, [flag]: true };
      const decoded = decodeBfdControl(encodeBfdControl(packet));
      expect(decoded).toEqual({ ok: true, value: packet });
    }
    for (const state of [BfdState.adminDown, BfdState.down, BfdState.init, BfdState.up]) {
      const decoded = decodeBfdControl(encodeBfdControl({ ...SAMPLE, state }));
      expect(decoded.ok && decoded.value.state).toBe(state);
    }
  });

  it('refuses to encode values that do not fit', () => {
    expect(() => encodeBfdControl({ ...SAMPLE, detectMult: 0 })).toThrow(RangeError);
    expect(() => encodeBfdControl({ ...SAMPLE, diag: 32 })).toThrow(RangeError);
    expect(() => encodeBfdControl({ ...SAMPLE, myDiscriminator: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeBfdControl({ ...SAMPLE, authPresent: true })).toThrow(RangeError);
  });

  const mutate = (edit: (buf: Buffer) => void): Buffer => {
    const buf = Buffer.from(SAMPLE_HEX, 'hex');
    edit(buf);
    return buf;
  };

  it.each([
    ['a short packet', Buffer.alloc(23), BfdDropReason.tooShort],
    ['version 0', mutate((b) => (b[0] = 0x01)), BfdDropReason.version],
    ['Length below 24', mutate((b) => (b[3] = 20)), BfdDropReason.length],
    ['Length beyond the payload', mutate((b) => (b[3] = 28)), BfdDropReason.length],
    ['Detect Mult 0', mutate((b) => (b[2] = 0)), BfdDropReason.detectMult],
    ['the Multipoint bit', mutate((b) => (b[1] |= 0x01)), BfdDropReason.multipoint],
    ['Poll and Final together', mutate((b) => (b[1] |= 0x10)), BfdDropReason.pollAndFinal],
    ['My Discriminator 0', mutate((b) => b.writeUInt32BE(0, 4)), BfdDropReason.myDiscriminator],
    ['the A bit (no authentication in use)', mutate((b) => (b[1] |= 0x04)), BfdDropReason.authentication],
  ])('drops %s (§6.8.6)', (_name, buf, reason) => {
    const decoded = decodeBfdControl(buf);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toBe(reason);
  });

  it('accepts trailing bytes beyond Length (the UDP payload may be padded)', () => {
    const buf = Buffer.concat([Buffer.from(SAMPLE_HEX, 'hex'), Buffer.alloc(4)]);
    expect(decodeBfdControl(buf).ok).toBe(true);
  });
});
