// use_vmac, use_vmac_addr, vmac_xmit_base, vmac_prefix and vmac_addr_prefix as keepalived 2.2.7
// reads them (vrrp_parser.c, vrrp.c, global_parser.c): the model they give, and the same warnings
// for the same mistakes (the rest of the file still runs).
import { describe, expect, it } from 'vitest';
import { parseConfigText, type ParseConfigResult } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import type { InstanceModel } from '../../src/config/model/types.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string): ParseConfigResult {
  return parseConfigText(text, { file: FILE });
}

function block(name: string, vrid: number, ...lines: string[]): string {
  return [
    `vrrp_instance ${name} {`,
    '  interface eth0',
    `  virtual_router_id ${vrid}`,
    ...lines,
    '  virtual_ipaddress {',
    `    192.0.2.${vrid}/24`,
    '  }',
    '}',
  ].join('\n');
}

function instance(result: ParseConfigResult, name = 'VI_1'): InstanceModel {
  const found = result.config.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no ${name}: ${JSON.stringify(result.diagnostics)}`);
  return found;
}

const messages = (result: ParseConfigResult) => result.diagnostics.map((d) => `${d.line} ${d.message}`);

describe('use_vmac', () => {
  it('alone: the default name and MAC (decided at run time), adverts from the VMAC', () => {
    const result = parse(block('VI_1', 51, '  use_vmac'));
    expect(result.diagnostics).toEqual([]);
    expect(instance(result).vmac).toEqual({ name: null, mac: null, xmitBase: false });
    expect(instance(result).useVmacAddr).toBe(false);
  });

  it('takes a name and a MAC in either order; five octets leave the sixth to the VRID', () => {
    const a = parse(block('VI_1', 51, '  use_vmac vrrp51 02:00:5E:00:01:07', '  vmac_xmit_base'));
    expect(a.diagnostics).toEqual([]);
    expect(instance(a).vmac).toEqual({ name: 'vrrp51', mac: '02:00:5e:00:01:07', xmitBase: true });
    const b = parse(block('VI_1', 51, '  use_vmac 2:0:5e:0:1 my.vmac'));
    expect(b.diagnostics).toEqual([]);
    expect(instance(b).vmac).toEqual({ name: 'my.vmac', mac: '02:00:5e:00:01', xmitBase: false });
  });

  it('skips a multicast MAC, an RFC 5798 MAC, a bad name and a third word, with keepalived’s warnings', () => {
    const result = parse(
      [
        block('VI_1', 51, '  use_vmac 01:00:00:00:00:01 bad/name extra'),
        block('VI_2', 52, '  use_vmac 00:00:5e:00:01:34 name-that-is-far-too-long'),
      ].join('\n'),
    );
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(messages(result)).toEqual([
      "4 'use_vmac' takes 0 to 2 arguments: 'extra' is ignored, as keepalived ignores it",
      '4 use_vmac: VMAC MAC address is multicast 01:00:00:00:00:01: ignored, as keepalived ignores it',
      "4 use_vmac: VMAC interface name 'bad/name' too long or invalid characters: ignored, as keepalived ignores it",
      '12 use_vmac: VMAC MAC address not allowed to be an RFC 5798 address (00:00:5e:00:01:34): ignored, as keepalived ignores it',
      "12 use_vmac: VMAC interface name 'name-that-is-far-too-long' too long or invalid characters: ignored, as keepalived ignores it",
    ]);
    expect(instance(result).vmac).toEqual({ name: null, mac: null, xmitBase: false });
    expect(instance(result, 'VI_2').vmac).toEqual({ name: null, mac: null, xmitBase: false });
  });

  it('a name another instance already uses is dropped from the later one', () => {
    const result = parse(
      [block('VI_1', 51, '  use_vmac shared'), block('VI_2', 52, '  use_vmac shared')].join('\n'),
    );
    expect(messages(result)).toEqual([
      '9 vrrp_instance VI_2: VRRP instance VI_1 is already using VMAC name shared: the name is ignored (a generated one is used), as keepalived ignores it',
    ]);
    expect(instance(result).vmac?.name).toBe('shared');
    expect(instance(result, 'VI_2').vmac?.name).toBeNull();
  });

  it('unicast sets vmac_xmit_base; vmac_xmit_base without use_vmac is ignored', () => {
    const peers = ['  unicast_src_ip 192.0.2.1', '  unicast_peer {', '    192.0.2.2', '  }'];
    const result = parse(
      [block('VI_1', 51, '  use_vmac', ...peers), block('VI_2', 52, '  vmac_xmit_base')].join('\n'),
    );
    expect(messages(result)).toEqual([
      '4 vrrp_instance VI_1: unicast with use_vmac requires vmac_xmit_base - setting it, as keepalived does',
      '16 vrrp_instance VI_2: vmac_xmit_base is only valid with a vmac - ignored, as keepalived ignores it',
    ]);
    expect(instance(result).vmac?.xmitBase).toBe(true);
    expect(instance(result, 'VI_2').vmac).toBeNull();
  });

  it('any unicast keyword sets vmac_xmit_base, even with no peer left (multicast): keepalived tests the keyword, not the peers', () => {
    for (const lines of [
      ['  unicast_peer {', '  }'],
      ['  unicast_src_ip 192.0.2.1'],
      ['  unicast_src_ip bogus'],
      ['  check_unicast_src'],
    ]) {
      const result = parse(block('VI_1', 51, '  use_vmac', ...lines));
      expect(messages(result), lines.join(' ')).toContain(
        '4 vrrp_instance VI_1: unicast with use_vmac requires vmac_xmit_base - setting it, as keepalived does',
      );
      expect(instance(result).unicastPeers, lines.join(' ')).toBeNull();
      expect(instance(result).vmac, lines.join(' ')).toEqual({ name: null, mac: null, xmitBase: true });
      // ...and the fallback to multicast is reported too ("A unicast keyword has been specified without any unicast peers").
      expect(
        messages(result).some((m) => /multicast/.test(m)),
        lines.join(' '),
      ).toBe(true);
    }
  });

  it('strict mode clears a configured MAC and vmac_xmit_base', () => {
    const result = parse(
      [
        'global_defs {',
        '  vrrp_strict',
        '}',
        block('VI_1', 51, '  use_vmac 02:00:00:00:00:09', '  vmac_xmit_base'),
      ].join('\n'),
    );
    expect(instance(result).vmac).toEqual({ name: null, mac: null, xmitBase: false });
    expect(messages(result).filter((m) => m.includes('strict mode'))).toHaveLength(2);
  });

  it('use_vmac_addr is read, and everything survives the configuration dump', () => {
    const text = [
      'global_defs {',
      '  vmac_prefix vm',
      '  vmac_addr_prefix va',
      '}',
      block('VI_1', 51, '  use_vmac vm51 02:00:00:00:00:09', '  vmac_xmit_base', '  use_vmac_addr'),
    ].join('\n');
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config.globals.vmacPrefix).toBe('vm');
    expect(result.config.globals.vmacAddrPrefix).toBe('va');
    expect(instance(result).useVmacAddr).toBe(true);
    const again = parse(modelToConfigText(result.config));
    expect(again.diagnostics).toEqual([]);
    expect(instance(again).vmac).toEqual({ name: 'vm51', mac: '02:00:00:00:00:09', xmitBase: true });
    expect(instance(again).useVmacAddr).toBe(true);
    expect(again.config.globals.vmacPrefix).toBe('vm');
  });
});

describe('use_vmac on a virtual_ipaddress line', () => {
  const withVips = (name: string, vrid: number, head: string[], vips: string[]) =>
    [
      `vrrp_instance ${name} {`,
      '  interface eth0',
      `  virtual_router_id ${vrid}`,
      ...head,
      '  virtual_ipaddress {',
      ...vips.map((v) => `    ${v}`),
      '  }',
      '}',
    ].join('\n');

  it('marks that address alone, and survives the configuration dump', () => {
    const result = parse(withVips('VI_1', 51, [], ['192.0.2.254/24 use_vmac', '192.0.2.253/24']));
    expect(result.diagnostics).toEqual([]);
    expect(instance(result).vips.map((v) => [v.address, v.useVmac === true])).toEqual([
      ['192.0.2.254', true],
      ['192.0.2.253', false],
    ]);
    const again = parse(modelToConfigText(result.config));
    expect(instance(again).vips.map((v) => v.useVmac === true)).toEqual([true, false]);
  });

  it('is dropped with a warning where the instance already puts the address on a VMAC, as keepalived', () => {
    // keepalived 2.2.7: "(VI_2) use_vmac specified for VIP/eVIP 192.0.2.252/24 and vrrp instance",
    // and "use_vmac_addr specified and use_vmac specified" for an address on another interface.
    const text = [
      withVips('VI_2', 52, ['  use_vmac'], ['192.0.2.252/24 use_vmac']),
      withVips('VI_3', 53, ['  use_vmac_addr'], ['192.0.2.251/24', '198.51.100.1/24 dev eth1 use_vmac']),
    ].join('\n');
    const result = parse(text);
    expect(messages(result)).toEqual([
      "6 vrrp_instance VI_2: use_vmac on 192.0.2.252 and on the instance - the address is on the instance's VMAC, as keepalived puts it",
      '15 vrrp_instance VI_3: use_vmac on 198.51.100.1 with use_vmac_addr on the instance - use_vmac_addr already gives it a VMAC, as keepalived does',
    ]);
    expect(instance(result, 'VI_2').vips[0]!.useVmac).toBe(false);
    expect(instance(result, 'VI_3').vips[1]!.useVmac).toBe(false);
  });

  it('is an unknown word on a static_ipaddress line (keepalived reads it on virtual addresses only)', () => {
    const result = parse(['static_ipaddress {', '  192.0.2.10/24 dev eth0 use_vmac', '}'].join('\n'));
    expect(messages(result)).toEqual([
      "2 static_ipaddress: unknown option 'use_vmac': ignored, and the address is kept, as keepalived keeps it",
    ]);
    expect(result.config.statics.addresses.map((v) => v.useVmac === true)).toEqual([false]);
  });
});
