// keepalived's per-peer TTL window (`unicast_peer { ADDR min_ttl N max_ttl N }`) in the ladder.

import { describe, expect, it } from 'vitest';
import { ttlInWindow, unicastTtlFloor } from '../../src/packet/ttl-window.js';
import { AuthType, DropReason } from '../../src/packet/types.js';
import {
  validatePacket,
  type InstanceExpectations,
  type ValidationContext,
} from '../../src/packet/validate.js';
import { craftPacket, v2Advert } from './packet-builder.js';

const BACKUP: InstanceExpectations = {
  instanceKey: 'VI_51',
  vrid: 51,
  version: 2,
  priority: 100,
  authType: AuthType.simple,
  authPassword: 'secret1',
  advertIntervalCs: 100,
  addresses: ['192.0.2.254'],
  unicastPeers: ['192.0.2.1', '192.0.2.3'],
  // keepalived turns check_unicast_src on when a peer has min_ttl/max_ttl.
  checkUnicastSource: true,
  skipCheckAdvertAddresses: false,
  unicastPeerTtl: new Map([['192.0.2.1', { min: 250, max: 254 }]]),
};

function context(instance: InstanceExpectations = BACKUP): ValidationContext {
  const windows = [...(instance.unicastPeerTtl?.values() ?? [])];
  return {
    lookupVrid: (vrid) => (vrid === instance.vrid ? instance : undefined),
    unicastTtlCheck: unicastTtlFloor(255, windows),
  };
}

const fromPeer = (ttl: number, source = '192.0.2.1') => craftPacket(v2Advert(), { ttl, source });

describe('per-peer TTL window', () => {
  it('accepts the peer’s adverts inside [min_ttl, max_ttl] only', () => {
    for (const ttl of [250, 252, 254]) expect(validatePacket(fromPeer(ttl), context()).ok).toBe(true);
    for (const ttl of [249, 255, 64]) {
      const result = validatePacket(fromPeer(ttl), context());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toBe(DropReason.ipTtl);
    }
    const result = validatePacket(fromPeer(255), context());
    expect(!result.ok && result.detail).toMatch(
      /TTL 255 from 192\.0\.2\.1 for VRID 51: not in min_ttl 250 \.\. max_ttl 254/,
    );
  });

  it('leaves peers without a window to the interface-wide rule', () => {
    expect(validatePacket(fromPeer(255, '192.0.2.3'), context()).ok).toBe(true);
    // The floor was lowered to 250 for the window; another peer at 250 passes step 1 too.
    expect(validatePacket(fromPeer(250, '192.0.2.3'), context()).ok).toBe(true);
    const low = validatePacket(fromPeer(249, '192.0.2.3'), context());
    expect(!low.ok && low.reason).toBe(DropReason.ipTtl);
  });

  it('a window with min > max drops everything from that peer (keepalived warns about it)', () => {
    const instance = { ...BACKUP, unicastPeerTtl: new Map([['192.0.2.1', { min: 200, max: 100 }]]) };
    for (const ttl of [100, 150, 200, 255])
      expect(validatePacket(fromPeer(ttl), context(instance)).ok).toBe(false);
  });

  it('pure helpers', () => {
    expect(ttlInWindow({ min: 0, max: 255 }, 0)).toBe(true);
    expect(ttlInWindow({ min: 10, max: 20 }, 21)).toBe(false);
    expect(unicastTtlFloor(255, [])).toBe(255);
    expect(
      unicastTtlFloor(255, [
        { min: 250, max: 255 },
        { min: 1, max: 2 },
      ]),
    ).toBe(1);
  });
});
