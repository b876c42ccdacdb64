// `include` and its checked variants (keepalived.conf(5) `include_check`): the pattern is resolved
// from the including file's directory, brace-expanded, globbed, and each match read in order.
// Cycles, nesting and the strict variants' checks are reported here; reading a matched file is the
// caller's (it recurses into the preprocessor).

import { posix as path } from 'node:path';
import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { expandBracesWithin, expandWildcards, hasWildcard, MAX_BRACE_ALTERNATIVES } from './glob.js';
import { tokenizeLine } from './lexer.js';
import type { ReadContext } from './read-context.js';
import { MAX_NESTING } from './read-context.js';

/** What each include variant makes an error (otherwise a plain `include` only warns). */
interface IncludeChecks {
  readable: boolean;
  match: boolean;
  wildcardMatch: boolean;
  braceMatch: boolean;
}

const INCLUDE_VARIANTS: Readonly<Record<string, IncludeChecks>> = {
  include: { readable: false, match: false, wildcardMatch: false, braceMatch: false },
  includer: { readable: true, match: false, wildcardMatch: false, braceMatch: false },
  includem: { readable: true, match: true, wildcardMatch: false, braceMatch: false },
  includew: { readable: true, match: false, wildcardMatch: true, braceMatch: false },
  includeb: { readable: true, match: false, wildcardMatch: false, braceMatch: true },
  includea: { readable: true, match: true, wildcardMatch: true, braceMatch: true },
};

export interface IncludeDirective {
  variant: string;
  /** The text after the keyword: one file name or pattern. */
  argumentText: string;
  checks: IncludeChecks;
}

/** The line as an include directive, or null when it is not one. */
export function includeDirective(text: string): IncludeDirective | null {
  const firstWord = /^(\S+)\s*(.*)$/s.exec(text) as RegExpExecArray;
  const variant = firstWord[1] as string;
  const checks = INCLUDE_VARIANTS[variant];
  return checks ? { variant, argumentText: firstWord[2] as string, checks } : null;
}

/**
 * Reads every file the directive names, through `read` (true when the file was read), reporting
 * what the variant's checks require. `includeStack` is the chain of files that led here.
 */
export function includeFiles(
  ctx: ReadContext,
  directive: IncludeDirective,
  source: SourceRef,
  includeStack: readonly string[],
  read: (filePath: string) => boolean,
): void {
  const { variant, checks } = directive;
  const { sink, budget } = ctx;
  const words = tokenizeLine(directive.argumentText, source, sink, { braces: false });
  const first = words[0];
  if (!first || first.kind !== 'word' || words.length > 1) {
    sink.report(DiagnosticCodes.syntax, source, `${variant} takes exactly one file name or pattern`);
    return;
  }
  const pattern = path.isAbsolute(first.text) ? first.text : path.join(path.dirname(source.file), first.text);
  const alternatives = expandBracesWithin(pattern, MAX_BRACE_ALTERNATIVES);
  if (alternatives === null) {
    sink.report(
      DiagnosticCodes.includeError,
      source,
      `${variant}: '${first.text}' expands to more than ${MAX_BRACE_ALTERNATIVES} alternatives`,
    );
    return;
  }
  let matchedAnything = false;
  let reportedError = false;
  const fail = (message: string): void => {
    reportedError = true;
    sink.report(
      DiagnosticCodes.includeError,
      source,
      message,
      `'${variant}' makes this an error; plain 'include' only warns`,
    );
  };
  for (const alternative of alternatives) {
    if (budget.exhausted) return;
    const wildcard = hasWildcard(alternative);
    let matchedHere = false;
    for (const candidate of expandWildcards(alternative, ctx.files)) {
      if (budget.exhausted) return;
      const cycleStart = includeStack.indexOf(candidate);
      if (cycleStart !== -1) {
        const chain = [...includeStack.slice(cycleStart), candidate].join(' -> ');
        sink.report(DiagnosticCodes.includeError, source, `include cycle: ${chain}`);
        reportedError = true;
        matchedHere = true;
        continue;
      }
      if (includeStack.length >= MAX_NESTING) {
        sink.report(DiagnosticCodes.includeError, source, `includes nest deeper than ${MAX_NESTING} files`);
        return;
      }
      if (read(candidate)) {
        matchedHere = true;
      } else if (wildcard) {
        // The glob listed it, so it exists but cannot be read.
        if (checks.readable) fail(`${variant}: cannot read '${candidate}'`);
        else sink.report(DiagnosticCodes.includeWarning, source, `include: cannot read '${candidate}'`);
      }
    }
    if (matchedHere) {
      matchedAnything = true;
    } else if (wildcard ? checks.wildcardMatch : checks.match || checks.readable) {
      fail(`${variant}: no readable file matches '${alternative}'`);
    } else if (alternatives.length > 1 && checks.braceMatch) {
      fail(`${variant}: no readable file matches '${alternative}'`);
    }
  }
  if (!matchedAnything && !reportedError && !budget.exhausted) {
    sink.report(
      DiagnosticCodes.includeWarning,
      source,
      `${variant}: no file matches '${first.text}'`,
      'keepalived skips it too; relative paths start from the directory of the including file',
    );
  }
}
