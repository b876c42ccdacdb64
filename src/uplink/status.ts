// The uplinks as `vrrpctl status` shows them (src/control/status-types.ts UplinkStatus), in
// preference order. Times in the policy are epoch milliseconds, so healthySince maps directly.

import type { UplinkStatus } from '../control/status-types.js';
import { windowLoss } from './health.js';
import { compareGateways } from './select.js';
import type { UplinkPolicyConfig, UplinkState } from './types.js';

export function uplinkStatuses(
  group: string,
  config: UplinkPolicyConfig,
  state: UplinkState,
): UplinkStatus[] {
  const health = new Map(state.gateways.map((gateway) => [gateway.id, gateway]));
  return [...config.gateways].sort(compareGateways).map((gateway) => {
    const current = health.get(gateway.id);
    return {
      group,
      id: gateway.id,
      ip: gateway.ip ?? '',
      dev: gateway.dev ?? '',
      priority: gateway.priority,
      state: current?.state ?? 'UNKNOWN',
      rttMs: current?.lastRttMs ?? null,
      loss: current ? windowLoss(current.lossWindow) : 0,
      healthySince:
        current?.state === 'UP' && current.healthySince !== null
          ? new Date(current.healthySince).toISOString()
          : null,
      active: state.active === gateway.id,
    };
  });
}
