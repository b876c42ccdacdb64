// The steps one line goes through before it is a statement (keepalived.conf(5) order): physical
// lines of a file, `@ID` / `@^ID` selection, multi-line `$NAME=` definitions, `~SEQ`/`~LST`
// headers, and parameter substitution. Each step takes the text and returns what follows from it;
// the few that can fail report into the read's sink and say so in their result.

import { posix as path } from 'node:path';
import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { stripComment } from './lexer.js';
import type { BuiltinParameters } from './parameters.js';
import { MAX_EXPANDED_LENGTH } from './parameters.js';
import type { ReadContext } from './read-context.js';
import type { Repetition } from './sequence.js';
import { parseRepetition } from './sequence.js';

/** A file's lines; a byte-order mark or CRLF line ends (editors on other systems) are not content. */
export function physicalLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** `@ID rest` / `@^ID rest`: the rest when this node is selected, null when the line is not for it. */
export function selectConditional(text: string, configId: string): string | null {
  if (!text.startsWith('@')) return text;
  // `s`: a lone carriage return (a file edited on a Mac) is content, and `.` must match it.
  const match = /^@(\^?)(\S*)\s*(.*)$/s.exec(text) as RegExpExecArray;
  const negated = match[1] === '^';
  const selected = negated ? match[2] !== configId : match[2] === configId;
  return selected ? (match[3] as string) : null;
}

/**
 * The body of a multi-line definition (`$NAME=\` on the line before `afterIndex`): following lines
 * ending in '\' continue it, the first one without ends it. Returns the lines and the index of the
 * last one consumed.
 */
export function multiLineDefinitionBody(
  physical: readonly string[],
  afterIndex: number,
): { body: string[]; lastIndex: number } {
  const body: string[] = [];
  let index = afterIndex;
  while (index + 1 < physical.length) {
    const next = stripComment(physical[++index] as string).trim();
    const continues = next.endsWith('\\');
    body.push(continues ? next.slice(0, -1).trim() : next);
    if (!continues) break;
  }
  return { body, lastIndex: index };
}

/** `${_PWD}` is the directory of the file being read, `${_INSTANCE}` the config id. */
export function builtinsAt(ctx: ReadContext, source: SourceRef): BuiltinParameters {
  return { pwd: path.dirname(source.file), instance: ctx.configId };
}

export type Substitution =
  | { kind: 'unchanged' }
  /** The substituted text split into lines (a multi-line parameter yields several). */
  | { kind: 'expanded'; lines: string[] }
  /** Reported: the expansion does not stop, or grows past the limit. */
  | { kind: 'failed' };

export function substituteParameters(ctx: ReadContext, text: string, source: SourceRef): Substitution {
  const substituted = ctx.parameters.substitute(text, builtinsAt(ctx, source));
  if (substituted.ok) {
    return substituted.changed
      ? { kind: 'expanded', lines: substituted.text.split('\n') }
      : { kind: 'unchanged' };
  }
  if (substituted.problem === 'too_long') {
    ctx.sink.report(
      DiagnosticCodes.syntax,
      source,
      `parameter $${substituted.name} expands to more than ${MAX_EXPANDED_LENGTH} characters`,
      'parameter values that use other parameters several times grow exponentially',
    );
  } else {
    ctx.sink.report(
      DiagnosticCodes.syntax,
      source,
      `parameter $${substituted.name} does not stop expanding`,
      'a parameter value refers to itself, directly or through other parameters',
    );
  }
  return { kind: 'failed' };
}

/** `$NET.1` stays literal (a bare name must be followed by whitespace); say so when NET is defined. */
export function warnUnexpandedParameters(ctx: ReadContext, text: string, source: SourceRef): void {
  for (const match of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)(?=[^\s\w])/g)) {
    const name = match[1] as string;
    if (!ctx.parameters.has(name)) continue;
    ctx.sink.report(
      DiagnosticCodes.suspicious,
      source,
      `parameter $${name} is not substituted here: a bare name must be followed by whitespace`,
      `write \${${name}} to substitute it inside a word`,
    );
  }
}

/** `${_RANDOM}` is refused (reported, true): a configuration must read the same every time. */
export function refuseRandom(ctx: ReadContext, text: string, source: SourceRef): boolean {
  if (!/\$\{_RANDOM\b/.test(text)) return false;
  ctx.sink.report(
    DiagnosticCodes.unsupported,
    source,
    '${_RANDOM} is not supported',
    'vrrpd configurations are deterministic; write the value explicitly',
  );
  return true;
}

/** A `~SEQ`/`~LST` line's repetitions, parameters substituted in its header; null when reported. */
export function repetitionOf(ctx: ReadContext, text: string, source: SourceRef): Repetition | null {
  // Parameters may be used inside the header itself, e.g. ~SEQ(ID, 1, $LAST).
  const closing = text.indexOf(')');
  const header = ctx.parameters.substitute(text.slice(0, closing + 1), builtinsAt(ctx, source));
  const parsed = parseRepetition(
    (header.ok ? header.text : text.slice(0, closing + 1)) + text.slice(closing + 1),
  );
  if (!parsed.ok) {
    ctx.sink.report(DiagnosticCodes.syntax, source, parsed.message);
    return null;
  }
  return parsed.repetition;
}
