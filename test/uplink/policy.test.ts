// The uplink selection policy under a virtual clock: interval 200 ms, fall 3, rise 2,
// min_uptime 3 s unless a test says otherwise. Times are the clock values at which actions came out.

import { describe, expect, it } from 'vitest';
import { createSelectorState, snapshotOf } from '../../src/uplink/policy.js';
import { gateway, isReplace, ofType, policyConfig, PolicySim, roundOf } from './policy-helpers.js';

const NAN3 = ['NaN', 'NaN', 'NaN'];

describe('first start', () => {
  it('installs the best gateway after the first round; hooks get NaN for the old gateway', () => {
    const sim = new PolicySim(policyConfig());
    const actions = sim.round();
    expect(actions.map((a) => a.type).filter((t) => t !== 'log' && t !== 'gatewayEvent')).toEqual([
      'replaceDefaultRoute',
      'runHooks',
      'logSwitch',
      'persist',
    ]);
    // Each gateway's first verdict is logged (UNKNOWN → UP).
    expect(ofType(actions, 'log').map((a) => a.fields.uplink)).toEqual([
      'operator1',
      'operator2',
      'operator3',
    ]);
    const [replace] = ofType(actions, 'replaceDefaultRoute');
    expect(replace).toMatchObject({
      gateway: { id: 'operator1', ip: '198.51.100.1', dev: 'eth1' },
      previous: null,
      reason: 'initial',
    });
    expect(ofType(actions, 'runHooks')[0]?.args).toEqual(['operator1', '198.51.100.1', 'eth1', ...NAN3]);
    expect(sim.state.active).toBe('operator1');
    // mwan3-style per-gateway events: one per first verdict.
    expect(ofType(actions, 'gatewayEvent').map((a) => [a.gateway.id, a.action, a.previous])).toEqual([
      ['operator1', 'up', 'UNKNOWN'],
      ['operator2', 'up', 'UNKNOWN'],
      ['operator3', 'up', 'UNKNOWN'],
    ]);
  });

  it('emits a gateway event on every UP/DOWN transition, on every role', () => {
    const sim = new PolicySim(policyConfig(), { role: 'backup' });
    sim.round();
    sim.up.operator2 = false;
    const down = ofType(sim.rounds(3), 'gatewayEvent');
    expect(down).toEqual([
      {
        type: 'gatewayEvent',
        action: 'down',
        gateway: { id: 'operator2', ip: '198.51.100.17', dev: 'eth2' },
        previous: 'UP',
      },
    ]);
    sim.up.operator2 = true;
    expect(ofType(sim.rounds(2), 'gatewayEvent').map((a) => a.action)).toEqual(['up']);
  });

  it('does nothing when the kernel route already points at the best gateway', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    expect(sim.round().filter(isReplace)).toEqual([]);
    expect(sim.state.active).toBe('operator1');
  });

  it('decides UNKNOWN gateways from the first round alone, then needs rise/fall rounds', () => {
    const sim = new PolicySim(policyConfig());
    sim.up.operator1 = false;
    const first = sim.round();
    expect(ofType(first, 'replaceDefaultRoute')[0]?.gateway.id).toBe('operator2');
    expect(sim.state.gateways.map((g) => g.state)).toEqual(['DOWN', 'UP', 'UP']);
  });

  it('names unknown fields NaN for a gateway given by dev only', () => {
    const config = policyConfig({ gateways: [gateway('gprs', 1, null, 'ppp0')] });
    const sim = new PolicySim(config);
    expect(ofType(sim.round(), 'runHooks')[0]?.args).toEqual(['gprs', 'NaN', 'ppp0', ...NAN3]);
  });
});

