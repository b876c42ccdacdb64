// Runs the statements of one block through that block's keyword table: unknown keywords get a
// "did you mean", ignored ones one warning (their sub-blocks are skipped whole), refused ones an
// error, supported ones an arity/block check and then their handler. Returns the supported keywords
// that were written (valid or not), so "missing X" is not reported on top of "X is invalid".

import type { ConfigNode } from '../language/block-tree.js';
import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { BuildContext } from '../values/scalars.js';
import type { KeywordSpec, KeywordTable } from './types.js';

export function applyKeywords<Target>(
  statements: readonly ConfigNode[],
  table: KeywordTable<Target>,
  target: Target,
  ctx: BuildContext,
): Set<string> {
  const written = new Set<string>();
  const byName = new Map(table.keywords.map((spec) => [spec.name, spec]));
  const firstSeen = new Map<string, SourceRef>();
  for (const node of statements) {
    const spec = byName.get(node.keyword);
    if (!spec) {
      reportUnknownKeyword(node, table, ctx);
      continue;
    }
    if (spec.status === 'ignored') {
      ctx.sink.report(DiagnosticCodes.ignored, node.source, ignoredMessage(spec, node), spec.hint);
      // An ignored keyword may still record what was asked (smtp_alert shows in the dump).
      spec.apply?.(node, target, ctx);
      continue;
    }
    if (spec.status === 'refused') {
      ctx.sink.report(
        DiagnosticCodes.unsupported,
        node.source,
        `'${spec.name}' is not supported by vrrpd: ${spec.doc}`,
        spec.hint,
      );
      continue;
    }
    written.add(spec.name);
    if (!checkShape(node, spec, ctx)) continue;
    const previous = firstSeen.get(spec.name);
    const repeat = spec.repeat ?? 'last-wins';
    if (previous && repeat !== 'append') {
      const where =
        previous.file === node.source.file ? `line ${previous.line}` : `${previous.file}:${previous.line}`;
      ctx.sink.report(
        DiagnosticCodes.suspicious,
        node.source,
        repeat === 'first-wins'
          ? `'${spec.name}' is repeated in ${ctx.where} (first at ${where}); the first one is kept, as keepalived does`
          : `'${spec.name}' is repeated in ${ctx.where} (first at ${where}); the last one is used, as keepalived does`,
        'remove the line that should not apply',
      );
      if (repeat === 'first-wins') continue;
    }
    if (!previous) firstSeen.set(spec.name, node.source);
    spec.apply?.(node, target, ctx);
  }
  return written;
}

function ignoredMessage<Target>(spec: KeywordSpec<Target>, node: ConfigNode): string {
  if (node.children === null) return `'${spec.name}' is ignored: ${spec.doc}`;
  const label = [spec.name, ...node.args.map((a) => a.text)].join(' ');
  return `${label} { … } is skipped: ${spec.doc}`;
}

function checkShape<Target>(node: ConfigNode, spec: KeywordSpec<Target>, ctx: BuildContext): boolean {
  if (spec.block && node.children === null) {
    ctx.sink.report(
      DiagnosticCodes.syntax,
      node.source,
      `'${spec.name}' needs a { … } block`,
      `syntax: ${spec.name} ${spec.syntax}`,
    );
    return false;
  }
  if (!spec.block && node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `'${spec.name}' does not take a { … } block`);
    return false;
  }
  const [min, max] = spec.arity ?? [0, 0];
  const count = node.args.length;
  if (count < min || count > max) {
    const expected =
      max === 0
        ? 'no arguments'
        : min === max
          ? `${min} argument${min === 1 ? '' : 's'}`
          : max === Number.POSITIVE_INFINITY
            ? `at least ${min} argument${min === 1 ? '' : 's'}`
            : `${min} to ${max} arguments`;
    ctx.sink.report(
      DiagnosticCodes.value,
      node.source,
      `'${spec.name}' takes ${expected}, got ${count}`,
      `syntax: ${spec.name} ${spec.syntax}`.trimEnd(),
    );
    return false;
  }
  return true;
}

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

function reportUnknownKeyword<Target>(
  node: ConfigNode,
  table: KeywordTable<Target>,
  ctx: BuildContext,
): void {
  const keyword = node.keyword;
  const names = table.keywords.map((spec) => spec.name);
  const homes = (ctx.keywordHomes.get(keyword) ?? []).filter((home) => home !== table.block);
  if (homes.length > 0) {
    // A real keyword in the wrong block: say where it belongs, and offer this block's spelling if any.
    const localSpelling = GLOBAL_AND_INSTANCE_SPELLINGS.get(keyword);
    const hint =
      localSpelling !== undefined && names.includes(localSpelling)
        ? `in ${table.block} the keyword is '${localSpelling}'`
        : `move it into ${homes.join(' or ')}`;
    ctx.sink.report(
      DiagnosticCodes.keyword,
      node.source,
      `'${keyword}' belongs in ${homes.join(' or ')}, not in ${ctx.where}`,
      hint,
    );
    return;
  }
  ctx.sink.report(
    DiagnosticCodes.keyword,
    node.source,
    `unknown keyword '${keyword}' in ${ctx.where}`,
    didYouMean(keyword, names),
  );
}
