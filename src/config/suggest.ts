// "Did you mean …?" for misspelt keywords, states and names: optimal-string-alignment distance
// (Levenshtein plus adjacent transpositions, the commonest typing slip), with case differences
// reported as such because keepalived keywords are case-sensitive.

export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] as number;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Distances up to a third of the word (at least 2) are plausible slips; beyond that, suggestions mislead. */
function threshold(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/** The closest candidate, or null when nothing is plausibly what was meant. Exact-but-for-case wins. */
export function closestMatch(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= threshold(word) ? best : null;
}

/** `did you mean 'priority'?`, noting when only the letter case differs. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  if (match === null) return undefined;
  return match.toLowerCase() === word.toLowerCase()
    ? `did you mean '${match}'? keywords and values are case-sensitive`
    : `did you mean '${match}'?`;
}