describe('failover', () => {
  it('leaves a failing active gateway after exactly `fall` failed rounds', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.rounds(5);
    sim.up.operator1 = false;
    expect(sim.rounds(2).filter(isReplace)).toEqual([]);
    const actions = sim.round();
    const [replace] = ofType(actions, 'replaceDefaultRoute');
    expect(replace).toMatchObject({
      gateway: { id: 'operator2' },
      previous: 'operator1',
      reason: 'failover',
    });
    expect(ofType(actions, 'runHooks')[0]?.args).toEqual([
      'operator2',
      '198.51.100.17',
      'eth2',
      'operator1',
      '198.51.100.1',
      'eth1',
    ]);
    expect(ofType(actions, 'log').map((a) => a.event)).toContain('uplink_health');
    expect(sim.state.gateways[0]).toMatchObject({
      state: 'DOWN',
      healthySince: null,
      lastFailureAt: sim.now,
    });
  });

  it('does not leave the active gateway for blips shorter than `fall`', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    for (let i = 0; i < 10; i++) {
      sim.up.operator1 = i % 3 !== 2; // one failed round in three
      sim.round();
    }
    expect(sim.replacements()).toEqual([]);
    expect(sim.state.gateways[0]?.state).toBe('UP');
  });

  it('flushes the old gateway conntrack entries when configured, before running hooks', () => {
    const sim = new PolicySim(policyConfig({ conntrackFlush: 'udp' }), { active: 'operator1' });
    sim.round();
    sim.up.operator1 = false;
    // The first failed round is flap memory already (persisted); the third is the switch.
    expect(ofType(sim.rounds(2), 'persist')).toHaveLength(1);
    const actions = sim.round();
    expect(actions.map((a) => a.type).filter((t) => t !== 'log' && t !== 'gatewayEvent')).toEqual([
      'replaceDefaultRoute',
      'flushConntrack',
      'runHooks',
      'logSwitch',
      'persist',
    ]);
    expect(ofType(actions, 'flushConntrack')[0]).toMatchObject({ mode: 'udp', old: { id: 'operator1' } });
  });
});

describe('fail-back damping (min_uptime)', () => {
  it('returns to the primary only once it has been healthy for min_uptime', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up.operator1 = false;
    sim.rounds(3);
    expect(sim.state.active).toBe('operator2');

    sim.up.operator1 = true;
    const recoveredAt = sim.now + sim.intervalMs; // first good round
    const back = sim.roundsUntil((a) => isReplace(a) && a.gateway.id === 'operator1', 100);
    expect(back).not.toBeNull();
    expect(back?.action).toMatchObject({ reason: 'failback', previous: 'operator2' });
    // The first round at or after recovery + min_uptime, not one round earlier.
    expect(back!.at).toBeGreaterThanOrEqual(recoveredAt + 3000);
    expect(back!.at).toBeLessThan(recoveredAt + 3000 + sim.intervalMs);
    expect(sim.state.gateways[0]?.healthySince).toBe(recoveredAt);
    expect(sim.state.gateways[0]?.lastFailureAt).toBeNull();
  });

  it('keeps a flapping primary out: every outage restarts the min_uptime clock', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    // Down 4 rounds, up 10 rounds (2 s < min_uptime), five times over.
    for (let cycle = 0; cycle < 5; cycle++) {
      sim.up.operator1 = false;
      sim.rounds(4);
      sim.up.operator1 = true;
      sim.rounds(10);
    }
    expect(sim.replacements()).toEqual([{ at: 800, to: 'operator2', reason: 'failover' }]);
    // Only when it finally stays up does it win the route back.
    const back = sim.roundsUntil((a) => isReplace(a) && a.gateway.id === 'operator1', 100);
    expect(back?.action).toMatchObject({ reason: 'failback' });
  });

  it('prefers a stable gateway over a better one that flapped recently when failing over', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    // operator2 flaps: down long enough to go DOWN, then back (flap memory set).
    sim.up.operator2 = false;
    sim.rounds(3);
    sim.up.operator2 = true;
    sim.rounds(2);
    expect(sim.state.gateways[1]).toMatchObject({ state: 'UP' });
    expect(sim.state.gateways[1]?.lastFailureAt).not.toBeNull();
    // Now the active operator1 fails: operator3 (stable) is chosen, not operator2 (flapping).
    sim.up.operator1 = false;
    const failover = sim.roundsUntil(isReplace, 5);
    expect(failover?.action).toMatchObject({ gateway: { id: 'operator3' }, reason: 'failover' });
    // operator2 wins once it has been stable for min_uptime.
    const back = sim.roundsUntil(isReplace, 50);
    expect(back?.action).toMatchObject({
      gateway: { id: 'operator2' },
      reason: 'failback',
      previous: 'operator3',
    });
  });

  it('takes the best healthy gateway when none is stable', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up = { operator1: false, operator2: false, operator3: false };
    sim.rounds(3);
    sim.up = { operator1: false, operator2: true, operator3: true };
    const chosen = sim.roundsUntil(isReplace, 5);
    expect(chosen?.action).toMatchObject({ gateway: { id: 'operator2' } });
  });

  it('with min_uptime 0 fails back as soon as the primary is UP again', () => {
    const sim = new PolicySim(policyConfig({ minUptimeMs: 0 }), { active: 'operator1' });
    sim.round();
    sim.up.operator1 = false;
    sim.rounds(3);
    sim.up.operator1 = true;
    sim.round();
    const back = sim.round().find(isReplace);
    expect(back).toMatchObject({ gateway: { id: 'operator1' }, reason: 'failback' });
  });
});

