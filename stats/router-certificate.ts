// The router-gain certificate: an upper confidence bound on what any member-output policy (router, vote, cascade,
// answer-picking fusion) can add over the best single model of a pool, sound when the best is chosen on the same
// items it is scored on.
import { clopperPearson } from "./clopper-pearson.js";

/**
 * "bonferroni-in-sample": the best model is the in-sample best of M, so every model's accuracy is bounded at once
 * (Bonferroni over M); "pre-specified": one model fixed before seeing the data, bounded on its own.
 */
export type CertificateMethod = "bonferroni-in-sample" | "pre-specified";

export interface RouterGainBound<Method extends CertificateMethod = CertificateMethod> {
  method: Method;
  /** Total error probability of the statement; half is spent on beta, half on the best model's accuracy. */
  delta: number;
  /** Models in the pool (M). */
  nModels: number;
  /** Items every model gets wrong (K), of n items. */
  allWrong: number;
  n: number;
  /** One-sided Clopper–Pearson lower limit of beta at delta / 2. */
  betaLo: number;
  /**
   * Lower limit of the best model's accuracy: max_i of each model's one-sided Clopper–Pearson lower limit at
   * delta / (2M) (in-sample), or the fixed model's own at delta / 2 (pre-specified).
   */
  bestLo: number;
  /** One-sided error level of each accuracy limit: delta / (2M) or delta / 2. */
  accuracyAlpha: number;
  /** The model whose lower limit is bestLo: its correct count, and its index/name when the caller gave them. */
  model: { correct: number; index?: number; name?: string };
  /** (1 - betaLo) - bestLo: with probability >= 1 - delta no member-output policy gains more over the best model. */
  maxGain: number;
}

export interface CountsCertificateInput {
  /** K: items on which every model of the pool is wrong. */
  allWrong: number;
  /** n: items. */
  n: number;
  /** Correct count of the in-sample best model (the largest count). */
  bestCorrect: number;
  /** M: models the best was chosen from. */
  nModels: number;
  /** Total error probability; default 0.05. */
  delta?: number;
}

export interface PerModelCertificateInput {
  allWrong: number;
  n: number;
  /** Each model's correct count on the n items. */
  correct: ArrayLike<number>;
  /** Model names, parallel to `correct` (only carried into the result). */
  models?: readonly string[];
  delta?: number;
}

export interface PreSpecifiedCertificateInput {
  allWrong: number;
  n: number;
  /** Correct count of the model fixed before seeing the data. */
  correct: number;
  /** Models in the pool (only reported; no multiplicity correction). */
  nModels: number;
  name?: string;
  delta?: number;
}

function checkDelta(delta: number): number {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
  return delta;
}

/** One-sided Clopper–Pearson lower limit of x / n at error level alpha. */
const lowerLimit = (x: number, n: number, alpha: number): number => clopperPearson(x, n, { level: 1 - alpha, side: "lower" }).lower;

function bound<Method extends CertificateMethod>(method: Method, o: { allWrong: number; n: number; nModels: number; correct: number; delta: number; accuracyAlpha: number }, model: RouterGainBound["model"]): RouterGainBound<Method> {
  const betaLo = lowerLimit(o.allWrong, o.n, o.delta / 2);
  const bestLo = lowerLimit(o.correct, o.n, o.accuracyAlpha);
  return {
    method, delta: o.delta, nModels: o.nModels, allWrong: o.allWrong, n: o.n, betaLo, bestLo,
    accuracyAlpha: o.accuracyAlpha, model, maxGain: 1 - betaLo - bestLo,
  };
}

/**
 * Counts-only form. Soundness: with probability >= 1 - delta/2, betaLo <= beta (one-sided CP); with probability
 * >= 1 - delta/2, lower_i <= acc_i for every model at once (Bonferroni over M one-sided CP limits at delta/(2M)), so
 * bestLo = max_i lower_i <= max_i acc_i. On both events (1 - betaLo) - bestLo >= (1 - beta) - max_i acc_i, the most
 * a member-output policy can add over the best population model. The CP lower limit is increasing in the count, so
 * max_i lower_i is the lower limit of the largest count: the per-model counts are not needed.
 */
export function certifiedMaxGainFromCounts(input: CountsCertificateInput): RouterGainBound<"bonferroni-in-sample"> {
  const delta = checkDelta(input.delta ?? 0.05);
  const M = input.nModels;
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`nModels must be a positive integer, got ${M}`);
  return bound("bonferroni-in-sample", { ...input, correct: input.bestCorrect, nModels: M, delta, accuracyAlpha: delta / (2 * M) }, { correct: input.bestCorrect });
}

/** Per-model form: the same certificate from every model's correct count; names the model attaining bestLo. */
export function certifiedMaxGain(input: PerModelCertificateInput): RouterGainBound<"bonferroni-in-sample"> {
  const M = input.correct.length;
  if (M === 0) throw new RangeError("correct must list at least one model");
  if (input.models && input.models.length !== M) throw new RangeError(`models has ${input.models.length} names for ${M} counts`);
  const delta = checkDelta(input.delta ?? 0.05);
  const accuracyAlpha = delta / (2 * M);
  let best = 0;
  let bestLo = -Infinity;
  for (let i = 0; i < M; i++) {
    const lo = lowerLimit(input.correct[i]!, input.n, accuracyAlpha);
    if (lo > bestLo) { bestLo = lo; best = i; }
  }
  const model = { correct: input.correct[best]!, index: best, ...(input.models ? { name: input.models[best]! } : {}) };
  return bound("bonferroni-in-sample", { allWrong: input.allWrong, n: input.n, nModels: M, correct: model.correct, delta, accuracyAlpha }, model);
}

/**
 * A model fixed before seeing the data: its own one-sided CP lower limit at delta/2 (no multiplicity), and
 * lower_j <= acc_j <= max_i acc_i, so the bound covers the same population gain. Valid only if the choice did not
 * look at these items.
 */
export function preSpecifiedMaxGain(input: PreSpecifiedCertificateInput): RouterGainBound<"pre-specified"> {
  const delta = checkDelta(input.delta ?? 0.05);
  return bound("pre-specified", { ...input, delta, accuracyAlpha: delta / 2 }, { correct: input.correct, ...(input.name !== undefined ? { name: input.name } : {}) });
}

export type OverheadVerdict =
  | { kind: "cannot-pay"; maxGain: number; overhead: number; text: string }
  | { kind: "might-pay"; maxGain: number; overhead: number; text: string };

/**
 * Compares the certified gain with the overhead (cost of the router, vote or cascade, in accuracy points as a
 * fraction): below it, no member-output policy can pay for itself; at or above it, one might (the certificate is an
 * upper bound, not a promise).
 */
export function overheadVerdict(maxGain: number, overhead: number): OverheadVerdict {
  if (!Number.isFinite(overhead) || overhead < 0) throw new RangeError(`overhead must be a finite number >= 0, got ${overhead}`);
  return maxGain < overhead
    ? { kind: "cannot-pay", maxGain, overhead, text: "no member-output policy (router, vote, cascade) over these models can pay for itself" }
    : { kind: "might-pay", maxGain, overhead, text: "one might: the certified gain does not rule out a member-output policy that pays for itself" };
}
