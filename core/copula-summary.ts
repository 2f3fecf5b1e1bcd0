// What the `copula` stage writes: the calibrated Gaussian copula of a pool (and of its best-k sub-pool),
// its beta predictions, the underpricing ratios and their bootstrap intervals. Matrices are row-major
// M x M arrays; null stands for NaN (a model without error variance has no tetrachoric correlation).
import { z } from "zod";

const Num = z.number().nullable();
const Interval = z.object({ lower: Num, upper: Num });

export const BootstrapSummary = z.object({
  replicates: z.number().int(),
  level: z.number(),
  method: z.string(),
  /** Replicates whose statistic was undefined (e.g. a resample where some model is never wrong). */
  failed: z.number().int(),
  beta: Interval,
  beta1f: Interval,
  ratioSf: Interval,
  /** Bootstrap standard errors. */
  seRatioSf: Num,
  /** Present when B_full > 0: the full-copula bootstrap (fewer replicates, each an orthant integral). */
  full: z.object({
    replicates: z.number().int(),
    failed: z.number().int(),
    betaFull: Interval,
    ratioFull: Interval,
    seRatioFull: Num,
  }).nullable(),
});

/** A ratio's model-clustered intervals (stats/copula-models.ts): models, not items, as the sampling unit. */
export const ModelClustered = z.object({
  /** Leave-one-model-out jackknife, log scale, Student t with M - 1 df. */
  jackknife: z.object({ lower: z.number(), upper: z.number(), se: z.number(), bias: z.number(), units: z.number().int() }).nullable(),
  /** Model bootstrap (distinct models of each draw), percentile. */
  bootstrap: z.object({ lower: z.number(), upper: z.number(), replicates: z.number().int(), failed: z.number().int(), meanModels: z.number() }).nullable(),
});
export type ModelClustered = z.infer<typeof ModelClustered>;

export const CopulaFit = z.object({
  models: z.array(z.string()),
  accuracies: z.array(z.number()),
  /** tau_m = Phi^-1(error rate of m). */
  thresholds: z.array(Num),
  tetrachoric: z.array(Num),
  correctedPairs: z.number().int(),
  /** R after the nearest-correlation repair (what both copulas use). */
  repaired: z.array(Num),
  mineigBefore: z.number(),
  mineigAfter: z.number(),
  loadings: z.array(Num),
  /** Root mean square of r_mn - lambda_m lambda_n over pairs: how well one factor explains R. */
  factorRmsResidual: z.number(),
  allWrong: z.number().int(),
  beta: z.number(),
  beta1f: z.number(),
  betaFull: z.object({ value: z.number(), error: z.number(), points: z.number().int() }),
  ratioSf: Num,
  ratioFull: Num,
  bootstrap: BootstrapSummary.nullable(),
  /** Present when the stage computed model-clustered intervals. */
  modelClustered: z.object({ ratioSf: ModelClustered, ratioFull: ModelClustered }).optional(),
});
export type CopulaFit = z.infer<typeof CopulaFit>;

export const CopulaSummary = z.object({
  pool: z.string(),
  nItems: z.number().int(),
  /** Copula of the whole pool. */
  full: CopulaFit,
  /** k of the best-k sub-pool actually used (M when the pool has fewer than k models). */
  k: z.number().int(),
  kRequested: z.number().int(),
  subset: CopulaFit,
  notes: z.array(z.string()),
  /** The calibration's conventions: zero-cell correction of the tetrachorics and the repair (absent: 0.5, higham). */
  conventions: z.object({ zeroCell: z.number(), repair: z.enum(["higham", "clip"]) }).optional(),
});
export type CopulaSummary = z.infer<typeof CopulaSummary>;

export const nanToNull = (xs: ArrayLike<number>): (number | null)[] => Array.from(xs, (x) => (Number.isFinite(x) ? x : null));
