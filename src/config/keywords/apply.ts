// Runs the statements of one block through that block's keyword table: unknown keywords get a
// "did you mean", ignored ones one warning (their sub-blocks are skipped whole), refused ones an
// error, supported ones an arity/block check and then their handler. Returns the supported keywords
// that were written (valid or not), so "missing X" is not reported on top of "X is invalid".

import type { ConfigNode } from '../language/block-tree.js';
import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes, keepalivedReportsIf } from '../report/diagnostics.js';
import type { BuildContext } from '../values/scalars.js';
import type { KeywordSpec, KeywordTable } from './types.js';
import { reportUnknownKeyword } from './unknown.js';

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
      // Trees read by keyword (nesting.ts) hold none; a tree read by braces alone may.
      reportUnknownKeyword(node.keyword, node.source, table, ctx);
      continue;
    }
    if (spec.status === 'ignored') {
      ctx.sink.report(
        DiagnosticCodes.ignored,
        node.source,
        ignoredMessage(spec, node),
        spec.hint,
        keepalivedReportsIf(spec.keepalivedReports === true),
      );
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
    const shaped = checkShape(node, spec, ctx);
    if (!shaped) continue;
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
        // keepalived's handlers that keep the first one say so ("already specified - ignoring");
        // those that keep the last are silent.
        keepalivedReportsIf(repeat === 'first-wins'),
      );
      if (repeat === 'first-wins') continue;
    }
    if (!previous) firstSeen.set(spec.name, node.source);
    spec.apply?.(shaped, target, ctx);
  }
  return written;
}

function ignoredMessage<Target>(spec: KeywordSpec<Target>, node: ConfigNode): string {
  if (node.children === null) return `'${spec.name}' is ignored: ${spec.doc}`;
  const label = [spec.name, ...node.args.map((a) => a.text)].join(' ');
  return `${label} { … } is skipped: ${spec.doc}`;
}

/**
 * The statement as its handler may read it, or null when it cannot be used (reported). Words
 * beyond the keyword's arguments are what keepalived ignores (it reads the slots it knows), so in
 * keepalived.conf blocks they are reported and dropped rather than refused.
 */
function checkShape<Target>(
  node: ConfigNode,
  spec: KeywordSpec<Target>,
  ctx: BuildContext,
): ConfigNode | null {
  if (spec.block && node.children === null) {
    ctx.sink.report(
      DiagnosticCodes.syntax,
      node.source,
      `'${spec.name}' needs a { … } block`,
      `syntax: ${spec.name} ${spec.syntax}`,
    );
    return null;
  }
  if (!spec.block && node.children !== null) {
    ctx.sink.report(DiagnosticCodes.syntax, node.source, `'${spec.name}' does not take a { … } block`);
    return null;
  }
  const [min, max] = spec.arity ?? [0, 0];
  const count = node.args.length;
  const syntax = `syntax: ${spec.name} ${spec.syntax}`.trimEnd();
  if ((count < min || count > max) && ctx.lenient && spec.wrongArity === 'skip-block') {
    ctx.sink.report(
      DiagnosticCodes.valueSkipped,
      node.source,
      `'${spec.name}' takes ${expectedArguments(min, max)}, got ${count}: the block is skipped, as keepalived skips it`,
      syntax,
    );
    return null;
  }
  if (count > max && ctx.lenient) {
    const extra = node.args.slice(max);
    ctx.sink.report(
      DiagnosticCodes.valueSkipped,
      extra[0]?.source ?? node.source,
      `'${spec.name}' takes ${expectedArguments(min, max)}: ${extra.map((w) => `'${w.text}'`).join(' ')} ${extra.length === 1 ? 'is' : 'are'} ignored, as keepalived ignores ${extra.length === 1 ? 'it' : 'them'}`,
      spec.extraArgumentsHint ?? syntax,
      // keepalived reads the slots it knows and says nothing of the rest: its -t exits 0.
      { keepalivedReports: false },
    );
    return { ...node, args: node.args.slice(0, max) };
  }
  if (count < min || count > max) {
    ctx.sink.report(
      DiagnosticCodes.value,
      node.source,
      `'${spec.name}' takes ${expectedArguments(min, max)}, got ${count}`,
      syntax,
    );
    return null;
  }
  return node;
}

function expectedArguments(min: number, max: number): string {
  if (max === 0) return 'no arguments';
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  if (max === Number.POSITIVE_INFINITY) return `at least ${min} argument${min === 1 ? '' : 's'}`;
  return `${min} to ${max} arguments`;
}
