// Turns the entry file and everything it includes into one stream of logical lines, each remembering
// the file:line it came from. Order of treatment for each line, as in keepalived.conf(5):
//   comment stripping → `@ID` / `@^ID` conditional → `$NAME=value` definition → ~SEQ/~LST repetition
//   → parameter substitution (whose result is treated again, so `$IF_MAIN=@main` works) → include.
// keepalived detects `include` before conditionals and substitution; we detect it after, which only
// accepts more (e.g. `@main include main.conf`).
//
// This file drives the steps (line-steps.ts, include.ts); the read's shared state and limits are in
// read-context.ts.

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { ConfigFileSource } from './file-source.js';
import { includeDirective, includeFiles } from './include.js';
import { stripComment } from './lexer.js';
import {
  multiLineDefinitionBody,
  physicalLines,
  refuseRandom,
  repetitionOf,
  selectConditional,
  substituteParameters,
  warnUnexpandedParameters,
} from './line-steps.js';
import { parseDefinition } from './parameters.js';
import type { LogicalLine, ReadContext } from './read-context.js';
import { MAX_NESTING, newReadContext } from './read-context.js';
import { isRepetitionLine } from './sequence.js';

export type { LogicalLine } from './read-context.js';
export { MAX_FILES_READ, MAX_TOTAL_LINES } from './read-context.js';

export interface PreprocessInput {
  entryFile: string;
  configId: string;
  files: ConfigFileSource;
  sink: DiagnosticSink;
}

export interface PreprocessOutput {
  lines: LogicalLine[];
  /** Every file read, entry first, in reading order (for reload watching and the dump). */
  filesRead: string[];
  /** False when the entry file itself could not be read (keepalived's CONFIG_FILE_NOT_FOUND). */
  entryReadable: boolean;
}

export function preprocess(input: PreprocessInput): PreprocessOutput {
  const ctx = newReadContext(input.configId, input.files, input.sink);
  const entryReadable = readConfigFile(ctx, input.entryFile, [], null);
  return { lines: ctx.lines, filesRead: ctx.filesRead, entryReadable };
}

/**
 * Reads one file and everything it includes. `includedFrom` is the include line (null for the
 * entry file, whose failure is the only one reported here: include failures are the directive's).
 */
function readConfigFile(
  ctx: ReadContext,
  filePath: string,
  includeStack: readonly string[],
  includedFrom: SourceRef | null,
): boolean {
  if (includedFrom !== null && !ctx.budget.takeFile(includedFrom)) return false;
  const read = ctx.files.readFile(filePath);
  if (!read.ok) {
    if (includedFrom === null) {
      ctx.sink.report(
        DiagnosticCodes.file,
        { file: filePath, line: 0 },
        `cannot read configuration file: ${read.reason}`,
      );
    }
    return false;
  }
  ctx.filesRead.push(filePath);
  readLinesOfFile(ctx, filePath, read.text, [...includeStack, filePath]);
  return true;
}

/** Physical lines → logical lines: comments, conditionals and multi-line definitions are per file. */
function readLinesOfFile(
  ctx: ReadContext,
  filePath: string,
  text: string,
  includeStack: readonly string[],
): void {
  const physical = physicalLines(text);
  for (let index = 0; index < physical.length && !ctx.budget.exhausted; index++) {
    const source = { file: filePath, line: index + 1 };
    const stripped = stripComment(physical[index] as string).trim();
    if (stripped === '') continue;
    const content = selectConditional(stripped, ctx.configId);
    if (content === null) continue;
    const definition = parseDefinition(content);
    if (definition && definition.value.trim() === '\\') {
      const { body, lastIndex } = multiLineDefinitionBody(physical, index);
      ctx.parameters.define(definition.name, body);
      index = lastIndex;
      continue;
    }
    readLogicalLine(ctx, content, source, includeStack, 0);
  }
}

/**
 * One logical line through the steps; lines produced by a repetition or a substitution go through
 * them again one level deeper. What is left is a statement line, or an include that is followed.
 */
function readLogicalLine(
  ctx: ReadContext,
  text: string,
  source: SourceRef,
  includeStack: readonly string[],
  depth: number,
): void {
  if (ctx.budget.exhausted || !ctx.budget.takeLine(source)) return;
  if (depth > MAX_NESTING) {
    ctx.sink.report(DiagnosticCodes.syntax, source, 'parameter or ~SEQ/~LST expansion nests too deeply');
    return;
  }
  const selected = selectConditional(text.trim(), ctx.configId);
  if (selected === null || selected === '') return;

  const definition = parseDefinition(selected);
  if (definition) {
    ctx.parameters.define(definition.name, [definition.value]);
    return;
  }
  if (isRepetitionLine(selected)) {
    const repetition = repetitionOf(ctx, selected, source);
    if (!repetition) return;
    for (const assignment of repetition.assignments) {
      if (ctx.budget.exhausted) return;
      for (const [name, value] of assignment) ctx.parameters.define(name, [value]);
      readLogicalLine(ctx, repetition.rest, source, includeStack, depth + 1);
    }
    return;
  }
  const substitution = substituteParameters(ctx, selected, source);
  if (substitution.kind === 'failed') return;
  if (substitution.kind === 'expanded') {
    for (const line of substitution.lines) readLogicalLine(ctx, line, source, includeStack, depth + 1);
    return;
  }
  warnUnexpandedParameters(ctx, selected, source);
  if (refuseRandom(ctx, selected, source)) return;

  const include = includeDirective(selected);
  if (include) {
    includeFiles(ctx, include, source, includeStack, (filePath) =>
      readConfigFile(ctx, filePath, includeStack, source),
    );
    return;
  }
  ctx.lines.push({ text: selected, source });
}
