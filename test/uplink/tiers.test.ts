// Gateway tiers (pfSense gateway groups) in the pure policy: a weighted multipath route over the
// healthy gateways of the best tier, failover to the next tier when none is left, fail-back and
// joining damped by min_uptime, blips that do not drop a member, pinning, and the kernel route
// read back (a multipath route is ours when its next hops are the members). Plus the config keys.

import { describe, expect, it } from 'vitest';
import { DiagnosticSink, formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../src/config/netgwm/parse.js';
import { policyConfigFrom } from '../../src/daemon/uplinks/policy-config.js';
import { createSelectorState, stepUplinks } from '../../src/uplink/policy.js';
import { matchRouteMembers } from '../../src/uplink/route-match.js';
import { uplinkStatuses } from '../../src/uplink/status.js';
import type { SelectorState, UplinkAction, UplinkEvent, UplinkPolicyConfig } from '../../src/uplink/types.js';
import { gateway, policyConfig, roundOf } from './policy-helpers.js';
import { stickyFlowsRemoval, stickyFlowsScript, stickyTableName } from '../../src/uplink/sticky-flows.js';
import { StickyFlows } from '../../src/daemon/uplinks/sticky-flows.js';
import { UplinkReporter } from '../../src/daemon/uplinks/reporting.js';
import { callbackLogger } from '../../src/runtime/log.js';

const TIERED = [
  { ...gateway('fibre', 1, '198.51.100.1', 'eth1'), tier: 1, weight: 3 },
  { ...gateway('cable', 2, '198.51.100.17', 'eth2'), tier: 1, weight: 1 },
  { ...gateway('lte', 3, '198.51.100.33', 'eth3'), tier: 2 },
];

type Up = Record<'fibre' | 'cable' | 'lte', boolean>;

function driver(overrides: Partial<UplinkPolicyConfig> = {}) {
  const config = policyConfig({ gateways: TIERED, minUptimeMs: 3000, rise: 1, fall: 1, ...overrides });
  let state: SelectorState = createSelectorState(config, {
    role: 'standalone',
    active: null,
    persisted: null,
  });
  let now = 0;
  const step = (event: UplinkEvent): UplinkAction[] => {
    const result = stepUplinks(config, state, event, now);
    state = result.state;
    return result.actions;
  };
  const round = (up: Up): UplinkAction[] => {
    now += 1000;
    return step(roundOf(up));
  };
  /** Each route written: `id` for a single next hop, `id*weight …` for a multipath one. */
  const route = (actions: UplinkAction[]): string[] =>
    actions.flatMap((a) => {
      if (a.type !== 'replaceDefaultRoute') return [];
      if (!a.nexthops) return [a.gateway.id];
      return [a.nexthops.map((h) => `${h.gateway.id}*${h.weight}`).join(' ')];
    });
  return { config, step, round, route, state: () => state };
}

const ALL: Up = { fibre: true, cable: true, lte: true };

describe('gateway tiers', () => {
  it('spreads over the whole best tier by weight, and fails over tier by tier', () => {
    const d = driver();
    expect(d.route(d.round(ALL))).toEqual(['fibre*3 cable*1']);
    expect(d.state().members).toEqual(['fibre', 'cable']);
    // One member down: the route keeps the rest of the tier.
    const first = d.round({ ...ALL, fibre: false });
    expect(d.route(first)).toEqual(['cable']);
    expect(first.find((a) => a.type === 'runHooks')).toEqual({
      type: 'runHooks',
      args: ['cable', '198.51.100.17', 'eth2', 'fibre', '198.51.100.1', 'eth1'],
    });
    // The whole tier down: tier 2.
    expect(d.route(d.round({ fibre: false, cable: false, lte: true }))).toEqual(['lte']);
    expect(uplinkStatuses('G', d.config, d.state()).map((s) => [s.id, s.active])).toEqual([
      ['fibre', false],
      ['cable', false],
      ['lte', true],
    ]);
  });

  it('returns to a better tier, and lets a gateway rejoin, only once stable for min_uptime', () => {
    const d = driver();
    d.round(ALL);
    d.round({ fibre: false, cable: false, lte: true });
    // Cable is back but has flap memory: tier 2 stays until it has been healthy for min_uptime.
    expect(d.route(d.round({ fibre: false, cable: true, lte: true }))).toEqual([]);
    expect(d.route(d.round({ fibre: false, cable: true, lte: true }))).toEqual([]);
    expect(d.route(d.round({ fibre: false, cable: true, lte: true }))).toEqual([]);
    expect(d.route(d.round({ fibre: false, cable: true, lte: true }))).toEqual(['cable']);
    expect(d.state().members).toEqual(['cable']);
    // Fibre comes back: it joins the tier once stable, not before.
    expect(d.route(d.round(ALL))).toEqual([]);
    for (let i = 0; i < 2; i++) expect(d.route(d.round(ALL))).toEqual([]);
    expect(d.route(d.round(ALL))).toEqual(['fibre*3 cable*1']);
  });

  it('keeps a member that only blipped (still UP), and a pin still names one gateway', () => {
    const d = driver({ fall: 3 });
    d.round(ALL);
    expect(d.route(d.round({ ...ALL, cable: false }))).toEqual([]);
    expect(d.route(d.round(ALL))).toEqual([]);
    expect(d.state().members).toEqual(['fibre', 'cable']);
    expect(d.route(d.step({ type: 'pin', gateway: 'lte' }))).toEqual(['lte']);
    // Unpinned: back to tier 1, without cable, whose blip is younger than min_uptime.
    expect(d.route(d.step({ type: 'pin', gateway: null }))).toEqual(['fibre']);
  });

  it('reads a multipath kernel route back as its members; a changed one is repaired', () => {
    const d = driver();
    d.round(ALL);
    const route = {
      gateway: null,
      dev: null,
      nexthops: [
        { gateway: '198.51.100.17', dev: 'eth2' },
        { gateway: '198.51.100.1', dev: 'eth1' },
      ],
    };
    const members = matchRouteMembers(TIERED, route);
    expect(members).toEqual(['cable', 'fibre']);
    expect(d.step({ type: 'kernelRoute', gatewayId: null, present: true, members })).toEqual([]);
    const repaired = d.step({ type: 'kernelRoute', gatewayId: 'lte', present: true, members: ['lte'] });
    expect(d.route(repaired)).toEqual(['fibre*3 cable*1']);
  });
});

describe('tier and weight in netgwm.yml', () => {
  const BASE = `gateways:
  a: {ip: 198.51.100.1, priority: 1}
  b: {ip: 198.51.100.17, priority: 2}
check_sites: [192.0.2.10]
vrrpd:
  gateways:
`;
  const parse = (text: string) => {
    const sink = new DiagnosticSink();
    const config = parseNetgwmConfig(`${BASE}${text}`, '/n.yml', sink);
    return { config, messages: sink.diagnostics.flatMap((d) => formatDiagnostic(d)) };
  };

  it('passes tiers and weights to the policy', () => {
    const { config, messages } = parse('    a: {tier: 1, weight: 4}\n    b: {tier: 2}\n');
    expect(messages).toEqual([]);
    expect(policyConfigFrom(config!).gateways.map((g) => [g.id, g.tier, g.weight])).toEqual([
      ['a', 1, 4],
      ['b', 2, undefined],
    ]);
  });

  it('wants a tier on every gateway or none, and weight only with tiers', () => {
    expect(parse('    a: {tier: 1}\n').messages).toEqual([
      '/n.yml:7: error: gateways b have no tier while a do (key path: vrrpd.gateways) [VRRPD_E_CONFIG_MISSING]',
      '  hint: give every gateway a tier (1 is the best), or none for NetGWM selection by priority',
    ]);
    expect(parse('    a: {weight: 2}\n').messages).toEqual([
      '/n.yml:7: error: weight is only used with tiers (a multipath route inside a tier) (key path: vrrpd.gateways.a.weight) [VRRPD_E_CONFIG_VALUE]',
    ]);
  });
});

describe('sticky flows (nftables script)', () => {
  const gateways = [
    { id: 'fibre', ip: '198.51.100.1', dev: 'eth1', mark: 0x76720001 },
    { id: 'ppp', ip: null, dev: 'ppp0', mark: 0x76720002 },
  ];

  it('marks new connections per gateway and restores the marks of the UP ones only', () => {
    const script = stickyFlowsScript(stickyTableName('ISP-1'), 'ipv4', gateways, ['ppp']);
    expect(script.split('\n')).toEqual([
      'table inet vrrpd_uplinks_ISP_1',
      'delete table inet vrrpd_uplinks_ISP_1',
      'table inet vrrpd_uplinks_ISP_1 {',
      '  chain postrouting {',
      '    type filter hook postrouting priority mangle; policy accept;',
      '    meta nfproto ipv4 ct state new ct mark 0 oifname "eth1" rt ip nexthop 198.51.100.1 ct mark set 0x76720001',
      '    meta nfproto ipv4 ct state new ct mark 0 oifname "ppp0" ct mark set 0x76720002',
      '  }',
      '  chain prerouting {',
      '    type filter hook prerouting priority mangle; policy accept;',
      '    meta nfproto ipv4 ct direction original ct mark { 0x76720002 } meta mark set ct mark',
      '  }',
      '  chain output {',
      '    type route hook output priority mangle; policy accept;',
      '    meta nfproto ipv4 ct direction original ct mark { 0x76720002 } meta mark set ct mark',
      '  }',
      '}',
      '',
    ]);
    // Nothing UP: nothing restored (an empty set is not valid nft).
    expect(stickyFlowsScript('t', 'ipv6', gateways, [])).not.toContain('meta mark set');
  });

  it('applies only changes, retries after a failure, and removes the table it wrote', async () => {
    const scripts: string[] = [];
    let fail = false;
    const logged: string[] = [];
    const reporter = new UplinkReporter(
      'G',
      callbackLogger((_level, _fields, message) => void logged.push(message)),
    );
    const sticky = new StickyFlows('G', reporter, async (script) => {
      scripts.push(script);
      if (fail) throw new Error('nft: no such file');
    });
    sticky.update('ipv4', gateways, ['fibre']);
    sticky.update('ipv4', gateways, ['fibre']);
    await sticky.idle();
    expect(scripts).toHaveLength(1);
    fail = true;
    sticky.update('ipv4', gateways, []);
    await sticky.idle();
    expect(logged).toEqual(['sticky_flows: cannot apply the nftables table']);
    fail = false;
    sticky.update('ipv4', gateways, []);
    await sticky.idle();
    expect(scripts).toHaveLength(3);
    await sticky.remove();
    expect(scripts.at(-1)).toBe(stickyFlowsRemoval('vrrpd_uplinks_G'));
  });
});
