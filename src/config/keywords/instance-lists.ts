// The list blocks of vrrp_instance: addresses, routes and rules that follow the MASTER, what the
// instance tracks, and its unicast peers. One entry per line, parsed by the entry parsers.

import type { InstanceDraft } from './drafts.js';
import { parseRouteLine } from '../values/route.js';
import { parseRuleLine } from '../values/rule.js';
import { parseUnicastPeer } from '../values/track-entries.js';
import { within } from '../values/scalars.js';
import { parseVipLine } from '../values/vip.js';
import { listBlock } from './common.js';
import { claimFamily } from './instance-family.js';
import { trackListKeywords } from './track-lists.js';
import type { KeywordSpec } from './types.js';

type I = InstanceDraft;

export const INSTANCE_LIST_KEYWORDS: KeywordSpec<I>[] = [
  listBlock<I>(
    'virtual_ipaddress',
    '{ <ADDR>[/<PREFIX>] [brd <ADDR>] [dev <IF>] [scope <SCOPE>] [label <LABEL>] [no_track] … }',
    'Addresses added on becoming MASTER and removed on leaving it; carried in adverts. One family per instance.',
    (child, draft, ctx) => {
      const vip = parseVipLine(child, 'virtual_ipaddress', ctx);
      if (!vip) return;
      claimFamily(draft, vip.family, vip.source);
      draft.vips.push(vip);
    },
  ),
  listBlock<I>(
    'virtual_ipaddress_excluded',
    '{ <ADDR>[/<PREFIX>] [brd …] [dev …] [scope …] [label …] [no_track] … }',
    'Like virtual_ipaddress but not carried in adverts; may mix families.',
    (child, draft, ctx) => {
      const vip = parseVipLine(child, 'virtual_ipaddress_excluded', ctx);
      if (vip) draft.excludedVips.push(vip);
    },
  ),
  listBlock<I>(
    'virtual_routes',
    '{ [blackhole] [to] <PREFIX> [src <ADDR>] [via|gw <ADDR>] [dev <IF>] [table <N>] [metric <N>] [scope <S>] [protocol <P>] [onlink] [no_track] … }',
    'Routes added on becoming MASTER and removed on leaving it (`ip route` syntax).',
    (child, draft, ctx) => {
      const route = parseRouteLine(child, ctx);
      if (route) draft.virtualRoutes.push(route);
    },
  ),
  listBlock<I>(
    'virtual_rules',
    '{ [from <PREFIX>] [to <PREFIX>] table|lookup <N> [fwmark <V>[/<M>]] [priority <N>] [iif <IF>] [oif <IF>] [no_track] … }',
    'Policy-routing rules added on becoming MASTER and removed on leaving it (`ip rule` syntax).',
    (child, draft, ctx) => {
      const rule = parseRuleLine(child, ctx);
      if (rule) draft.virtualRules.push(rule);
    },
  ),
  ...trackListKeywords<I>({
    interface:
      'Interfaces whose link state affects the instance: FAULT when down (weight 0) or priority adjusted by the weight.',
    script: 'vrrp_script results that affect the instance; without a weight the script’s own weight applies.',
    file: 'track_file values that affect the instance priority (or FAULT with weight 0).',
    process:
      'vrrp_track_process quorums that affect the instance; without a weight the block’s own weight applies.',
    bfd: 'bfd_instance sessions that affect the instance (Up or not); without a weight the bfd_instance’s own weight applies.',
  }),
  {
    name: 'unicast_peer',
    status: 'supported',
    syntax: '{ <ADDR> [min_ttl <0-255>] [max_ttl <0-255>] … }',
    doc: 'Send adverts to these peers by unicast instead of multicast. An empty block means multicast, with a warning, as in keepalived. min_ttl/max_ttl: adverts from that peer are dropped unless their TTL is within the window (defaults 0 and 255); any window turns on check_unicast_src.',
    block: true,
    repeat: 'append',
    apply: (node, draft, ctx) => {
      draft.unicastPeerBlocks.push(node.source);
      draft.unicastConfiguredAt ??= node.source;
      for (const child of node.children ?? []) {
        const peer = parseUnicastPeer(child, null, within(ctx, `unicast_peer of ${ctx.where}`));
        if (!peer) continue;
        claimFamily(draft, peer.family, child.source);
        draft.unicastPeers.push({ ...peer, source: child.source });
      }
    },
  },
];
