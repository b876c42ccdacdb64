// Fuzzing the configuration reader (preprocess → block tree → keyword tables → finishing) through
// memoryFileSource: random text, and mutations of the corpus (test/config/corpus/) and examples/
// at the token level (deletion, duplication, swaps, lost braces, stray quotes, random keywords,
// huge numbers, deep nesting, random bytes), plus the expansion features an attacker or a typo can
// multiply: include cycles and diamonds, brace patterns, parameters that double at each level,
// nested ~SEQ. Invariants, for every input: nothing throws, every diagnostic has a stable code of
// the right severity, a non-empty message, a file the reader was given and a line within it
// (0 only for a file that cannot be read at all), `ok` agrees with the error count, and the work
// done is bounded (file reads, diagnostics).
//
// Shared by fuzz.test.ts (bounded, in CI) and run.ts (`npm run fuzz`).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import {
  DiagnosticCodes,
  formatDiagnostic,
  severityOfCode,
  type DiagnosticCode,
} from '../../src/config/report/diagnostics.js';
import { memoryFileSource, type ConfigFileSource } from '../../src/config/language/file-source.js';
import { buildKeywordHomes } from '../../src/config/keywords/index.js';
import { parseConfig, type ParseConfigResult } from '../../src/config/parse-config.js';
import { packageRoot } from '../lab/dist.js';
import { InvariantError } from './packet-fuzz.js';

/** A set of files and the one the reader starts from. */
export interface ConfigCase {
  entry: string;
  files: Record<string, string>;
}

/**
 * Attaches what fast-check prints for a failing case: the entry and the files that differ from
 * the seeds (the whole corpus would bury the counterexample).
 */
function printable(input: ConfigCase): ConfigCase {
  const seedFiles = configSeeds()[0]?.files ?? {};
  const changed = Object.fromEntries(
    Object.entries(input.files).filter(([file, text]) => seedFiles[file] !== text),
  );
  return Object.assign(input, {
    [fc.toStringMethod]: () => JSON.stringify({ entry: input.entry, changedFiles: changed }),
  });
}

const CODES: ReadonlySet<string> = new Set(Object.values(DiagnosticCodes));
/** Codes about a whole file, which may carry line 0. */
const WHOLE_FILE_CODES: ReadonlySet<string> = new Set([DiagnosticCodes.file]);

/** Far above any real configuration; reaching it means an expansion was not bounded. */
export const READ_BUDGET = 5000;
export const DIAGNOSTIC_BUDGET = 250_000;

// ---------------------------------------------------------------------------------------------
// Seeds: every corpus file and example, with the files they include.

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function loadSeeds(): ConfigCase[] {
  const root = packageRoot();
  const corpus = join(root, 'test', 'config', 'corpus');
  const examples = join(root, 'examples');
  const everything: Record<string, string> = {};
  for (const file of [...filesUnder(corpus), ...filesUnder(examples)]) {
    everything[file] = readFileSync(file, 'utf8');
  }
  const entries = Object.keys(everything).filter(
    (file) =>
      (file.startsWith(corpus) && file.endsWith('.conf') && !file.includes('/04-includes/')) ||
      file === join(corpus, '04-includes', 'keepalived.conf') ||
      (file.startsWith(examples) && file.endsWith('/keepalived.conf')),
  );
  // Each seed carries every file, so includes between them resolve as on disk.
  return entries.sort().map((entry) => ({ entry, files: everything }));
}

let cachedSeeds: ConfigCase[] | undefined;
export function configSeeds(): ConfigCase[] {
  cachedSeeds ??= loadSeeds();
  return cachedSeeds;
}

const KEYWORDS = [...buildKeywordHomes().keys()].sort();

// ---------------------------------------------------------------------------------------------
// Token-level mutations of one file's text.

/** Words, quoted strings, braces and the whitespace between them, in order; join('') is the text. */
function pieces(text: string): string[] {
  return text.match(/\s+|[{}]|"[^"\n]*"|'[^'\n]*'|[^\s{}"']+|["']/g) ?? [];
}

type TextMutation = (text: string) => string;

/** Applies `edit` to the list of non-whitespace pieces (by index into the full list). */
function onTokens(text: string, edit: (all: string[], tokenIndexes: number[]) => void): string {
  const all = pieces(text);
  const indexes = all.flatMap((piece, i) => (/^\s+$/.test(piece) ? [] : [i]));
  if (indexes.length > 0) edit(all, indexes);
  return all.join('');
}