describe('all down', () => {
  it('keeps the route, logs once, and takes the first gateway that comes back', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up = { operator1: false, operator2: false, operator3: false };
    const during = sim.rounds(20);
    expect(during.filter(isReplace)).toEqual([]);
    const allDown = ofType(during, 'log').filter((a) => a.event === 'uplink_all_down');
    expect(allDown).toHaveLength(1);
    expect(allDown[0]?.level).toBe('error');
    expect(sim.state.active).toBe('operator1');

    sim.up.operator3 = true;
    const back = sim.roundsUntil(isReplace, 5);
    expect(back?.action).toMatchObject({
      gateway: { id: 'operator3' },
      previous: 'operator1',
      reason: 'failover',
    });
  });
});

describe('ordering and pinning', () => {
  it('chooses among equal priorities by gateway id, and never switches between them (strict <)', () => {
    const config = policyConfig({
      gateways: [
        gateway('zeta', 5, '198.51.100.9'),
        gateway('alpha', 5, '198.51.100.8'),
        gateway('mid', 7, '198.51.100.7'),
      ],
    });
    const sim = new PolicySim(config);
    expect(sim.round().find(isReplace)?.gateway.id).toBe('alpha');
    sim.up.alpha = false;
    expect(sim.roundsUntil(isReplace, 5)?.action).toMatchObject({ gateway: { id: 'zeta' } });
    // alpha is back and stable long past min_uptime: zeta keeps the route.
    sim.up.alpha = true;
    expect(sim.roundsUntil(isReplace, 100)).toBeNull();
    expect(sim.state.active).toBe('zeta');
    expect(sim.state.gateways.find((g) => g.id === 'alpha')).toMatchObject({
      state: 'UP',
      lastFailureAt: null,
    });
  });

  it('keeps a route found through a gateway of the same priority as the best one', () => {
    const config = policyConfig({
      gateways: [gateway('alpha', 5, '198.51.100.8'), gateway('zeta', 5, '198.51.100.9')],
    });
    const sim = new PolicySim(config, { active: 'zeta' });
    expect(sim.rounds(30).filter(isReplace)).toEqual([]);
  });

  it('pinned mode holds the named gateway whatever the health of the others', () => {
    const sim = new PolicySim(policyConfig({ pinned: 'operator3' }), { active: 'operator1' });
    const first = sim.round().find(isReplace);
    expect(first).toMatchObject({ gateway: { id: 'operator3' }, reason: 'pinned', previous: 'operator1' });
    sim.up.operator3 = false;
    sim.rounds(10);
    sim.up.operator3 = true;
    sim.up.operator2 = false;
    sim.rounds(10);
    expect(sim.replacements()).toHaveLength(1);
    expect(sim.state.active).toBe('operator3');
  });
});

