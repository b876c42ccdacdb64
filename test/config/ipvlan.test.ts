// use_ipvlan as keepalived 2.2.7 reads it (vrrp_parser.c's ipvlan handler, vrrp.c's completion of
// the instance): the model it gives, and a warning exactly where keepalived reports one (checked
// with `keepalived -t`: each reported case exits 5 there, the silent ones 0).
import { describe, expect, it } from 'vitest';
import { parseConfigText, type ParseConfigResult } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import type { InstanceModel } from '../../src/config/model/types.js';
import { keepalivedReportsToo } from '../../src/config/report/diagnostics.js';
import { planInstance } from '../../src/daemon/plan.js';

const FILE = '/etc/keepalived/keepalived.conf';

function parse(text: string): ParseConfigResult {
  return parseConfigText(text, { file: FILE });
}

function block(lines: string[], vip = '192.0.2.90/24', name = 'VI_1', vrid = 90): string {
  return [
    `vrrp_instance ${name} {`,
    '  interface eth1',
    `  virtual_router_id ${vrid}`,
    ...lines,
    '  virtual_ipaddress {',
    `    ${vip}`,
    '  }',
    '}',
  ].join('\n');
}

function instance(result: ParseConfigResult, name = 'VI_1'): InstanceModel {
  const found = result.config.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no ${name}: ${JSON.stringify(result.diagnostics)}`);
  return found;
}

/** "LINE message" of each diagnostic keepalived reports too (its -t then exits 5). */
const reported = (result: ParseConfigResult) =>
  result.diagnostics
    .filter(keepalivedReportsToo)
    // Without what vrrpd then does (": skipped, as keepalived skips it").
    .map((d) => `${d.line} ${d.message.replace(/: (skipped|ignored|the name is ignored)\b.*$/, '')}`);

describe('use_ipvlan', () => {
  it('with an address: bridge by default, the address the source, no warning (keepalived -t: 0)', () => {
    const result = parse(block(['  use_ipvlan 192.0.2.10/24']));
    expect(result.diagnostics).toEqual([]);
    const model = instance(result);
    expect(model.ipvlan).toEqual({
      name: null,
      address: { address: '192.0.2.10', prefix: 24, family: 'ipv4' },
      mode: 'bridge',
      holdsVips: false,
    });
    expect(model.configFault).toBeNull();
    const plan = planInstance(model, result.config);
    expect(plan.configuredSource).toBe('192.0.2.10');
    // The virtual addresses stay on the interface (keepalived's dump: "dev eth1").
    expect(plan.vips.map((v) => v.dev)).toEqual([null]);
  });

  it('takes name, address and kind in any order; an address without length is a host address', () => {
    const a = parse(block(['  use_ipvlan private ipv1 192.0.2.10']));
    expect(a.diagnostics).toEqual([]);
    expect(instance(a).ipvlan).toEqual({
      name: 'ipv1',
      address: { address: '192.0.2.10', prefix: 32, family: 'ipv4' },
      mode: 'private',
      holdsVips: false,
    });
    // keepalived compares the kinds exactly: PRIVATE is a name.
    const b = parse(block(['  use_ipvlan 192.0.2.10/24 PRIVATE']));
    expect(b.diagnostics).toEqual([]);
    expect(instance(b).ipvlan).toMatchObject({ name: 'PRIVATE', mode: 'bridge' });
  });

  it('reports a second kind, address or name and a name too long, and skips them', () => {
    const result = parse(
      block(['  use_ipvlan ipv1 192.0.2.10/24 private bridge 192.0.2.11/24 ipv2 abcdefghijklmnopq']),
    );
    expect(reported(result)).toEqual([
      "4 use_ipvlan: ipvlan type already specified - 'bridge'",
      "4 use_ipvlan: ipvlan address already specified - '192.0.2.11/24'",
      "4 use_ipvlan: IPVLAN interface already specified - 'ipv2'",
      "4 use_ipvlan: IPVLAN interface already specified - 'abcdefghijklmnopq'",
    ]);
    expect(instance(result).ipvlan).toEqual({
      name: 'ipv1',
      address: { address: '192.0.2.10', prefix: 24, family: 'ipv4' },
      mode: 'private',
      holdsVips: false,
    });
    const long = parse(block(['  use_ipvlan abcdefghijklmnopq 192.0.2.10']));
    expect(reported(long)).toEqual(["4 use_ipvlan: IPVLAN interface name 'abcdefghijklmnopq' too long"]);
    expect(instance(long).ipvlan?.name).toBeNull();
  });

  it('a second use_ipvlan is reported and ignored', () => {
    const result = parse(block(['  use_ipvlan 192.0.2.10', '  use_ipvlan 192.0.2.11']));
    expect(reported(result)).toHaveLength(1);
    expect(reported(result)[0]).toMatch(/^5 'use_ipvlan' is repeated .* the first one is kept/);
    expect(instance(result).ipvlan?.address?.address).toBe('192.0.2.10');
  });

  it('IPv4 without an address: runs, in FAULT for good, reported (keepalived: "setting instance to fault state")', () => {
    for (const line of ['  use_ipvlan', '  use_ipvlan ipv1', '  use_ipvlan 192.0.2.300']) {
      const result = parse(block([line]));
      expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
      expect(reported(result)).toEqual([
        "4 vrrp_instance VI_1: an IPv4 ipvlan requires an address (its adverts' source) - the instance stays in FAULT, as keepalived keeps it",
      ]);
      expect(instance(result).configFault).toBe('IPv4 use_ipvlan without an address');
    }
  });

  it('IPv6 runs without an address (the link-local source), with one it is the source', () => {
    const bare = parse(block(['  use_ipvlan'], '2001:db8::90/64'));
    expect(bare.diagnostics).toEqual([]);
    expect(instance(bare).configFault).toBeNull();
    expect(planInstance(instance(bare), bare.config).configuredSource).toBeNull();
    const withAddress = parse(block(['  use_ipvlan 2001:DB8::10/64'], '2001:db8::90/64'));
    expect(withAddress.diagnostics).toEqual([]);
    expect(planInstance(instance(withAddress), withAddress.config).configuredSource).toBe('2001:db8::10');
  });

  it('the first address decides the family: an IPv6 ipvlan address first drops the IPv4 addresses', () => {
    // keepalived: "address family must match VRRP instance [192.0.2.90/24] - ignoring", then no
    // address left in an IPv6 instance, which it refuses.
    const result = parse(block(['  use_ipvlan 2001:db8::10']));
    expect(result.config.instances).toEqual([]);
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    // Written after the addresses, the ipvlan's address is the one skipped.
    const after = parse(
      [
        'vrrp_instance VI_1 {',
        '  interface eth1',
        '  virtual_router_id 90',
        '  virtual_ipaddress {',
        '    192.0.2.90/24',
        '  }',
        '  use_ipvlan 2001:db8::10',
        '}',
      ].join('\n'),
    );
    expect(reported(after)).toEqual([
      '7 use_ipvlan address 2001:db8::10 is IPv6 but vrrp_instance VI_1 is IPv4',
      "7 vrrp_instance VI_1: an IPv4 ipvlan requires an address (its adverts' source) - the instance stays in FAULT, as keepalived keeps it",
    ]);
  });

  it('unicast: both of keepalived’s vmac_xmit_base lines are reported as one; the source is the ipvlan’s', () => {
    const result = parse(block(['  use_ipvlan 192.0.2.10/24', '  unicast_peer {', '    192.0.2.2', '  }']));
    expect(reported(result)).toEqual([
      '4 vrrp_instance VI_1: unicast with use_ipvlan - keepalived sets vmac_xmit_base and clears it again (only valid with a VMAC), so the adverts are sent and received on the ipvlan',
    ]);
    expect(planInstance(instance(result), result.config).configuredSource).toBe('192.0.2.10');
    // A configured source wins, whichever line comes first (keepalived's src handlers overwrite it).
    const source = parse(
      block([
        '  use_ipvlan 192.0.2.10/24',
        '  unicast_src_ip 192.0.2.1',
        '  unicast_peer {',
        '    192.0.2.2',
        '  }',
      ]),
    );
    expect(planInstance(instance(source), source.config).configuredSource).toBe('192.0.2.1');
    const mcast = parse(block(['  mcast_src_ip 192.0.2.1', '  use_ipvlan 192.0.2.10/24']));
    expect(mcast.diagnostics).toEqual([]);
    expect(planInstance(instance(mcast), mcast.config).configuredSource).toBe('192.0.2.1');
  });

  it('vmac_xmit_base with it is reported as keepalived reports it (only valid with a vmac)', () => {
    const result = parse(block(['  use_ipvlan 192.0.2.10/24', '  vmac_xmit_base']));
    expect(reported(result)).toEqual([
      '5 vrrp_instance VI_1: vmac_xmit_base is only valid with a vmac - ignored, as keepalived ignores it',
    ]);
  });

  it('with use_vmac: an ipvlan and no VMAC, holding the addresses (keepalived -t silent)', () => {
    const result = parse(block(['  use_vmac', '  use_ipvlan 192.0.2.10/24']));
    expect(reported(result)).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(instance(result).vmac).toBeNull();
    expect(instance(result).ipvlan).toMatchObject({ holdsVips: true });
  });

  it('two instances cannot share a name (keepalived: "is already using ... ignoring name")', () => {
    const result = parse(
      [
        block(['  use_ipvlan ipv1 192.0.2.10/24']),
        block(['  use_ipvlan ipv1 198.51.100.10/24'], '198.51.100.90/24', 'VI_2', 91),
      ].join('\n'),
    );
    expect(reported(result)).toEqual([
      '9 vrrp_instance VI_2: VRRP instance VI_1 is already using ipvlan name ipv1',
    ]);
    expect(instance(result, 'VI_2').ipvlan?.name).toBeNull();
  });

  it('is written back by the serializer and parses to the same model', () => {
    const result = parse(block(['  use_ipvlan ipv1 192.0.2.10/24 vepa']));
    const again = parse(modelToConfigText(result.config));
    expect(instance(again).ipvlan).toEqual(instance(result).ipvlan);
  });
});
