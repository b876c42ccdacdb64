// Invariants checked after every simulated event.

import type { Simulator } from './simulator.js';

/**
 * VIPs are held by exactly the MASTER instances: a MASTER holds all its addresses (advertised and
 * excluded), any other instance and any router that is down hold none.
 */
export function assertVipsFollowMastership(sim: Simulator): void {
  for (const router of sim.routerNames()) {
    for (const name of sim.instanceNames(router)) {
      const held = [...sim.heldVips(router, name)].sort();
      if (!sim.isUp(router)) {
        if (held.length > 0) throw new Error(`${sim.now} ms: ${router} is down but holds ${held.join(',')}`);
        continue;
      }
      const instance = sim.instance(router, name);
      const expected =
        instance.state === 'MASTER' ? [...instance.config.vips, ...instance.config.excludedVips].sort() : [];
      if (held.join(',') !== expected.join(',')) {
        throw new Error(
          `${sim.now} ms: ${router}/${name} is ${instance.state} but holds [${held.join(',')}], expected [${expected.join(',')}]`,
        );
      }
    }
  }
}
