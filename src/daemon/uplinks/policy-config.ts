// The pure policy's view of a loaded netgwm.yml (plus the VRRP block's leave-master choice).

import { gatewayProbeSettings } from '../../config/netgwm/gateway-probes.js';
import type { NetgwmConfig } from '../../config/netgwm/types.js';
import type { UplinkPolicyConfig } from '../../uplink/types.js';

export function policyConfigFrom(
  config: NetgwmConfig,
  onLeaveMaster: UplinkPolicyConfig['onLeaveMaster'] = 'leave',
): UplinkPolicyConfig {
  return {
    gateways: config.gateways.map((gateway) => {
      if (config.gatewaySettings[gateway.id] === undefined) return gateway;
      const { quorum, rise, fall } = gatewayProbeSettings(config, gateway.id);
      const { tier, weight } = config.gatewaySettings[gateway.id] ?? {};
      return {
        ...gateway,
        quorum,
        rise,
        fall,
        ...(tier === undefined ? {} : { tier }),
        ...(weight === undefined ? {} : { weight }),
      };
    }),
    minUptimeMs: Math.round(config.minUptimeSeconds * 1000),
    quorum: config.quorum,
    rise: config.rise,
    fall: config.fall,
    maxLoss: config.maxLoss,
    lossRecover: config.lossRecover,
    maxRttMs: config.maxRttMs,
    rttRecoverMs: config.rttRecoverMs,
    maxJitterMs: config.maxJitterMs,
    jitterRecoverMs: config.jitterRecoverMs,
    lossWindowRounds: config.lossWindowRounds,
    pinned: config.mode,
    conntrackFlush: config.conntrackFlush,
    onLeaveMaster,
  };
}
