/**
 * Sample quantiles for bootstrap intervals.
 * Definition: Hyndman & Fan (1996) type 7 — R's `quantile(x, p)` default: with sorted x_(1..n),
 * h = (n-1) p, Q(p) = x_(floor h + 1) + (h - floor h) (x_(floor h + 2) - x_(floor h + 1)).
 */

/** Sorted copy (ascending, numeric). NaN is rejected: a NaN replicate means a broken statistic. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(values);
  for (const v of s) if (Number.isNaN(v)) throw new RangeError("quantile: NaN among the values");
  return s.sort();
}

/** Type-7 quantile of already-sorted values, p in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile: no values");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0,1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Type-7 quantiles of unsorted values at several probabilities. */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const s = sortedCopy(values);
  return ps.map((p) => quantileSorted(s, p));
}
