// The GARP adapter over a fake NativeOps: which frame goes to which interface, and failures
// returned as values.

import { describe, expect, it } from 'vitest';
import { createGarpSender } from '../../src/kernel/garp.js';
import { FakeNativeOps } from '../../src/kernel/native-fake.js';
import { decodeArpFrame, encodeGratuitousArp } from '../../src/packet/arp.js';

describe('gratuitous ARP sender', () => {
  const mac = '02:00:5e:00:01:33';

  it("sends keepalived's GARP frame for the VIP on the interface's index, with its MAC", () => {
    const native = new FakeNativeOps({ interfaces: { eth0: { index: 4, mac } } });
    const result = createGarpSender(native).sendGratuitousArp('eth0', '192.0.2.254');
    expect(result).toEqual({ ok: true, bytes: 42 });
    const [sent] = native.callsOf('sendPacketFrame');
    expect(sent?.ifindex).toBe(4);
    expect(sent?.frame.equals(encodeGratuitousArp(mac, '192.0.2.254'))).toBe(true);
    const decoded = decodeArpFrame(sent!.frame);
    expect(decoded.ok && decoded.value).toMatchObject({
      destinationMac: 'ff:ff:ff:ff:ff:ff',
      operation: 1,
      senderMac: mac,
      senderIp: '192.0.2.254',
      targetIp: '192.0.2.254',
    });
  });

  it('returns lookup and send failures with their errno code', () => {
    const native = new FakeNativeOps({ interfaces: { eth0: { index: 4, mac } } });
    const garp = createGarpSender(native);
    const missing = garp.sendGratuitousArp('eth9', '192.0.2.254');
    expect(missing.ok === false && missing.error.code).toBe('ENODEV');
    native.failNext('sendPacketFrame', 'ENETDOWN');
    const down = garp.sendGratuitousArp('eth0', '192.0.2.254');
    expect(down.ok === false && down.error.code).toBe('ENETDOWN');
    expect(garp.sendGratuitousArp('eth0', '192.0.2.254')).toEqual({ ok: true, bytes: 42 });
  });
});