const pick = (indexes: number[], n: number): number => indexes[n % indexes.length]!;

const HUGE_NUMBERS = [
  '99999999999999999999',
  '-1',
  '1e309',
  '0x10',
  '2147483648',
  '4294967296',
  '-0',
  '00012',
  'NaN',
  '1.5',
  '-99999999999999999999',
  '255',
  '256',
  '0',
];

/**
 * How far the generators push the multiplying features. The CI run keeps each case to a few
 * milliseconds; the full run (`npm run fuzz`) goes past every budget of the reader, which the
 * dedicated tests in fuzz.test.ts also check deterministically.
 */
export interface FuzzScale {
  maxBlockNesting: number;
  maxLongLineWords: number;
  maxDiamondDepth: number;
  maxBraceGroups: number;
  maxParameterLevels: number;
  maxSeqNesting: number;
  maxSeqCount: number;
}

export const CI_SCALE: FuzzScale = {
  maxBlockNesting: 300,
  maxLongLineWords: 5000,
  maxDiamondDepth: 8,
  maxBraceGroups: 12,
  maxParameterLevels: 14,
  maxSeqNesting: 2,
  maxSeqCount: 100,
};

export const FULL_SCALE: FuzzScale = {
  maxBlockNesting: 20_000,
  maxLongLineWords: 50_000,
  maxDiamondDepth: 40,
  maxBraceGroups: 40,
  maxParameterLevels: 40,
  maxSeqNesting: 4,
  maxSeqCount: 100_000,
};

const textMutation = (scale: FuzzScale): fc.Arbitrary<TextMutation> =>
  fc.oneof(
    fc.nat().map(
      (n): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => void (all[pick(ix, n)] = '')),
    ),
    fc.nat().map(
      (n): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const i = pick(ix, n);
            all[i] = `${all[i]} ${all[i]}`;
          }),
    ),
    fc.tuple(fc.nat(), fc.nat()).map(
      ([a, b]): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const i = pick(ix, a);
            const j = pick(ix, b);
            [all[i], all[j]] = [all[j]!, all[i]!];
          }),
    ),
    fc.nat().map(
      (n): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const braces = ix.filter((i) => all[i] === '{' || all[i] === '}');
            if (braces.length > 0) all[pick(braces, n)] = '';
          }),
    ),
    fc
      .tuple(fc.nat(), fc.constantFrom(...KEYWORDS), fc.constantFrom('', ' 1', ' {', ' }', ' eth0', ' x y z'))
      .map(
        ([n, keyword, argument]): TextMutation =>
          (t) =>
            onTokens(t, (all, ix) => {
              const i = pick(ix, n);
              all[i] = `${all[i]}\n${keyword}${argument}\n`;
            }),
      ),
    fc.tuple(fc.nat(), fc.constantFrom('"', "'", '\\', '"unterminated', "'\\")).map(
      ([n, quote]): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const i = pick(ix, n);
            all[i] = `${all[i]}${quote}`;
          }),
    ),
    fc.tuple(fc.nat(), fc.constantFrom(...HUGE_NUMBERS)).map(
      ([n, number]): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const numeric = ix.filter((i) => /^-?\d/.test(all[i]!));
            if (numeric.length > 0) all[pick(numeric, n)] = number;
          }),
    ),
    // Deep nesting: many opening braces (balanced or not) at one place.
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: scale.maxBlockNesting }), fc.boolean()).map(
      ([n, depth, balanced]): TextMutation =>
        (t) =>
          onTokens(t, (all, ix) => {
            const i = pick(ix, n);
            all[i] =
              `${all[i]}\n${'vrrp_instance X {\n'.repeat(depth)}${balanced ? '}\n'.repeat(depth) : ''}`;
          }),
    ),
    // Random characters: control bytes, NUL, CR, BOM, separators, non-BMP.
    fc
      .tuple(
        fc.nat(),
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('\0', '\r', '\uFEFF', '\u2028', '\t', '\\', '$', '~', '@', '{', '}'),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          ),
          maxLength: 20,
        }),
      )
      .map(([n, junk]): TextMutation => (t) => {
        const at = t.length === 0 ? 0 : n % t.length;
        return t.slice(0, at) + junk + t.slice(at);
      }),
    // A very long line.
    fc
      .tuple(
        fc.constantFrom('x ', '{ ', '"a" ', '$A '),
        fc.integer({ min: 100, max: scale.maxLongLineWords }),
      )
      .map(
        ([word, times]): TextMutation =>
          (t) =>
            `${t}\nvirtual_ipaddress { ${word.repeat(times)} }\n`,
      ),
  );

