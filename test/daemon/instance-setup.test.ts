// The pure decisions the daemon shell takes around its instances: the source address an added
// instance starts from and the leftovers it removes (instance-setup.ts), how long a stop waits for
// make-before-break releases (release-wait.ts), and the `vrrpctl stats` period (counters.ts).

import { describe, expect, it } from 'vitest';
import { newCounters, StatsPeriod } from '../../src/daemon/counters.js';
import { initialInstance, leftoverVips, sourceFor } from '../../src/daemon/instance-setup.js';
import { planDaemon, type InstancePlan } from '../../src/daemon/plan.js';
import { anyReleasing, releaseWaitMs, stopBudgetMs } from '../../src/daemon/release-wait.js';
import { hasNoSource } from '../../src/daemon/source-address.js';
import type { InterfaceAddress } from '../../src/kernel/addresses.js';
import { step, type Instance } from '../../src/vrrp/index.js';
import { fire } from '../vrrp/fixtures.js';
import { ETH0_INDEX, instanceBlock, parseOk } from './harness.js';

function plans(text: string): InstancePlan[] {
  return [...planDaemon(parseOk(text)).instances];
}

function address(value: string, extra: Partial<InterfaceAddress> = {}): InterfaceAddress {
  return { ifindex: ETH0_INDEX, address: value, prefixLength: 24, scope: 0, secondary: false, ...extra };
}

const indexOf = (name: string) => (name === 'eth0' ? ETH0_INDEX : undefined);

describe('instance setup', () => {
  const [plan] = plans(instanceBlock());

  it('takes the primary address of the interface that is not a VIP of any instance', () => {
    const addresses = [
      address('192.0.2.254'),
      address('192.0.2.1'),
      address('192.0.2.2', { secondary: true }),
    ];
    expect(sourceFor(plan!, addresses, [plan!], indexOf)).toBe('192.0.2.1');
    expect(sourceFor(plan!, [address('192.0.2.254')], [plan!], indexOf)).toBeNull();
  });

  it('starts an instance without a source on the placeholder address', () => {
    const instance = initialInstance(plan!, null);
    expect(hasNoSource(instance.config.primaryAddress, 'ipv4')).toBe(true);
    expect(hasNoSource(initialInstance(plan!, '192.0.2.1').config.primaryAddress, 'ipv4')).toBe(false);
  });

  it('finds the VIPs a killed run left on the interface, and nothing else', () => {
    expect(leftoverVips([plan!], [address('192.0.2.1')], indexOf)).toEqual([]);
    const found = leftoverVips([plan!], [address('192.0.2.1'), address('192.0.2.254')], indexOf);
    expect(found.map((f) => [f.plan.name, f.stale.map((v) => v.address)])).toEqual([
      ['VI_1', ['192.0.2.254']],
    ]);
  });
});

describe('release wait', () => {
  const [plan] = plans(instanceBlock());

  function master(): Instance {
    let instance = initialInstance(plan!, '192.0.2.1');
    instance = step(instance, { type: 'startup' }, 0).instance;
    instance = fire(instance, 'masterDown').instance;
    expect(instance.state).toBe('MASTER');
    return instance;
  }

  it('budgets a stop for the longest release a MASTER could start', () => {
    expect(stopBudgetMs([], 1000)).toBe(1000);
    expect(stopBudgetMs([master()], 1000)).toBeGreaterThan(1000);
  });

  it('waits for a release until its own due time plus a margin, and not at all without one', () => {
    const idle = master();
    expect(anyReleasing([idle])).toBe(false);
    expect(releaseWaitMs([idle], 10)).toBe(0);
    const releasing = step(idle, { type: 'shutdown' }, 10).instance;
    expect(releasing.timers.release).not.toBeNull();
    expect(anyReleasing([releasing])).toBe(true);
    const due = releasing.timers.release!.dueAt;
    expect(releaseWaitMs([releasing], 10)).toBeGreaterThan(due - 10);
    expect(releaseWaitMs([releasing], 10)).toBeLessThan(due - 10 + 1000);
  });
});

describe('stats period', () => {
  it('reports since the start, and since a clear after it', () => {
    const counted = { plan: { name: 'VI_1' }, counters: newCounters(), statsBaseline: newCounters() };
    const period = new StatsPeriod(100);
    counted.counters.advertsRx = 5;
    expect(period.read([counted], 200)).toMatchObject({
      since: 100,
      instances: [{ counters: { advertsRx: 5 } }],
    });
    counted.counters.advertsRx = 7;
    expect(period.read([counted], null)).toMatchObject({
      since: 200,
      instances: [{ counters: { advertsRx: 2 } }],
    });
  });
});
