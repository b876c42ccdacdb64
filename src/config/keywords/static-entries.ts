// static_ipaddress / static_routes / static_rules and track_group (keepalived 2.2.7,
// vrrp_parser.c): addresses, routes and rules installed at start-up whatever the VRRP state and
// removed at stop. One entry per line, in the syntax of virtual_ipaddress / virtual_routes /
// virtual_rules, plus `track_group NAME` on a line: that group's instances then track the entry's
// interface (FAULT while it is down). `track_group NAME { group { VI_1 … } }` lists the instances.

import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import type { ConfigDraft } from './drafts.js';
import { groupMemberWords } from '../values/track-entries.js';
import { parseRouteLine } from '../values/route.js';
import { parseRuleLine } from '../values/rule.js';
import { parseVipLine } from '../values/vip.js';
import type { BuildContext } from '../values/scalars.js';
import { reportInvalid, within } from '../values/scalars.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { applyKeywords } from './apply.js';
import { argument, listBlock } from './common.js';
import type { KeywordSpec, KeywordTable } from './types.js';

type C = ConfigDraft;

/** The line without its `track_group NAME` words, and the name (keepalived keeps the first). */
function takeTrackGroup(
  node: ConfigNode,
  label: string,
  ctx: BuildContext,
): { node: ConfigNode; group: ConfigWord | null } {
  const args: ConfigWord[] = [];
  let group: ConfigWord | null = null;
  for (let i = 0; i < node.args.length; i++) {
    const word = node.args[i]!;
    if (word.text !== 'track_group') {
      args.push(word);
      continue;
    }
    const name = node.args[++i];
    if (!name) {
      reportInvalid(
        ctx,
        word.source,
        `${label}: 'track_group' needs a value`,
        undefined,
        'ignored, as keepalived ignores it',
      );
    } else if (group) {
      reportInvalid(
        ctx,
        name.source,
        `${label}: track_group ${name.text} is a duplicate`,
        undefined,
        'ignored, as keepalived ignores it',
      );
    } else {
      group = name;
    }
  }
  return { node: { ...node, args }, group };
}

/** A top-level list of static entries; the first one read fixes where statics go in a dump. */
function staticList(
  name: string,
  syntax: string,
  doc: string,
  each: (child: ConfigNode, config: C, ctx: BuildContext) => void,
): KeywordSpec<C> {
  const list = listBlock<C>(name, syntax, doc, each, () => name);
  return {
    ...list,
    apply: (node, config, ctx) => {
      config.statics.order ??= config.blocksRead++;
      list.apply?.(node, config, ctx);
    },
  };
}

const TRACK_GROUP_TABLE: KeywordTable<{ members: ConfigWord[] }> = {
  block: 'track_group',
  keywords: [
    {
      name: 'group',
      status: 'supported',
      syntax: '{ <VRRP_INSTANCE> … }',
      doc: 'The instances that track the interfaces of the static entries naming this group.',
      block: true,
      repeat: 'append',
      apply: (node, group) => {
        for (const child of node.children ?? []) group.members.push(...groupMemberWords(child));
      },
    },
  ],
};

export const STATIC_ENTRY_KEYWORDS: KeywordSpec<C>[] = [
  staticList(
    'static_ipaddress',
    '{ <ADDR>[/<PREFIX>] [brd …] [dev <IF>] [scope …] [label …] [no_track] [track_group <NAME>] … }',
    'Addresses added at start-up whatever the VRRP state and removed at stop (re-added if deleted, unless no_track). Without dev: eth0, as keepalived’s default interface.',
    (child, config, ctx) => {
      const { node, group } = takeTrackGroup(child, 'static_ipaddress', ctx);
      const vip = parseVipLine(node, 'static_ipaddress', ctx);
      if (vip) config.statics.addresses.push({ ...vip, trackGroup: group?.text ?? null });
    },
  ),
  staticList(
    'static_routes',
    '{ <virtual_routes line> [track_group <NAME>] … }',
    'Routes added at start-up whatever the VRRP state and removed at stop; keepalived’s defaults (protocol keepalived, prepend).',
    (child, config, ctx) => {
      const route = parseRouteLine(child, ctx, { label: 'static_routes', allowTrackGroup: true });
      if (route) config.statics.routes.push(route);
    },
  ),
  staticList(
    'static_rules',
    '{ <virtual_rules line> [track_group <NAME>] … }',
    'Policy-routing rules added at start-up whatever the VRRP state and removed at stop.',
    (child, config, ctx) => {
      const { node, group } = takeTrackGroup(child, 'static_rules', ctx);
      const rule = parseRuleLine(node, ctx, 'static_rules');
      if (rule) config.statics.rules.push({ ...rule, trackGroup: group?.text ?? null });
    },
  ),
  {
    name: 'track_group',
    status: 'supported',
    syntax: '<NAME> { group { <VRRP_INSTANCE> … } }',
    doc: 'Instances that track the interface of every static entry written with `track_group NAME` (FAULT while it is down).',
    arity: [1, 1],
    block: true,
    contents: TRACK_GROUP_TABLE,
    wrongArity: 'skip-block',
    repeat: 'append',
    apply: (node, config, ctx) => {
      const name = argument(node).text;
      if (config.trackGroups.some((g) => g.name === name)) {
        ctx.sink.report(
          DiagnosticCodes.conflictDropped,
          node.source,
          `track_group ${name} already defined`,
          'rename one of them',
          'this one is skipped, as keepalived skips it',
        );
        return;
      }
      const group = { name, source: node.source, members: [] as ConfigWord[] };
      applyKeywords(node.children ?? [], TRACK_GROUP_TABLE, group, within(ctx, `track_group ${name}`));
      config.trackGroups.push(group);
    },
  },
];
