// Routes written with `vrf NAME` (keepalived 2.2.7 vrrp_iproute.c): the VRF's table, looked up
// where the host's links are known (vrrpd -t, the daemon at each load); a name that is no VRF or
// no interface drops the route, even when a later `table` wins. The lookup of a real VRF's table
// over rtnetlink is test/kernel/vrf.test.ts (skipped where the kernel has no VRF).
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { resolveRouteVrfs } from '../../src/config/finish/route-vrfs.js';
import { DiagnosticSink } from '../../src/config/report/diagnostics.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import { routeSpecOf } from '../../src/daemon/virtual-resources.js';

const text = (...routes: string[]): string =>
  [
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '  virtual_routes {',
    ...routes.map((r) => `    ${r}`),
    '  }',
    '}',
    'static_routes {',
    '  203.0.113.0/24 dev eth0 vrf blue',
    '}',
  ].join('\n');

const host = { names: new Set(['eth0', 'blue']), vrfTables: new Map([['blue', 1001]]) };

describe('route vrf NAME', () => {
  const lines = [
    '198.51.100.0/26 dev eth0 vrf blue',
    '198.51.100.64/26 dev eth0 vrf blue table 100',
    '198.51.100.128/26 dev eth0 table 100 vrf blue',
    '198.51.100.192/26 dev eth0 vrf eth0',
    '2001:db8:1::/48 dev eth0 vrf red table 100',
  ];

  it('keeps the name offline, and the dump reads back the same', () => {
    const result = parseConfigText(text(...lines), { file: 'vrf.conf' });
    const routes = result.config.instances[0]!.virtualRoutes;
    expect(routes.map((r) => [r.vrf?.name, r.vrf?.tableWins, r.table])).toEqual([
      ['blue', false, null],
      ['blue', true, 100],
      ['blue', false, 100],
      ['eth0', false, null],
      ['red', true, 100],
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const again = parseConfigText(modelToConfigText(result.config), { file: 'again.conf' });
    expect(again.config.instances[0]!.virtualRoutes.map((r) => [r.vrf, r.table])).toEqual(
      routes.map((r) => [r.vrf && { ...r.vrf, source: expect.anything() }, r.table]),
    );
    // The daemon never installs a route whose VRF it has not resolved.
    expect(() => routeSpecOf(routes[0]!, () => 2)).toThrow(/VRF blue/);
  });

  it('takes the VRF table (a later table wins) and drops what keepalived drops, on the host', () => {
    const parsed = parseConfigText(text(...lines), { file: 'vrf.conf' });
    const sink = new DiagnosticSink();
    const config = resolveRouteVrfs(parsed.config, host, sink);
    expect(config.instances[0]!.virtualRoutes.map((r) => [r.to, r.table, r.vrf])).toEqual([
      ['198.51.100.0/26', 1001, undefined],
      ['198.51.100.64/26', 100, undefined],
      ['198.51.100.128/26', 1001, undefined],
    ]);
    expect(config.statics.routes.map((r) => r.table)).toEqual([1001]);
    expect(sink.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [
        11,
        'VRRPD_W_CONFIG_VALUE',
        expect.stringMatching(/^virtual_routes: route specified VRF eth0 is not a VRF/),
      ],
      [12, 'VRRPD_W_CONFIG_VALUE', expect.stringMatching(/^virtual_routes: VRF red not found for route/)],
    ]);
    expect(routeSpecOf(config.instances[0]!.virtualRoutes[0]!, () => 2).table).toBe(1001);
  });

  it('vrrpd -t resolves them with the links the shell listed', () => {
    const result = parseConfig({
      entryFile: 'vrf.conf',
      configId: 'r1',
      files: { readFile: () => ({ ok: true, text: text(lines[0]!) }), listDirectory: () => null },
      interfaces: host.names,
      vrfTables: host.vrfTables,
    });
    expect(result.config.instances[0]!.virtualRoutes[0]!.table).toBe(1001);
    expect(result.diagnostics).toEqual([]);
  });
});
