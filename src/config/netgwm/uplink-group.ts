// The keepalived-style block that ties a netgwm.yml to VRRP:
//
//   uplink_group ISP {
//       config /etc/netgwm/netgwm.yml      # the NetGWM file, unchanged (plus an optional vrrpd: section)
//       follow_instance VI_1               # or follow_group G1; neither = standalone (always owns the route)
//       on_leave_master leave              # default: keep the route as it is
//       on_leave_master fallback via 192.0.2.2 [dev eth0]   # or restore a route via the other router
//   }
//
// Parsed as a pure function over the block tree with the keyword-table machinery, so errors read
// like every other keepalived.conf error. Probe and switch tuning lives in the yml's `vrrpd:`
// section (one place for both the VRRP and the standalone mode); only the tie-in lives here.

import type { ConfigNode } from '../language/block-tree.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { applyKeywords } from '../keywords/apply.js';
import { argument } from '../keywords/common.js';
import type { KeywordTable } from '../keywords/types.js';
import type { LeaveMasterPolicy, UplinkFollow, UplinkGroupDecl } from '../model/types.js';
import { didYouMean } from '../report/suggest.js';
import { parseAddress, parseInterfaceName, within, type BuildContext } from '../values/scalars.js';
import type { NetgwmConfig } from './types.js';

export type { LeaveMasterPolicy, UplinkFollow, UplinkGroupDecl };

interface UplinkGroupDraft {
  configPath: string | null;
  follow: UplinkFollow | null;
  onLeaveMaster: LeaveMasterPolicy;
  followKeywords: SourceRef[];
}

function followKeyword(kind: 'instance' | 'group') {
  return {
    name: `follow_${kind}`,
    status: 'supported' as const,
    syntax: '<NAME>',
    doc:
      kind === 'instance'
        ? 'Own the default route only while this vrrp_instance is MASTER.'
        : 'Own the default route only while this vrrp_sync_group is MASTER.',
    arity: [1, 1] as const,
    apply: (node: ConfigNode, draft: UplinkGroupDraft) => {
      draft.follow = { kind, name: argument(node).text, source: node.source };
      draft.followKeywords.push(node.source);
    },
  };
}

function parseLeaveMaster(node: ConfigNode, ctx: BuildContext): LeaveMasterPolicy | null {
  const [mode, ...rest] = node.args;
  if (mode?.text === 'leave' && rest.length === 0) return { kind: 'leave' };
  if (mode?.text !== 'fallback') {
    ctx.sink.report(
      DiagnosticCodes.value,
      (mode ?? node).source,
      `on_leave_master expects 'leave' or 'fallback via <IP> [dev <DEV>]', got '${node.args.map((a) => a.text).join(' ')}'`,
    );
    return null;
  }
  let via: string | null = null;
  let dev: string | null = null;
  for (let index = 0; index < rest.length; index += 2) {
    const key = rest[index];
    const value = rest[index + 1];
    if (!key || !value || (key.text !== 'via' && key.text !== 'dev')) {
      ctx.sink.report(
        DiagnosticCodes.value,
        (key ?? node).source,
        `on_leave_master fallback takes 'via <IP>' and/or 'dev <DEV>'`,
        'e.g. on_leave_master fallback via 192.0.2.2 dev eth0',
      );
      return null;
    }
    if (key.text === 'via') {
      const parsed = parseAddress(value, 'on_leave_master via', ctx, 'ipv4');
      if (!parsed) return null;
      via = parsed.address;
    } else {
      dev = parseInterfaceName(value, 'on_leave_master dev', ctx);
      if (dev === null) return null;
    }
  }
  if (via === null && dev === null) {
    ctx.sink.report(
      DiagnosticCodes.missing,
      node.source,
      'on_leave_master fallback needs via <IP>, dev <DEV> or both',
    );
    return null;
  }
  return { kind: 'fallback', via, dev };
}

export const UPLINK_GROUP_TABLE: KeywordTable<UplinkGroupDraft> = {
  block: 'uplink_group',
  keywords: [
    {
      name: 'config',
      status: 'supported',
      syntax: '<PATH>',
      defaultValue: '/etc/netgwm/netgwm.yml',
      doc: 'The netgwm.yml describing the gateways, check sites and (in its vrrpd: section) the probe tuning.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const path = argument(node);
        if (!path.text.startsWith('/')) {
          ctx.sink.report(DiagnosticCodes.value, path.source, `config path '${path.text}' must be absolute`);
          return;
        }
        draft.configPath = path.text;
      },
    },
    followKeyword('instance'),
    followKeyword('group'),
    {
      name: 'on_leave_master',
      status: 'supported',
      syntax: 'leave | fallback [via <IP>] [dev <DEV>]',
      defaultValue: 'leave',
      doc: 'What happens to the default route when the followed instance or group stops being MASTER.',
      arity: [1, 5],
      apply: (node, draft, ctx) => {
        const policy = parseLeaveMaster(node, ctx);
        if (policy) draft.onLeaveMaster = policy;
      },
    },
  ],
};

/**
 * Reads one `uplink_group NAME { … }` statement. Returns null (with the problems in the sink)
 * when it cannot be used.
 */
