// virtual_ipaddress / static_ipaddress flag options (keepalived 2.2.7 alloc_ipaddress): peer,
// home, -nodad, mngtmpaddr, noprefixroute, autojoin, preferred_lft, and track_group on a virtual
// address. What each becomes in the model and which mistakes keepalived reports (its -t exits 5).
import { describe, expect, it } from 'vitest';
import type { ParseConfigResult } from '../../src/config/parse-config.js';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { VipSpec } from '../../src/config/model/types.js';
import { addressSpecOf } from '../../src/daemon/virtual-resources.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(...vips: string[]): ParseConfigResult {
  const text = [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    '  virtual_ipaddress {',
    ...vips.map((v) => `    ${v}`),
    '  }',
    '}',
  ].join('\n');
  return parseConfigText(text, { file: FILE });
}

function vips(result: ParseConfigResult): Array<Omit<VipSpec, 'source'>> {
  return (result.config.instances[0]?.vips ?? []).map(({ source: _s, ...v }) => v);
}

/** `line message` of each diagnostic, the line counted in the virtual_ipaddress block (first = 1). */
function reports(result: Pick<ParseConfigResult, 'diagnostics'>): string[] {
  return result.diagnostics.map((d) =>
    `${d.line - 4} ${d.code} ${d.message}`.replace(/: (ignored|the address|the broadcast)\b.*$/, ''),
  );
}

