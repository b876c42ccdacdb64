// How keepalived turns a script line into argv, verified against keepalived 2.2.7 (`keepalived -d`):
//
//   notify_master "/path/script arg1 'arg two'" [username [groupname]]
//   notify /srv/keep.sh
//
// The config lexer first yields the command as one word (quotes removed, escapes decoded), then that
// word is split again: unquoted whitespace separates arguments, '…' and "…" group them (and are
// removed), and a backslash makes the next character literal — also inside quotes, so "it\'s" works.
// Words after the command are the user and group to run it as. No shell is involved anywhere.

import type { ConfigNode } from '../language/block-tree.js';
import type { ScriptSpec } from '../model/types.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

export type SplitResult = { ok: true; argv: string[] } | { ok: false; message: string };

export function splitScriptCommand(command: string): SplitResult {
  const argv: string[] = [];
  let current = '';
  let inArgument = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (ch === '\\' && i + 1 < command.length) {
      current += command[++i];
      inArgument = true;
    } else if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inArgument = true;
    } else if (/\s/.test(ch)) {
      if (inArgument) argv.push(current);
      current = '';
      inArgument = false;
    } else {
      current += ch;
      inArgument = true;
    }
  }
  if (quote) return { ok: false, message: `missing closing ${quote} in script command '${command}'` };
  if (inArgument) argv.push(current);
  if (argv.length === 0) return { ok: false, message: 'script command is empty' };
  return { ok: true, argv };
}

/** `KEYWORD COMMAND [username [groupname]]` → ScriptSpec, reporting malformed commands. */
export function parseScriptSpec(node: ConfigNode, ctx: BuildContext): ScriptSpec | null {
  const [commandWord, userWord, groupWord, ...extra] = node.args;
  if (!commandWord) {
    reportInvalid(ctx, node.source, `${node.keyword} needs a script`);
    return null;
  }
  if (extra.length > 0) {
    reportInvalid(
      ctx,
      node.source,
      `${node.keyword} takes a script and at most a user and a group, got ${node.args.length} words`,
      `quote the whole command when it has arguments: ${node.keyword} "${node.args.map((w) => w.text).join(' ')}"`,
    );
    return null;
  }
  const split = splitScriptCommand(commandWord.text);
  if (!split.ok) {
    reportInvalid(ctx, commandWord.source, `${node.keyword}: ${split.message}`);
    return null;
  }
  const spec: ScriptSpec = { command: commandWord.text, argv: split.argv, source: node.source };
  if (userWord) spec.user = userWord.text;
  if (groupWord) spec.group = groupWord.text;
  return spec;
}