export function parseUplinkGroupBlock(node: ConfigNode, ctx: BuildContext): UplinkGroupDecl | null {
  const errorsBefore = ctx.sink.errorCount;
  const nameWord = node.args[0];
  if (node.args.length !== 1 || !nameWord) {
    ctx.sink.report(
      DiagnosticCodes.value,
      node.source,
      `'uplink_group' takes 1 argument (its name), got ${node.args.length}`,
    );
    return null;
  }
  if (node.children === null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, "'uplink_group' needs a { … } block");
    return null;
  }
  const draft: UplinkGroupDraft = {
    configPath: null,
    follow: null,
    onLeaveMaster: { kind: 'leave' },
    followKeywords: [],
  };
  applyKeywords(node.children, UPLINK_GROUP_TABLE, draft, within(ctx, `uplink_group ${nameWord.text}`));
  if (draft.followKeywords.length > 1) {
    ctx.sink.report(
      DiagnosticCodes.conflict,
      draft.followKeywords[1] as SourceRef,
      `uplink_group ${nameWord.text} follows more than one instance or group`,
      'give exactly one follow_instance or follow_group (or none to run standalone)',
    );
  }
  if (ctx.sink.errorCount > errorsBefore) return null;
  return {
    name: nameWord.text,
    configPath: draft.configPath ?? '/etc/netgwm/netgwm.yml',
    follow: draft.follow,
    onLeaveMaster: draft.onLeaveMaster,
    source: node.source,
  };
}

/** Cross-checks after the whole keepalived.conf is read: names exist, group names are unique. */
export function checkUplinkGroupReferences(
  groups: readonly UplinkGroupDecl[],
  known: { instances: readonly string[]; syncGroups: readonly string[] },
  sink: DiagnosticSink,
): void {
  const seen = new Map<string, SourceRef>();
  for (const group of groups) {
    const first = seen.get(group.name);
    if (first) {
      sink.report(
        DiagnosticCodes.conflict,
        group.source,
        `uplink_group ${group.name} is defined twice (first at ${first.file}:${first.line})`,
      );
    } else seen.set(group.name, group.source);
    if (!group.follow) continue;
    const names = group.follow.kind === 'instance' ? known.instances : known.syncGroups;
    if (!names.includes(group.follow.name)) {
      const block = group.follow.kind === 'instance' ? 'vrrp_instance' : 'vrrp_sync_group';
      sink.report(
        DiagnosticCodes.reference,
        group.follow.source,
        `uplink_group ${group.name} follows ${block} ${group.follow.name}, which does not exist`,
        didYouMean(group.follow.name, names),
      );
    }
  }
}

function rangesOverlap(a: [number, number], b: [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

/**
 * Two uplink groups must not fight over one route table, one state file or overlapping probe
 * tables, rules or marks. Call once every group's netgwm.yml is loaded. Returns the names of the
 * groups reported (the later one of each clashing pair).
 */
export function checkUplinkGroupConflicts(
  groups: ReadonlyArray<{ decl: UplinkGroupDecl; config: NetgwmConfig }>,
  sink: DiagnosticSink,
): Set<string> {
  const clashing = new Set<string>();
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i] as (typeof groups)[number];
      const b = groups[j] as (typeof groups)[number];
      const span = (base: number, config: NetgwmConfig): [number, number] => [
        base + 1,
        base + config.gateways.length,
      ];
      const clashes: string[] = [];
      // Routes and rules are per family: an IPv4 and an IPv6 group may share tables, rule
      // priorities and marks (a marked IPv6 probe only meets IPv6 rules).
      const sameFamily = a.config.family === b.config.family;
      if (sameFamily && a.config.routeTable === b.config.routeTable)
        clashes.push(`route_table ${a.config.routeTable}`);
      if (a.config.stateFile === b.config.stateFile) clashes.push(`state_file ${a.config.stateFile}`);
      if (a.config.modeFile !== null && a.config.modeFile === b.config.modeFile)
        clashes.push(`mode_file ${a.config.modeFile}`);
      if (a.config.statusDir !== null && a.config.statusDir === b.config.statusDir)
        clashes.push(`status_dir ${a.config.statusDir}`);
      if (
        sameFamily &&
        rangesOverlap(span(a.config.probeTableBase, a.config), span(b.config.probeTableBase, b.config))
      )
        clashes.push('probe tables');
      if (
        sameFamily &&
        rangesOverlap(
          span(a.config.probeRulePriorityBase, a.config),
          span(b.config.probeRulePriorityBase, b.config),
        )
      )
        clashes.push('probe rule priorities');
      if (
        sameFamily &&
        rangesOverlap(span(a.config.probeFwmarkBase, a.config), span(b.config.probeFwmarkBase, b.config))
      )
        clashes.push('probe fwmarks');
      if (clashes.length > 0) {
        clashing.add(b.decl.name);
        sink.report(
          DiagnosticCodes.conflict,
          b.decl.source,
          `uplink_group ${b.decl.name} and ${a.decl.name} share ${clashes.join(', ')}`,
          'give each group its own values in the vrrpd: section of its netgwm.yml',
        );
      }
    }
  }
  return clashing;
}
