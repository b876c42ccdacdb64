// Builds a complete InstanceConfig from the caller's input, filling keepalived's defaults, and
// checks the invariants the state machine relies on. The config layer reports user mistakes with
// file:line; a RangeError here means a programming error (an unchecked config reached the core).

import { addressFamilyOf } from '../packet/ip-address.js';
import { AuthType } from '../packet/types.js';
import { DEFAULT_DOWN_TIMER_ADVERTS } from './timing.js';
import type { GarpConfig, InstanceConfig, InstanceConfigInput } from './types.js';

/** keepalived.conf(5) defaults: 5 GARPs at once, 5 more after 5 s, no periodic refresh. */
export const DEFAULT_GARP: GarpConfig = {
  masterRepeat: 5,
  masterDelayMs: 5000,
  masterRefreshMs: 0,
  masterRefreshRepeat: 1,
  lowerPriorityRepeat: 5,
  lowerPriorityDelayMs: 5000,
  intervalMs: 0,
};

/**
 * After a planned release, the old master keeps its addresses this long past the new master's
 * first advert: the new master sends that advert before it has added the addresses and sent its
 * gratuitous ARPs, and clients keep sending to the old MAC until those arrive.
 */
export const DEFAULT_RELEASE_GRACE_MS = 100;

/** keepalived's advert_int default: 1 second. */
export const DEFAULT_ADVERT_INTERVAL_CS = 100;
/** RFC 5798 §5.2.7: 12 bits of centiseconds. */
const V3_MAX_INTERVAL_CS = 0x0fff;
/** keepalived's limit for down_timer_adverts (vrrp_parser.c reads 1..100). */
export const MAX_DOWN_TIMER_ADVERTS = 100;
/** RFC 3768 §5.3.7: one byte of seconds. */
const V2_MAX_INTERVAL_CS = 255 * 100;

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${value} is outside ${min}..${max}`);
  }
}

function requireAddress(what: string, address: string): void {
  if (addressFamilyOf(address) === null) {
    throw new RangeError(`${what} ${JSON.stringify(address)} is not an IPv4 or IPv6 address`);
  }
}

export function resolveInstanceConfig(input: InstanceConfigInput): InstanceConfig {
  const masterRepeat = input.garp?.masterRepeat ?? DEFAULT_GARP.masterRepeat;
  const masterDelayMs = input.garp?.masterDelayMs ?? DEFAULT_GARP.masterDelayMs;
  const config: InstanceConfig = {
    name: input.name,
    vrid: input.vrid,
    version: input.version ?? 2,
    priority: input.priority,
    advertIntervalCs: input.advertIntervalCs ?? DEFAULT_ADVERT_INTERVAL_CS,
    primaryAddress: input.primaryAddress,
    vips: [...(input.vips ?? [])],
    excludedVips: [...(input.excludedVips ?? [])],
    authType: input.authType ?? AuthType.none,
    authPassword: input.authPassword ?? '',
    preempt: input.preempt ?? true,
    preemptDelayMs: input.preemptDelayMs ?? 0,
    startupDelayMs: input.startupDelayMs ?? 0,
    downTimerAdverts: input.downTimerAdverts ?? DEFAULT_DOWN_TIMER_ADVERTS,
    initialState: input.initialState ?? 'BACKUP',
    garp: {
      ...DEFAULT_GARP,
      masterRepeat,
      masterDelayMs,
      // keepalived: the lower-priority schedule defaults to the master one.
      lowerPriorityRepeat: masterRepeat,
      lowerPriorityDelayMs: masterDelayMs,
      ...input.garp,
    },
    lowerPriorityNoAdvert: input.lowerPriorityNoAdvert ?? false,
    makeBeforeBreak: input.makeBeforeBreak ?? true,
    releaseGraceMs: input.releaseGraceMs ?? DEFAULT_RELEASE_GRACE_MS,
    higherPrioritySendAdvert: input.higherPrioritySendAdvert ?? true,
    syncGroup: input.syncGroup ?? null,
  };
  validateInstanceConfig(config);
  return config;
}

export function validateInstanceConfig(config: InstanceConfig): void {
  requireInteger('VRID', config.vrid, 1, 255);
  requireInteger('priority', config.priority, 1, 255);
  if (config.version !== 2 && config.version !== 3) {
    throw new RangeError(`VRRP version ${String(config.version)} is not 2 or 3`);
  }
  if (config.version === 2) {
    requireInteger('v2 advert interval (cs)', config.advertIntervalCs, 100, V2_MAX_INTERVAL_CS);
    if (config.advertIntervalCs % 100 !== 0) {
      throw new RangeError(`v2 advert interval ${config.advertIntervalCs} cs is not whole seconds`);
    }
  } else {
    requireInteger('v3 advert interval (cs)', config.advertIntervalCs, 1, V3_MAX_INTERVAL_CS);
  }
  requireAddress('primary address', config.primaryAddress);
  // The advertised addresses are of the instance's family (its primary address's); the excluded
  // ones may be of either (keepalived's virtual_ipaddress_excluded, e.g. an IPv6 VIP on an IPv4
  // instance): they are never advertised.
  const family = addressFamilyOf(config.primaryAddress);
  for (const vip of config.vips) {
    requireAddress('virtual address', vip);
    if (addressFamilyOf(vip) !== family) {
      throw new RangeError(`virtual address ${vip} is not of the instance's family (${family})`);
    }
  }
  for (const vip of config.excludedVips) requireAddress('excluded virtual address', vip);
  requireInteger('preempt delay (ms)', config.preemptDelayMs, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('startup delay (ms)', config.startupDelayMs, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('down_timer_adverts', config.downTimerAdverts, 1, MAX_DOWN_TIMER_ADVERTS);
  const { garp } = config;
  requireInteger('garp_master_repeat', garp.masterRepeat, 1, 1000);
  requireInteger('garp_master_delay (ms)', garp.masterDelayMs, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('garp_master_refresh (ms)', garp.masterRefreshMs, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('garp_master_refresh_repeat', garp.masterRefreshRepeat, 1, 1000);
  requireInteger('garp_lower_prio_repeat', garp.lowerPriorityRepeat, 0, 1000);
  requireInteger('garp_lower_prio_delay (ms)', garp.lowerPriorityDelayMs, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('garp_interval (ms)', garp.intervalMs, 0, Number.MAX_SAFE_INTEGER);
}
