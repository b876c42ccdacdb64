// Argument parsers shared by the keyword tables. Each reports its own precise error (with the
// keyword's name and the offending text) and returns null, so a table entry stays one line long.
// keepalived reads junk such as "10x", logs it and runs with a default instead; we refuse it.

import { addressFamily, familyLabel } from './address.js';
import type { ConfigWord } from '../language/block-tree.js';
import type { DiagnosticCode, DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily } from '../model/types.js';

export interface BuildContext {
  sink: DiagnosticSink;
  /** The enclosing block for messages, e.g. `vrrp_instance VI_1`. */
  where: string;
  /** keyword → the block kinds that accept it, to explain a misplaced keyword. */
  keywordHomes: ReadonlyMap<string, readonly string[]>;
  /**
   * keepalived.conf keywords: a malformed value is reported and skipped, as keepalived skips it
   * (a lenient warning). Absent or false (vrrpd's own blocks): it is an error.
   */
  lenient?: boolean;
}

/** The same context for a nested block. */
export function within(ctx: BuildContext, where: string): BuildContext {
  return { ...ctx, where };
}

/** The same context where a malformed value is an error, because keepalived then refuses to run. */
export function refusing(ctx: BuildContext): BuildContext {
  return { ...ctx, lenient: false };
}

/** The code for a malformed value here: skipped with a warning (keepalived's blocks) or an error. */
export function invalidValueCode(ctx: BuildContext): DiagnosticCode {
  return ctx.lenient ? DiagnosticCodes.valueSkipped : DiagnosticCodes.value;
}

/**
 * Reports a malformed value. Lenient contexts say what keepalived does with it: `consequence`
 * (default: the line is ignored).
 */
export function reportInvalid(
  ctx: BuildContext,
  at: SourceRef,
  message: string,
  hint?: string,
  consequence = 'the line is ignored, as keepalived ignores it',
): void {
  ctx.sink.report(invalidValueCode(ctx), at, message, hint, ctx.lenient ? consequence : undefined);
}

export interface Range {
  min: number;
  max: number;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export interface NumberOptions {
  /** What happens to a rejected value, in lenient contexts (default: the line is ignored). */
  consequence?: string;
  /**
   * keepalived reads most numbers with strtol and, when running (not under -t), uses the number
   * that starts the text if it is in range: `garp_master_delay 5s` runs with 5. Set for the
   * keywords whose keepalived handler does that (its `ignore_error` readers).
   */
  leadingNumber?: boolean;
}

/** For keywords whose keepalived handler reads numbers with `ignore_error` (see NumberOptions). */
export const KEEPALIVED_READS_LEADING_NUMBER: NumberOptions = { leadingNumber: true };

const LEADING_INTEGER = /^[+-]?\d+/;
const LEADING_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)/;

/** In lenient contexts, the leading number of `text` as keepalived's running daemon reads it. */
function leadingNumber(
  word: ConfigWord,
  pattern: RegExp,
  range: Range,
  ctx: BuildContext,
  options: NumberOptions,
  label: string,
): number | null {
  if (!ctx.lenient || !options.leadingNumber) return null;
  const match = pattern.exec(word.text);
  if (!match) return null;
  const value = Number(match[0]);
  if (!(value >= range.min && value <= range.max)) return null;
  ctx.sink.report(
    DiagnosticCodes.valueSkipped,
    word.source,
    `${label} '${word.text}' is not a number: ${match[0]} is used, as the running keepalived uses it (its -t ignores the line)`,
    `write ${match[0]}`,
  );
  return value;
}

export function parseInteger(
  word: ConfigWord,
  label: string,
  range: Range,
  ctx: BuildContext,
  options: NumberOptions = {},
): number | null {
  if (!INTEGER.test(word.text)) {
    const leading = leadingNumber(word, LEADING_INTEGER, range, ctx, options, label);
    if (leading !== null) return leading;
    reportInvalid(
      ctx,
      word.source,
      `${label} expects an integer, got '${word.text}'`,
      undefined,
      options.consequence,
    );
    return null;
  }
  const value = Number(word.text);
  if (value < range.min || value > range.max) {
    reportInvalid(
      ctx,
      word.source,
      `${label} ${word.text} is out of range (${range.min}-${range.max})`,
      undefined,
      options.consequence,
    );
    return null;
  }
  return value;
}

