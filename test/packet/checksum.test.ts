import { describe, expect, it } from 'vitest';
import { finishChecksum, internetChecksum, sumWords } from '../../src/packet/checksum.js';

describe('RFC 1071 internet checksum', () => {
  it('matches the worked example of RFC 1071 §3 (sum 0xddf2, checksum 0x220d)', () => {
    const bytes = Buffer.from('0001f203f4f5f6f7', 'hex');
    expect(sumWords(bytes)).toBe(0x2ddf0);
    expect(finishChecksum(sumWords(bytes))).toBe(0x220d);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('gives 0xb861 for the classic IPv4 header example (checksum field zeroed)', () => {
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(internetChecksum(header)).toBe(0xb861);
    header.writeUInt16BE(0xb861, 10);
    expect(internetChecksum(header)).toBe(0);
  });

  it('pads an odd trailing byte with a zero low byte', () => {
    expect(sumWords(Buffer.from([0x01]))).toBe(0x0100);
    expect(internetChecksum(Buffer.from([0x01]))).toBe(0xfeff);
    expect(internetChecksum(Buffer.from([0x12, 0x34, 0x56]))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('folds carries repeatedly (end-around carry)', () => {
    // 0xffff + 0xffff = 0x1fffe -> 0xffff -> complement 0.
    expect(internetChecksum(Buffer.from('ffffffff', 'hex'))).toBe(0);
    expect(finishChecksum(0x2fffd)).toBe(0); // 0xfffd + 2 = 0xffff
    expect(finishChecksum(0)).toBe(0xffff);
  });

  it('continues from an initial partial sum (how pseudo-headers are added)', () => {
    const a = Buffer.from('0001f203', 'hex');
    const b = Buffer.from('f4f5f6f7', 'hex');
    expect(internetChecksum(b, sumWords(a))).toBe(0x220d);
  });
});
