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

export function parseDefinition(text: string): { name: string; value: string } | null {
  const match = DEFINITION.exec(text);
  return match ? { name: match[1] as string, value: match[2] as string } : null;
}

export type SubstitutionResult = { ok: true; text: string; changed: boolean } | { ok: false; name: string };

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
      const next = current.replace(
        REFERENCE,
        (whole, braced: string | undefined, bare: string | undefined) => {
          const value = lookup((braced ?? bare) as string);
          if (value === undefined) return whole;
          replacedHere = true;
          return value;
        },
      );
      if (!replacedHere || next === current) return { ok: true, text: current, changed };
      current = next;
      changed = true;
    }
    const stuck = REFERENCE.exec(current);
    REFERENCE.lastIndex = 0;
    return { ok: false, name: stuck ? ((stuck[1] ?? stuck[2]) as string) : '?' };
  }
}
