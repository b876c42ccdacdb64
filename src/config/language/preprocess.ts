// Turns the entry file and everything it includes into one stream of logical lines, each remembering
// the file:line it came from. Order of treatment for each line, as in keepalived.conf(5):
//   comment stripping → `@ID` / `@^ID` conditional → `$NAME=value` definition → ~SEQ/~LST repetition
//   → parameter substitution (whose result is treated again, so `$IF_MAIN=@main` works) → include.
// keepalived detects `include` before conditionals and substitution; we detect it after, which only
// accepts more (e.g. `@main include main.conf`).

import { posix as path } from 'node:path';
import type { DiagnosticCode, DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { ConfigFileSource } from './file-source.js';
import { expandBracesWithin, expandWildcards, hasWildcard, MAX_BRACE_ALTERNATIVES } from './glob.js';
import { stripComment, tokenizeLine } from './lexer.js';
import { MAX_EXPANDED_LENGTH, ParameterScope, parseDefinition } from './parameters.js';
import { isRepetitionLine, parseRepetition } from './sequence.js';

export interface LogicalLine {
  text: string;
  source: SourceRef;
}

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

/** Nesting beyond this is a runaway expansion or include chain, not a configuration. */
const MAX_NESTING = 32;
/**
 * Each limit above is local; multiplied together (a file included twice by a file included twice…,
 * ~SEQ inside ~SEQ) they would let a short file ask for billions of lines. These bound the whole
 * read: lines handled (after includes, repetitions and substitutions) and files read.
 */
export const MAX_TOTAL_LINES = 200_000;
export const MAX_FILES_READ = 1000;

/** The include checks of keepalived's include variants (keepalived.conf(5) `include_check`). */
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

export function preprocess(input: PreprocessInput): PreprocessOutput {
  const { configId, files, sink } = input;
  const lines: LogicalLine[] = [];
  const filesRead: string[] = [];
  const parameters = new ParameterScope();
  let linesHandled = 0;
  let filesOpened = 0;
  /** Set once a whole-read limit is reached: the rest of the configuration is not read. */
  let exhausted = false;
  const exhaust = (source: SourceRef, code: DiagnosticCode, message: string): void => {
    exhausted = true;
    sink.report(code, source, message, 'the rest of the configuration was not read');
  };

  const readFile = (filePath: string, includeStack: readonly string[], at: SourceRef | null): boolean => {
    if (at !== null && ++filesOpened > MAX_FILES_READ) {
      exhaust(at, DiagnosticCodes.includeError, `more than ${MAX_FILES_READ} files included`);
      return false;
    }
    const read = files.readFile(filePath);
    if (!read.ok) {
      if (at === null) {
        sink.report(
          DiagnosticCodes.file,
          { file: filePath, line: 0 },
          `cannot read configuration file: ${read.reason}`,
        );
      }
      return false;
    }
    filesRead.push(filePath);
    processFile(filePath, read.text, [...includeStack, filePath]);
    return true;
  };

  const processFile = (filePath: string, text: string, includeStack: readonly string[]): void => {
    // Editors on other systems may leave a byte-order mark or CRLF line ends; neither is content.
    const physical = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    for (let index = 0; index < physical.length && !exhausted; index++) {
      const source = { file: filePath, line: index + 1 };
      let content = stripComment(physical[index] as string).trim();
      if (content === '') continue;
      const unconditional = applyConditional(content);
      if (unconditional === null) continue;
      content = unconditional;
      const definition = parseDefinition(content);
      if (definition && definition.value.trim() === '\\') {
        // Multi-line definition: following lines ending in '\' continue it, the first one without ends it.
        const body: string[] = [];
        while (index + 1 < physical.length) {
          const next = stripComment(physical[++index] as string).trim();
          const continues = next.endsWith('\\');
          body.push(continues ? next.slice(0, -1).trim() : next);
          if (!continues) break;
        }
        parameters.define(definition.name, body);
        continue;
      }
      processLine(content, source, includeStack, 0);
    }
  };

  const applyConditional = (text: string): string | null => {
    if (!text.startsWith('@')) return text;
    // `s`: a lone carriage return (a file edited on a Mac) is content, and `.` must match it.
    const match = /^@(\^?)(\S*)\s*(.*)$/s.exec(text) as RegExpExecArray;
    const negated = match[1] === '^';
    const selected = negated ? match[2] !== configId : match[2] === configId;
    return selected ? (match[3] as string) : null;
  };

  const processLine = (
    text: string,
    source: SourceRef,
    includeStack: readonly string[],
    depth: number,
  ): void => {
    if (exhausted) return;
    if (++linesHandled > MAX_TOTAL_LINES) {
      exhaust(
        source,
        DiagnosticCodes.syntax,
        `the configuration expands to more than ${MAX_TOTAL_LINES} lines (includes, ~SEQ/~LST, parameters)`,
      );
      return;
    }
    if (depth > MAX_NESTING) {
      sink.report(DiagnosticCodes.syntax, source, 'parameter or ~SEQ/~LST expansion nests too deeply');
      return;
    }
    const unconditional = applyConditional(text.trim());
    if (unconditional === null || unconditional === '') return;
    text = unconditional;

    const definition = parseDefinition(text);
    if (definition) {
      parameters.define(definition.name, [definition.value]);
      return;
    }

    if (isRepetitionLine(text)) {
      expandRepetition(text, source, includeStack, depth);
      return;
    }

    const builtins = { pwd: path.dirname(source.file), instance: configId };
    const substituted = parameters.substitute(text, builtins);
    if (!substituted.ok) {
      if (substituted.problem === 'too_long') {
        sink.report(
          DiagnosticCodes.syntax,
          source,
          `parameter $${substituted.name} expands to more than ${MAX_EXPANDED_LENGTH} characters`,
          'parameter values that use other parameters several times grow exponentially',
        );
      } else {
        sink.report(
          DiagnosticCodes.syntax,
          source,
          `parameter $${substituted.name} does not stop expanding`,
          'a parameter value refers to itself, directly or through other parameters',
        );
      }
      return;
    }
    if (substituted.changed) {
      for (const expandedLine of substituted.text.split('\n')) {
        processLine(expandedLine, source, includeStack, depth + 1);
      }
      return;
    }
    warnUnexpandedParameters(text, source);
    if (/\$\{_RANDOM\b/.test(text)) {
      sink.report(
        DiagnosticCodes.unsupported,
        source,
        '${_RANDOM} is not supported',
        'vrrpd configurations are deterministic; write the value explicitly',
      );
      return;
    }

    const firstWord = /^(\S+)\s*(.*)$/s.exec(text) as RegExpExecArray;
    const checks = INCLUDE_VARIANTS[firstWord[1] as string];
    if (checks) {
      includeFiles(firstWord[1] as string, firstWord[2] as string, checks, source, includeStack);
      return;
    }
    lines.push({ text, source });
  };

  /** `$NET.1` stays literal (a bare name must be followed by whitespace); say so when NET is defined. */
  const warnUnexpandedParameters = (text: string, source: SourceRef): void => {
    for (const match of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)(?=[^\s\w])/g)) {
      const name = match[1] as string;
      if (!parameters.has(name)) continue;
      sink.report(
        DiagnosticCodes.suspicious,
        source,
        `parameter $${name} is not substituted here: a bare name must be followed by whitespace`,
        `write \${${name}} to substitute it inside a word`,
      );
    }
  };

  const expandRepetition = (
    text: string,
    source: SourceRef,
    includeStack: readonly string[],
    depth: number,
  ): void => {
    const builtins = { pwd: path.dirname(source.file), instance: configId };
    // Parameters may be used inside the header itself, e.g. ~SEQ(ID, 1, $LAST).
    const closing = text.indexOf(')');
    const header = parameters.substitute(text.slice(0, closing + 1), builtins);
    const parsed = parseRepetition(
      (header.ok ? header.text : text.slice(0, closing + 1)) + text.slice(closing + 1),
    );
    if (!parsed.ok) {
      sink.report(DiagnosticCodes.syntax, source, parsed.message);
      return;
    }
    for (const assignment of parsed.repetition.assignments) {
      if (exhausted) return;
      for (const [name, value] of assignment) parameters.define(name, [value]);
      processLine(parsed.repetition.rest, source, includeStack, depth + 1);
    }
  };

  const includeFiles = (
    variant: string,
    argumentText: string,
    checks: IncludeChecks,
    source: SourceRef,
    includeStack: readonly string[],
  ): void => {
    const words = tokenizeLine(argumentText, source, sink, { braces: false });
    const first = words[0];
    if (!first || first.kind !== 'word' || words.length > 1) {
      sink.report(DiagnosticCodes.syntax, source, `${variant} takes exactly one file name or pattern`);
      return;
    }
    const pattern = path.isAbsolute(first.text)
      ? first.text
      : path.join(path.dirname(source.file), first.text);
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
      if (exhausted) return;
      const wildcard = hasWildcard(alternative);
      let matchedHere = false;
      for (const candidate of expandWildcards(alternative, files)) {
        if (exhausted) return;
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
        if (readFile(candidate, includeStack, source)) {
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
    if (!matchedAnything && !reportedError && !exhausted) {
      sink.report(
        DiagnosticCodes.includeWarning,
        source,
        `${variant}: no file matches '${first.text}'`,
        'keepalived skips it too; relative paths start from the directory of the including file',
      );
    }
  };

  const entryReadable = readFile(input.entryFile, [], null);
  return { lines, filesRead, entryReadable };
}
