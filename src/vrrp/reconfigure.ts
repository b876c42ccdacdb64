// Reload without a transition: a running instance takes a new configuration (priority, advert
// interval, VIPs, GARP settings…) while keeping its state, its known master and its timers. Only
// the daemon decides whether the new config is "the same instance" (VRID, interface, family,
// unicast setup); this function just recomputes what depends on the configuration.

import { resolveInstanceConfig } from './instance-config.js';
import { effectivePriority } from './priority.js';
import type { Instance, InstanceConfigInput } from './types.js';

export function reconfigure(instance: Instance, input: InstanceConfigInput): Instance {
  const config = resolveInstanceConfig(input);
  return {
    ...instance,
    config,
    effectivePriority: effectivePriority(config.priority, instance.trackers),
    // v2 has no interval learning, and a MASTER advertises its own interval; a v3 BACKUP keeps
    // what it learned from the master (RFC 5798 §6.4.2).
    masterAdverIntervalCs:
      config.version === 2 || instance.state === 'MASTER'
        ? config.advertIntervalCs
        : instance.masterAdverIntervalCs,
  };
}
