// Invariants of the uplink policy over random histories of probe rounds and VRRP role changes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UplinkEvent, UplinkRole } from '../../src/uplink/types.js';
import { policyConfig, PolicySim, roundOf } from './policy-helpers.js';

const roundEvent = fc
  .tuple(fc.boolean(), fc.boolean(), fc.boolean())
  .map(([a, b, c]): UplinkEvent => roundOf({ operator1: a, operator2: b, operator3: c }));
const roleEvent = fc
  .constantFrom<UplinkRole>('master', 'backup')
  .map((role): UplinkEvent => ({ type: 'role', role }));
const history = fc.array(
  fc.oneof({ weight: 8, arbitrary: roundEvent }, { weight: 1, arbitrary: roleEvent }),
  {
    maxLength: 150,
  },
);

describe('uplink policy invariants', () => {
  it('holds for any history of rounds and role changes', () => {
    fc.assert(
      fc.property(
        history,
        fc.constantFrom('leave' as const, 'fallback' as const),
        (events, onLeaveMaster) => {
          const sim = new PolicySim(policyConfig({ onLeaveMaster }), { role: 'backup' });
          for (const event of events) {
            const roleBefore = sim.state.role;
            const actions = sim.step(event);
            sim.now += 200;
            const owner = sim.state.role === 'master';
            for (const action of actions) {
              // A backup never touches routes and never runs hooks.
              if (!owner)
                expect(['replaceDefaultRoute', 'runHooks', 'flushConntrack']).not.toContain(action.type);
              if (action.type === 'restoreFallbackRoute') {
                expect(onLeaveMaster).toBe('fallback');
                expect(roleBefore).toBe('master');
              }
              if (action.type === 'replaceDefaultRoute') {
                const target = sim.state.gateways.find((g) => g.id === action.gateway.id);
                // Automatic mode only ever routes via a working gateway…
                expect(target?.state).toBe('UP');
                // …and fails back only to a stable one.
                if (action.reason === 'failback') expect(target?.lastFailureAt).toBeNull();
              }
              if (action.type === 'runHooks') {
                const replace = actions.find((a) => a.type === 'replaceDefaultRoute');
                expect(replace?.type === 'replaceDefaultRoute' && replace.gateway.id).toBe(action.args[0]);
                expect(replace?.type === 'replaceDefaultRoute' && (replace.previous ?? 'NaN')).toBe(
                  action.args[3],
                );
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
