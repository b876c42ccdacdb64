// The daemon's start without commander: vrrpd's options (vrrpd-options.ts) parsed with node's
// parseArgs into the very object commander would give. Anything this parser is not sure of —
// --help, --version, an unknown option, a missing or ambiguous value, a value outside its
// choices, stray arguments — returns null, and vrrpd.ts hands the command line to commander,
// which prints the help, the version or the error. A unit test holds both parsers to the same
// result on the command lines this one accepts.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseFlags, VRRPD_OPTIONS, type CliOptions } from './vrrpd-options.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** `argv` without node and the script (process.argv.slice(2)). */
export function parseDaemonArguments(argv: readonly string[]): CliOptions | null {
  if (argv.some((arg) => /^(-h|--help|-v|--version|--)$/.test(arg))) return null;
  const options: ParseOptions = {};
  for (const spec of VRRPD_OPTIONS) {
    const flags = parseFlags(spec.flags);
    const name = flags.negated ? `no-${flags.long}` : flags.long;
    options[name] = {
      type: flags.takesValue ? 'string' : 'boolean',
      ...(flags.short ? { short: flags.short } : {}),
    };
  }
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch {
    return null;
  }
  const result: Record<string, unknown> = {};
  for (const spec of VRRPD_OPTIONS) {
    const flags = parseFlags(spec.flags);
    const name = flags.negated ? `no-${flags.long}` : flags.long;
    const value = values[name];
    if (flags.negated) {
      // commander: `--no-x` alone makes x default to true, false when given.
      result[flags.key] = value !== true;
      continue;
    }
    if (value === undefined) {
      if (spec.default !== undefined) result[flags.key] = spec.default;
      continue;
    }
    if (typeof value === 'string' && spec.choices && !spec.choices.includes(value)) return null;
    result[flags.key] = value;
  }
  return result as unknown as CliOptions;
}