/** A <TIMER> of keepalived.conf(5): seconds with an optional fraction. Returns seconds. */
export function parseSeconds(
  word: ConfigWord,
  label: string,
  range: Range,
  ctx: BuildContext,
  options: NumberOptions = {},
): number | null {
  if (!DECIMAL.test(word.text)) {
    const leading = leadingNumber(word, LEADING_DECIMAL, range, ctx, options, label);
    if (leading !== null) return leading;
    reportInvalid(
      ctx,
      word.source,
      `${label} expects a number of seconds, got '${word.text}'`,
      undefined,
      options.consequence,
    );
    return null;
  }
  const value = Number(word.text);
  if (value < range.min || value > range.max) {
    reportInvalid(
      ctx,
      word.source,
      `${label} ${word.text} is out of range (${range.min}-${range.max} seconds)`,
      undefined,
      options.consequence,
    );
    return null;
  }
  return value;
}

/** Whole seconds only (keepalived reads these with strtoul). */
export function parseWholeSeconds(
  word: ConfigWord,
  label: string,
  range: Range,
  ctx: BuildContext,
  options: NumberOptions = {},
): number | null {
  if (!INTEGER.test(word.text)) {
    const leading = leadingNumber(word, LEADING_INTEGER, range, ctx, options, label);
    if (leading !== null) return leading;
    reportInvalid(
      ctx,
      word.source,
      `${label} expects a whole number of seconds, got '${word.text}'`,
      undefined,
      options.consequence,
    );
    return null;
  }
  return parseInteger(word, label, range, ctx, options);
}

const TRUE_WORDS = new Set(['on', 'true', 'yes']);
const FALSE_WORDS = new Set(['off', 'false', 'no']);

/** keepalived's <BOOL>; an absent word means true (`smtp_alert` alone turns it on). */
export function parseOptionalBoolean(
  word: ConfigWord | undefined,
  label: string,
  ctx: BuildContext,
): boolean | null {
  if (!word) return true;
  if (TRUE_WORDS.has(word.text)) return true;
  if (FALSE_WORDS.has(word.text)) return false;
  reportInvalid(ctx, word.source, `${label} expects on|off|true|false|yes|no, got '${word.text}'`);
  return null;
}

export function parseAddress(
  word: ConfigWord,
  label: string,
  ctx: BuildContext,
  family?: AddressFamily,
): { address: string; family: AddressFamily } | null {
  const found = addressFamily(word.text);
  if (!found) {
    reportInvalid(ctx, word.source, `${label} expects an IPv4 or IPv6 address, got '${word.text}'`);
    return null;
  }
  if (family && found !== family) {
    ctx.sink.report(
      ctx.lenient ? DiagnosticCodes.conflictDropped : DiagnosticCodes.conflict,
      word.source,
      `${label} ${word.text} is ${familyLabel(found)} but ${ctx.where} is ${familyLabel(family)}`,
      'an instance uses one address family; put the other family in virtual_ipaddress_excluded or another instance',
      ctx.lenient ? 'the line is ignored, as keepalived ignores it' : undefined,
    );
    return null;
  }
  return { address: found === 'ipv6' ? word.text.toLowerCase() : word.text, family: found };
}

/** Why a name cannot be a Linux interface name (1-15 bytes, no '/', ':' or whitespace), or null. */
export function interfaceNameProblem(name: string): string | null {
  if (name === '' || name === '.' || name === '..') return 'is not a valid interface name';
  if (Buffer.byteLength(name) > 15) return 'is longer than 15 characters (the kernel limit, IFNAMSIZ)';
  if (/[/\s:]/.test(name)) return "contains '/', ':' or whitespace, which interface names cannot";
  return null;
}

export function parseInterfaceName(word: ConfigWord, label: string, ctx: BuildContext): string | null {
  const problem = interfaceNameProblem(word.text);
  if (problem) {
    reportInvalid(ctx, word.source, `${label} '${word.text}' ${problem}`);
    return null;
  }
  return word.text;
}
