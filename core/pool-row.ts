// One pool's row of the paper's pool table: what `cofailure` computes and `pool-summary` typesets.
import { z } from "zod";

const Interval = z.object({ lower: z.number(), upper: z.number() });

export const PoolRow = z.object({
  pool: z.string(),
  nItems: z.number().int(),
  nModels: z.number().int(),
  nProviders: z.number().int(),
  best: z.object({ model: z.string(), accuracy: z.number() }),
  /** Number of items every model gets wrong, and beta = allWrong / nItems. */
  allWrong: z.number().int(),
  beta: z.number(),
  cp90: Interval,
  cp95: Interval,
  /** One-sided Clopper–Pearson upper bounds on beta. */
  upper90OneSided: z.number(),
  upper95OneSided: z.number(),
  /** 1 - beta: the oracle router's accuracy (the ceiling of every member-output policy). */
  ceiling: z.number(),
  oracle: z.number(),
  headroom: z.number(),
  /**
   * Router-gain certificate at delta = 0.05 (stats/router-certificate.ts, method "bonferroni-in-sample"): with
   * probability >= 95% no member-output policy gains more than maxGain = (1 - betaLower) - bestAccuracyLower over
   * the best model, where betaLower is beta's one-sided Clopper–Pearson lower limit at delta/2 and bestAccuracyLower
   * the largest of the models' one-sided lower limits at delta/(2M) (the best is chosen on these items).
   */
  certificate95: z.object({
    method: z.literal("bonferroni-in-sample"),
    delta: z.number(),
    maxGain: z.number(),
    betaLower: z.number(),
    bestAccuracyLower: z.number(),
    /** 1 - betaLower: no member-output policy is more accurate, at that confidence. */
    ceilingUpper: z.number(),
  }),
  /** Mean pairwise phi coefficient of the error indicators (pairs with a constant model excluded). */
  rhoMean: z.number().nullable(),
  /** Plurality vote over normalised answers; null when the source has no short answers. */
  voteAccuracy: z.number().nullable(),
  /** mean_i prod_m (1 - p_im) with per-item pass rates (sample_policy "expected"), else null. */
  betaExpected: z.number().nullable(),
  samplePolicy: z.string(),
});
export type PoolRow = z.infer<typeof PoolRow>;

export const isPoolRow = (x: unknown): x is PoolRow =>
  x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as { pool?: unknown }).pool === "string" &&
  typeof (x as { beta?: unknown }).beta === "number";
