// Logical lines → a tree of statements. A statement is the words of one line up to a brace; if a `{`
// follows (on the same line or as the first token of the next line) the statement owns a block that
// runs to the matching `}`. Several statements may share a line around braces:
// `unicast_peer { 192.0.2.2 }` is a statement `unicast_peer` whose block holds the statement `192.0.2.2`.

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { Token } from './lexer.js';
import { tokenizeLine } from './lexer.js';
import type { LogicalLine } from './read-context.js';

export interface ConfigWord {
  text: string;
  source: SourceRef;
}

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

interface PositionedToken {
  token: Token;
  /** Index of the logical line, so a statement's words stop at the end of its line. */
  lineIndex: number;
}

export function buildBlockTree(lines: readonly LogicalLine[], sink: DiagnosticSink): ConfigNode[] {
  const tokens: PositionedToken[] = [];
  lines.forEach((line, lineIndex) => {
    for (const token of tokenizeLine(line.text, line.source, sink)) tokens.push({ token, lineIndex });
  });
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
    while (position < tokens.length && open > 0) {
      const { token } = tokens[position++] as PositionedToken;
      if (token.kind === 'open') open++;
      else if (token.kind === 'close') open--;
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
    while (position < tokens.length) {
      const { token, lineIndex } = tokens[position] as PositionedToken;
      if (token.kind === 'close') {
        position++;
        if (opener) return statements;
        sink.report(DiagnosticCodes.syntax, token.source, "unexpected '}' with no open block", 'remove it');
        continue;
      }
      if (token.kind === 'open') {
        // A block with no keyword: parse it so its braces balance, then drop it.
        position++;
        sink.report(DiagnosticCodes.syntax, token.source, "'{' without a keyword before it");
        parseBlock(token.source);
        continue;
      }
      position++;
      const node: ConfigNode = { keyword: token.text, args: [], children: null, source: token.source };
      while (position < tokens.length) {
        const next = tokens[position] as PositionedToken;
        if (next.lineIndex !== lineIndex || next.token.kind !== 'word') break;
        node.args.push({ text: next.token.text, source: next.token.source });
        position++;
      }
      const following = tokens[position];
      if (following && following.token.kind === 'open' && following.lineIndex <= lineIndex + 1) {
        const sameLineOrNextLineStart =
          following.lineIndex === lineIndex || isFirstTokenOfLine(position, following.lineIndex);
        if (sameLineOrNextLineStart) {
          position++;
          node.children = parseBlock(following.token.source);
        }
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

  const isFirstTokenOfLine = (index: number, lineIndex: number): boolean =>
    index === 0 || (tokens[index - 1] as PositionedToken).lineIndex !== lineIndex;

  return parseStatements(null);
}
