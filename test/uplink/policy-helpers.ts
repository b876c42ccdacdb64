// A virtual-clock driver for the pure uplink policy: rounds are fed at a fixed interval with the
// outcome the test chooses per gateway, and every action is kept with the time it was emitted.

import { createSelectorState, stepUplinks, type InitialSelectorState } from '../../src/uplink/policy.js';
import type {
  GatewayRound,
  GatewaySpec,
  UplinkAction,
  UplinkEvent,
  UplinkPolicyConfig,
  UplinkRole,
  SelectorState,
} from '../../src/uplink/types.js';

export function gateway(
  id: string,
  priority: number,
  ip: string | null = null,
  dev: string | null = null,
): GatewaySpec {
  return { id, ip, dev, priority };
}

export const THREE_OPERATORS: GatewaySpec[] = [
  gateway('operator1', 1, '198.51.100.1', 'eth1'),
  gateway('operator2', 2, '198.51.100.17', 'eth2'),
  gateway('operator3', 3, '198.51.100.33', 'eth3'),
];

export function policyConfig(overrides: Partial<UplinkPolicyConfig> = {}): UplinkPolicyConfig {
  return {
    gateways: THREE_OPERATORS,
    minUptimeMs: 3000,
    quorum: 1,
    rise: 2,
    fall: 3,
    maxLoss: null,
    lossRecover: null,
    maxRttMs: null,
    rttRecoverMs: null,
    maxJitterMs: null,
    jitterRecoverMs: null,
    lossWindowRounds: 10,
    pinned: null,
    conntrackFlush: 'none',
    onLeaveMaster: 'leave',
    ...overrides,
  };
}

/** One site per gateway: answered (with `rttMs`) or not. */
export function roundOf(up: Record<string, boolean>, rttMs = 10): UplinkEvent {
  const results: GatewayRound[] = Object.entries(up).map(([gatewayId, ok]) => ({
    gatewayId,
    sites: [{ site: '203.0.113.10', sent: 1, received: ok ? 1 : 0, rttMs: ok ? rttMs : null }],
  }));
  return { type: 'round', results };
}

export interface TimedAction {
  at: number;
  action: UplinkAction;
}

export class PolicySim {
  state: SelectorState;
  now = 0;
  readonly log: TimedAction[] = [];
  /** Which gateways answer; changed by the test between rounds. */
  up: Record<string, boolean>;

  constructor(
    readonly config: UplinkPolicyConfig,
    initial: Partial<InitialSelectorState> = {},
    readonly intervalMs = 200,
  ) {
    this.state = createSelectorState(config, {
      role: 'standalone',
      active: null,
      persisted: null,
      ...initial,
    });
    this.up = Object.fromEntries(config.gateways.map((g) => [g.id, true]));
  }

  step(event: UplinkEvent): UplinkAction[] {
    const { state, actions } = stepUplinks(this.config, this.state, event, this.now);
    this.state = state;
    for (const action of actions) this.log.push({ at: this.now, action });
    return actions;
  }

  /** Advances one interval and feeds one round. */
  round(): UplinkAction[] {
    this.now += this.intervalMs;
    return this.step(roundOf(this.up));
  }

  rounds(count: number): UplinkAction[] {
    const all: UplinkAction[] = [];
    for (let i = 0; i < count; i++) all.push(...this.round());
    return all;
  }

  /** Runs rounds until `predicate` holds on an emitted action or `limit` rounds pass; returns it. */
  roundsUntil(predicate: (action: UplinkAction) => boolean, limit: number): TimedAction | null {
    for (let i = 0; i < limit; i++) {
      const found = this.round().find(predicate);
      if (found) return { at: this.now, action: found };
    }
    return null;
  }

  setRole(role: UplinkRole): UplinkAction[] {
    return this.step({ type: 'role', role });
  }

  replacements(): Array<{ at: number; to: string; reason: string }> {
    return this.log.flatMap(({ at, action }) =>
      action.type === 'replaceDefaultRoute' ? [{ at, to: action.gateway.id, reason: action.reason }] : [],
    );
  }
}

export function isReplace(
  action: UplinkAction,
): action is Extract<UplinkAction, { type: 'replaceDefaultRoute' }> {
  return action.type === 'replaceDefaultRoute';
}

export function ofType<T extends UplinkAction['type']>(
  actions: readonly UplinkAction[],
  type: T,
): Array<Extract<UplinkAction, { type: T }>> {
  return actions.filter((action): action is Extract<UplinkAction, { type: T }> => action.type === type);
}
