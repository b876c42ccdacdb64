// What is said about a keyword a block does not know: where it belongs if another block knows
// it, else the closest keyword. keepalived reports it ("Unknown keyword") and skips the line; so
// does vrrpd, except in its own extension blocks, where it is an error.

import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { BuildContext } from '../values/scalars.js';
import type { TableDescription } from './types.js';

/** global_defs defaults and the vrrp_instance keywords that override them, both ways round. */
const SPELLING_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['vrrp_garp_master_delay', 'garp_master_delay'],
  ['vrrp_garp_master_repeat', 'garp_master_repeat'],
  ['vrrp_garp_master_refresh', 'garp_master_refresh'],
  ['vrrp_garp_master_refresh_repeat', 'garp_master_refresh_repeat'],
  ['vrrp_garp_lower_prio_delay', 'garp_lower_prio_delay'],
  ['vrrp_garp_lower_prio_repeat', 'garp_lower_prio_repeat'],
  ['vrrp_garp_extra_if', 'garp_extra_if'],
  ['vrrp_skip_check_adv_addr', 'skip_check_adv_addr'],
  ['vrrp_check_unicast_src', 'check_unicast_src'],
  ['vrrp_version', 'version'],
  ['vrrp_strict', 'strict_mode'],
  ['vrrp_lower_prio_no_advert', 'lower_prio_no_advert'],
  ['vrrp_higher_prio_send_advert', 'higher_prio_send_advert'],
  ['vrrp_down_timer_adverts', 'down_timer_adverts'],
];
const GLOBAL_AND_INSTANCE_SPELLINGS = new Map([
  ...SPELLING_PAIRS,
  ...SPELLING_PAIRS.map(([global, local]) => [local, global] as const),
]);

/** Members of a sync group written without `group { … }` read as unknown keywords. */
const SYNC_GROUP_MEMBER_HINT =
  'sync group members are listed inside group { … }; a group left without members is dropped, as keepalived drops it';

export function reportUnknownKeyword(
  keyword: string,
  source: SourceRef,
  table: TableDescription,
  ctx: BuildContext,
): void {
  const code = ctx.lenient ? DiagnosticCodes.keywordSkipped : DiagnosticCodes.keyword;
  const skipped = ctx.lenient ? 'skipped, as keepalived skips it' : undefined;
  const names = table.keywords.map((spec) => spec.name);
  const homes = (ctx.keywordHomes.get(keyword) ?? [])
    .filter((home) => home !== table.block)
    .map((home) => (home === 'top level' ? 'the top level' : home));
  if (homes.length > 0) {
    // A real keyword in the wrong block: say where it belongs, and offer this block's spelling if any.
    const localSpelling = GLOBAL_AND_INSTANCE_SPELLINGS.get(keyword);
    const hint =
      localSpelling !== undefined && names.includes(localSpelling)
        ? `in ${table.block} the keyword is '${localSpelling}'`
        : `move it into ${homes.join(' or ')}`;
    ctx.sink.report(
      code,
      source,
      `'${keyword}' belongs in ${homes.join(' or ')}, not in ${ctx.where}`,
      hint,
      skipped,
    );
    return;
  }
  const suggestion = didYouMean(keyword, names);
  ctx.sink.report(
    code,
    source,
    `unknown keyword '${keyword}' in ${ctx.where}`,
    suggestion ?? (table.block === 'vrrp_sync_group' ? SYNC_GROUP_MEMBER_HINT : undefined),
    skipped,
  );
}
