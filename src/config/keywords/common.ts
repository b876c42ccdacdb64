// Builders for table entries that share a shape, so each table reads as a list of decisions.

import type { FifoSpec } from '../model/types.js';
import type { ConfigNode, ConfigWord } from '../language/block-tree.js';
import type { BuildContext } from '../values/scalars.js';
import { reportInvalid, within } from '../values/scalars.js';
import type { KeywordSpec } from './types.js';

/**
 * A block of one entry per line (`name { … }`), repeatable (blocks append): each line goes to
 * `each` with a context that names the block and where it is (`label`).
 */
export function listBlock<Target>(
  name: string,
  syntax: string,
  doc: string,
  each: (child: ConfigNode, target: Target, ctx: BuildContext) => void,
  label: (ctx: BuildContext) => string = (ctx) => `${name} of ${ctx.where}`,
): KeywordSpec<Target> {
  return {
    name,
    status: 'supported',
    syntax,
    doc,
    block: true,
    repeat: 'append',
    apply: (node, target, ctx) => {
      for (const child of node.children ?? []) each(child, target, within(ctx, label(ctx)));
    },
  };
}

/**
 * Keywords accepted and ignored with one warning each; blocks after them are skipped whole.
 * `keepalivedReports`: keepalived reports them too (see KeywordSpec.keepalivedReports).
 */
export function ignoredKeywords<Target>(
  names: readonly string[],
  doc: string,
  hint?: string,
  options: { keepalivedReports?: boolean } = {},
): KeywordSpec<Target>[] {
  return names.map((name) => ({
    name,
    status: 'ignored',
    syntax: '…',
    doc,
    ...(hint ? { hint } : {}),
    ...(options.keepalivedReports ? { keepalivedReports: true as const } : {}),
  }));
}

/** `KEYWORD PATH [username [groupname]]` for FIFOs. */
export function parseFifo(node: ConfigNode, ctx: BuildContext): FifoSpec | null {
  const [pathWord, user, group] = node.args;
  if (!pathWord || pathWord.text === '') {
    reportInvalid(ctx, node.source, `${node.keyword} needs a FIFO path`);
    return null;
  }
  if (!pathWord.text.startsWith('/')) {
    reportInvalid(
      ctx,
      pathWord.source,
      `${node.keyword} path '${pathWord.text}' must be absolute`,
      'the daemon does not run from the configuration directory',
    );
    return null;
  }
  return { path: pathWord.text, user: user?.text ?? null, group: group?.text ?? null, source: node.source };
}

/** The index-th argument of a statement whose table entry's arity guarantees it exists. */
export function argument(node: ConfigNode, index = 0): ConfigWord {
  const word = node.args[index];
  if (!word)
    throw new Error(`internal error: '${node.keyword}' has no argument ${index} despite its arity check`);
  return word;
}
