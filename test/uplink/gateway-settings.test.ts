// `vrrpd: gateways: ID:` (per-gateway probe settings) as parsed and checked, the settings each
// gateway ends up with, and the pure probe schedule (interval, failure_interval, recovery_interval).

import { describe, expect, it } from 'vitest';
import { DiagnosticSink, formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../src/config/netgwm/parse.js';
import { gatewayProbeSettings } from '../../src/config/netgwm/gateway-probes.js';
import type { NetgwmConfig } from '../../src/config/netgwm/types.js';
import { policyConfigFrom } from '../../src/daemon/uplinks/policy-config.js';
import { initialHealth } from '../../src/uplink/health.js';
import { dueGateways, nextRoundAt, probeIntervalMs } from '../../src/uplink/probe-schedule.js';
import { createSelectorState, stepUplinks } from '../../src/uplink/policy.js';
import { policyConfig, roundOf, THREE_OPERATORS } from './policy-helpers.js';

const FILE = '/etc/netgwm/netgwm.yml';
const BASE = `gateways:
  isp1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  isp2: {ip: 203.0.113.1, dev: eth2, priority: 2}
  isp3: {dev: ppp0, priority: 3}
check_sites: [192.0.2.10, 192.0.2.11]
vrrpd:
`;

function parse(vrrpd: string): { config: NetgwmConfig | null; messages: string[] } {
  const sink = new DiagnosticSink();
  const config = parseNetgwmConfig(`${BASE}${vrrpd}`, FILE, sink);
  return { config, messages: sink.diagnostics.flatMap((d) => formatDiagnostic(d)) };
}

describe('vrrpd: gateways: per-gateway settings', () => {
  it('fills in the section values where a gateway says nothing', () => {
    const { config, messages } = parse(`  interval: 2
  failure_interval: 0.5
  count: 3
  gateways:
    isp1:
      track_ip: [192.0.2.50, 192.0.2.51]
      timeout: 0.2
      rise: 5
    isp2: {probe: tcp, port: 443, interval: 1, recovery_interval: 0.25, quorum: 2}
    isp3: {probe: dns, dns_query: example.org}
`);
    expect(messages).toEqual([]);
    const cfg = config as NetgwmConfig;
    expect(gatewayProbeSettings(cfg, 'isp1')).toMatchObject({
      method: 'icmp',
      trackIps: ['192.0.2.50', '192.0.2.51'],
      count: 3,
      timeoutMs: 200,
      intervalMs: 2000,
      failureIntervalMs: 500,
      recoveryIntervalMs: 2000,
      rise: 5,
      fall: 3,
      quorum: 1,
    });
    expect(gatewayProbeSettings(cfg, 'isp2')).toMatchObject({
      method: 'tcp',
      port: 443,
      trackIps: null,
      intervalMs: 1000,
      recoveryIntervalMs: 250,
      // The section's default timeout (1 s) shrinks to this gateway's shortest interval.
      timeoutMs: 250,
      quorum: 2,
    });
    expect(gatewayProbeSettings(cfg, 'isp3')).toMatchObject({
      method: 'dns',
      port: 53,
      dnsQuery: 'example.org',
    });
    // The policy gets each gateway's own counters.
    const policy = policyConfigFrom(cfg);
    expect(policy.gateways.map((g) => [g.id, g.rise, g.fall, g.quorum])).toEqual([
      ['isp1', 5, 3, 1],
      ['isp2', 2, 3, 2],
      ['isp3', 2, 3, 1],
    ]);
  });

  it('reports every mistake on the key to change', () => {
    const { config, messages } = parse(`  interval: 1
  gateways:
    isp9: {count: 2}
    isp1: {probe: tcp, timeout: 2, quorum: 3, dns_query: x.example}
    isp2: {probe: ping, track_ip: [example.org]}
    isp3: {probe: arp, port: 80, colour: red}
`);
    expect(config).toBeNull();
    expect(messages).toEqual([
      `${FILE}:11: error: expected one of icmp, arp, tcp, dns, got 'ping' (key path: vrrpd.gateways.isp2.probe) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:11: error: expected an IPv4 or IPv6 address, got 'example.org' (key path: vrrpd.gateways.isp2.track_ip[0]) [VRRPD_E_CONFIG_VALUE]`,
      '  hint: track_ip takes addresses, not names: a probe must not depend on DNS through the uplink it checks',
      `${FILE}:12: error: unknown key 'colour' in vrrpd.gateways.isp3 (key path: vrrpd.gateways.isp3.colour) [VRRPD_E_CONFIG_KEYWORD]`,
    ]);
    const second = parse(`  interval: 1
  gateways:
    isp9: {count: 2}
    isp1: {probe: tcp, timeout: 2, quorum: 3, dns_query: x.example}
    isp3: {probe: arp, port: 80}
`);
    expect(second.messages).toEqual([
      `${FILE}:9: error: vrrpd.gateways names 'isp9', which is not one of the gateways (key path: vrrpd.gateways.isp9) [VRRPD_E_CONFIG_REFERENCE]`,
      "  hint: did you mean 'isp1'?",
      `${FILE}:10: error: timeout (2 s) is longer than this gateway's shortest interval (1 s) (key path: vrrpd.gateways.isp1.timeout) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:10: error: quorum 3 is more than this gateway's 2 check sites (key path: vrrpd.gateways.isp1.quorum) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:10: error: the tcp probe needs a port (key path: vrrpd.gateways.isp1.probe) [VRRPD_E_CONFIG_VALUE]`,
      '  hint: e.g. port: 443',
      `${FILE}:10: error: dns_query is only used by the dns probe, not tcp (key path: vrrpd.gateways.isp1.dns_query) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:11: error: port is only used by the tcp and dns probes, not arp (key path: vrrpd.gateways.isp3.port) [VRRPD_E_CONFIG_VALUE]`,
      `${FILE}:11: error: the arp probe asks the gateway itself: it needs both ip and dev (key path: vrrpd.gateways.isp3.probe) [VRRPD_E_CONFIG_VALUE]`,
    ]);
  });

  it('requires the section timeout to fit in the shortest interval', () => {
    const { messages } = parse(`  timeout: 0.5\n  failure_interval: 0.2\n`);
    expect(messages[0]).toContain('timeout (0.5 s) is longer than the shortest interval (0.2 s)');
    expect(parse(`  failure_interval: 0.2\n`).config?.timeoutMs).toBe(200);
  });
});

describe('probe schedule', () => {
  const intervals = { intervalMs: 1000, failureIntervalMs: 200, recoveryIntervalMs: 300 };

  it('probes faster while a gateway is changing state, at interval otherwise', () => {
    const health = initialHealth('a');
    expect(probeIntervalMs(intervals, undefined)).toBe(1000);
    expect(probeIntervalMs(intervals, health)).toBe(1000);
    expect(probeIntervalMs(intervals, { ...health, state: 'UP' })).toBe(1000);
    expect(probeIntervalMs(intervals, { ...health, state: 'UP', consecutiveFailures: 1 })).toBe(200);
    expect(probeIntervalMs(intervals, { ...health, state: 'DOWN', consecutiveFailures: 4 })).toBe(1000);
    expect(probeIntervalMs(intervals, { ...health, state: 'DOWN', consecutiveSuccesses: 1 })).toBe(300);
  });

  it('gathers gateways due within a few milliseconds into one round', () => {
    const due = new Map([
      ['a', 1000],
      ['b', 1010],
      ['c', 1500],
    ]);
    expect(dueGateways(['a', 'b', 'c', 'new'], due, 1000)).toEqual(['a', 'b', 'new']);
    expect(nextRoundAt(['a', 'b', 'c'], due, 9999)).toBe(1000);
    expect(nextRoundAt(['a', 'new'], due, 9999)).toBe(-Infinity);
    expect(nextRoundAt([], due, 9999)).toBe(9999);
  });

  it('judges only the gateways a round probed; the others keep their state', () => {
    const config = policyConfig({ rise: 1, fall: 1 });
    let state = createSelectorState(config, { role: 'standalone', active: null, persisted: null });
    state = stepUplinks(
      config,
      state,
      roundOf({ operator1: true, operator2: true, operator3: true }),
      0,
    ).state;
    const partial = stepUplinks(config, state, roundOf({ operator2: false }), 100);
    expect(partial.state.gateways.map((g) => [g.id, g.state])).toEqual([
      ['operator1', 'UP'],
      ['operator2', 'DOWN'],
      ['operator3', 'UP'],
    ]);
    expect(partial.state.gateways[0]).toBe(state.gateways[0]);
  });

  it('uses a gateway’s own rise and fall', () => {
    const gateways = THREE_OPERATORS.map((g) => (g.id === 'operator1' ? { ...g, fall: 1, rise: 3 } : g));
    const config = policyConfig({ gateways, rise: 1, fall: 5 });
    let state = createSelectorState(config, { role: 'standalone', active: null, persisted: null });
    const all = (ok: boolean) => roundOf({ operator1: ok, operator2: ok, operator3: ok });
    state = stepUplinks(config, state, all(true), 0).state;
    state = stepUplinks(config, state, all(false), 1000).state;
    expect(state.gateways.map((g) => g.state)).toEqual(['DOWN', 'UP', 'UP']);
    state = stepUplinks(config, state, all(true), 2000).state;
    state = stepUplinks(config, state, all(true), 3000).state;
    expect(state.gateways[0]?.state).toBe('DOWN');
    state = stepUplinks(config, state, all(true), 4000).state;
    expect(state.gateways[0]?.state).toBe('UP');
  });
});