// ---------------------------------------------------------------------------------------------
// Expansion features, multiplied.

const BOMB_DIR = '/etc/keepalived/fuzz';

/** Extra lines (and files) appended to a case: each multiplies the reader's work if unbounded. */
const expansion = (scale: FuzzScale): fc.Arbitrary<(c: ConfigCase) => ConfigCase> =>
  fc.oneof(
    // A file including itself, or two including each other.
    fc.boolean().map((mutual) => (c: ConfigCase): ConfigCase => {
      const a = `${BOMB_DIR}/a.conf`;
      const b = `${BOMB_DIR}/b.conf`;
      return {
        entry: c.entry,
        files: {
          ...c.files,
          [c.entry]: `${c.files[c.entry]}\ninclude ${a}\n`,
          [a]: `include ${mutual ? b : a}\n`,
          [b]: `include ${a}\n`,
        },
      };
    }),
    // Diamonds: each level includes the next twice (2^depth reads if nothing stops it).
    fc.integer({ min: 2, max: scale.maxDiamondDepth }).map((depth) => (c: ConfigCase): ConfigCase => {
      const files = { ...c.files, [c.entry]: `${c.files[c.entry]}\ninclude ${BOMB_DIR}/d0.conf\n` };
      for (let i = 0; i < depth; i++) {
        files[`${BOMB_DIR}/d${i}.conf`] =
          i + 1 < depth
            ? `include ${BOMB_DIR}/d${i + 1}.conf\ninclude ${BOMB_DIR}/d${i + 1}.conf\n`
            : 'garp_interval 1\n';
      }
      return { entry: c.entry, files };
    }),
    // Brace patterns: 2^groups alternatives.
    fc.integer({ min: 1, max: scale.maxBraceGroups }).map((groups) => (c: ConfigCase): ConfigCase => ({
      entry: c.entry,
      files: {
        ...c.files,
        [c.entry]: `${c.files[c.entry]}\ninclude ${BOMB_DIR}/${'{a,b}'.repeat(groups)}.conf\n`,
      },
    })),
    // Parameters that double at each level.
    fc.integer({ min: 1, max: scale.maxParameterLevels }).map((levels) => (c: ConfigCase): ConfigCase => {
      const lines = ['$P0=x'];
      for (let i = 1; i <= levels; i++) lines.push(`$P${i}=$P${i - 1} $P${i - 1}`);
      lines.push(`vrrp_instance BOMB { $P${levels} }`);
      return {
        entry: c.entry,
        files: { ...c.files, [c.entry]: `${c.files[c.entry]}\n${lines.join('\n')}\n` },
      };
    }),
    // Nested repetition blocks: each ~SEQ is bounded, their product must be too.
    fc
      .tuple(fc.integer({ min: 1, max: scale.maxSeqNesting }), fc.integer({ min: 1, max: scale.maxSeqCount }))
      .map(([nesting, count]) => (c: ConfigCase): ConfigCase => {
        const header = Array.from({ length: nesting }, (_, i) => `~SEQ(V${i}, 1, ${count})`).join(' ');
        return {
          entry: c.entry,
          files: { ...c.files, [c.entry]: `${c.files[c.entry]}\n${header} garp_interval $V0\n` },
        };
      }),
    // Conditional lines for ids that may or may not be ours.
    fc.constantFrom('@main', '@^main', '@other', '@').map((prefix) => (c: ConfigCase): ConfigCase => ({
      entry: c.entry,
      files: { ...c.files, [c.entry]: `${c.files[c.entry]}\n${prefix} vrrp_instance C { }\n` },
    })),
  );

