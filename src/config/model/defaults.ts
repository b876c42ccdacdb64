// keepalived's defaults, in the model's units. Values the protocol core also needs (GARP schedule,
// advert interval, multicast group) are the core's own constants, so the two cannot disagree.

import { VRRP_MULTICAST_GROUP4 } from '../../packet/vrrp.js';
import { DEFAULT_ADVERT_INTERVAL_CS, DEFAULT_GARP } from '../../vrrp/instance-config.js';
import { DEFAULT_DOWN_TIMER_ADVERTS } from '../../vrrp/timing.js';
import type { GarpSettings, GlobalDefs, NotifyScripts } from './types.js';

/** keepalived's defaults (keepalived.conf(5), checked against `keepalived -d` of 2.2.7). */
export const KEEPALIVED_DEFAULTS = {
  vrrpVersion: 2,
  priority: 100,
  advertIntervalCs: DEFAULT_ADVERT_INTERVAL_CS,
  downTimerAdverts: DEFAULT_DOWN_TIMER_ADVERTS,
  garpMasterDelayMs: DEFAULT_GARP.masterDelayMs,
  garpMasterRepeat: DEFAULT_GARP.masterRepeat,
  garpMasterRefreshMs: DEFAULT_GARP.masterRefreshMs,
  garpMasterRefreshRepeat: DEFAULT_GARP.masterRefreshRepeat,
  garpIntervalUs: DEFAULT_GARP.intervalMs * 1000,
  unicastTtl: 255,
  mcastGroup4: VRRP_MULTICAST_GROUP4,
  mcastGroup6: 'ff02::12',
  scriptIntervalMs: 1000,
  scriptRise: 1,
  scriptFall: 1,
  startupShutdownScriptTimeoutMs: 10_000,
  trackFileWeight: 1,
} as const;

export function defaultGarp(): GarpSettings {
  return {
    masterDelayMs: KEEPALIVED_DEFAULTS.garpMasterDelayMs,
    masterRepeat: KEEPALIVED_DEFAULTS.garpMasterRepeat,
    masterRefreshMs: KEEPALIVED_DEFAULTS.garpMasterRefreshMs,
    masterRefreshRepeat: KEEPALIVED_DEFAULTS.garpMasterRefreshRepeat,
    intervalUs: KEEPALIVED_DEFAULTS.garpIntervalUs,
  };
}

export function defaultGlobals(): GlobalDefs {
  return {
    routerId: null,
    enableScriptSecurity: false,
    scriptUser: null,
    vrrpVersion: KEEPALIVED_DEFAULTS.vrrpVersion,
    garp: defaultGarp(),
    startupDelayMs: 0,
    downTimerAdverts: KEEPALIVED_DEFAULTS.downTimerAdverts,
    mcastGroup4: KEEPALIVED_DEFAULTS.mcastGroup4,
    mcastGroup6: KEEPALIVED_DEFAULTS.mcastGroup6,
    skipCheckAdvAddr: false,
    checkUnicastSrc: false,
    gnaIntervalUs: 0,
    vmacPrefix: null,
    vmacAddrPrefix: null,
    notifyPriorityChanges: false,
    notifyFifo: null,
    vrrpNotifyFifo: null,
    notifyFifoScript: null,
    vrrpNotifyFifoScript: null,
    processPriority: null,
    noSwap: false,
    disableLocalIgmp: false,
    realtimePriority: null,
    maxAutoPriority: null,
    vrrpStrict: false,
    dynamicInterfaces: false,
    startupScript: null,
    startupScriptTimeoutMs: KEEPALIVED_DEFAULTS.startupShutdownScriptTimeoutMs,
    shutdownScript: null,
    shutdownScriptTimeoutMs: KEEPALIVED_DEFAULTS.startupShutdownScriptTimeoutMs,
    netNamespace: null,
  };
}

export function emptyNotify(): NotifyScripts {
  return {
    master: null,
    backup: null,
    fault: null,
    stop: null,
    any: null,
    deleted: null,
    masterRxLowerPri: null,
  };
}
