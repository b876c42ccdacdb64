// Small builders shared by the pure state-machine tests.

import { simpleAuthData } from '../../src/packet/vrrp.js';
import type { VrrpAdvert } from '../../src/packet/types.js';
import {
  createInstance,
  step,
  type Instance,
  type InstanceConfigInput,
  type StepResult,
  type TimerName,
  type VrrpAction,
  type VrrpEvent,
} from '../../src/vrrp/index.js';

export const OUR_ADDRESS = '192.0.2.2';
export const LOWER_ADDRESS = '192.0.2.1';
export const HIGHER_ADDRESS = '192.0.2.3';
export const VIP = '192.0.2.254';

export function makeInstance(overrides: Partial<InstanceConfigInput> = {}): Instance {
  return createInstance({
    name: 'VI_1',
    vrid: 51,
    priority: 100,
    primaryAddress: OUR_ADDRESS,
    vips: [VIP],
    ...overrides,
  });
}

/** An advert as the peer would send it for the instance's VRID and version. */
export function advertLike(instance: Instance, fields: Partial<VrrpAdvert> = {}): VrrpAdvert {
  const { config } = instance;
  return {
    version: config.version,
    type: 1,
    vrid: config.vrid,
    priority: 100,
    advertIntervalCs: config.advertIntervalCs,
    addresses: [...config.vips],
    authType: config.version === 2 ? config.authType : 0,
    authData: config.version === 2 ? simpleAuthData(config.authPassword) : Buffer.alloc(0),
    ...fields,
  };
}

export function advertEvent(
  instance: Instance,
  priority: number,
  source: string,
  fields: Partial<VrrpAdvert> = {},
): VrrpEvent {
  return { type: 'advert', advert: advertLike(instance, { priority, ...fields }), source };
}

/** Fires the timer the instance has armed, with the right generation. */
export function fire(instance: Instance, timer: TimerName, now?: number): StepResult {
  const armed = instance.timers[timer];
  if (!armed) throw new Error(`${timer} is not armed`);
  return step(instance, { type: 'timer', timer, generation: armed.generation }, now ?? armed.dueAt);
}

/** Runs events in sequence, returning the last result. */
export function run(instance: Instance, events: readonly [VrrpEvent, number][]): StepResult {
  let result: StepResult = { instance, actions: [] };
  for (const [event, now] of events) result = step(result.instance, event, now);
  return result;
}

export function started(overrides: Partial<InstanceConfigInput> = {}, now = 0): Instance {
  return step(makeInstance(overrides), { type: 'startup' }, now).instance;
}

/** A MASTER reached the ordinary way: startup, then the master-down timer. */
export function master(overrides: Partial<InstanceConfigInput> = {}): Instance {
  return fire(started(overrides), 'masterDown').instance;
}

/** Compact description of actions for order assertions. */
export function summarize(actions: readonly VrrpAction[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'transition':
        return `transition ${a.from}->${a.to} ${a.reason}`;
      case 'sendAdvert':
        return `sendAdvert ${a.advert.priority} ${a.reason}${a.to ? ` to ${a.to}` : ''}`;
      case 'addVips':
      case 'removeVips':
        return `${a.type} ${a.addresses.join(',')}`;
      case 'sendGarp':
        return `sendGarp ${a.count} ${a.reason}`;
      case 'notify':
        return `notify ${a.scope} ${a.state}`;
      case 'armTimer':
        return `armTimer ${a.timer} ${a.delayMs}`;
      case 'cancelTimer':
        return `cancelTimer ${a.timer}`;
      case 'log':
        return `log ${a.level} ${a.message}`;
    }
  });
}
