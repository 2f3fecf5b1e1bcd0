// The delete-one jackknife (Quenouille 1956; Tukey 1958; Efron & Tibshirani 1993, ch. 11) with a Student-t
// interval, for statistics whose sampling unit is not the item: the copula ratios with models as the unit
// (leave one model out), where the item bootstrap says nothing about which models happen to be in the pool.
//   theta_(i) = statistic without unit i,  theta_(.) = mean of theta_(i),  n units
//   se   = sqrt((n - 1) / n * sum_i (theta_(i) - theta_(.))^2)
//   bias = (n - 1) (theta_(.) - theta)
//   interval = theta -+ t_{n-1, (1+level)/2} se                      (scale "identity")
//            = exp(log theta -+ t se_log), se_log from log theta_(i)  (scale "log", for positive ratios)
// For the mean, se is s / sqrt(n) and the interval is Student's t interval (R: t.test(x)$conf.int), the
// closed form the tests check.
import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";

/** Quantile of Student's t with `df` degrees of freedom (R's qt(p, df)), from the beta quantile:
 * P(|T| > t) = I_{df / (df + t^2)}(df / 2, 1 / 2). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  const tail = p > 0.5 ? 1 - p : p;
  const x = betaQuantile(2 * tail, df / 2, 0.5);
  const t = Math.sqrt((df * (1 - x)) / x);
  return p > 0.5 ? t : -t;
}

export interface JackknifeInterval {
  /** The statistic on all units (the interval's centre). */
  estimate: number;
  /** Number of units n (leave-one-out values). */
  n: number;
  /** Jackknife standard error, on the interval's scale (log scale for "log"). */
  se: number;
  /** Jackknife bias estimate (n - 1)(theta_(.) - theta), on the original scale. */
  bias: number;
  lower: number;
  upper: number;
  level: number;
  scale: "identity" | "log";
}

/**
 * The jackknife interval of `estimate` from its leave-one-out values. Returns null when it is undefined: fewer
 * than two units, a non-finite value, or (scale "log") a value that is not positive.
 */
export function jackknifeInterval(
  estimate: number, leaveOneOut: ArrayLike<number>, options: { level?: number; scale?: "identity" | "log" } = {},
): JackknifeInterval | null {
  const level = options.level ?? 0.95;
  const scale = options.scale ?? "identity";
  if (!(level > 0 && level < 1)) throw new RangeError(`jackknifeInterval: level must be in (0, 1), got ${level}`);
  const n = leaveOneOut.length;
  if (n < 2 || !Number.isFinite(estimate)) return null;
  const values = Array.from(leaveOneOut);
  if (values.some((v) => !Number.isFinite(v))) return null;
  if (scale === "log" && (estimate <= 0 || values.some((v) => v <= 0))) return null;
  const f = scale === "log" ? Math.log : (x: number) => x;
  const g = values.map(f);
  const mean = g.reduce((a, b) => a + b, 0) / n;
  const ss = g.reduce((a, b) => a + (b - mean) ** 2, 0);
  const se = Math.sqrt(((n - 1) / n) * ss);
  const t = studentTQuantile((1 + level) / 2, n - 1);
  const centre = f(estimate);
  const lo = centre - t * se, hi = centre + t * se;
  const rawMean = values.reduce((a, b) => a + b, 0) / n;
  return {
    estimate, n, se, bias: (n - 1) * (rawMean - estimate),
    lower: scale === "log" ? Math.exp(lo) : lo,
    upper: scale === "log" ? Math.exp(hi) : hi,
    level, scale,
  };
}
