// The beta(k) curve of one pool: observed all-wrong rate of the best-k models and of random k-subsets,
// and what the single-factor and full Gaussian copulas predict for the same subsets.
import { z } from "zod";

export const BetaKPoint = z.object({
  k: z.number().int().positive(),
  /** Observed beta of the k most accurate models. */
  best: z.number(),
  /** Observed beta over random k-subsets: mean and 5% / 95% quantiles. */
  randomMean: z.number(),
  randomLow: z.number(),
  randomHigh: z.number(),
  /** Single-factor copula beta of the best-k models, and its mean over the same random subsets. */
  sfBest: z.number().nullable(),
  sfRandomMean: z.number().nullable(),
  /** Full Gaussian copula beta of the best-k models (only at grid k), with its QMC error (3.5 SE). */
  fullBest: z.number().nullable(),
  fullBestError: z.number().nullable(),
});
export type BetaKPoint = z.infer<typeof BetaKPoint>;

export const BetaKCurve = z.object({
  pool: z.string(),
  models: z.array(z.string()),
  nItems: z.number().int(),
  subsets: z.number().int(),
  points: z.array(BetaKPoint),
  /** beta_best(M) / beta_best(min(5, M)): the share of the 5-model all-wrong rate the other models leave. */
  flatten: z.number().nullable(),
  /** Smallest k with beta_best(M) >= 0.9 beta_best(k): beyond it, all further models remove < 10% of all-wrong items. */
  plateauK: z.number().int(),
  notes: z.array(z.string()),
});
export type BetaKCurve = z.infer<typeof BetaKCurve>;

export const isBetaKCurve = (x: unknown): x is BetaKCurve =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { points?: unknown }).points) &&
  typeof (x as { pool?: unknown }).pool === "string";

/** Long-format rows for vega-lite: one row per (k, series) with an optional band. */
export function curveRows(curve: BetaKCurve): { pool: string; k: number; series: string; beta: number; low?: number; high?: number }[] {
  const rows: { pool: string; k: number; series: string; beta: number; low?: number; high?: number }[] = [];
  for (const p of curve.points) {
    rows.push({ pool: curve.pool, k: p.k, series: SERIES.best, beta: p.best });
    rows.push({ pool: curve.pool, k: p.k, series: SERIES.random, beta: p.randomMean, low: p.randomLow, high: p.randomHigh });
    if (p.sfBest !== null) rows.push({ pool: curve.pool, k: p.k, series: SERIES.sf, beta: p.sfBest });
    if (p.fullBest !== null) rows.push({ pool: curve.pool, k: p.k, series: SERIES.full, beta: p.fullBest });
  }
  return rows;
}

export const SERIES = {
  best: "observed, best k",
  random: "observed, random k (mean, 5–95%)",
  sf: "single-factor copula, best k",
  full: "full Gaussian copula, best k (computed at the dots)",
} as const;
