// keepalived's notifies that are not plain state transitions (vrrp_notify.c, vrrp.c):
//  - a reload that removes an instance reports DELETED when notify_deleted is written, else FAULT
//    (the historic behaviour), and nothing when it was already FAULT; no STOP is sent for it;
//  - a MASTER that hears a lower priority (or an equal one from a lower address) and stays MASTER
//    runs notify_master_rx_lower_pri with its own argv and writes MASTER_RX_LOWER_PRI to the FIFOs.
// Pure decisions; the daemon queues what they return.

import type { InstanceModel } from '../config/model/types.js';
import type { NotifyTransition } from '../scripts/notify-plan.js';
import type { Instance } from '../vrrp/index.js';

export function deletionNotify(model: InstanceModel, instance: Instance): NotifyTransition | null {
  if (!model.notifyDeleted && instance.state === 'FAULT') return null;
  return {
    subject: 'INSTANCE',
    name: model.name,
    state: model.notifyDeleted ? 'DELETED' : 'FAULT',
    priority: instance.effectivePriority,
  };
}

/**
 * An advert (not a priority-0 resignation) that left a MASTER still MASTER came from a router
 * that lost the comparison: keepalived's "Received advert … with lower priority".
 */
export function lowerPriorityHeard(
  before: Instance | undefined,
  after: Instance | undefined,
  advertPriority: number,
): NotifyTransition | null {
  if (!before || !after || before.state !== 'MASTER' || after.state !== 'MASTER') return null;
  if (advertPriority === 0) return null;
  return {
    subject: 'INSTANCE',
    name: after.config.name,
    state: 'MASTER_RX_LOWER_PRI',
    priority: after.effectivePriority,
  };
}
