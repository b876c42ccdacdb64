// The uplink policy as a step function: (state, event, now) → { state, actions }. No I/O and no
// clock: the manager feeds probe rounds and VRRP role changes, then carries out the actions
// (route writes, conntrack flush, post-replace.d hooks, logs, persistence) in the order given.
//
// Routes are touched only while the role owns them (master, or standalone on a single router);
// a backup keeps probing so that, on becoming master, it decides from fresh data at once.

import { applyVerdict, initialHealth, judgeRound, settleFlapMemory } from './health.js';
import { hookArguments } from './switch-log.js';
import { selectGateway, type Selection } from './select.js';
import { isTiered, orderMembers, selectTier } from './tiers.js';
import type {
  GatewayHealth,
  GatewayRef,
  PersistedUplinkState,
  WeightedGateway,
  SwitchReason,
  StepResult,
  UplinkAction,
  UplinkEvent,
  UplinkPolicyConfig,
  UplinkRole,
  SelectorState,
} from './types.js';

export function ownsRoute(role: UplinkRole): boolean {
  return role === 'master' || role === 'standalone';
}

export interface InitialSelectorState {
  role: UplinkRole;
  /** The gateway the kernel's default route points at at start-up, if it is one of ours. */
  active: string | null;
  /** With tiers: every gateway of ours in that route (a multipath route has several). */
  members?: string[];
  /** What the previous run persisted (flap memory survives restarts). */
  persisted: PersistedUplinkState | null;
}

export function createSelectorState(
  config: UplinkPolicyConfig,
  initial: InitialSelectorState,
): SelectorState {
  const flapping = initial.persisted?.flapping ?? {};
  const gateways = config.gateways.map((gateway) => {
    const health = initialHealth(gateway.id);
    const lastFailureAt = flapping[gateway.id];
    return lastFailureAt === undefined ? health : { ...health, lastFailureAt };
  });
  const known = new Set(config.gateways.map((gateway) => gateway.id));
  const active = initial.active !== null && known.has(initial.active) ? initial.active : null;
  const state: SelectorState = {
    role: initial.role,
    gateways,
    active,
    members: membersOf(config, active, initial.members),
    // A router that starts as master writes the route from its first round, whatever is there.
    rewrite: initial.role === 'master' ? 'master' : null,
    allDown: false,
    runtimePin: null,
    persisted: null,
  };
  // Compare against what is on disk, so an unchanged state is not rewritten at the first round.
  return { ...state, persisted: initial.persisted === null ? null : snapshotOf(state) };
}

/**
 * Keeps the health of gateways that survive a reload unchanged (same id, address and device);
 * new or changed gateways start UNKNOWN. The route must be re-decided.
 */
export function reconfigureSelectorState(
  previous: SelectorState,
  previousConfig: UplinkPolicyConfig,
  config: UplinkPolicyConfig,
): SelectorState {
  const oldSpecs = new Map(previousConfig.gateways.map((gateway) => [gateway.id, gateway]));
  const oldHealth = new Map(previous.gateways.map((health) => [health.id, health]));
  const gateways = config.gateways.map((gateway) => {
    const old = oldSpecs.get(gateway.id);
    const health = oldHealth.get(gateway.id);
    const same = old !== undefined && old.ip === gateway.ip && old.dev === gateway.dev;
    return same && health ? health : initialHealth(gateway.id);
  });
  const active = config.gateways.some((gateway) => gateway.id === previous.active) ? previous.active : null;
  return {
    ...previous,
    gateways,
    active,
    members: membersOf(config, active, previous.members),
    rewrite: ownsRoute(previous.role) ? 'retry' : null,
    allDown: false,
  };
}

/** The route's members as known: those of ours, primary first; just the primary without tiers. */
function membersOf(
  config: UplinkPolicyConfig,
  active: string | null,
  members: readonly string[] | undefined,
): string[] {
  if (active === null) return [];
  if (!isTiered(config) || members === undefined) return [active];
  const known = orderMembers(config, members).filter((id) => id !== active);
  return [active, ...known];
}

