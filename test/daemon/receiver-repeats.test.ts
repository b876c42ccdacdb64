// The receive path's repeat cache (receiver.ts): an advert seen again with only its IP
// identification and header checksum changed gets the same verdict without being validated
// again. It must never change a verdict: checked against a receiver that validates every packet.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDaemon } from '../../src/daemon/plan.js';
import { PacketReceiver, type ReceiveVerdict } from '../../src/daemon/receiver.js';
import { internetChecksum } from '../../src/packet/checksum.js';
import { advertFor, craftPacket, instanceBlock, parseOk } from './harness.js';

const A = '192.0.2.1';
const AUTH = '  authentication {\n    auth_type PASS\n    auth_pass secret1\n  }';
const plans = planDaemon(
  parseOk(
    instanceBlock({ priority: 100, extra: AUTH }) +
      instanceBlock({ name: 'VI_2', vrid: 52, priority: 100, vips: ['192.0.2.253/24'], extra: AUTH }),
  ),
).instances;

function receiver(): PacketReceiver {
  const clock = { now: () => 0, wallNow: () => 0 };
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as never;
  const r = new PacketReceiver(silent, clock);
  r.configure(plans);
  return r;
}

/** The same packet as the kernel would hand it over after another send: new id, new checksum. */
function resent(raw: Buffer, identification: number): Buffer {
  const copy = Buffer.from(raw);
  copy.writeUInt16BE(identification, 4);
  copy.writeUInt16BE(0, 10);
  copy.writeUInt16BE(internetChecksum(copy.subarray(0, 20)), 10);
  return copy;
}

const valid = craftPacket(advertFor({ priority: 120 }), { source: A });

describe('repeat cache of the receive path', () => {
  it('a repeat with another identification gets the same verdict object, and the packet is left as it was', () => {
    const r = receiver();
    const first = r.receive('eth0', valid, A);
    expect(first).toMatchObject({ kind: 'advert', instance: 'VI_1', source: A, warnings: [] });
    const again = resent(valid, 0x4242);
    const before = Buffer.from(again);
    expect(r.receive('eth0', again, A)).toBe(first);
    expect(again.equals(before)).toBe(true);
  });

  it('any other change is validated: a new priority, a broken checksum, another VRID', () => {
    const r = receiver();
    const first = r.receive('eth0', valid, A);
    const lower = r.receive('eth0', craftPacket(advertFor({ priority: 90 }), { source: A }), A);
    expect(lower).not.toBe(first);
    expect(lower.kind === 'advert' && lower.advert.priority).toBe(90);
    const broken = Buffer.from(valid);
    broken[broken.length - 1]! ^= 0xff;
    expect(r.receive('eth0', broken, A)).toMatchObject({ kind: 'drop' });
    const other = craftPacket(advertFor({ vrid: 52, addresses: ['192.0.2.253'] }), { source: A });
    expect(r.receive('eth0', other, A)).toMatchObject({ kind: 'advert', instance: 'VI_2' });
  });

  it('a reload (configure) forgets what was accepted', () => {
    const r = receiver();
    const first = r.receive('eth0', valid, A);
    r.configure(plans);
    const after = r.receive('eth0', resent(valid, 7), A);
    expect(after).not.toBe(first);
    expect(after).toEqual(first);
  });

  it('never changes a verdict: any sequence of resends and byte changes, against validating each packet', () => {
    const base = [valid, craftPacket(advertFor({ vrid: 52, addresses: ['192.0.2.253'] }), { source: A })];
    const change = fc.record({
      which: fc.nat(1),
      identification: fc.integer({ min: 0, max: 0xffff }),
      // null: resent unchanged; else one byte of the packet set to a value.
      poke: fc.option(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) })),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 30 }), (changes) => {
        const cached = receiver();
        for (const { which, identification, poke } of changes) {
          const raw = resent(base[which]!, identification);
          if (poke) raw[poke.at % raw.length] = poke.value;
          const expected: ReceiveVerdict = receiver().receive('eth0', Buffer.from(raw), A);
          expect(cached.receive('eth0', raw, A)).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
