// Small, pure statistics for the benchmark tables: order statistics on a handful of samples.

export interface Summary {
  count: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

/** Nearest-rank quantile (q in 0..1) of an ascending array; NaN for an empty one. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The median of an odd count is the middle sample; of an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0]!,
    median: median(sorted),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Successive differences of ascending timestamps. */
export function intervals(timestamps: readonly number[]): number[] {
  const result: number[] = [];
  for (let i = 1; i < timestamps.length; i++) result.push(timestamps[i]! - timestamps[i - 1]!);
  return result;
}

/** `a / b` to two decimals, or an em dash when it means nothing (missing value, zero divisor). */
export function formatRatio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return '—';
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  return (a / b).toFixed(2);
}
