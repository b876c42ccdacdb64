// The family and version of a vrrp_instance are settled in file order, as keepalived 2.2.7 settles
// them while reading (vrrp_parser.c, vrrp_data.c): the first address or native_ipv6 decides, a later
// native_ipv6 after an IPv4 address is reported and ignored, and a contradicting `version` too.
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { InstanceModel } from '../../src/config/model/types.js';

function parse(...lines: string[]): ParseConfigResult {
  const text = ['vrrp_instance VI_1 {', '  interface eth0', '  virtual_router_id 51', ...lines, '}'].join(
    '\n',
  );
  return parseConfigText(text, { file: 'keepalived.conf' });
}

function codes(result: ParseConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.line} ${d.code}`);
}

function only(result: ParseConfigResult): InstanceModel {
  const found = result.config.instances[0];
  if (!found) throw new Error(JSON.stringify(result.diagnostics));
  return found;
}

const vips = (...addresses: string[]): string[] => [
  '  virtual_ipaddress {',
  ...addresses.map((a) => `    ${a}`),
  '  }',
];

describe('native_ipv6', () => {
  it('makes the instance IPv6 (version 3); IPv4 addresses after it are skipped and reported', () => {
    const result = parse('  native_ipv6', ...vips('192.0.2.10/24', '2001:db8::10/64'));
    expect(codes(result)).toEqual(['6 VRRPD_W_CONFIG_CONFLICT']);
    expect(only(result)).toMatchObject({ family: 'ipv6', version: 3 });
    expect(only(result).vips.map((v) => v.address)).toEqual(['2001:db8::10']);
  });

  it('leaves no address when all are IPv4: refused, as keepalived refuses an IPv6 instance without one', () => {
    const result = parse('  native_ipv6', ...vips('192.0.2.10/24'));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('6 VRRPD_W_CONFIG_CONFLICT');
  });

  it('after an IPv4 address: reported and ignored, the instance stays IPv4', () => {
    const result = parse(...vips('192.0.2.10/24'), '  native_ipv6');
    expect(codes(result)).toEqual(['7 VRRPD_W_CONFIG_CONFLICT']);
    expect(result.diagnostics[0]?.message).toMatch(
      /native_ipv6 is ignored.*already IPv4 \(the address at line 5\)/,
    );
    expect(only(result)).toMatchObject({ family: 'ipv4', version: 2 });
  });

  it('after an IPv4 unicast_src_ip too; after an IPv6 address it is silent', () => {
    expect(codes(parse('  unicast_src_ip 192.0.2.1', '  native_ipv6', ...vips('192.0.2.10/24')))).toContain(
      '5 VRRPD_W_CONFIG_CONFLICT',
    );
    const result = parse(...vips('2001:db8::10/64'), '  native_ipv6');
    expect(result.diagnostics).toEqual([]);
    expect(only(result)).toMatchObject({ family: 'ipv6', version: 3 });
  });

  it('overrides an earlier version 2 silently; a later version 2 is reported and ignored', () => {
    const before = parse('  version 2', '  native_ipv6', ...vips('2001:db8::10/64'));
    expect(before.diagnostics).toEqual([]);
    expect(only(before).version).toBe(3);
    const after = parse('  native_ipv6', '  version 2', ...vips('2001:db8::10/64'));
    expect(codes(after)).toEqual(['5 VRRPD_W_CONFIG_CONFLICT']);
    expect(only(after).version).toBe(3);
  });
});

describe('family in file order', () => {
  it('an IPv6 unicast_src_ip before IPv4 addresses makes the instance IPv6, as in keepalived', () => {
    const result = parse('  unicast_src_ip 2001:db8::1', ...vips('192.0.2.10/24', '2001:db8::10/64'));
    expect(only(result).family).toBe('ipv6');
    expect(only(result).vips.map((v) => v.address)).toEqual(['2001:db8::10']);
  });

  it('an IPv6 mcast_dst_ip decides the family, even when it is not link-local multicast', () => {
    const result = parse('  mcast_dst_ip 2001:db8::5', ...vips('192.0.2.10/24', '2001:db8::10/64'));
    expect(only(result).family).toBe('ipv6');
  });

  it('version 2 after the first IPv6 address is reported and ignored (version 3); before it, VRRPv2 over IPv6 runs', () => {
    const after = parse(...vips('2001:db8::10/64'), '  version 2');
    expect(codes(after)).toEqual(['7 VRRPD_W_CONFIG_CONFLICT']);
    expect(only(after).version).toBe(3);
    const before = parse('  version 2', ...vips('2001:db8::10/64'));
    expect(codes(before)).toEqual(['4 VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(only(before).version).toBe(2);
  });

  it('a second, different version is reported and the first kept, as keepalived keeps it', () => {
    const result = parse('  version 3', '  version 2', ...vips('192.0.2.10/24'));
    expect(codes(result)).toEqual(['5 VRRPD_W_CONFIG_CONFLICT']);
    expect(only(result).version).toBe(3);
  });
});
