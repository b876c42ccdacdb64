// Argument parsers shared by the keyword tables. Each reports its own precise error (with the
// keyword's name and the offending text) and returns null, so a table entry stays one line long.
// keepalived reads junk such as "10x", logs it and runs with a default instead; we refuse it.

import { addressFamily, familyLabel } from './address.js';
import type { ConfigWord } from '../language/block-tree.js';
import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily } from '../model/types.js';

export interface BuildContext {
  sink: DiagnosticSink;
  /** The enclosing block for messages, e.g. `vrrp_instance VI_1`. */
  where: string;
  /** keyword → the block kinds that accept it, to explain a misplaced keyword. */
  keywordHomes: ReadonlyMap<string, readonly string[]>;
}

/** The same context for a nested block. */
export function within(ctx: BuildContext, where: string): BuildContext {
  return { ...ctx, where };
}

export interface Range {
  min: number;
  max: number;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export function parseInteger(
  word: ConfigWord,
  label: string,
  range: Range,
  ctx: BuildContext,
): number | null {
  if (!INTEGER.test(word.text)) {
    ctx.sink.report(DiagnosticCodes.value, word.source, `${label} expects an integer, got '${word.text}'`);
    return null;
  }
  const value = Number(word.text);
  if (value < range.min || value > range.max) {
    ctx.sink.report(
      DiagnosticCodes.value,
      word.source,
      `${label} ${word.text} is out of range (${range.min}-${range.max})`,
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
): number | null {
  if (!DECIMAL.test(word.text)) {
    ctx.sink.report(
      DiagnosticCodes.value,
      word.source,
      `${label} expects a number of seconds, got '${word.text}'`,
    );
    return null;
  }
  const value = Number(word.text);
  if (value < range.min || value > range.max) {
    ctx.sink.report(
      DiagnosticCodes.value,
      word.source,
      `${label} ${word.text} is out of range (${range.min}-${range.max} seconds)`,
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
): number | null {
  if (!INTEGER.test(word.text)) {
    ctx.sink.report(
      DiagnosticCodes.value,
      word.source,
      `${label} expects a whole number of seconds, got '${word.text}'`,
    );
    return null;
  }
  return parseInteger(word, label, range, ctx);
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
  ctx.sink.report(
    DiagnosticCodes.value,
    word.source,
    `${label} expects on|off|true|false|yes|no, got '${word.text}'`,
  );
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
    ctx.sink.report(
      DiagnosticCodes.value,
      word.source,
      `${label} expects an IPv4 or IPv6 address, got '${word.text}'`,
    );
    return null;
  }
  if (family && found !== family) {
    ctx.sink.report(
      DiagnosticCodes.conflict,
      word.source,
      `${label} ${word.text} is ${familyLabel(found)} but ${ctx.where} is ${familyLabel(family)}`,
      'an instance uses one address family; put the other family in virtual_ipaddress_excluded or another instance',
    );
    return null;
  }
  return { address: found === 'ipv6' ? word.text.toLowerCase() : word.text, family: found };
}

/** Linux interface names: 1-15 bytes (IFNAMSIZ - 1), no '/', no whitespace, not '.' or '..'. */
export function parseInterfaceName(word: ConfigWord, label: string, ctx: BuildContext): string | null {
  const name = word.text;
  const problem =
    name === '' || name === '.' || name === '..'
      ? 'is not a valid interface name'
      : Buffer.byteLength(name) > 15
        ? 'is longer than 15 characters (the kernel limit, IFNAMSIZ)'
        : /[/\s:]/.test(name)
          ? "contains '/', ':' or whitespace, which interface names cannot"
          : null;
  if (problem) {
    ctx.sink.report(DiagnosticCodes.value, word.source, `${label} '${name}' ${problem}`);
    return null;
  }
  return name;
}
