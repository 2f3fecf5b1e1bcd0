// Exact (Clopper–Pearson) binomial confidence bounds (the router-gain certificate built on them: router-certificate.ts).
import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";

export type IntervalSide = "two-sided" | "upper" | "lower";

export interface ClopperPearsonOptions {
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /**
   * "two-sided": [lower, upper] with a/2 in each tail; "upper": one-sided [0, upper];
   * "lower": one-sided [lower, 1]. Default "two-sided".
   */
  side?: IntervalSide;
}

export interface Interval {
  lower: number;
  upper: number;
}

function checkCounts(x: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) throw new RangeError(`x must be an integer in [0, n], got ${x}`);
}

/**
 * Clopper & Pearson (1934) exact interval for a binomial proportion with x successes of n, from
 * Beta quantiles (the same numbers as R's binom.test(x, n)$conf.int):
 *   two-sided: lower = B(a/2; x, n-x+1), upper = B(1-a/2; x+1, n-x), a = 1 - level;
 *   one-sided: the same with a in place of a/2, the other end at 0 or 1;
 *   lower = 0 when x = 0 and upper = 1 when x = n.
 */
export function clopperPearson(x: number, n: number, options: ClopperPearsonOptions = {}): Interval {
  checkCounts(x, n);
  const level = options.level ?? 0.95;
  const side = options.side ?? "two-sided";
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  const tail = side === "two-sided" ? alpha / 2 : alpha;
  const lower = side === "upper" || x === 0 ? 0 : betaQuantile(tail, x, n - x + 1);
  const upper = side === "lower" || x === n ? 1 : betaQuantile(1 - tail, x + 1, n - x);
  return { lower, upper };
}
