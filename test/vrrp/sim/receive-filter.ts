// The receiving side of the simulated wire: the per-instance checks of RFC 3768 §7.1 that the
// daemon's validation ladder performs before an advert reaches the state machine. Kept minimal
// and local to the tests (the real ladder lives in src/packet and is tested there).

import { simpleAuthData } from '../../../src/packet/vrrp.js';
import { AuthType, type VrrpAdvert } from '../../../src/packet/types.js';
import type { InstanceConfig } from '../../../src/vrrp/index.js';

export type FilterVerdict = 'accept' | 'other_vrid' | 'we_are_owner' | 'auth' | 'advert_interval';

export function filterAdvert(config: InstanceConfig, advert: VrrpAdvert): FilterVerdict {
  if (advert.vrid !== config.vrid || advert.version !== config.version) return 'other_vrid';
  // RFC 3768 §7.1 / RFC 5798 §7.1: the address owner ignores adverts.
  if (config.priority === 255) return 'we_are_owner';
  if (config.version === 2) {
    if (advert.authType !== config.authType) return 'auth';
    if (config.authType === AuthType.simple && !advert.authData.equals(simpleAuthData(config.authPassword))) {
      return 'auth';
    }
    // v2 intervals must match; v3 backups learn the master's (RFC 5798 §6.4.2).
    if (advert.advertIntervalCs !== config.advertIntervalCs) return 'advert_interval';
  }
  return 'accept';
}