/** The yml's `mode` wins over the runtime pin, as in NetGWM (it reads the mode file only without one). */
export function effectivePin(config: UplinkPolicyConfig, state: SelectorState): string | null {
  if (config.pinned !== null) return config.pinned;
  const pin = state.runtimePin;
  return pin !== null && config.gateways.some((gateway) => gateway.id === pin) ? pin : null;
}

export function gatewayRef(config: UplinkPolicyConfig, id: string): GatewayRef {
  const spec = config.gateways.find((gateway) => gateway.id === id);
  return { id, ip: spec?.ip ?? null, dev: spec?.dev ?? null };
}

export function snapshotOf(state: SelectorState): PersistedUplinkState {
  const flapping: Record<string, number> = {};
  for (const health of state.gateways) {
    if (health.lastFailureAt !== null) flapping[health.id] = health.lastFailureAt;
  }
  return { version: 1, active: state.active, flapping };
}

/**
 * Every failed round moves a gateway's flap memory; writing the state file each time would be a
 * write per interval during an outage. A restart only needs the flap memory roughly: times that
 * moved by less than this are not written again (at most a minute, or a tenth of min_uptime).
 */
function persistResolutionMs(config: UplinkPolicyConfig): number {
  return Math.max(1000, Math.min(60_000, config.minUptimeMs / 10));
}

function sameSnapshot(
  a: PersistedUplinkState | null,
  b: PersistedUplinkState,
  resolutionMs: number,
): boolean {
  if (a === null || a.active !== b.active) return false;
  const keysA = Object.keys(a.flapping);
  const keysB = Object.keys(b.flapping);
  return (
    keysA.length === keysB.length &&
    keysB.every((key) => {
      const before = a.flapping[key];
      return before !== undefined && Math.abs((b.flapping[key] as number) - before) < resolutionMs;
    })
  );
}

function withPersist(config: UplinkPolicyConfig, state: SelectorState, actions: UplinkAction[]): StepResult {
  const snapshot = snapshotOf(state);
  if (sameSnapshot(state.persisted, snapshot, persistResolutionMs(config))) return { state, actions };
  return { state: { ...state, persisted: snapshot }, actions: [...actions, { type: 'persist', snapshot }] };
}

function switchActions(
  config: UplinkPolicyConfig,
  from: string | null,
  to: string,
  reason: SwitchReason,
  members: readonly string[],
): UplinkAction[] {
  const toRef = gatewayRef(config, to);
  const fromRef = from === null ? null : gatewayRef(config, from);
  const route: Extract<UplinkAction, { type: 'replaceDefaultRoute' }> = {
    type: 'replaceDefaultRoute',
    gateway: toRef,
    previous: from,
    reason,
  };
  if (members.length > 1) {
    route.nexthops = members.map((id): WeightedGateway => ({
      gateway: gatewayRef(config, id),
      weight: config.gateways.find((gateway) => gateway.id === id)?.weight ?? 1,
    }));
  }
  const actions: UplinkAction[] = [route];
  // Re-writing the same gateway (becoming master again, a retry) is not a switch: no flush,
  // no hooks, no NetGWM log line. (With tiers, a gateway joining or leaving the route beside the
  // same primary is logged as a switch, but runs no hooks: their arguments name primaries.)
  if (from === to) return actions;
  if (config.conntrackFlush !== 'none' && fromRef !== null && !members.includes(fromRef.id)) {
    actions.push({ type: 'flushConntrack', mode: config.conntrackFlush, old: fromRef });
  }
  actions.push({ type: 'runHooks', args: hookArguments(toRef, fromRef) });
  actions.push({ type: 'logSwitch', from: fromRef, to: toRef, reason });
  return actions;
}

