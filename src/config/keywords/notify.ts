// notify_master / notify_backup / notify_fault / notify_stop / notify, shared by vrrp_instance and
// vrrp_sync_group. keepalived keeps the first of a repeated notify keyword, so do we (with a warning).

import type { NotifyScripts } from '../model/types.js';
import { parseScriptSpec } from '../values/script-command.js';
import type { KeywordSpec } from './types.js';

interface HasNotify {
  notify: NotifyScripts;
}

const NOTIFY_KEYWORDS: ReadonlyArray<{ name: string; slot: keyof NotifyScripts; doc: string }> = [
  { name: 'notify_master', slot: 'master', doc: 'Script run on the transition to MASTER.' },
  { name: 'notify_backup', slot: 'backup', doc: 'Script run on the transition to BACKUP.' },
  { name: 'notify_fault', slot: 'fault', doc: 'Script run on the transition to FAULT.' },
  {
    name: 'notify_stop',
    slot: 'stop',
    doc: 'Script run when the instance stops (daemon shutdown or removal).',
  },
  {
    name: 'notify',
    slot: 'any',
    doc: 'Script run on every transition, after the specific one, with TYPE NAME STATE PRIORITY appended (e.g. INSTANCE VI_1 MASTER 100).',
  },
];

/**
 * The instance-only hooks: notify_master_rx_lower_pri SCRIPT, and notify_deleted [SCRIPT] (its
 * presence alone changes what a removal reports). A second one of either is ignored, as keepalived
 * ignores it.
 */
export function instanceEventNotifyKeywords<
  Target extends HasNotify & { notifyDeleted: boolean },
>(): KeywordSpec<Target>[] {
  return [
    {
      name: 'notify_master_rx_lower_pri',
      status: 'supported',
      syntax: '<SCRIPT>|"<SCRIPT> <ARGS…>" [USER [GROUP]]',
      doc: 'Script run with its own arguments each time the MASTER hears an advert of lower priority (the FIFOs get INSTANCE "NAME" MASTER_RX_LOWER_PRI PRIO).',
      arity: [1, 3],
      repeat: 'first-wins',
      apply: (node, target, ctx) => {
        const spec = parseScriptSpec(node, ctx);
        if (spec) target.notify.masterRxLowerPri = spec;
      },
    },
    {
      name: 'notify_deleted',
      status: 'supported',
      syntax: '[<SCRIPT>|"<SCRIPT> <ARGS…>" [USER [GROUP]]]',
      doc: 'When a reload removes the instance, report DELETED (this script with its own arguments, `notify` with INSTANCE NAME DELETED PRIO, the FIFOs) instead of keepalived’s historic FAULT.',
      arity: [0, 3],
      repeat: 'first-wins',
      apply: (node, target, ctx) => {
        target.notifyDeleted = true;
        if (node.args.length === 0) return;
        const spec = parseScriptSpec(node, ctx);
        if (spec) target.notify.deleted = spec;
      },
    },
  ];
}

export function notifyKeywords<Target extends HasNotify>(): KeywordSpec<Target>[] {
  return NOTIFY_KEYWORDS.map(({ name, slot, doc }) => ({
    name,
    status: 'supported',
    syntax: '<SCRIPT>|"<SCRIPT> <ARGS…>" [USER [GROUP]]',
    doc,
    arity: [1, 3],
    extraArgumentsHint: `keepalived reads the two words after the script as its user and group; quote the whole command to pass arguments: ${name} "/path/to/script arg1 arg2"`,
    repeat: 'first-wins',
    apply: (node, target, ctx) => {
      const spec = parseScriptSpec(node, ctx);
      if (spec) target.notify[slot] = spec;
    },
  }));
}