describe('check-site quorum and thresholds', () => {
  it('needs k of N check sites to answer for a round to succeed', () => {
    const config = policyConfig({ quorum: 2, gateways: [gateway('operator1', 1, '198.51.100.1')] });
    const sim = new PolicySim(config);
    const sites = (answered: number) => ({
      type: 'round' as const,
      results: [
        {
          gatewayId: 'operator1',
          sites: ['203.0.113.10', '203.0.113.11', '203.0.113.12'].map((site, index) => ({
            site,
            sent: 2,
            received: index < answered ? 1 : 0,
            rttMs: index < answered ? 20 : null,
          })),
        },
      ],
    });
    sim.step(sites(1));
    expect(sim.state.gateways[0]?.state).toBe('DOWN');
    sim.step(sites(2));
    sim.step(sites(2));
    expect(sim.state.gateways[0]?.state).toBe('UP');
    expect(sim.state.gateways[0]?.lastRttMs).toBe(20);
  });

  it('fails rounds while the windowed loss is above max_loss', () => {
    const config = policyConfig({
      maxLoss: 0.25,
      lossWindowRounds: 4,
      gateways: [gateway('operator1', 1, '198.51.100.1')],
    });
    const sim = new PolicySim(config);
    const withLoss = (received: number) => ({
      type: 'round' as const,
      results: [{ gatewayId: 'operator1', sites: [{ site: '203.0.113.10', sent: 4, received, rttMs: 5 }] }],
    });
    sim.step(withLoss(4));
    expect(sim.state.gateways[0]?.state).toBe('UP');
    // 2 of 4 lost: the site answered, but the window loss 2/8 = 25% is not above the threshold.
    sim.step(withLoss(2));
    expect(sim.state.gateways[0]?.consecutiveFailures).toBe(0);
    // 3 more lost: 5/12 > 25%.
    sim.step(withLoss(1));
    expect(sim.state.gateways[0]?.consecutiveFailures).toBe(1);
  });

  it('fails rounds while the latency (mean RTT over the window) is above max_rtt', () => {
    const sim = new PolicySim(policyConfig({ maxRttMs: 50 }), { active: 'operator1' });
    sim.step(roundOf({ operator1: true, operator2: true, operator3: true }, 10));
    // Window means for operator1: 45 (no alarm), 56.7, 62.5, 66 (three failed rounds).
    for (let i = 0; i < 4; i++) {
      sim.now += 200;
      sim.step({
        type: 'round',
        results: [
          { gatewayId: 'operator1', sites: [{ site: 's', sent: 1, received: 1, rttMs: 80 }] },
          { gatewayId: 'operator2', sites: [{ site: 's', sent: 1, received: 1, rttMs: 30 }] },
          { gatewayId: 'operator3', sites: [{ site: 's', sent: 1, received: 1, rttMs: 30 }] },
        ],
      });
    }
    expect(sim.state.active).toBe('operator2');
    const log = ofType(
      sim.log.map((t) => t.action),
      'log',
    ).find((a) => a.event === 'uplink_health' && a.fields.to === 'DOWN');
    expect(log?.fields.uplink).toBe('operator1');
    expect(log?.message).toContain('latency above max_rtt');
  });

  it('loss, latency and jitter alarms have hysteresis: they end only below the recovery values', () => {
    const config = policyConfig({
      maxRttMs: 100,
      rttRecoverMs: 40,
      maxJitterMs: 30,
      lossWindowRounds: 2,
      fall: 1,
      rise: 1,
      gateways: [gateway('operator1', 1, '198.51.100.1')],
    });
    const sim = new PolicySim(config);
    const rtt = (...values: number[]) =>
      sim.step({
        type: 'round',
        results: [
          {
            gatewayId: 'operator1',
            sites: values.map((rttMs, i) => ({ site: `s${i}`, sent: 1, received: 1, rttMs })),
          },
        ],
      });
    rtt(20);
    expect(sim.state.gateways[0]).toMatchObject({ state: 'UP', alarm: null });
    rtt(200); // mean 110 > 100: alarm (and the jitter, 90, is above 30 too)
    expect(sim.state.gateways[0]).toMatchObject({ state: 'DOWN', alarm: 'rtt' });
    rtt(60, 60); // window: 200, 60, 60 → mean 106.7: still above
    rtt(60); // window: 60, 60, 60 → mean 60, jitter 0: below max_rtt but not below rtt_recover
    expect(sim.state.gateways[0]).toMatchObject({ state: 'DOWN', alarm: 'rtt' });
    rtt(30); // window: 60, 30 → mean 45: still above 40
    rtt(30); // window: 30, 30 → 30: ends
    expect(sim.state.gateways[0]).toMatchObject({ state: 'UP', alarm: null });
    rtt(10, 90); // mean 50 but jitter 40 > 30
    expect(sim.state.gateways[0]).toMatchObject({ state: 'DOWN', alarm: 'jitter' });
  });

  it('counts a gateway with no probes at all (no site resolved) as failing', () => {
    const sim = new PolicySim(policyConfig({ gateways: [gateway('operator1', 1, '198.51.100.1')] }));
    sim.step({
      type: 'round',
      results: [
        { gatewayId: 'operator1', sites: [{ site: 'gone.example', sent: 0, received: 0, rttMs: null }] },
      ],
    });
    expect(sim.state.gateways[0]?.state).toBe('DOWN');
  });
});

