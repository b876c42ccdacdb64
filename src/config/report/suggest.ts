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

/**
 * Recent answers: a generated configuration (a ~SEQ over a misspelt keyword) asks the same question
 * thousands of times, at tens of microseconds each. Small and cleared when full, so it cannot grow
 * with what a reload brings.
 */
const recentMatches = new Map<string, string | null>();
const RECENT_MATCHES_MAX = 256;

/** The closest candidate, or null when nothing is plausibly what was meant. Exact-but-for-case wins. */
export function closestMatch(word: string, candidates: Iterable<string>): string | null {
  const list = [...candidates];
  const key = `${word}\u0000${list.join('\u0000')}`;
  const known = recentMatches.get(key);
  if (known !== undefined) return known;
  const match = searchClosest(word, list);
  if (recentMatches.size >= RECENT_MATCHES_MAX) recentMatches.clear();
  recentMatches.set(key, match);
  return match;
}

function searchClosest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  const limit = threshold(word);
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const candidateLower = candidate.toLowerCase();
    if (candidateLower === lower) return candidate;
    // The distance is at least the difference in length: skip what cannot be accepted or win, so a
    // long word (or thousands of unknown ones) does not cost a full distance table per candidate.
    const lengthGap = Math.abs(candidateLower.length - lower.length);
    if (lengthGap > limit || lengthGap >= bestDistance) continue;
    const distance = editDistance(lower, candidateLower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= limit ? best : null;
}

/** `did you mean 'priority'?`, noting when only the letter case differs. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  if (match === null) return undefined;
  return match.toLowerCase() === word.toLowerCase()
    ? `did you mean '${match}'? keywords and values are case-sensitive`
    : `did you mean '${match}'?`;
}
