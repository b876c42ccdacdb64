// keepalived.conf(5) "Sequence blocks" and "List blocks": a line starting `~SEQ(var, start, step, end)`,
// `~SEQx(...)` (hexadecimal values) or `~LST(var, v1, v2, …)` / `~LST({a, b}, {1, 2}, …)` repeats the
// rest of the line once per value, with the variable(s) defined as parameters.

/** Generated lines beyond this are refused: a typo in a range must not hang the config test. */
export const MAX_GENERATED_LINES = 100_000;

export interface Repetition {
  /** One parameter assignment set per repetition, in order. */
  assignments: Array<Array<[string, string]>>;
  /** The text after the block header, to be processed once per assignment set. */
  rest: string;
}

export type RepetitionResult = { ok: true; repetition: Repetition } | { ok: false; message: string };

const HEADER = /^~(SEQx?|LST)\(/;

export function isRepetitionLine(text: string): boolean {
  return HEADER.test(text);
}

export function parseRepetition(text: string): RepetitionResult {
  const header = HEADER.exec(text);
  if (!header) return { ok: false, message: 'not a ~SEQ/~LST line' };
  const open = header[0].length - 1;
  const close = findClosingParen(text, open);
  if (close === -1) return { ok: false, message: `missing ')' in ${header[0]}…)` };
  const args = splitTopLevel(text.slice(open + 1, close)).map((a) => a.trim());
  const rest = text.slice(close + 1).trim();
  const kind = header[1] as string;
  return kind === 'LST' ? parseList(args, rest) : parseSequence(args, rest, kind === 'SEQx');
}

function findClosingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseSequence(args: string[], rest: string, hex: boolean): RepetitionResult {
  const [variable, ...numbersText] = args;
  if (!variable || !VARIABLE.test(variable) || numbersText.length < 1 || numbersText.length > 3) {
    return { ok: false, message: '~SEQ needs (variable, [start, [step,]] end)' };
  }
  const numbers = numbersText.map((n) => (/^-?(0x[0-9a-fA-F]+|\d+)$/.test(n) ? Number(n) : NaN));
  if (numbers.some((n) => Number.isNaN(n))) {
    return { ok: false, message: `~SEQ bounds must be integers, got (${numbersText.join(', ')})` };
  }
  const end = numbers[numbers.length - 1] as number;
  const start = numbers.length >= 2 ? (numbers[0] as number) : end >= 0 ? 1 : -1;
  const step = numbers.length === 3 ? (numbers[1] as number) : end >= start ? 1 : -1;
  if (step === 0) return { ok: false, message: '~SEQ step must not be 0' };
  const assignments: Array<Array<[string, string]>> = [];
  for (let value = start; step > 0 ? value <= end : value >= end; value += step) {
    if (assignments.length >= MAX_GENERATED_LINES) {
      return { ok: false, message: `~SEQ generates more than ${MAX_GENERATED_LINES} lines` };
    }
    assignments.push([[variable, hex ? value.toString(16) : String(value)]]);
  }
  return { ok: true, repetition: { assignments, rest } };
}

function parseList(args: string[], rest: string): RepetitionResult {
  const [variablesText, ...valueTexts] = args;
  if (!variablesText || valueTexts.length === 0) {
    return { ok: false, message: '~LST needs (variable, value, …) or ({var1, var2}, {v1, v2}, …)' };
  }
  const unbrace = (text: string): string[] =>
    text.startsWith('{') && text.endsWith('}')
      ? text
          .slice(1, -1)
          .split(',')
          .map((part) => part.trim())
      : [text];
  const variables = unbrace(variablesText);
  if (!variables.every((v) => VARIABLE.test(v))) {
    return { ok: false, message: `~LST variable names must be identifiers, got ${variablesText}` };
  }
  const assignments: Array<Array<[string, string]>> = [];
  for (const valueText of valueTexts) {
    const values = unbrace(valueText);
    if (values.length !== variables.length) {
      return {
        ok: false,
        message: `~LST value ${valueText} has ${values.length} item(s) for ${variables.length} variable(s)`,
      };
    }
    assignments.push(variables.map((v, i) => [v, values[i] as string]));
  }
  return { ok: true, repetition: { assignments, rest } };
}
