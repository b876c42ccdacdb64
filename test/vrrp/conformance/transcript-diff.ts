// Comparing an expected transcript with the replayed one. Lines are compared as JSON values (key
// order and spacing in a hand-edited file do not matter); a mismatch is shown as a line diff in
// the file's own words, `-` for expected and `+` for what the replay produced, with context.

const CONTEXT_LINES = 2;

/** JSON text with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

function canonicalLine(line: string, where: string): string {
  try {
    return canonicalJson(JSON.parse(line));
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
}

/** The file's lines; a blank line in the middle is an error (reported as not JSON). */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type Edit = { kind: ' ' | '-' | '+'; text: string; expectedLine?: number };

/** Longest-common-subsequence line diff; transcripts are a few hundred lines at most. */
function lineDiff(expected: string[], actual: string[], same: (i: number, j: number) => boolean): Edit[] {
  const n = expected.length;
  const m = actual.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = same(i, j) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(i, j)) {
      edits.push({ kind: ' ', text: expected[i]!, expectedLine: i + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // On a tie the expected line goes first: `-` above `+` reads as "this became that".
      edits.push({ kind: '-', text: expected[i]!, expectedLine: i + 1 });
      i++;
    } else {
      edits.push({ kind: '+', text: actual[j]! });
      j++;
    }
  }
  return edits;
}

/** Only the changed lines and a little context around them. */
function render(edits: Edit[]): string {
  const keep = edits.map((_edit, index) =>
    edits
      .slice(Math.max(0, index - CONTEXT_LINES), index + CONTEXT_LINES + 1)
      .some((near) => near.kind !== ' '),
  );
  const out: string[] = [];
  edits.forEach((edit, index) => {
    if (!keep[index]) {
      if (out.at(-1) !== '  ...') out.push('  ...');
      return;
    }
    const line = edit.expectedLine === undefined ? '    ' : String(edit.expectedLine).padStart(4);
    out.push(`${edit.kind} ${line} ${edit.text}`);
  });
  return out.join('\n');
}

/** null when the transcripts agree; otherwise a readable diff (line numbers are the expected file's). */
export function diffTranscripts(
  expectedText: string,
  actualText: string,
  expectedFile: string,
): string | null {
  const expected = linesOf(expectedText);
  const actual = linesOf(actualText);
  const expectedCanonical = expected.map((line, i) => canonicalLine(line, `${expectedFile}:${i + 1}`));
  const actualCanonical = actual.map((line, i) => canonicalLine(line, `replay line ${i + 1}`));
  const same = (i: number, j: number): boolean => expectedCanonical[i] === actualCanonical[j];
  if (expected.length === actual.length && expected.every((_, i) => same(i, i))) return null;
  return render(lineDiff(expected, actual, same));
}