describe('virtual_ipaddress flag options', () => {
  it('reads every flag as keepalived does', () => {
    const result = parse('2001:db8::10/64 home -nodad mngtmpaddr noprefixroute autojoin preferred_lft 30');
    const v4 = parse('192.0.2.12/24 noprefixroute autojoin');
    expect([...reports(result), ...reports(v4)]).toEqual([]);
    expect(vips(result)[0]).toMatchObject({
      address: '2001:db8::10',
      prefix: 64,
      homeAddress: true,
      dad: true,
      manageTempAddress: true,
      noPrefixRoute: true,
      autoJoin: true,
      preferredLifetime: 30,
    });
    expect(vips(v4)[0]).toMatchObject({ address: '192.0.2.12', noPrefixRoute: true, autoJoin: true });
    expect(vips(v4)[0]).not.toHaveProperty('preferredLifetime');
  });

  it("applies keepalived's IPv6 lifetime defaults: 0 (deprecated) for a /128, forever otherwise", () => {
    const result = parse(
      '2001:db8::1',
      '2001:db8::2/64',
      '2001:db8::3/128 preferred_lft forever',
      '2001:db8::4/64 preferred_lft 0',
    );
    expect(reports(result)).toEqual([]);
    expect(vips(result).map((v) => v.preferredLifetime)).toEqual([0, undefined, undefined, 0]);
  });

  it('reads peer as a bare address that makes the address a host address', () => {
    const result = parse('192.0.2.10 peer 192.0.2.11 dev eth0', '192.0.2.20/24 peer 192.0.2.21 brd +');
    const v6 = parse('2001:db8::11/64 peer 2001:DB8::12');
    expect([...vips(result), ...vips(v6)].map((v) => [v.address, v.prefix, v.peer, v.broadcast])).toEqual([
      ['192.0.2.10', 32, '192.0.2.11', null],
      ['192.0.2.20', 32, '192.0.2.21', null],
      ['2001:db8::11', 128, '2001:db8::12', null],
    ]);
    // keepalived: "Cannot specify address prefix when specifying peer address - ignoring", and
    // "Cannot specify broadcast and peer addresses - ignoring broadcast address".
    expect([...reports(result), ...reports(v6)]).toEqual([
      '2 VRRPD_W_CONFIG_VALUE virtual_ipaddress: 192.0.2.20/24 cannot have a prefix length with a peer address',
      '2 VRRPD_W_CONFIG_VALUE virtual_ipaddress: 192.0.2.20 cannot have both a broadcast and a peer address',
      '1 VRRPD_W_CONFIG_VALUE virtual_ipaddress: 2001:db8::11/64 cannot have a prefix length with a peer address',
    ]);
    // A peer-less /128 defaults to deprecated; so does the host address a peer makes.
    expect(vips(v6)[0]?.preferredLifetime).toBe(0);
  });

  it('reports bad values and keeps the address without them, as keepalived', () => {
    const v4 = parse(
      '192.0.2.30 peer 192.0.2.31/24',
      '192.0.2.32 peer 2001:db8::1',
      '192.0.2.33 peer 192.0.2.34 peer 192.0.2.35',
    );
    const v6 = parse(
      '2001:db8::13/64 preferred_lft -1',
      '2001:db8::14/64 preferred_lft 0x10',
      '2001:db8::15/64 preferred_lft 4294967296',
    );
    const result = {
      diagnostics: [...v4.diagnostics, ...v6.diagnostics.map((d) => ({ ...d, line: d.line + 3 }))],
    };
    expect([...vips(v4), ...vips(v6)].map((v) => [v.address, v.prefix, v.peer, v.preferredLifetime])).toEqual(
      [
        ['192.0.2.30', 32, undefined, undefined],
        ['192.0.2.32', 32, undefined, undefined],
        ['192.0.2.33', 32, '192.0.2.34', undefined],
        ['2001:db8::13', 64, undefined, undefined],
        ['2001:db8::14', 64, undefined, undefined],
        ['2001:db8::15', 64, undefined, undefined],
      ],
    );
    expect(reports(result).map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([
      '1 VRRPD_W_CONFIG_VALUE',
      '2 VRRPD_W_CONFIG_VALUE',
      '3 VRRPD_W_CONFIG_VALUE',
      '4 VRRPD_W_CONFIG_VALUE',
      '5 VRRPD_W_CONFIG_VALUE',
      '6 VRRPD_W_CONFIG_VALUE',
    ]);
    expect(reports(result).every((r) => r.includes('virtual_ipaddress:'))).toBe(true);
  });

  it('drops the line when peer or preferred_lft has no value, as keepalived', () => {
    const result = parse('192.0.2.40 peer', '192.0.2.42/24 preferred_lft', '192.0.2.41/24');
    expect(vips(result).map((v) => v.address)).toEqual(['192.0.2.41']);
    expect(reports(result).map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([
      '1 VRRPD_W_CONFIG_VALUE',
      '2 VRRPD_W_CONFIG_VALUE',
    ]);
  });

  it('reports track_group and its name as unknown words on a virtual address and keeps it', () => {
    const result = parse('192.0.2.50/24 track_group TG');
    expect(vips(result).map((v) => v.address)).toEqual(['192.0.2.50']);
    expect(reports(result)).toEqual([
      "1 VRRPD_W_CONFIG_VALUE virtual_ipaddress: unknown option 'track_group'",
      "1 VRRPD_W_CONFIG_VALUE virtual_ipaddress: unknown option 'TG'",
    ]);
  });

  it('--strict refuses what keepalived only reports', () => {
    const text =
      'vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  192.0.2.30 peer bogus\n }\n}';
    const result = parseConfigText(text, { file: FILE, strict: true });
    expect(result.ok).toBe(false);
  });
});

describe('addressSpecOf', () => {
  it('carries the flags, the peer and the lifetime to the kernel spec', () => {
    const [v6, host] = parse(
      '2001:db8::10/64 home -nodad mngtmpaddr noprefixroute autojoin preferred_lft 30',
      '2001:db8::20',
    ).config.instances[0]!.vips;
    const [peer] = parse('192.0.2.10 peer 192.0.2.11').config.instances[0]!.vips;
    expect(addressSpecOf(v6!, 7)).toEqual({
      ifindex: 7,
      address: '2001:db8::10',
      prefixLength: 64,
      homeAddress: true,
      noDad: false,
      manageTempAddress: true,
      noPrefixRoute: true,
      multicastAutoJoin: true,
      preferredLifetime: 30,
    });
    expect(addressSpecOf(peer!, 7)).toEqual({
      ifindex: 7,
      address: '192.0.2.10',
      prefixLength: 32,
      peer: '192.0.2.11',
    });
    expect(addressSpecOf(host!, 7)).toEqual({
      ifindex: 7,
      address: '2001:db8::20',
      prefixLength: 128,
      preferredLifetime: 0,
    });
  });
});
