// One calibration of the Gaussian copula of a pool's error indicators, and its two beta predictions.
// The same function serves the point estimate and every bootstrap replicate (item weights = resample
// multiplicities), so "recompute everything that depends on the items" is true by construction.
import { allWrongCount } from "./cofailure.js";
import { eigenClip } from "./eigen-clip.js";
import { singleFactorMinres } from "./factor.js";
import { nearestCorrelation } from "./nearest-correlation.js";
import { mvnOrthantProbability, type OrthantOptions } from "./orthant.js";
import { singleFactorAllWrongFast } from "./single-factor-beta.js";
import { tetrachoricMatrix } from "./tetrachoric.js";
import { itemTotal, type ErrorBits, type ItemWeights } from "./verdict-bits.js";

/**
 * How the tetrachoric matrix becomes a correlation matrix: "higham", the nearest correlation matrix (Higham 2002,
 * as Matrix::nearPD); "clip", eigenvalue clipping as psych::cor.smooth (the matrix is left alone when it is
 * positive definite).
 */
export type CopulaRepair = "higham" | "clip";

export interface CopulaCoreOptions {
  weights?: ItemWeights;
  /** Zero-cell correction of the tetrachorics (psych's `correct`): an empty 2x2 cell counts this much; 0 = none. Default 0.5. */
  correction?: number;
  /** Default "higham". */
  repair?: CopulaRepair;
  /** Tetrachoric matrix (M x M) whose entries start each pair's Newton solve: the point estimate, for replicates. */
  warmStart?: ArrayLike<number>;
  /** The thresholds the warm matrix was fitted at (the point estimate's): each start becomes a first-order prediction. */
  warmThresholds?: ArrayLike<number>;
  /** Orthant options for the full copula; null skips it (single-factor-only bootstrap replicates). */
  full: OrthantOptions | null;
  /**
   * Minres start for bootstrap replicates, per model (length M; NaN for a model = start cold): the point
   * estimate's loadings. The descent converges to the same minimiser to its tolerance (1e-12) and skips the
   * eigendecomposition of the principal-component start. (The nearest-correlation repair is not warm
   * started: Dykstra's iteration converges linearly, so a start near the solution saved ~5% of the
   * iterations on the real pools while moving the result by up to 4e-7; it runs cold, exactly as nearPD.)
   */
  loadingsWarmStart?: ArrayLike<number>;
  /**
   * Start of the (Anderson-accelerated) repair for bootstrap replicates, per model (NaN = none): the point
   * estimate's `repairDiagonal`. The repair converges to the same matrix from any start; a start near the
   * solution takes fewer eigendecompositions. Given this, the repair's eigenvalue diagnostics (minimum eigenvalue
   * before and after, which only the point estimate reports) are skipped.
   */
  repairWarmStart?: ArrayLike<number>;
}

export interface CopulaCore {
  /** Models with a finite threshold (0 < error rate < 1), the ones the copula is fitted on. */
  active: number[];
  thresholds: Float64Array;
  /** Raw tetrachoric matrix (M x M, NaN for models without error variance). */
  tetrachoric: Float64Array;
  correctedPairs: number;
  /** Nearest-correlation repair of the active block, embedded in M x M (NaN rows for inactive models). */
  repaired: Float64Array;
  mineigBefore: number;
  mineigAfter: number;
  /** The repair's converged diagonal of Dykstra's R per model (NaN for inactive models): a warm start for replicates. */
  repairDiagonal: Float64Array;
  loadings: Float64Array;
  factorRmsResidual: number;
  allWrong: number;
  beta: number;
  beta1f: number;
  betaFull: { value: number; error: number; points: number } | null;
  /** observed / copula beta; NaN when the copula beta is 0 (a never-wrong model: both betas are 0). */
  ratioSf: number;
  ratioFull: number;
}

/**
 * Degenerate models are handled by what they do to the all-wrong event, not by fudging their margins:
 * a model that is always wrong (tau = +inf) never prevents an all-wrong item, so it drops out of the
 * copula; a model that is never wrong (tau = -inf) makes beta = 0 exactly, observed and predicted alike
 * (the ratio is then undefined and reported as NaN).
 */