/** A seed with 1-6 text mutations on one of its files and maybe an expansion feature. */
export const mutatedConfig = (scale: FuzzScale): fc.Arbitrary<ConfigCase> =>
  fc
    .tuple(
      fc.nat(),
      fc.array(textMutation(scale), { minLength: 1, maxLength: 6 }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: expansion(scale) }),
      fc.boolean(),
    )
    .map(([seedIndex, mutations, expand, mutateEntry]) => {
      const seeds = configSeeds();
      const seed = seeds[seedIndex % seeds.length]!;
      const base: ConfigCase = expand ? expand(seed) : seed;
      const included = Object.keys(base.files).filter((f) => f !== base.entry && f.endsWith('.conf'));
      const target =
        mutateEntry || included.length === 0 ? base.entry : included[seedIndex % included.length]!;
      let text = base.files[target] ?? '';
      for (const mutate of mutations) text = mutate(text);
      return printable({ entry: base.entry, files: { ...base.files, [target]: text } });
    });

/** Random text alone: lines of keywords, braces and junk, or arbitrary Unicode. */
export const randomConfig: fc.Arbitrary<ConfigCase> = fc
  .oneof(
    fc
      .array(
        fc.oneof(
          fc.constantFrom(...KEYWORDS),
          fc.constantFrom('{', '}', '"', "'", '\n', '#', '!', '\\', '$X', '${X}', '~SEQ(i,1,3)', 'include *'),
          fc.string({ maxLength: 8 }),
          fc.integer().map(String),
        ),
        { maxLength: 200 },
      )
      .map((words) => words.join(' ')),
    fc.string({ unit: 'binary', maxLength: 2000 }),
  )
  .map((text) => ({
    entry: '/etc/keepalived/keepalived.conf',
    files: { '/etc/keepalived/keepalived.conf': text },
  }));

export const anyConfig = (scale: FuzzScale): fc.Arbitrary<ConfigCase> =>
  fc.oneof({ weight: 1, arbitrary: randomConfig }, { weight: 4, arbitrary: mutatedConfig(scale) });

// ---------------------------------------------------------------------------------------------
// Invariants

function require(condition: boolean, message: string): void {
  if (!condition) throw new InvariantError(message);
}

/** A file source that counts reads and refuses them beyond READ_BUDGET (so a runaway ends). */
function countingSource(files: Record<string, string>): { source: ConfigFileSource; reads: () => number } {
  const inner = memoryFileSource(files);
  let reads = 0;
  return {
    reads: () => reads,
    source: {
      readFile(path) {
        reads++;
        if (reads > READ_BUDGET) return { ok: false, reason: 'fuzz read budget exhausted' };
        return inner.readFile(path);
      },
      listDirectory: (path) => inner.listDirectory(path),
    },
  };
}

function lineCount(text: string): number {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).length;
}

/** Parses the case and checks every invariant; returns the result for callers that want more. */
export function checkConfig(input: ConfigCase): ParseConfigResult {
  const { source, reads } = countingSource(input.files);
  const result = parseConfig({ entryFile: input.entry, configId: 'main', files: source });
  require(reads() <= READ_BUDGET, `${reads()} file reads: include expansion is not bounded`);
  require(result.diagnostics.length <=
    DIAGNOSTIC_BUDGET, `${result.diagnostics.length} diagnostics: expansion is not bounded`);
  const lineCounts = new Map(
    Object.entries(input.files).map(([file, text]) => [posix.normalize(file), lineCount(text)]),
  );
  let errors = 0;
  for (const d of result.diagnostics) {
    const where = `${d.file}:${d.line} ${d.code} "${d.message}"`;
    require(CODES.has(d.code), `unknown code: ${where}`);
    require(d.severity === severityOfCode(d.code as DiagnosticCode), `wrong severity: ${where}`);
    require(typeof d.message === 'string' && d.message.trim().length > 0, `empty message: ${where}`);
    require(Number.isInteger(d.line) && d.line >= 0, `bad line: ${where}`);
    const lines = lineCounts.get(posix.normalize(d.file));
    if (d.line === 0) {
      require(WHOLE_FILE_CODES.has(d.code), `line 0 for a problem inside a file: ${where}`);
    } else {
      require(lines !== undefined, `diagnostic names a file the reader was not given: ${where}`);
      require(d.line <= lines!, `line beyond the end of the file: ${where}`);
    }
    require(formatDiagnostic(d)[0]!.startsWith(d.file), `formatDiagnostic lost the file: ${where}`);
    if (d.severity === 'error') errors++;
  }
  require(result.ok === (errors === 0), `ok=${result.ok} with ${errors} errors`);
  return result;
}
