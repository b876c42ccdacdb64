// Which scripts a state transition runs, with which argv — pure, keepalived's conventions
// (keepalived.conf(5), vrrp_instance / vrrp_sync_group "notify"):
//  - the state-specific script (notify_master / notify_backup / notify_fault / notify_stop) runs with
//    exactly its configured argv;
//  - then the generic `notify` script runs with four arguments appended:
//      INSTANCE|GROUP  name  MASTER|BACKUP|FAULT|STOP  priority
//    where the priority of a sync group is always 0.
// keepalived forks both without waiting; we run them one after the other (specific first) so the
// generic script can rely on the specific one having finished.

import type { ScriptSpec } from './types.js';

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED' | 'MASTER_RX_LOWER_PRI';
export type NotifySubject = 'INSTANCE' | 'GROUP';

/** Same shape as the config model's NotifyScripts (null or absent = not configured). */
export interface NotifyScripts {
  master?: ScriptSpec | null;
  backup?: ScriptSpec | null;
  fault?: ScriptSpec | null;
  stop?: ScriptSpec | null;
  /** The generic `notify` script. */
  any?: ScriptSpec | null;
  /** notify_deleted: a reload removed the instance (state DELETED). */
  deleted?: ScriptSpec | null;
  /** notify_master_rx_lower_pri: an event, not a state; the generic script is not run for it. */
  masterRxLowerPri?: ScriptSpec | null;
}

/** One transition of an instance or a sync group, as the daemon reports it. */
export interface NotifyTransition {
  subject: NotifySubject;
  /** Instance or sync-group name as configured (e.g. `VI_1`, `G1`). */
  name: string;
  state: NotifyState;
  /** Effective priority of the instance; ignored (0) for groups. */
  priority: number;
}

export type NotifyRole =
  | 'notify_master'
  | 'notify_backup'
  | 'notify_fault'
  | 'notify_stop'
  | 'notify_deleted'
  | 'notify_master_rx_lower_pri'
  | 'notify';

export interface PlannedScript {
  role: NotifyRole;
  spec: ScriptSpec;
  /** The argv to execute (configured argv, plus the four keepalived arguments for `notify`). */
  argv: string[];
}

const SPECIFIC: Record<NotifyState, { role: NotifyRole; key: keyof NotifyScripts }> = {
  MASTER: { role: 'notify_master', key: 'master' },
  BACKUP: { role: 'notify_backup', key: 'backup' },
  FAULT: { role: 'notify_fault', key: 'fault' },
  STOP: { role: 'notify_stop', key: 'stop' },
  DELETED: { role: 'notify_deleted', key: 'deleted' },
  MASTER_RX_LOWER_PRI: { role: 'notify_master_rx_lower_pri', key: 'masterRxLowerPri' },
};

/** The priority keepalived reports: the effective priority for an instance, 0 for a group. */
export function reportedPriority(transition: Pick<NotifyTransition, 'subject' | 'priority'>): number {
  return transition.subject === 'GROUP' ? 0 : transition.priority;
}

/** The scripts to run for one transition, in order. */
export function planNotifyScripts(scripts: NotifyScripts, transition: NotifyTransition): PlannedScript[] {
  const planned: PlannedScript[] = [];
  const specific = SPECIFIC[transition.state];
  const specificSpec = scripts[specific.key];
  if (specificSpec !== undefined && specificSpec !== null) {
    planned.push({ role: specific.role, spec: specificSpec, argv: [...specificSpec.argv] });
  }
  const generic = scripts.any;
  // keepalived's send_event_notify runs only the event's own script.
  if (generic !== undefined && generic !== null && transition.state !== 'MASTER_RX_LOWER_PRI') {
    planned.push({
      role: 'notify',
      spec: generic,
      argv: [
        ...generic.argv,
        transition.subject,
        transition.name,
        transition.state,
        String(reportedPriority(transition)),
      ],
    });
  }
  return planned;
}

/** Queue key: instance and sync-group names live in different namespaces. */
export function notifyKey(transition: Pick<NotifyTransition, 'subject' | 'name'>): string {
  return `${transition.subject}:${transition.name}`;
}
