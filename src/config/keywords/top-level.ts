// The top level of keepalived.conf: which sections vrrpd reads, which whole sections it skips with
// one warning each (so a mixed LVS + VRRP file still runs its VRRP part) and which it refuses.

import type { ConfigDraft } from './drafts.js';
import {
  newInstanceDraft,
  newProcessTrackDraft,
  newBfdInstanceDraft,
  newScriptDraft,
  newSyncGroupDraft,
  newTrackFileDraft,
} from './drafts.js';
import { VRRP_TRACK_PROCESS_TABLE } from './track-process.js';
import { parseUplinkGroupBlock, UPLINK_GROUP_TABLE } from '../netgwm/uplink-group.js';
import { reportInvalid, within } from '../values/scalars.js';
import { BFD_INSTANCE_TABLE } from './bfd-instance.js';
import { applyKeywords } from './apply.js';
import { argument, ignoredKeywords } from './common.js';
import { NET_NAMESPACE_KEYWORD } from './net-namespace.js';
import { GLOBAL_DEFS_TABLE } from './global-defs.js';
import { STATIC_ENTRY_KEYWORDS } from './static-entries.js';
import { SYNC_GROUP_TABLE } from './sync-group.js';
import type { KeywordSpec, KeywordTable } from './types.js';
import { VRRP_INSTANCE_TABLE } from './vrrp-instance.js';
import { TRACK_FILE_TABLE, VRRP_SCRIPT_TABLE } from './vrrp-script.js';

type C = ConfigDraft;

function trackFileSection(name: string, doc: string): KeywordSpec<C> {
  return {
    name,
    status: 'supported',
    syntax: '<NAME> { file <PATH>; weight <W> [reverse]; init_file [VALUE] [overwrite] }',
    doc,
    arity: [1, 1],
    block: true,
    contents: TRACK_FILE_TABLE,
    repeat: 'append',
    apply: (node, config, ctx) => {
      const draft = newTrackFileDraft(argument(node).text, node.source, config.blocksRead++);
      draft.written = applyKeywords(
        node.children ?? [],
        TRACK_FILE_TABLE,
        draft,
        within(ctx, `track_file ${draft.name}`),
      );
      config.trackFiles.push(draft);
    },
  };
}

