// The VRRP tie-in: the uplink module owns the default route only while the instance (or sync
// group) it follows is MASTER. BACKUP, FAULT and INIT all mean "keep probing, touch nothing".

import type { VrrpStateName } from '../control/status-types.js';
import type { UplinkRole } from './types.js';

export function uplinkRoleForVrrpState(state: VrrpStateName): UplinkRole {
  return state === 'MASTER' ? 'master' : 'backup';
}
