// RTM_NEWRULE bodies for keepalived's rule words, byte for byte (fib_rule_hdr, then FRA_*
// attributes of linux/fib_rules.h, host byte order except FRA_TUN_ID), and the decoding of the same
// bytes back into the spec, which is how vrrpd recognises its own rules in a dump.
import { endianness } from 'node:os';
import * as rt from 'netlink/dist/rt/structs.js';
import { describe, expect, it } from 'vitest';
import { kernelRuleFrom, ruleMessageBytes, type RuleSpec } from '../../src/kernel/rules.js';

const hex = (text: string): string => text.replace(/\s+/g, '');

describe.skipIf(endianness() !== 'LE')('rule messages (little-endian host)', () => {
  const full: RuleSpec = {
    invert: true,
    tos: 0x10,
    from: { address: '192.0.2.0', prefixLength: 24 },
    table: 100,
    priority: 100,
    fwmark: 7,
    realms: 0x30004,
    suppressPrefixLength: 0,
    tunnelId: '258',
    uidRange: { start: 1000, end: 2000 },
    protocol: 18,
    ipProto: 6,
    sport: { start: 1000, end: 2000 },
    dport: { start: 80, end: 80 },
  };

  it('encodes every selector', () => {
    expect(ruleMessageBytes(full).toString('hex')).toBe(
      hex(`
        02 00 18 10  64 00 00 01  02 00 00 00
        08 00 0f 00  64 00 00 00
        08 00 02 00  c0 00 02 00
        08 00 06 00  64 00 00 00
        08 00 0a 00  07 00 00 00
        08 00 0b 00  04 00 03 00
        08 00 0e 00  00 00 00 00
        0c 00 0c 00  00 00 00 00 00 00 01 02
        0c 00 14 00  e8 03 00 00 d0 07 00 00
        05 00 15 00  12 00 00 00
        05 00 16 00  06 00 00 00
        08 00 17 00  e8 03 d0 07
        08 00 18 00  50 00 50 00`),
    );
    // header: AF_INET, dst_len 0, src_len 24, tos 0x10, table 100, action FR_ACT_TO_TBL,
    // flags FIB_RULE_INVERT; then FRA_TABLE, FRA_SRC, FRA_PRIORITY, FRA_FWMARK, FRA_FLOW (3/4),
    // FRA_SUPPRESS_PREFIXLEN, FRA_TUN_ID (big-endian 258), FRA_UID_RANGE, FRA_PROTOCOL,
    // FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE.
  });

  it('encodes goto and l3mdev rules, which have no table', () => {
    expect(ruleMessageBytes({ type: 'goto', goto: 200, priority: 103, family: 'ipv6' }).toString('hex')).toBe(
      hex('0a 00 00 00  00 00 00 02  00 00 00 00   08 00 06 00 67 00 00 00   08 00 04 00 c8 00 00 00'),
    );
    expect(ruleMessageBytes({ l3mdev: true, priority: 1000, suppressIfgroup: 5 }).toString('hex')).toBe(
      hex(
        '02 00 00 00  00 00 00 01  00 00 00 00   08 00 06 00 e8 03 00 00   08 00 0d 00 05 00 00 00   05 00 13 00 01',
      ),
    );
    expect(ruleMessageBytes({ type: 'blackhole', priority: 5 }).subarray(0, 12).toString('hex')).toBe(
      hex('02 00 00 00  00 00 00 06  00 00 00 00'),
    );
    expect(ruleMessageBytes({ type: 'prohibit', priority: 5 })[7]).toBe(8);
    expect(ruleMessageBytes({ type: 'unreachable', priority: 5 })[7]).toBe(7);
    expect(ruleMessageBytes({ type: 'nop', priority: 5 })[7]).toBe(3);
  });

  it('refuses a table rule without a table and a goto without target', () => {
    expect(() => ruleMessageBytes({ priority: 1 })).toThrow(/table/);
    expect(() => ruleMessageBytes({ type: 'goto', priority: 1 })).toThrow(/goto/);
  });

  it('decodes what it encodes, leaving defaults out, so a listed rule equals its spec', () => {
    const decode = (spec: RuleSpec) => kernelRuleFrom(rt.parseRuleMessage(ruleMessageBytes(spec)));
    expect(decode(full)).toEqual({ ...full, action: 1 });
    expect(decode({ type: 'goto', goto: 200, priority: 103, family: 'ipv6' })).toEqual({
      type: 'goto',
      goto: 200,
      priority: 103,
      family: 'ipv6',
      table: 0,
      action: 2,
    });
    expect(decode({ l3mdev: true, priority: 1000, suppressIfgroup: 5 })).toEqual({
      l3mdev: true,
      priority: 1000,
      suppressIfgroup: 5,
      table: 0,
      action: 1,
    });
  });
});
