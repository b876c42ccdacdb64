// The small pure pieces around the policy: NetGWM's hook arguments and log line, the state-file
// codec, the probe plan and the status rows. (The ICMP echo codec is tested in test/packet.)

import { describe, expect, it } from 'vitest';
import { decodePersistedState, encodePersistedState } from '../../src/uplink/persist.js';
import { assembleRound, planProbeRound, probeRouting } from '../../src/uplink/probe-plan.js';
import { createSelectorState } from '../../src/uplink/policy.js';
import { uplinkStatuses } from '../../src/uplink/status.js';
import { formatNetgwmTime, hookArguments, netgwmLogLine } from '../../src/uplink/switch-log.js';
import { gateway, policyConfig, PolicySim, THREE_OPERATORS } from './policy-helpers.js';

describe('NetGWM formats', () => {
  it('builds the six hook arguments with NaN for what is unknown', () => {
    expect(
      hookArguments({ id: 'op2', ip: '198.51.100.17', dev: null }, { id: 'op1', ip: null, dev: 'ppp0' }),
    ).toEqual(['op2', '198.51.100.17', 'NaN', 'op1', 'NaN', 'ppp0']);
  });

  it('formats the time as Python logging does, in the given local offset', () => {
    const at = Date.UTC(2017, 6, 14, 6, 25, 41, 554);
    expect(formatNetgwmTime(at, 0)).toBe('2017-07-14 06:25:41,554');
    expect(formatNetgwmTime(at, 180)).toBe('2017-07-14 09:25:41,554');
    expect(formatNetgwmTime(Date.UTC(2017, 0, 1, 0, 0, 0, 7), -60)).toBe('2016-12-31 23:00:00,007');
  });

  it('writes the switch line of /var/log/netgwm.log', () => {
    const at = Date.UTC(2017, 6, 14, 6, 25, 41, 554);
    expect(netgwmLogLine(at, 0, { ip: '88.88.88.88', dev: null })).toBe(
      '2017-07-14 06:25:41,554 route replaced to: via 88.88.88.88\n',
    );
    expect(netgwmLogLine(at, 0, { ip: '198.51.100.1', dev: 'eth1' })).toBe(
      '2017-07-14 06:25:41,554 route replaced to: via 198.51.100.1 dev eth1\n',
    );
    expect(netgwmLogLine(at, 0, { ip: null, dev: 'ppp333' })).toBe(
      '2017-07-14 06:25:41,554 route replaced to: dev ppp333\n',
    );
  });
});

describe('state file codec', () => {
  it('round-trips and stamps the save time', () => {
    const state = { version: 1 as const, active: 'op2', flapping: { op1: 1_700_000_000_000 } };
    const text = encodePersistedState(state, Date.UTC(2024, 0, 1));
    expect(JSON.parse(text).savedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(decodePersistedState(text)).toEqual({ ok: true, state });
  });

  it('rejects damaged files with a reason instead of throwing', () => {
    expect(decodePersistedState('{')).toMatchObject({ ok: false });
    expect(decodePersistedState('[]')).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(decodePersistedState('{"version":2}')).toMatchObject({ ok: false, reason: 'unknown version 2' });
    expect(decodePersistedState('{"version":1,"active":null,"flapping":{"op1":"x"}}')).toEqual({
      ok: false,
      reason: 'flapping.op1 must be a time in milliseconds',
    });
  });
});

describe('probe plan', () => {
  it('gives each gateway its own table, rule priority and mark, in file order', () => {
    expect(
      probeRouting(THREE_OPERATORS.slice(0, 2), { table: 3400, rulePriority: 3400, fwmark: 0x76720000 }),
    ).toEqual([
      {
        gatewayId: 'operator1',
        family: 'ipv4',
        table: 3401,
        rulePriority: 3401,
        fwmark: 0x76720001,
        ip: '198.51.100.1',
        dev: 'eth1',
      },
      {
        gatewayId: 'operator2',
        family: 'ipv4',
        table: 3402,
        rulePriority: 3402,
        fwmark: 0x76720002,
        ip: '198.51.100.17',
        dev: 'eth2',
      },
    ]);
  });

  it('probes every gateway against every resolved site, and counts unresolved sites as silent', () => {
    const gateways = [gateway('a', 1, '198.51.100.1'), gateway('b', 2, '198.51.100.2')];
    const sites = [
      { site: '203.0.113.10', address: '203.0.113.10' },
      { site: 'check.example', address: null },
    ];
    const plan = planProbeRound(gateways, sites, 2);
    expect(plan).toEqual([
      { gatewayId: 'a', site: '203.0.113.10', address: '203.0.113.10', count: 2 },
      { gatewayId: 'b', site: '203.0.113.10', address: '203.0.113.10', count: 2 },
    ]);
    const rounds = assembleRound(gateways, sites, [
      { gatewayId: 'a', site: '203.0.113.10', sent: 2, rttsMs: [10, 20] },
      { gatewayId: 'b', site: '203.0.113.10', sent: 2, rttsMs: [] },
    ]);
    expect(rounds).toEqual([
      {
        gatewayId: 'a',
        sites: [
          { site: '203.0.113.10', sent: 2, received: 2, rttMs: 15 },
          { site: 'check.example', sent: 0, received: 0, rttMs: null },
        ],
      },
      {
        gatewayId: 'b',
        sites: [
          { site: '203.0.113.10', sent: 2, received: 0, rttMs: null },
          { site: 'check.example', sent: 0, received: 0, rttMs: null },
        ],
      },
    ]);
  });
});

describe('status rows', () => {
  it('lists gateways in preference order with health, loss and the active flag', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.now = Date.UTC(2024, 0, 1);
    sim.up.operator3 = false;
    sim.rounds(4);
    const rows = uplinkStatuses('ISP', sim.config, sim.state);
    expect(rows.map((r) => [r.id, r.state, r.active, r.loss])).toEqual([
      ['operator1', 'UP', true, 0],
      ['operator2', 'UP', false, 0],
      ['operator3', 'DOWN', false, 1],
    ]);
    expect(rows[0]).toMatchObject({
      group: 'ISP',
      ip: '198.51.100.1',
      dev: 'eth1',
      priority: 1,
      rttMs: 10,
      healthySince: '2024-01-01T00:00:00.200Z',
    });
    expect(rows[2]?.healthySince).toBeNull();
  });

  it('shows UNKNOWN and empty fields before any probe', () => {
    const config = policyConfig({ gateways: [gateway('ppp', 1, null, 'ppp0')] });
    const rows = uplinkStatuses(
      'standalone',
      config,
      createSelectorState(config, { role: 'backup', active: null, persisted: null }),
    );
    expect(rows).toEqual([
      {
        group: 'standalone',
        id: 'ppp',
        ip: '',
        dev: 'ppp0',
        priority: 1,
        state: 'UNKNOWN',
        rttMs: null,
        loss: 0,
        healthySince: null,
        active: false,
        latencyMs: null,
        jitterMs: null,
        alarm: null,
      },
    ]);
  });
});