export function fitCopula(bits: ErrorBits, options: CopulaCoreOptions): CopulaCore {
  const M = bits.models;
  const n = itemTotal(bits, options.weights);
  const tetra = tetrachoricMatrix(bits, {
    weights: options.weights, warmStart: options.warmStart, warmThresholds: options.warmThresholds, correction: options.correction,
  });
  const thresholds = tetra.thresholds;
  const allWrong = allWrongCount(bits, { weights: options.weights });
  const beta = allWrong / n;
  const active: number[] = [];
  let neverWrong = false;
  for (let m = 0; m < M; m++) {
    if (thresholds[m] === -Infinity) neverWrong = true;
    else if (Number.isFinite(thresholds[m])) active.push(m);
  }
  const A = active.length;
  const repaired = new Float64Array(M * M).fill(NaN);
  const repairDiagonal = new Float64Array(M).fill(NaN);
  const loadings = new Float64Array(M).fill(NaN);
  const base = {
    active, thresholds, tetrachoric: tetra.matrix, correctedPairs: tetra.correctedPairs, repaired, repairDiagonal, loadings, allWrong, beta,
  };
  if (neverWrong || A === 0) {
    return {
      ...base, mineigBefore: NaN, mineigAfter: NaN, factorRmsResidual: NaN,
      beta1f: neverWrong ? 0 : 1, betaFull: { value: neverWrong ? 0 : 1, error: 0, points: 0 },
      ratioSf: neverWrong ? NaN : beta, ratioFull: neverWrong ? NaN : beta,
    };
  }
  const sub = new Float64Array(A * A);
  for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) sub[a * A + b] = a === b ? 1 : tetra.matrix[active[a] * M + active[b]];
  // Anderson-accelerated Dykstra (the same limit as nearPD, closer to it than nearPD at its own tolerance):
  // 2-3x fewer eigendecompositions on the real pools. Point estimate and replicates alike, so it is one statistic.
  const start = options.repairWarmStart ? Float64Array.from(active, (m) => options.repairWarmStart![m]!) : undefined;
  const near = (options.repair ?? "higham") === "clip"
    ? { ...eigenClip(sub, A), diagonal: undefined }
    : nearestCorrelation(sub, A, { accelerate: "anderson", initialDiagonal: start, diagnostics: start === undefined });
  const R = near.matrix;
  if (near.diagonal) for (let a = 0; a < A; a++) repairDiagonal[active[a]] = near.diagonal[a]!;
  for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) repaired[active[a] * M + active[b]] = R[a * A + b];
  const factor = singleFactorMinres(R, A, { start: loadingsStart(options.loadingsWarmStart, active) });
  const tau = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    tau[a] = thresholds[active[a]];
    loadings[active[a]] = factor.loadings[a];
  }
  const pairs = (A * (A - 1)) / 2;
  const factorRmsResidual = pairs > 0 ? Math.sqrt(factor.residualSumSquares / pairs) : 0;
  // The mode-bracketed quadrature: equal to the adaptive reference singleFactorAllWrong to ~1e-13 relative.
  const beta1f = singleFactorAllWrongFast(tau, factor.loadings);
  // The control variate's one-factor loadings are this fit's own (the orthant would otherwise refit minres to R).
  const betaFull = options.full ? mvnOrthantProbability(tau, R, { loadings: factor.loadings, ...options.full }) : null;
  return {
    ...base,
    mineigBefore: near.minEigenBefore,
    mineigAfter: near.minEigenAfter,
    factorRmsResidual,
    beta1f,
    betaFull: betaFull ? { value: betaFull.value, error: betaFull.error, points: betaFull.points } : null,
    ratioSf: beta1f > 0 ? beta / beta1f : NaN,
    ratioFull: betaFull && betaFull.value > 0 ? beta / betaFull.value : NaN,
  };
}

/** The start for the active models, or undefined (cold start) when any of them has none. */
function loadingsStart(perModel: ArrayLike<number> | undefined, active: number[]): Float64Array | undefined {
  if (!perModel) return undefined;
  const out = new Float64Array(active.length);
  for (let a = 0; a < active.length; a++) {
    const v = perModel[active[a]]!;
    if (!Number.isFinite(v)) return undefined;
    out[a] = v;
  }
  return out;
}