/** Selects and, if the role owns the route, produces the switch. */
function decide(
  config: UplinkPolicyConfig,
  state: SelectorState,
): { state: SelectorState; actions: UplinkAction[] } {
  if (!ownsRoute(state.role)) return { state, actions: [] };
  const pin = effectivePin(config, state);
  const selection: Selection =
    isTiered(config) && pin === null
      ? selectTier(config, state.gateways, state.members, state.rewrite)
      : selectGateway(config, state.gateways, state.active, state.rewrite, pin);
  switch (selection.kind) {
    case 'waiting':
    case 'keep':
      return { state: selection.kind === 'keep' ? { ...state, allDown: false } : state, actions: [] };
    case 'allDown': {
      if (state.allDown) return { state, actions: [] };
      const detail = state.active === null ? 'as it is' : `via ${state.active}`;
      const log: UplinkAction = {
        type: 'log',
        level: 'error',
        event: 'uplink_all_down',
        message: `every uplink is down; keeping the default route ${detail}`,
        fields: { active: state.active, detail },
      };
      return { state: { ...state, allDown: true }, actions: [log] };
    }
    case 'switch': {
      const members = selection.members ?? [selection.to];
      const actions = switchActions(config, state.active, selection.to, selection.reason, members);
      if (selection.to === state.active && !sameMembers(members, state.members) && actions.length === 1) {
        actions.push({
          type: 'logSwitch',
          from: gatewayRef(config, selection.to),
          to: gatewayRef(config, selection.to),
          reason: selection.reason,
        });
      }
      return {
        state: { ...state, active: selection.to, members, rewrite: null, allDown: false },
        actions,
      };
    }
  }
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function healthLog(health: GatewayHealth, from: string, reason: string | null): UplinkAction {
  const up = health.state === 'UP';
  return {
    type: 'log',
    level: up ? 'info' : 'warn',
    event: 'uplink_health',
    message: `uplink ${health.id} is ${health.state} (was ${from})${reason ? `: ${reason}` : ''}`,
    fields: {
      uplink: health.id,
      from,
      to: health.state,
      rttMs: health.lastRttMs,
      ...(reason ? { reason } : {}),
    },
  };
}

const FAILURE_TEXT = {
  quorum: 'too few check sites answered',
  loss: 'loss above max_loss (until back at loss_recover)',
  rtt: 'latency above max_rtt (until back at rtt_recover)',
  jitter: 'jitter above max_jitter (until back at jitter_recover)',
} as const;

function onRound(
  config: UplinkPolicyConfig,
  state: SelectorState,
  event: Extract<UplinkEvent, { type: 'round' }>,
  now: number,
): StepResult {
  const rounds = new Map(event.results.map((round) => [round.gatewayId, round]));
  const actions: UplinkAction[] = [];
  const gateways = state.gateways.map((health) => {
    // Gateways are probed on their own intervals: one that was not probed this round keeps its state.
    const round = rounds.get(health.id);
    if (round === undefined) return settleFlapMemory(health, config.minUptimeMs, now);
    const verdict = judgeRound(health, round, config);
    const change = applyVerdict(health, verdict, config, now);
    if (change.transition) {
      const why = verdict.failure === null ? null : FAILURE_TEXT[verdict.failure];
      actions.push(
        healthLog(change.health, change.transition.from, change.health.state === 'UP' ? null : why),
      );
      actions.push({
        type: 'gatewayEvent',
        action: change.health.state === 'UP' ? 'up' : 'down',
        gateway: gatewayRef(config, health.id),
        previous: change.transition.from,
      });
    }
    return settleFlapMemory(change.health, config.minUptimeMs, now);
  });
  const decided = decide(config, { ...state, gateways });
  return withPersist(config, decided.state, [...actions, ...decided.actions]);
}

function onRole(config: UplinkPolicyConfig, state: SelectorState, role: UplinkRole): StepResult {
  if (role === state.role) return { state, actions: [] };
  const wasOwner = ownsRoute(state.role);
  const next: SelectorState = { ...state, role, rewrite: ownsRoute(role) ? 'master' : null, allDown: false };
  const actions: UplinkAction[] = [
    {
      type: 'log',
      level: 'info',
      event: 'uplink_role',
      message: `uplink selector is now ${role} (was ${state.role})`,
      fields: { from: state.role, to: role },
    },
  ];
  if (ownsRoute(role)) {
    const noData =
      effectivePin(config, next) === null && next.gateways.some((health) => health.state === 'UNKNOWN');
    if (noData) return { state: next, actions: [...actions, { type: 'probeNow' }] };
    const decided = decide(config, next);
    return withPersist(config, decided.state, [...actions, ...decided.actions]);
  }
  if (wasOwner && config.onLeaveMaster === 'fallback') {
    actions.push({ type: 'restoreFallbackRoute' });
    return withPersist(config, { ...next, active: null, members: [] }, actions);
  }
  return { state: next, actions };
}

/**
 * Someone else changed the default route (NetGWM re-reads it every run). A router that owns the
 * route puts its own choice back at once (same gateway: no hooks, no NetGWM log line); one that
 * does not only takes note of which gateway the route goes through now.
 */
function onKernelRoute(
  config: UplinkPolicyConfig,
  state: SelectorState,
  event: Extract<UplinkEvent, { type: 'kernelRoute' }>,
): StepResult {
  const found = membersOf(config, event.gatewayId ?? event.members?.[0] ?? null, event.members);
  const primary = found[0] ?? null;
  if (!ownsRoute(state.role)) {
    if (primary === state.active && sameMembers(found, state.members)) return { state, actions: [] };
    return withPersist(config, { ...state, active: primary, members: found }, []);
  }
  if (state.active === null) {
    // Nothing of ours was installed: adopt what is there as NetGWM would, and decide from it.
    const decided = decide(config, { ...state, active: primary, members: found });
    return withPersist(config, decided.state, decided.actions);
  }
  const unchanged = isTiered(config) ? sameMembers(found, state.members) : primary === state.active;
  if (event.present && unchanged) return { state, actions: [] };
  const now = found.length > 0 ? found.join(', ') : 'not via an uplink of this group';
  const restoring = state.members.join(', ');
  const log: UplinkAction = {
    type: 'log',
    level: 'warn',
    event: 'uplink_route_changed',
    message: event.present
      ? `the default route was changed behind our back (now ${now}); restoring it via ${restoring}`
      : `the default route was deleted behind our back; restoring it via ${restoring}`,
    fields: {
      expected: state.active,
      found: primary,
      present: event.present,
      ...(event.present ? { now } : {}),
      restoring,
    },
  };
  const decided = decide(config, { ...state, rewrite: 'repair' });
  return withPersist(config, decided.state, [log, ...decided.actions]);
}

/** NetGWM's runtime pin: a gateway id holds the route there whatever its health; null lets go. */
function onPin(config: UplinkPolicyConfig, state: SelectorState, gateway: string | null): StepResult {
  const known = gateway !== null && config.gateways.some((spec) => spec.id === gateway);
  const runtimePin = known ? gateway : null;
  if (runtimePin === state.runtimePin) return { state, actions: [] };
  const log: UplinkAction = {
    type: 'log',
    level: 'info',
    event: 'uplink_pin',
    message:
      runtimePin === null
        ? 'uplink selection is automatic again (runtime pin removed)'
        : `uplink route pinned to ${runtimePin}${config.pinned !== null ? ` (but netgwm.yml's mode ${config.pinned} wins)` : ''}`,
    fields: { pinned: runtimePin, mode: config.pinned },
  };
  const decided = decide(config, { ...state, runtimePin });
  return withPersist(config, decided.state, [log, ...decided.actions]);
}

export function stepUplinks(
  config: UplinkPolicyConfig,
  state: SelectorState,
  event: UplinkEvent,
  now: number,
): StepResult {
  switch (event.type) {
    case 'round':
      return onRound(config, state, event, now);
    case 'role':
      return onRole(config, state, event.role);
    case 'kernelRoute':
      return onKernelRoute(config, state, event);
    case 'pin':
      return onPin(config, state, event.gateway);
    case 'routeFailed': {
      // The kernel still routes where it did; the next round decides (and writes) again.
      if (state.active !== event.gatewayId) return { state, actions: [] };
      const members = event.previous === null ? [] : [event.previous];
      return withPersist(config, { ...state, active: event.previous, members, rewrite: 'retry' }, []);
    }
  }
}
