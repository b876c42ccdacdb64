// The NA adapter over a fake NativeOps: keepalived's frame for the VIP on the interface's index,
// the router flag from the forwarding setting, and failures returned as values.

import { describe, expect, it } from 'vitest';
import { FakeNativeOps } from '../../src/kernel/native-fake.js';
import { createNeighborAdvertSender } from '../../src/kernel/neighbor-advert.js';
import {
  decodeNeighborAdvertFrame,
  encodeUnsolicitedNeighborAdvert,
} from '../../src/packet/neighbor-advert.js';

describe('unsolicited Neighbor Advertisement sender', () => {
  const mac = '02:00:c0:00:02:01';

  it('sends keepalived’s frame through the packet socket, Router set when the interface forwards', () => {
    const native = new FakeNativeOps({ interfaces: { eth0: { index: 4, mac } } });
    let forwarding = false;
    const sender = createNeighborAdvertSender(native, () => forwarding);
    expect(sender.sendNeighborAdvert('eth0', '2001:db8::254')).toEqual({ ok: true, bytes: 86 });
    forwarding = true;
    sender.sendNeighborAdvert('eth0', '2001:db8::254');
    const [plain, router] = native.callsOf('sendPacketFrame');
    expect(plain?.ifindex).toBe(4);
    expect(plain?.frame.equals(encodeUnsolicitedNeighborAdvert(mac, '2001:db8::254', false))).toBe(true);
    const decoded = decodeNeighborAdvertFrame(router!.frame);
    expect(decoded.ok && decoded.value).toMatchObject({
      router: true,
      override: true,
      target: '2001:db8::254',
    });
  });

  it('returns lookup, encoding and send failures as values', () => {
    const native = new FakeNativeOps({ interfaces: { eth0: { index: 4, mac } } });
    const sender = createNeighborAdvertSender(native, () => false);
    const missing = sender.sendNeighborAdvert('eth9', '2001:db8::254');
    expect(missing.ok === false && missing.error.code).toBe('ENODEV');
    expect(sender.sendNeighborAdvert('eth0', '192.0.2.254').ok).toBe(false);
    native.failNext('sendPacketFrame', 'ENETDOWN');
    const down = sender.sendNeighborAdvert('eth0', '2001:db8::254');
    expect(down.ok === false && down.error.code).toBe('ENETDOWN');
  });
});