describe('VRRP roles', () => {
  it('a backup probes but never touches routes or runs hooks', () => {
    const sim = new PolicySim(policyConfig(), { role: 'backup' });
    sim.round();
    sim.up.operator1 = false;
    sim.rounds(10);
    sim.up.operator1 = true;
    sim.rounds(30);
    const types = new Set(sim.log.map((t) => t.action.type));
    expect(types.has('replaceDefaultRoute')).toBe(false);
    expect(types.has('runHooks')).toBe(false);
    expect(types.has('restoreFallbackRoute')).toBe(false);
    // …but it knows the health of every gateway.
    expect(sim.state.gateways.map((g) => g.state)).toEqual(['UP', 'UP', 'UP']);
    expect(sim.state.gateways[0]?.lastFailureAt).toBeNull();
  });

  it('becoming master installs the best gateway at once from the data it has', () => {
    const sim = new PolicySim(policyConfig(), { role: 'backup' });
    sim.up.operator1 = false;
    sim.rounds(5);
    const actions = sim.setRole('master');
    const [replace] = ofType(actions, 'replaceDefaultRoute');
    expect(replace).toMatchObject({ gateway: { id: 'operator2' }, reason: 'master', previous: null });
    expect(ofType(actions, 'runHooks')[0]?.args).toEqual(['operator2', '198.51.100.17', 'eth2', ...NAN3]);
  });

  it('becoming master again with the same gateway rewrites the route without hooks', () => {
    const sim = new PolicySim(policyConfig(), { role: 'master' });
    sim.round();
    sim.setRole('backup');
    sim.rounds(2);
    const actions = sim.setRole('master');
    expect(actions.map((a) => a.type)).toEqual(['log', 'replaceDefaultRoute']);
    expect(ofType(actions, 'replaceDefaultRoute')[0]).toMatchObject({
      gateway: { id: 'operator1' },
      previous: 'operator1',
    });
  });

  it('becoming master before any probe data asks for a round now, and installs from it', () => {
    const sim = new PolicySim(policyConfig(), { role: 'backup' });
    const actions = sim.setRole('master');
    expect(actions.filter(isReplace)).toEqual([]);
    expect(actions.map((a) => a.type)).toContain('probeNow');
    expect(sim.round().find(isReplace)).toMatchObject({ gateway: { id: 'operator1' }, reason: 'master' });
  });

  it('leaving master restores the fallback route when configured, or leaves it', () => {
    const fallback = new PolicySim(policyConfig({ onLeaveMaster: 'fallback' }), { role: 'master' });
    fallback.round();
    const left = fallback.setRole('backup');
    expect(left.map((a) => a.type)).toEqual(['log', 'restoreFallbackRoute', 'persist']);
    expect(fallback.state.active).toBeNull();

    const leave = new PolicySim(policyConfig({ onLeaveMaster: 'leave' }), { role: 'master' });
    leave.round();
    expect(leave.setRole('backup').map((a) => a.type)).toEqual(['log']);
    expect(leave.state.active).toBe('operator1');
  });

  it('a failed route write is retried at the next round', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up.operator1 = false;
    sim.rounds(3);
    expect(sim.state.active).toBe('operator2');
    sim.step({ type: 'routeFailed', gatewayId: 'operator2', previous: 'operator1' });
    expect(sim.state.active).toBe('operator1');
    const retry = sim.round();
    expect(ofType(retry, 'replaceDefaultRoute')[0]).toMatchObject({
      gateway: { id: 'operator2' },
      reason: 'retry',
    });
    expect(ofType(retry, 'runHooks')).toHaveLength(1);
  });
});

