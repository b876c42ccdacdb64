// What the preprocessing steps share while one configuration is read: the inputs, the parameters
// defined so far, the output being built, and the whole-read budget that stops runaway expansion.

import type { DiagnosticCode, DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { ConfigFileSource } from './file-source.js';
import { ParameterScope } from './parameters.js';

export interface LogicalLine {
  text: string;
  source: SourceRef;
}

/** Nesting beyond this is a runaway expansion or include chain, not a configuration. */
export const MAX_NESTING = 32;
/**
 * Each limit above is local; multiplied together (a file included twice by a file included twice…,
 * ~SEQ inside ~SEQ) they would let a short file ask for billions of lines. These bound the whole
 * read: lines handled (after includes, repetitions and substitutions) and files read.
 */
export const MAX_TOTAL_LINES = 200_000;
export const MAX_FILES_READ = 1000;

/** Counts what the whole read has used; once a limit is reached the rest is not read. */
export class ReadBudget {
  private linesHandled = 0;
  private filesOpened = 0;
  /** Set once a whole-read limit is reached. */
  exhausted = false;

  constructor(private readonly sink: DiagnosticSink) {}

  /** Counts one more logical line; false (reported once) when the read has handled too many. */
  takeLine(source: SourceRef): boolean {
    if (++this.linesHandled <= MAX_TOTAL_LINES) return true;
    this.exhaust(
      source,
      DiagnosticCodes.syntax,
      `the configuration expands to more than ${MAX_TOTAL_LINES} lines (includes, ~SEQ/~LST, parameters)`,
    );
    return false;
  }

  /** Counts one more included file; false (reported once) when too many were opened. */
  takeFile(source: SourceRef): boolean {
    if (++this.filesOpened <= MAX_FILES_READ) return true;
    this.exhaust(source, DiagnosticCodes.includeError, `more than ${MAX_FILES_READ} files included`);
    return false;
  }

  private exhaust(source: SourceRef, code: DiagnosticCode, message: string): void {
    this.exhausted = true;
    this.sink.report(code, source, message, 'the rest of the configuration was not read');
  }
}

export interface ReadContext {
  /** Selects `@ID` lines and is `${_INSTANCE}`. */
  readonly configId: string;
  readonly files: ConfigFileSource;
  readonly sink: DiagnosticSink;
  readonly parameters: ParameterScope;
  readonly budget: ReadBudget;
  /** The statement lines produced so far, in reading order. */
  readonly lines: LogicalLine[];
  /** Every file read, entry first, in reading order. */
  readonly filesRead: string[];
}

export function newReadContext(configId: string, files: ConfigFileSource, sink: DiagnosticSink): ReadContext {
  return {
    configId,
    files,
    sink,
    parameters: new ParameterScope(),
    budget: new ReadBudget(sink),
    lines: [],
    filesRead: [],
  };
}
