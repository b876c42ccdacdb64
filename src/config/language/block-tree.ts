// Logical lines → a tree of statements. A statement is the words of one line up to a brace; if a `{`
// follows (on the same line or as the first token of the next line) the statement owns a block that
// runs to the matching `}`. Several statements may share a line around braces:
// `unicast_peer { 192.0.2.2 }` is a statement `unicast_peer` whose block holds the statement `192.0.2.2`.

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { LogicalLine } from './read-context.js';
import type { ConfigWord, StreamItem } from './statements.js';
import { readStatementStream } from './statements.js';

export type { ConfigWord } from './statements.js';

export interface ConfigNode {
  keyword: string;
  args: ConfigWord[];
  /** The statements of the `{ … }` block, or null if the statement has no block. */
  children: ConfigNode[] | null;
  source: SourceRef;
}

/**
 * keepalived's deepest blocks are four levels down (vrrp_instance → track_script → …); parsing is
 * recursive, so a runaway of thousands of `{` must stop here rather than overflow the stack.
 */
export const MAX_BLOCK_DEPTH = 64;

export function buildBlockTree(lines: readonly LogicalLine[], sink: DiagnosticSink): ConfigNode[] {
  return nestByBraces(readStatementStream(lines, sink), sink);
}

/** A statement as a node without a block (the nesting passes attach its children). */
export function statementNode(item: Extract<StreamItem, { kind: 'statement' }>): ConfigNode {
  const [keyword, ...args] = item.words;
  return { keyword: keyword.text, args, children: null, source: item.source };
}

/** Purely syntactic nesting: every `{` right after a statement opens its block, `}` closes it. */
export function nestByBraces(items: readonly StreamItem[], sink: DiagnosticSink): ConfigNode[] {
  let position = 0;
  let depth = 0;

  /** Skips a block nested too deeply (opened just before `position`), braces balanced, iteratively. */
  const skipBlock = (opener: SourceRef): void => {
    sink.report(
      DiagnosticCodes.syntax,
      opener,
      `blocks nest deeper than ${MAX_BLOCK_DEPTH} levels: this block is ignored`,
      "a '}' is probably missing further up",
    );
    let open = 1;
    while (position < items.length && open > 0) {
      const item = items[position++] as StreamItem;
      if (item.kind === 'open') open++;
      else if (item.kind === 'close') open--;
    }
  };

  /** The statements of the block opened at `opener`, one level deeper than its parent. */
  const parseBlock = (opener: SourceRef): ConfigNode[] => {
    if (depth >= MAX_BLOCK_DEPTH) {
      skipBlock(opener);
      return [];
    }
    depth++;
    try {
      return parseStatements(opener);
    } finally {
      depth--;
    }
  };

  const parseStatements = (opener: SourceRef | null): ConfigNode[] => {
    const statements: ConfigNode[] = [];
    while (position < items.length) {
      const item = items[position] as StreamItem;
      position++;
      if (item.kind === 'close') {
        if (opener) return statements;
        sink.report(DiagnosticCodes.syntax, item.source, "unexpected '}' with no open block", 'remove it');
        continue;
      }
      if (item.kind === 'open') {
        // A block with no keyword: parse it so its braces balance, then drop it.
        sink.report(DiagnosticCodes.syntax, item.source, "'{' without a keyword before it");
        parseBlock(item.source);
        continue;
      }
      const node = statementNode(item);
      const following = items[position];
      // A block belongs to the statement when its `{` is on the same line or starts the next one.
      if (
        following?.kind === 'open' &&
        (following.lineIndex === item.lineIndex ||
          (following.lineIndex === item.lineIndex + 1 && following.firstOnLine))
      ) {
        position++;
        node.children = parseBlock(following.source);
      }
      statements.push(node);
    }
    if (opener) {
      sink.report(
        DiagnosticCodes.syntax,
        opener,
        "block opened here is never closed: missing '}'",
        "a '}' is missing before the end of the configuration",
      );
    }
    return statements;
  };

  return parseStatements(null);
}