describe('persistence', () => {
  it('persists only when flap memory or the active gateway changes', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    const first = sim.round();
    expect(ofType(first, 'persist')).toHaveLength(1);
    expect(ofType(sim.rounds(5), 'persist')).toHaveLength(0);
    sim.up.operator3 = false;
    const failedAt = sim.now + sim.intervalMs;
    const failed = sim.rounds(3);
    // Every failed round moves the flap memory, but the file is not rewritten for less than 1 s.
    expect(ofType(failed, 'persist').map((p) => p.snapshot)).toEqual([
      { version: 1, active: 'operator1', flapping: { operator3: failedAt } },
    ]);
    expect(ofType(sim.rounds(3), 'persist').map((p) => p.snapshot.flapping.operator3)).toEqual([sim.now]);
  });

  it('a restart keeps the flap memory, so a recently flapping primary is not preferred', () => {
    const before = new PolicySim(policyConfig(), { active: 'operator1' });
    before.round();
    before.up.operator1 = false;
    before.rounds(3);
    before.up.operator1 = true;
    before.rounds(3);
    const persisted = snapshotOf(before.state);
    expect(persisted.flapping.operator1).toBeDefined();

    const after = new PolicySim(policyConfig(), { active: 'operator2', persisted });
    after.now = before.now + 1000;
    expect(after.round().filter(isReplace)).toEqual([]);
    const back = after.roundsUntil(isReplace, 50);
    expect(back?.action).toMatchObject({ gateway: { id: 'operator1' }, reason: 'failback' });
    expect(back!.at - (before.now + 1200)).toBeGreaterThanOrEqual(3000);
  });

  it('ignores persisted entries for gateways no longer configured', () => {
    const state = createSelectorState(policyConfig(), {
      role: 'standalone',
      active: 'gone',
      persisted: { version: 1, active: 'gone', flapping: { gone: 5, operator2: 7 } },
    });
    expect(state.active).toBeNull();
    expect(state.gateways.map((g) => g.lastFailureAt)).toEqual([null, 7, null]);
  });
});

describe('the kernel route changing behind our back', () => {
  it('an owner restores its gateway when the route is deleted, without hooks or a switch log', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    expect(sim.state.active).toBe('operator1');
    const actions = sim.step({ type: 'kernelRoute', gatewayId: null, present: false });
    expect(actions.map((a) => a.type)).toEqual(['log', 'replaceDefaultRoute']);
    expect(ofType(actions, 'log')[0]).toMatchObject({ event: 'uplink_route_changed', level: 'warn' });
    expect(ofType(actions, 'replaceDefaultRoute')[0]).toMatchObject({
      gateway: { id: 'operator1' },
      previous: 'operator1',
      reason: 'repair',
    });
  });

  it('an owner puts its choice back when the route was rewritten to another gateway or a foreign one', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    for (const gatewayId of ['operator3', null]) {
      const actions = sim.step({ type: 'kernelRoute', gatewayId, present: true });
      expect(ofType(actions, 'replaceDefaultRoute')[0]).toMatchObject({
        gateway: { id: 'operator1' },
        reason: 'repair',
      });
      expect(ofType(actions, 'runHooks')).toEqual([]);
    }
  });

  it('the route we wrote coming back as a notification changes nothing', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    expect(sim.step({ type: 'kernelRoute', gatewayId: 'operator1', present: true })).toEqual([]);
  });

  it('a repair that cannot be written yet (every uplink down) happens once one is back', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    sim.up = { operator1: false, operator2: false, operator3: false };
    sim.rounds(3);
    expect(sim.step({ type: 'kernelRoute', gatewayId: null, present: false }).filter(isReplace)).toEqual([]);
    sim.up.operator1 = true;
    const back = sim.roundsUntil(isReplace, 5);
    expect(back?.action).toMatchObject({ gateway: { id: 'operator1' } });
  });

  it('a backup only takes note of where the route goes', () => {
    const sim = new PolicySim(policyConfig(), { role: 'backup' });
    sim.round();
    const actions = sim.step({ type: 'kernelRoute', gatewayId: 'operator2', present: true });
    expect(actions.filter(isReplace)).toEqual([]);
    expect(sim.state.active).toBe('operator2');
  });
});

