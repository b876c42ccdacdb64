// keepalived.conf(5) "Parameter substitution": `$NAME=value` defines, `$NAME` (followed by whitespace
// or end of line) and `${NAME}` (anywhere) expand, recursively, at use time. Undefined names are left
// untouched so existing `$` in scripts keep working. A multi-line definition expands to several lines.

/** Built-in names keepalived pre-defines; `_RANDOM` is deliberately absent (a config must be deterministic). */
export interface BuiltinParameters {
  /** Directory of the file currently being read. */
  pwd: string;
  /** The config id (`--config-id`, default short hostname). */
  instance: string;
}

const DEFINITION = /^\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)/g;

/** Expansion depth that no sensible configuration reaches; beyond it a definition refers to itself. */
const MAX_EXPANSION_ROUNDS = 64;
/**
 * Longest text one line may expand to. Definitions that each use the previous one twice double the
 * text at every level: 30 levels would build a 2 GB string (a crash), 22 take seconds.
 */
export const MAX_EXPANDED_LENGTH = 1024 * 1024;

export function parseDefinition(text: string): { name: string; value: string } | null {
  const match = DEFINITION.exec(text);
  return match ? { name: match[1] as string, value: match[2] as string } : null;
}

export type SubstitutionResult =
  | { ok: true; text: string; changed: boolean }
  /** `cycle`: the expansion never stops; `too_long`: it passed MAX_EXPANDED_LENGTH. */
  | { ok: false; name: string; problem: 'cycle' | 'too_long' };

export class ParameterScope {
  private readonly values = new Map<string, string>();

  /** Multi-line values are stored joined with '\n' and split back into lines after substitution. */
  define(name: string, lines: readonly string[]): void {
    this.values.set(name, lines.join('\n'));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  substitute(text: string, builtins: BuiltinParameters): SubstitutionResult {
    const lookup = (name: string): string | undefined => {
      switch (name) {
        case '_PWD':
          return builtins.pwd;
        case '_INSTANCE':
          return builtins.instance;
        case '_HASH':
          return '#';
        case '_BANG':
          return '!';
        default:
          return this.values.get(name);
      }
    };
    let current = text;
    let changed = false;
    for (let round = 0; round < MAX_EXPANSION_ROUNDS; round++) {
      let replacedHere = false;
      // Checked while replacing: one round may multiply the length by a value's length.
      let length = current.length;
      let tooLong = false;
      const next = current.replace(
        REFERENCE,
        (whole, braced: string | undefined, bare: string | undefined) => {
          const value = lookup((braced ?? bare) as string);
          if (value === undefined || tooLong) return whole;
          length += value.length - whole.length;
          if (length > MAX_EXPANDED_LENGTH) {
            tooLong = true;
            return whole;
          }
          replacedHere = true;
          return value;
        },
      );
      if (tooLong) return { ok: false, name: firstReference(current), problem: 'too_long' };
      if (!replacedHere || next === current) return { ok: true, text: current, changed };
      current = next;
      changed = true;
    }
    return { ok: false, name: firstReference(current), problem: 'cycle' };
  }
}

/** The first parameter name `text` refers to, for the diagnostic. */
function firstReference(text: string): string {
  const found = REFERENCE.exec(text);
  REFERENCE.lastIndex = 0;
  return found ? ((found[1] ?? found[2]) as string) : '?';
}
