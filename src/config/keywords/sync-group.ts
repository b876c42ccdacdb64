// vrrp_sync_group NAME { group { … } … }: instances that change state together (a keepalived
// extension to VRRP), with their own tracking and notify scripts.

import type { SyncGroupDraft } from './drafts.js';
import { groupMemberWords } from '../values/track-entries.js';
import { parseOptionalBoolean } from '../values/scalars.js';
import { ignoredKeywords } from './common.js';
import { trackListKeywords } from './track-lists.js';
import { notifyKeywords } from './notify.js';
import type { KeywordTable } from './types.js';

type S = SyncGroupDraft;

export const SYNC_GROUP_TABLE: KeywordTable<S> = {
  block: 'vrrp_sync_group',
  keywords: [
    {
      name: 'group',
      status: 'supported',
      syntax: '{ <VRRP_INSTANCE> … }',
      doc: 'Member instances: when one leaves MASTER or BACKUP, all follow.',
      block: true,
      repeat: 'first-wins',
      apply: (node, group) => {
        for (const child of node.children ?? []) group.members.push(...groupMemberWords(child));
      },
    },
    ...trackListKeywords<S>({
      interface: 'Interfaces tracked on behalf of every member instance.',
      script: 'vrrp_scripts tracked on behalf of every member instance.',
      file: 'track_files tracked on behalf of every member instance.',
      process: 'vrrp_track_process quorums tracked on behalf of every member instance.',
      bfd: 'bfd_instance sessions tracked on behalf of every member instance.',
    }),
    ...notifyKeywords<S>(),
    {
      name: 'sync_group_tracking_weight',
      status: 'supported',
      syntax: '',
      doc: 'Keep the track weights of member instances (keepalived otherwise forces them to 0 inside a group).',
      apply: (_node, group) => {
        group.trackingWeight = true;
      },
    },
    {
      name: 'global_tracking',
      status: 'supported',
      syntax: '',
      doc: 'Deprecated keepalived spelling of sync_group_tracking_weight.',
      apply: (_node, group) => {
        group.trackingWeight = true;
      },
    },
    {
      name: 'smtp_alert',
      status: 'ignored',
      syntax: '[on|off]',
      doc: 'vrrpd sends no e-mail (the setting is kept in the dump)',
      hint: 'use a notify script or the notify FIFO to send alerts',
      apply: (node, group, ctx) => {
        group.smtpAlert = parseOptionalBoolean(node.args[0], 'smtp_alert', ctx) ?? group.smtpAlert;
      },
    },
    {
      name: 'notify_priority_changes',
      status: 'supported',
      syntax: '[on|off]',
      defaultValue: 'vrrp_notify_priority_changes',
      doc: 'Default of notify_priority_changes for the members that do not set it.',
      arity: [0, 1],
      apply: (node, group, ctx) => {
        group.notifyPriorityChanges =
          parseOptionalBoolean(node.args[0], 'notify_priority_changes', ctx) ?? group.notifyPriorityChanges;
      },
    },
    ...ignoredKeywords<S>(
      ['notify_deleted'],
      'sync groups have no DELETED state in keepalived either (its members report it); keepalived reports it as an unknown keyword',
      undefined,
      { keepalivedReports: true },
    ),
  ],
};