describe("NetGWM's runtime pin (/var/lib/netgwm/mode, vrrpctl uplink pin)", () => {
  it('pins the route to a gateway whatever its health, and auto lets the usual rules decide again', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    const pinned = sim.step({ type: 'pin', gateway: 'operator3' });
    expect(ofType(pinned, 'log')[0]).toMatchObject({ event: 'uplink_pin' });
    expect(ofType(pinned, 'replaceDefaultRoute')[0]).toMatchObject({
      gateway: { id: 'operator3' },
      reason: 'pinned',
    });
    expect(ofType(pinned, 'runHooks')).toHaveLength(1);
    sim.up.operator3 = false;
    expect(sim.rounds(10).filter(isReplace)).toEqual([]);
    // Back to auto: operator3 is down, so the best stable gateway takes over at once.
    const auto = sim.step({ type: 'pin', gateway: null });
    expect(ofType(auto, 'replaceDefaultRoute')[0]).toMatchObject({ gateway: { id: 'operator1' } });
  });

  it('a pin naming no gateway means auto; the yml mode wins over the runtime pin', () => {
    const sim = new PolicySim(policyConfig());
    sim.round();
    expect(sim.step({ type: 'pin', gateway: 'nope' })).toEqual([]);
    const moded = new PolicySim(policyConfig({ pinned: 'operator2' }));
    moded.round();
    expect(moded.step({ type: 'pin', gateway: 'operator3' }).filter(isReplace)).toEqual([]);
    expect(moded.state.active).toBe('operator2');
  });
});

describe('min_uptime counts every failed round (NetGWM restarts its clock at every failed check)', () => {
  it('a blip shorter than fall keeps the gateway UP but restarts its min_uptime', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up.operator1 = false;
    sim.rounds(3);
    expect(sim.state.active).toBe('operator2');
    sim.up.operator1 = true;
    sim.rounds(10); // 2 s healthy: not yet min_uptime (3 s)
    sim.up.operator1 = false;
    sim.round(); // one failed round: shorter than fall, still UP …
    expect(sim.state.gateways[0]?.state).toBe('UP');
    const blipAt = sim.now;
    sim.up.operator1 = true;
    // … but the fail-back waits min_uptime from the blip, not from the recovery before it.
    const back = sim.roundsUntil((a) => isReplace(a) && a.gateway.id === 'operator1', 100);
    expect(back!.at - blipAt).toBeGreaterThanOrEqual(3000);
    expect(back!.at - blipAt).toBeLessThanOrEqual(3000 + sim.intervalMs);
  });

  it('a backup (or a gateway that is not active) is damped by blips too', () => {
    const sim = new PolicySim(policyConfig(), { active: 'operator1' });
    sim.round();
    sim.up.operator2 = false;
    sim.round();
    sim.up.operator2 = true;
    sim.rounds(2);
    // operator2 answered again after one failed round; operator1 now fails: operator3 (stable) wins.
    sim.up.operator1 = false;
    expect(sim.roundsUntil(isReplace, 5)?.action).toMatchObject({ gateway: { id: 'operator3' } });
  });
});