export const TOP_LEVEL_TABLE: KeywordTable<C> = {
  block: 'top level',
  keywords: [
    {
      name: 'global_defs',
      status: 'supported',
      syntax: '{ … }',
      doc: 'Daemon-wide settings and instance defaults (may appear several times).',
      block: true,
      contents: GLOBAL_DEFS_TABLE,
      repeat: 'append',
      apply: (node, config, ctx) => {
        applyKeywords(node.children ?? [], GLOBAL_DEFS_TABLE, config.globals, within(ctx, 'global_defs'));
      },
    },
    {
      name: 'vrrp_instance',
      status: 'supported',
      syntax: '<NAME> { … }',
      doc: 'A virtual router.',
      arity: [1, 1],
      block: true,
      contents: VRRP_INSTANCE_TABLE,
      wrongArity: 'skip-block',
      repeat: 'append',
      apply: (node, config, ctx) => {
        const draft = newInstanceDraft(argument(node).text, node.source, config.blocksRead++);
        draft.written = applyKeywords(
          node.children ?? [],
          VRRP_INSTANCE_TABLE,
          draft,
          within(ctx, `vrrp_instance ${draft.name}`),
        );
        config.instances.push(draft);
      },
    },
    {
      name: 'vrrp_sync_group',
      status: 'supported',
      syntax: '<NAME> { group { … } … }',
      doc: 'Instances that change state together.',
      arity: [1, 1],
      block: true,
      contents: SYNC_GROUP_TABLE,
      wrongArity: 'skip-block',
      repeat: 'append',
      apply: (node, config, ctx) => {
        const draft = newSyncGroupDraft(argument(node).text, node.source, config.blocksRead++);
        applyKeywords(
          node.children ?? [],
          SYNC_GROUP_TABLE,
          draft,
          within(ctx, `vrrp_sync_group ${draft.name}`),
        );
        config.syncGroups.push(draft);
      },
    },
    {
      name: 'vrrp_script',
      status: 'supported',
      syntax: '<NAME> { script …; interval …; … }',
      doc: 'A periodically run check that instances and groups can track.',
      arity: [1, 1],
      block: true,
      contents: VRRP_SCRIPT_TABLE,
      repeat: 'append',
      apply: (node, config, ctx) => {
        const draft = newScriptDraft(argument(node).text, node.source, config.blocksRead++);
        draft.written = applyKeywords(
          node.children ?? [],
          VRRP_SCRIPT_TABLE,
          draft,
          within(ctx, `vrrp_script ${draft.name}`),
        );
        config.scripts.push(draft);
      },
    },
    trackFileSection('track_file', 'A file holding a number that instances and groups can track.'),
    trackFileSection('vrrp_track_file', 'Deprecated keepalived spelling of track_file.'),
    {
      name: 'uplink_group',
      status: 'supported',
      syntax: '<NAME> { config <PATH>; follow_instance <NAME> | follow_group <NAME>; on_leave_master … }',
      doc: 'vrrpd extension: NetGWM-style default-gateway failover from a netgwm.yml, owned while the followed instance or group is MASTER',
      arity: [1, 1],
      block: true,
      contents: UPLINK_GROUP_TABLE,
      extension: true,
      repeat: 'append',
      apply: (node, config, ctx) => {
        // vrrpd's own block: keepalived's leniency does not apply, a mistake in it is an error.
        const group = parseUplinkGroupBlock(node, { ...ctx, lenient: false });
        if (group) config.uplinkGroups.push(group);
      },
    },
    ...STATIC_ENTRY_KEYWORDS,
    ...ignoredKeywords<C>(
      ['virtual_server', 'virtual_server_group', 'SSL'],
      'vrrpd does not implement LVS/IPVS; the VRRP part of the file still runs',
    ),
    {
      name: 'bfd_instance',
      status: 'supported',
      syntax: '<NAME> { neighbor_ip …; source_ip …; min_rx …; min_tx …; idle_tx …; multiplier …; weight … }',
      doc: 'A BFD session (RFC 5880/5881 single hop) to a neighbour; instances and groups track it with track_bfd.',
      arity: [1, 1],
      block: true,
      contents: BFD_INSTANCE_TABLE,
      repeat: 'append',
      apply: (node, config, ctx) => {
        const name = argument(node).text;
        // keepalived (BFD_INAME_MAX): "BFD name … too long", and the block is skipped.
        if (Buffer.byteLength(name) >= 32) {
          reportInvalid(
            ctx,
            node.source,
            `BFD name ${name} too long (at most 31 characters)`,
            undefined,
            'the block is skipped, as keepalived skips it',
          );
          return;
        }
        const draft = newBfdInstanceDraft(name, node.source, config.blocksRead++);
        draft.written = applyKeywords(
          node.children ?? [],
          BFD_INSTANCE_TABLE,
          draft,
          within(ctx, `bfd_instance ${draft.name}`),
        );
        config.bfdInstances.push(draft);
      },
    },
    {
      name: 'vrrp_track_process',
      status: 'supported',
      syntax: '<NAME> { process <NAME> [PARAM …]; quorum …; quorum_max …; weight …; delay … }',
      doc: 'Up while quorum ≤ (number of matching processes) ≤ quorum_max; instances and groups track it with track_process.',
      arity: [1, 1],
      block: true,
      contents: VRRP_TRACK_PROCESS_TABLE,
      repeat: 'append',
      apply: (node, config, ctx) => {
        const draft = newProcessTrackDraft(argument(node).text, node.source, config.blocksRead++);
        draft.written = applyKeywords(
          node.children ?? [],
          VRRP_TRACK_PROCESS_TABLE,
          draft,
          within(ctx, `vrrp_track_process ${draft.name}`),
        );
        config.processTracks.push(draft);
      },
    },
    ...ignoredKeywords<C>(
      ['garp_group'],
      'per-interface GARP pacing is not implemented; the global vrrp_garp_interval applies',
    ),
    ...ignoredKeywords<C>(['linkbeat_interfaces'], 'vrrpd follows link state through netlink only'),
    ...ignoredKeywords<C>(
      ['interface_up_down_delays'],
      'interface state changes take effect immediately in vrrpd',
    ),
    ...ignoredKeywords<C>(
      [
        'net_namespace_ipvs',
        'namespace_with_ipsets',
        'instance',
        'use_pid_dir',
        'linkbeat_use_polling',
        'child_wait_time',
      ],
      'keepalived process setting with no equivalent in vrrpd',
    ),
    NET_NAMESPACE_KEYWORD,
  ],
};
