// The pure policy's log actions become catalogue lines in the shell (action-executor.ts): every
// kind of line the policy emits maps to an entry of its level whose template, filled from the
// action's fields, is exactly the policy's own `message` — so the code and the text agree.

import { describe, expect, it } from 'vitest';
import { policyLogEntry } from '../../../src/daemon/uplinks/action-executor.js';
import { formatLogMessage, LOG } from '../../../src/runtime/messages.js';
import type { UplinkAction } from '../../../src/uplink/types.js';
import { ofType, PolicySim, policyConfig } from '../../uplink/policy-helpers.js';

function logsOf(sim: PolicySim): Array<Extract<UplinkAction, { type: 'log' }>> {
  return ofType(
    sim.log.map(({ action }) => action),
    'log',
  );
}

/** Runs the policy through every situation that logs, and returns what it logged. */
function everyPolicyLog(): Array<Extract<UplinkAction, { type: 'log' }>> {
  const sims: PolicySim[] = [];
  // UP, DOWN with a reason, every uplink down while a route of ours is in place, role changes.
  const owner = new PolicySim(policyConfig());
  sims.push(owner);
  owner.rounds(3);
  for (const id of Object.keys(owner.up)) owner.up[id] = false;
  owner.rounds(5);
  owner.setRole('backup');
  owner.setRole('master');
  // Every uplink down before any route was ours.
  const fresh = new PolicySim(policyConfig());
  sims.push(fresh);
  for (const id of Object.keys(fresh.up)) fresh.up[id] = false;
  fresh.rounds(5);
  // The route rewritten and deleted behind our back.
  const repaired = new PolicySim(policyConfig());
  sims.push(repaired);
  repaired.rounds(3);
  repaired.step({ type: 'kernelRoute', gatewayId: 'operator2', present: true });
  repaired.step({ type: 'kernelRoute', gatewayId: null, present: true });
  repaired.step({ type: 'kernelRoute', gatewayId: null, present: false });
  // Runtime pins: set, removed, and overridden by the yml's mode.
  const pinned = new PolicySim(policyConfig());
  sims.push(pinned);
  pinned.round();
  pinned.step({ type: 'pin', gateway: 'operator3' });
  pinned.step({ type: 'pin', gateway: null });
  const moded = new PolicySim(policyConfig({ pinned: 'operator2' }));
  sims.push(moded);
  moded.round();
  moded.step({ type: 'pin', gateway: 'operator3' });
  return sims.flatMap(logsOf);
}

describe('the policy’s log lines in the catalogue', () => {
  const logs = everyPolicyLog();

  it('each maps to an entry of its level whose filled template is the policy’s message', () => {
    for (const action of logs) {
      const entry = policyLogEntry(action);
      expect(entry.level, action.message).toBe(action.level);
      expect(formatLogMessage(entry, { event: action.event, ...action.fields })).toBe(action.message);
    }
  });

  it('the scenarios reach every entry the policy can log', () => {
    const codes = new Set(logs.map((action) => policyLogEntry(action).code));
    expect([...codes].sort()).toEqual(
      [
        LOG.uplinkUp,
        LOG.uplinkDown,
        LOG.uplinkAllDown,
        LOG.uplinkRole,
        LOG.uplinkRouteChanged,
        LOG.uplinkRouteDeleted,
        LOG.uplinkPinned,
        LOG.uplinkUnpinned,
        LOG.uplinkPinOverridden,
      ]
        .map((entry) => entry.code)
        .sort(),
    );
    const allDown = new Set(logs.filter((a) => a.event === 'uplink_all_down').map((a) => a.message));
    expect(allDown).toEqual(
      new Set([
        'every uplink is down; keeping the default route via operator1',
        'every uplink is down; keeping the default route as it is',
      ]),
    );
  });
});
