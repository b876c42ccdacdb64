// notify_priority_changes (keepalived's vrrp_update_priority → send_instance_priority_notifies):
// when an instance's effective priority changes — a weighted tracker, or `vrrpctl demote` — the
// notify FIFOs get `INSTANCE "NAME" MASTER_PRIORITY N` while it is MASTER and `BACKUP_PRIORITY N`
// in any other state, N the new effective priority. keepalived only does this after start-up has
// settled the initial tracker states; vrrpd likewise writes nothing while the instance is in INIT.

import type { FifoEvent } from '../scripts/fifo.js';
import type { Instance } from '../vrrp/index.js';

export function priorityChangeEvent(
  enabled: boolean,
  before: Instance | undefined,
  after: Instance | undefined,
): FifoEvent | null {
  if (!enabled || !before || !after) return null;
  if (before.effectivePriority === after.effectivePriority || after.state === 'INIT') return null;
  return {
    subject: 'INSTANCE',
    name: after.config.name,
    state: after.state === 'MASTER' ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY',
    priority: after.effectivePriority,
  };
}
