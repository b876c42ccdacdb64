// `vrf` on an instance, as keepalived 2.2.7 reads it (vrrp_parser.c, vrrp.c): it would bind an
// interface-less unicast instance to a VRF, but 2.2.7 refuses those; with `interface` the vrf is
// ignored, and one written before `interface` is first looked up (observed with keepalived -t in a
// namespace: a missing device refuses the file).
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';

function parse(lines: string[], interfaces?: ReadonlySet<string>, dynamic = false) {
  const text = [
    ...(dynamic ? ['global_defs {', '  dynamic_interfaces', '}'] : []),
    'vrrp_instance VI_1 {',
    ...lines,
    '  virtual_router_id 42',
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '}',
  ].join('\n');
  return parseConfigText(text, { file: '/k.conf', configId: 'a', ...(interfaces ? { interfaces } : {}) });
}

const said = (result: ReturnType<typeof parse>): string[] =>
  result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}: ${d.message}`);

describe('vrf on an instance', () => {
  it('after interface: ignored at once, nothing looked up', () => {
    const result = parse(['  interface eth0', '  vrf blue'], new Set(['eth0']));
    expect(said(result)).toEqual([
      'warning VRRPD_W_CONFIG_ADJUSTED 3: vrrp_instance VI_1: cannot specify VRF interface and interface - vrf blue is ignored, as keepalived ignores it',
    ]);
    expect(result.ok).toBe(true);
    expect(result.config.instances[0]!.vrfLookup).toBeUndefined();
  });

  it('before interface: looked up, then cleared; a missing device refuses the file', () => {
    const onHost = parse(['  vrf blue', '  interface eth0'], new Set(['eth0', 'blue']));
    expect(said(onHost)).toEqual([
      'warning VRRPD_W_CONFIG_ADJUSTED 2: vrrp_instance VI_1: vrf can only be specified without interface - vrf blue is cleared, as keepalived clears it',
    ]);
    expect(onHost.ok).toBe(true);
    expect(onHost.config.instances[0]!.vrfLookup).toMatchObject({ name: 'blue', source: { line: 2 } });

    const missing = parse(['  vrf blue', '  interface eth0'], new Set(['eth0']));
    expect(missing.ok).toBe(false);
    expect(said(missing)).toContain(
      "error VRRPD_E_CONFIG_INTERFACE 2: interface 'blue' (vrf of vrrp_instance VI_1) does not exist on this host: keepalived refuses to run this configuration",
    );
    // dynamic_interfaces: keepalived makes a placeholder; the vrf is cleared all the same.
    const dynamic = parse(['  vrf blue', '  interface eth0'], new Set(['eth0']), true);
    expect(dynamic.ok).toBe(true);
    expect(dynamic.diagnostics.map((d) => d.code)).toEqual(['VRRPD_W_CONFIG_ADJUSTED']);
  });

  it('the loopback and a name too long are ignored before any lookup', () => {
    const lo = parse(['  vrf lo', '  interface eth0'], new Set(['eth0']));
    expect(said(lo)).toEqual([
      'warning VRRPD_W_CONFIG_ADJUSTED 2: vrrp_instance VI_1: cannot use a loopback interface (lo) for VRF - ignored, as keepalived ignores it',
    ]);
    const long = parse(['  interface eth0', '  vrf abcdefghijklmnop'], new Set(['eth0']));
    expect(said(long)).toEqual([
      "warning VRRPD_W_CONFIG_ADJUSTED 3: vrrp_instance VI_1: VRF interface name 'abcdefghijklmnop' too long - ignored, as keepalived ignores it",
    ]);
    expect(lo.ok && long.ok).toBe(true);
  });

  it('the rendered file keeps a looked-up vrf before interface', () => {
    const text = modelToConfigText(parse(['  vrf blue', '  interface eth0']).config);
    expect(text.indexOf('vrf blue')).toBeGreaterThan(-1);
    expect(text.indexOf('vrf blue')).toBeLessThan(text.indexOf('interface eth0'));
    const again = parseConfigText(text, { file: '/r.conf', configId: 'a', interfaces: new Set(['eth0']) });
    expect(again.ok).toBe(false);
  });
});
