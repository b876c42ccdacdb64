// Character-level rules of keepalived.conf(5), verified against keepalived 2.2.7:
// - `#` and `!` start a comment anywhere outside quotes, unless escaped with a backslash
//   (keepalived itself only honours double quotes here and rejects the line otherwise;
//   honouring both kinds only accepts more).
// - words are separated by unquoted whitespace; '...' and "..." are removed and their contents kept,
//   so `abc" d "e` is the single word `abc d e`;
// - backslash escapes are decoded inside and outside quotes: \a \b \E \f \n \r \t \v, \NNN (octal,
//   up to 3 digits), \xH… (all following hex digits, low byte kept), \cC (control-C), and \C for
//   any other C is C itself; an escaped byte above 0x7f is that byte (raw, as keepalived sends it);
// - `{` and `}` outside quotes are tokens of their own even when glued to a word (`VI_1{`).

import { rawByteChar, recomposeBytes } from '../../packet/byte-text.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';

export type Token =
  | { kind: 'word'; text: string; source: SourceRef }
  | { kind: 'open'; source: SourceRef }
  | { kind: 'close'; source: SourceRef };

/** The line without its comment, if any. Quotes and escapes are respected, nothing is decoded. */
export function stripComment(line: string): string {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      i++;
    } else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' || ch === '!') {
      return line.slice(0, i);
    }
  }
  return line;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * An escaped byte is a byte, as in keepalived: below 0x80 the ASCII character, above it a raw byte
 * (see src/packet/byte-text.ts), recomposed with its neighbours when they form UTF-8 (`\xc3\xa9` is é).
 */
function byteChar(byte: number): string {
  return byte < 0x80 ? String.fromCharCode(byte) : rawByteChar(byte);
}

/** Decodes the escape starting after the backslash at `text[index]`; returns the text and the length consumed. */
function decodeEscape(text: string, index: number): { value: string; length: number } {
  const ch = text[index];
  if (ch === undefined) return { value: '\\', length: 0 };
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return { value: simple, length: 1 };
  const octal = /^[0-7]{1,3}/.exec(text.slice(index));
  if (octal) return { value: byteChar(parseInt(octal[0], 8) & 0xff), length: octal[0].length };
  if (ch === 'x') {
    // keepalived takes every hex digit that follows and keeps the low byte: "\x41B" is ESC (0x1b).
    const hex = /^[0-9a-fA-F]+/.exec(text.slice(index + 1));
    if (hex) {
      const lowByte = parseInt(hex[0].slice(-2), 16);
      return { value: byteChar(lowByte), length: 1 + hex[0].length };
    }
    return { value: 'x', length: 1 };
  }
  if (ch === 'c' && index + 1 < text.length) {
    return { value: String.fromCharCode(text.charCodeAt(index + 1) & 0x1f), length: 2 };
  }
  return { value: ch, length: 1 };
}

export interface TokenizeOptions {
  /** Treat unquoted `{` and `}` as tokens. Off for include patterns, where braces are alternatives. */
  braces: boolean;
}

/** Splits one comment-free logical line into tokens. An unterminated quote is reported and closed at end of line. */
export function tokenizeLine(
  text: string,
  source: SourceRef,
  sink: DiagnosticSink,
  options: TokenizeOptions = { braces: true },
): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const flush = (): void => {
    if (inWord) tokens.push({ kind: 'word', text: recomposeBytes(word), source });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const escape = decodeEscape(text, i + 1);
      word += escape.value;
      inWord = true;
      i += escape.length;
    } else if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true; // "" is an empty word, not nothing
    } else if (/\s/.test(ch)) {
      flush();
    } else if (options.braces && (ch === '{' || ch === '}')) {
      flush();
      tokens.push({ kind: ch === '{' ? 'open' : 'close', source });
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) {
    sink.report(
      DiagnosticCodes.syntaxLenient,
      source,
      `missing closing ${quote} quote: the quoted text runs to the end of the line (keepalived drops the quoted word instead)`,
      `close the ${quote === '"' ? 'double' : 'single'} quote`,
    );
  }
  flush();
  return tokens;
}
