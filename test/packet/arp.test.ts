import { describe, expect, it } from 'vitest';
import {
  ARP_FRAME_LENGTH,
  ArpOperation,
  decodeArpFrame,
  encodeArpFrame,
  encodeGratuitousArp,
  gratuitousArp,
} from '../../src/packet/arp.js';
import { fixtureComments, loadFixture } from './keepalived-fixtures.js';

const KEEPALIVED_MAC = '02:00:c0:00:02:01'; // the MAC capture.sh gives keepalived's interface

describe('gratuitous ARP vs keepalived 2.2.7', () => {
  const captured = loadFixture('garp');

  it('the fixture is a keepalived capture of a 42-byte frame', () => {
    expect(fixtureComments('garp').join('\n')).toMatch(/Keepalived v2\.2\.7.*\n.*\n.*MAC 02:00:c0:00:02:01/);
    expect(captured.length).toBe(ARP_FRAME_LENGTH);
  });

  it('our frame is byte-for-byte the one keepalived sent', () => {
    expect(encodeGratuitousArp(KEEPALIVED_MAC, '192.0.2.254').toString('hex')).toBe(captured.toString('hex'));
  });

  it('decodes keepalived’s frame: broadcast request, sender IP = target IP = VIP, target MAC all ones', () => {
    expect(decodeArpFrame(captured)).toEqual({
      ok: true,
      value: {
        destinationMac: 'ff:ff:ff:ff:ff:ff',
        sourceMac: KEEPALIVED_MAC,
        operation: ArpOperation.request,
        senderMac: KEEPALIVED_MAC,
        senderIp: '192.0.2.254',
        targetMac: 'ff:ff:ff:ff:ff:ff',
        targetIp: '192.0.2.254',
      },
    });
  });

  it('writes the fixed ARP fields: htype 1, ptype 0x0800, hlen 6, plen 4, ethertype 0x0806', () => {
    const frame = encodeGratuitousArp('02:00:5e:00:01:33', '198.51.100.1');
    expect(frame.readUInt16BE(12)).toBe(0x0806);
    expect(frame.subarray(14, 22).toString('hex')).toBe('0001080006040001');
  });
});

describe('ARP frames', () => {
  it('round-trips any Ethernet/IPv4 ARP frame, e.g. a reply', () => {
    const reply = {
      destinationMac: '02:00:00:00:00:02',
      sourceMac: '02:00:00:00:00:01',
      operation: ArpOperation.reply,
      senderMac: '02:00:00:00:00:01',
      senderIp: '203.0.113.1',
      targetMac: '02:00:00:00:00:02',
      targetIp: '203.0.113.2',
    };
    expect(decodeArpFrame(encodeArpFrame(reply))).toEqual({ ok: true, value: reply });
  });

  it('ignores padding up to the 60-byte Ethernet minimum', () => {
    const padded = Buffer.concat([loadFixture('garp'), Buffer.alloc(18)]);
    const result = decodeArpFrame(padded);
    expect(result.ok && result.value).toEqual(gratuitousArp(KEEPALIVED_MAC, '192.0.2.254'));
  });

  it('rejects short frames, other ethertypes and non-Ethernet/IPv4 ARP without throwing', () => {
    const good = loadFixture('garp');
    expect(decodeArpFrame(good.subarray(0, 41))).toEqual({
      ok: false,
      detail: 'frame is 41 bytes, an Ethernet ARP frame needs 42',
    });
    const ipv4 = Buffer.from(good);
    ipv4.writeUInt16BE(0x0800, 12);
    expect(decodeArpFrame(ipv4)).toEqual({ ok: false, detail: 'ethertype 0x0800 is not ARP' });
    const token = Buffer.from(good);
    token.writeUInt16BE(6, 14); // IEEE 802 hardware type
    expect(decodeArpFrame(token)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/not Ethernet\/IPv4/),
    });
  });

  it('refuses to encode malformed configured addresses', () => {
    expect(() => encodeGratuitousArp('02:00:c0:00:02', '192.0.2.254')).toThrow(RangeError);
    expect(() => encodeGratuitousArp(KEEPALIVED_MAC, '192.0.2')).toThrow(RangeError);
  });
});
