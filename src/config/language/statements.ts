// Logical lines → a flat stream of statements and braces, the way keepalived's reader splits them:
// `{` and `}` outside quotes are items of their own (even glued to a word, `VI_1{`), and the words
// of one line up to a brace form one statement, so `unicast_peer { 192.0.2.2 }` is the statement
// `unicast_peer`, `{`, the statement `192.0.2.2`, `}`. Which brace opens which block is decided
// afterwards: syntactically (block-tree.ts) or by keyword, as keepalived does (keywords/nesting.ts).

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { tokenizeLine } from './lexer.js';
import type { LogicalLine } from './read-context.js';

export interface ConfigWord {
  text: string;
  source: SourceRef;
}

export type StreamItem =
  | { kind: 'statement'; words: [ConfigWord, ...ConfigWord[]]; source: SourceRef; lineIndex: number }
  | { kind: 'open'; source: SourceRef; lineIndex: number; firstOnLine: boolean }
  | { kind: 'close'; source: SourceRef; lineIndex: number };

export function readStatementStream(lines: readonly LogicalLine[], sink: DiagnosticSink): StreamItem[] {
  const items: StreamItem[] = [];
  lines.forEach((line, lineIndex) => {
    let words: ConfigWord[] = [];
    let itemsOnLine = 0;
    const flush = (): void => {
      const [first, ...rest] = words;
      if (first) {
        items.push({ kind: 'statement', words: [first, ...rest], source: first.source, lineIndex });
        itemsOnLine++;
      }
      words = [];
    };
    for (const token of tokenizeLine(line.text, line.source, sink)) {
      if (token.kind === 'word') {
        words.push({ text: token.text, source: token.source });
        continue;
      }
      flush();
      items.push(
        token.kind === 'open'
          ? { kind: 'open', source: token.source, lineIndex, firstOnLine: itemsOnLine === 0 }
          : { kind: 'close', source: token.source, lineIndex },
      );
      itemsOnLine++;
    }
    flush();
  });
  return items;
}
