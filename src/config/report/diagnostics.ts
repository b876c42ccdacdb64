// Configuration problems as values. Every stage (include expansion, lexing, block parsing, keyword
// interpretation, cross-checks) reports into one sink so `--config-test` can print every problem at
// once (DESIGN.md: "config errors are all collected and reported together").

/** Where something was written: the file as the user named it (after include resolution) and a 1-based line. */
export interface SourceRef {
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole (e.g. it cannot be read). */
  line: number;
}

export type Severity = 'error' | 'warning';

/**
 * Stable codes: they appear in `--config-test` output and logs, so scripts and docs can rely on them.
 * Each code has a fixed severity (E = error, W = warning), see {@link severityOfCode}.
 */
export const DiagnosticCodes = {
  /** The main configuration file cannot be read. keepalived: CONFIG_FILE_NOT_FOUND. */
  file: 'VRRPD_E_CONFIG_FILE',
  /** Braces, quotes, parameter expansion, conditional lines. */
  syntax: 'VRRPD_E_CONFIG_SYNTAX',
  /** A keyword that no block kind knows (or that is misplaced). */
  keyword: 'VRRPD_E_CONFIG_KEYWORD',
  /** A value that is malformed or out of range, or a wrong number of arguments. */
  value: 'VRRPD_E_CONFIG_VALUE',
  /** A name that refers to nothing: sync group member, track_script, track_file. */
  reference: 'VRRPD_E_CONFIG_REFERENCE',
  /** Two things that cannot both hold: duplicate VRID on an interface, duplicate names, mixed families. */
  conflict: 'VRRPD_E_CONFIG_CONFLICT',
  /** Something required is absent (virtual_router_id, interface, a vrrp_script's script). */
  missing: 'VRRPD_E_CONFIG_MISSING',
  /** A keepalived feature vrrpd refuses to run with (see the compatibility table). */
  unsupported: 'VRRPD_E_CONFIG_UNSUPPORTED',
  /** An include* variant whose check failed, or an include cycle. */
  includeError: 'VRRPD_E_CONFIG_INCLUDE',
  /** An interface the configuration names does not exist (checked by `-t` on the host). keepalived: CONFIG_BAD_IF. */
  interfaceMissing: 'VRRPD_E_CONFIG_INTERFACE',
  /** The network namespace net_namespace names does not exist (checked by `-t` on the host). */
  namespaceMissing: 'VRRPD_E_CONFIG_NETNS',
  /** The same with `dynamic_interfaces`: allowed, the instance waits for the interface. */
  interfaceAbsent: 'VRRPD_W_CONFIG_INTERFACE',
  /** A plain `include` that matched nothing: keepalived carries on, so do we, but loudly. */
  includeWarning: 'VRRPD_W_CONFIG_INCLUDE',
  /** A keyword or section accepted for compatibility and ignored. */
  ignored: 'VRRPD_W_CONFIG_IGNORED',
  /** A value accepted but adjusted the way keepalived adjusts it (truncated password, rounded interval). */
  adjusted: 'VRRPD_W_CONFIG_ADJUSTED',
  /** Legal but probably not what was meant (repeated keyword, nopreempt with state MASTER, …). */
  suspicious: 'VRRPD_W_CONFIG_SUSPICIOUS',

  // Mistakes keepalived reports and then runs past: vrrpd does what keepalived then does (skips the
  // keyword, the line or the reference) and says so. `--strict` turns each into its error twin.
  /** An unknown or misplaced keyword, skipped; or a stray argument, ignored. */
  keywordSkipped: 'VRRPD_W_CONFIG_KEYWORD',
  /** A malformed or out-of-range value: the keyword, option or entry is skipped. */
  valueSkipped: 'VRRPD_W_CONFIG_VALUE',
  /** A name that refers to nothing (or to something defined too late): the reference is dropped. */
  referenceDropped: 'VRRPD_W_CONFIG_REFERENCE',
  /** Braces keepalived reads differently from their indentation: stray, missing or unexpected. */
  syntaxLenient: 'VRRPD_W_CONFIG_SYNTAX',
  /** Two things that cannot both hold: the later one is dropped. */
  conflictDropped: 'VRRPD_W_CONFIG_CONFLICT',
  /** Something required is absent: the block that lacks it is dropped (a vrrp_script without script). */
  missingDropped: 'VRRPD_W_CONFIG_MISSING',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

/** Each lenient warning and the error it becomes with `--strict`. */
const STRICT_TWINS: Readonly<Partial<Record<DiagnosticCode, DiagnosticCode>>> = {
  [DiagnosticCodes.keywordSkipped]: DiagnosticCodes.keyword,
  [DiagnosticCodes.valueSkipped]: DiagnosticCodes.value,
  [DiagnosticCodes.referenceDropped]: DiagnosticCodes.reference,
  [DiagnosticCodes.syntaxLenient]: DiagnosticCodes.syntax,
  [DiagnosticCodes.conflictDropped]: DiagnosticCodes.conflict,
  [DiagnosticCodes.missingDropped]: DiagnosticCodes.missing,
};

/**
 * A mistake keepalived reports too (its `-t` exits 5 for it) and then runs past, as vrrpd does
 * unless `--strict`.
 */
export function isLenient(code: DiagnosticCode): boolean {
  return STRICT_TWINS[code] !== undefined;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  file: string;
  line: number;
  message: string;
  hint?: string;
  /**
   * Whether keepalived 2.2.7 reports the same condition (report_config_error, after which its
   * `-t` exits 5, and so does vrrpd's). Set at the report site; when absent, a lenient code counts
   * as reported (isLenient) and any other code as not.
   */
  keepalivedReports?: boolean;
}

/** What `report` may add: the lenient outcome, and whether keepalived reports the condition too. */
export interface ReportOptions {
  /** See DiagnosticSink.report. */
  lenientOutcome?: string;
  /**
   * true: keepalived reports it too (report_config_error), so `-t` exits 5 as keepalived's does.
   * false: a lenient mistake keepalived runs past silently (a stray argument): `--strict` still
   * refuses it, but it leaves the `-t` status alone.
   */
  keepalivedReports?: boolean;
}

/** For a warning whose condition keepalived also reports: `vrrpd -t` then exits 5, as keepalived. */
export const KEEPALIVED_REPORTS: ReportOptions = { keepalivedReports: true };

/** `KEEPALIVED_REPORTS` when `reported`, else nothing: for sites where keepalived reports some cases only. */
export function keepalivedReportsIf(reported: boolean): ReportOptions | undefined {
  return reported ? KEEPALIVED_REPORTS : undefined;
}

/**
 * Whether keepalived's `-t` complains about this too (and so exits 5 where it runs the file): the
 * lenient mistakes, and the other warnings marked at their report site; the mark decides.
 */
export function keepalivedReportsToo(diagnostic: Diagnostic): boolean {
  return diagnostic.keepalivedReports ?? isLenient(diagnostic.code);
}

export function severityOfCode(code: DiagnosticCode): Severity {
  return code.startsWith('VRRPD_W_') ? 'warning' : 'error';
}

/**
 * `FILE:LINE: error|warning: message [CODE]`, then `  hint: …` on its own line when there is a hint.
 * The first line keeps the compiler-style prefix so editors and grep can jump to it.
 */
export function formatDiagnostic(diagnostic: Diagnostic): string[] {
  const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}` : diagnostic.file;
  const lines = [`${where}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.code}]`];
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines;
}

export interface SinkOptions {
  /** `--strict`: lenient warnings (see isLenient) are recorded as their error twins. */
  strict?: boolean;
}

/** Collects diagnostics in the order they are found; the reporter sorts them for display. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  readonly strict: boolean;

  constructor(options: SinkOptions = {}) {
    this.strict = options.strict ?? false;
  }

  /**
   * `lenientOutcome` (a string, or `options.lenientOutcome`) says what happens to a lenient mistake
   * ("skipped, as keepalived skips it"): it ends the message while the mistake is run past, and is
   * left out once `--strict` refuses it. `options.keepalivedReports` marks a warning whose
   * condition keepalived reports too (see Diagnostic.keepalivedReports).
   */
  report(
    reported: DiagnosticCode,
    at: SourceRef,
    message: string,
    hint?: string,
    outcomeOrOptions?: string | ReportOptions,
  ): void {
    const options: ReportOptions =
      typeof outcomeOrOptions === 'string' ? { lenientOutcome: outcomeOrOptions } : (outcomeOrOptions ?? {});
    const code = (this.strict && STRICT_TWINS[reported]) || reported;
    const outcome =
      options.lenientOutcome !== undefined && code === reported ? `: ${options.lenientOutcome}` : '';
    const diagnostic: Diagnostic = {
      severity: severityOfCode(code),
      code,
      file: at.file,
      line: at.line,
      message: `${message}${outcome}`,
    };
    if (hint !== undefined) diagnostic.hint = hint;
    // Kept only where it departs from the code's default (isLenient), and not on an error twin.
    if (
      options.keepalivedReports !== undefined &&
      options.keepalivedReports !== isLenient(reported) &&
      code === reported
    )
      diagnostic.keepalivedReports = options.keepalivedReports;
    this.diagnostics.push(diagnostic);
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  get warningCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'warning').length;
  }

  /** Warnings for mistakes keepalived also reports (what `--strict` would refuse). */
  get lenientCount(): number {
    return this.diagnostics.filter((d) => isLenient(d.code)).length;
  }
}

/**
 * Display order: by file in first-seen order, then by line, keeping discovery order for ties.
 * Cross-checks run after the whole tree is read, so without sorting their findings would trail.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of diagnostics) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort(
      (a, b) =>
        (fileOrder.get(a.d.file) ?? 0) - (fileOrder.get(b.d.file) ?? 0) ||
        a.d.line - b.d.line ||
        a.index - b.index,
    )
    .map(({ d }) => d);
}
