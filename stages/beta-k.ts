// `beta-k`: how beta falls as models are added. Observed beta of the best-k models (accuracy order) and of
// random k-subsets, against what the calibrated copulas predict for the same sub-pools. The predictions
// are the fitted full-pool law marginalised to the subset (sub-vector of thresholds and loadings,
// sub-matrix of R): no refit per subset, so the curve shows the copula's own account of diversification.
import { z } from "zod";
import { defineStage, resourceLimit } from "../engine/types.js";
import { allWrongRate, allWrongRatePrefixes } from "../stats/cofailure.js";
import { fullCopulaCurve } from "../stats/beta-k-curve.js";
import { quantileSorted } from "../stats/quantile.js";
import { rngStream } from "../stats/rng.js";
import { singleFactorAllWrongFast } from "../stats/single-factor-beta.js";
import { packErrors } from "../stats/verdict-bits.js";
import { BetaKCurve, type BetaKPoint } from "../core/beta-k-curve.js";
import { fitCopula } from "../stats/copula.js";
import { PoolMatrix } from "../core/pool-matrix.js";

const Params = z.object({
  /** Random k-subsets per k for the observed mean and 5–95% band. */
  subsets: resourceLimit(z.number().int().positive(), 100_000, "random subsets per k").default(200),
  /** Random subsets per k on which the single-factor prediction is averaged (a 1-D integral each). */
  sf_subsets: resourceLimit(z.number().int().nonnegative(), 10_000, "single-factor subsets per k").default(20),
  /** k values at which the full copula (an orthant integral in k dimensions) is evaluated; default a near-geometric grid plus M. */
  full_grid: z.array(z.number().int().positive()).optional(),
  orthant: z.object({
    abs_eps: z.number().positive().default(5e-5),
    max_points: resourceLimit(z.number().int().positive(), 20_000_000, "quasi-Monte Carlo points").default(200_000),
  }).default({ abs_eps: 5e-5, max_points: 200_000 }),
});
type Params = z.infer<typeof Params>;

const DEFAULT_GRID = [1, 2, 3, 5, 8, 12, 17, 25, 35, 50, 70];

/** Partial Fisher–Yates: k distinct indices of 0..M-1, in draw order. */
function randomSubset(rng: { nextInt(n: number): number }, M: number, k: number, scratch: Int32Array): Int32Array {
  for (let i = 0; i < M; i++) scratch[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(M - i);
    const t = scratch[i]; scratch[i] = scratch[j]; scratch[j] = t;
  }
  return scratch.slice(0, k);
}

export function betaKCurve(matrix: PoolMatrix, params: Params, seed: number, progress: (d: number, t: number) => void = () => {}): BetaKCurve {
  const M = matrix.models.length;
  if (M === 0) throw new Error(`beta-k ${matrix.pool}: empty pool`);
  const notes: string[] = [];
  const bits = packErrors(matrix.correct);
  const order = Array.from({ length: M }, (_, m) => m);
  const best = allWrongRatePrefixes(bits, order);
  const fit = fitCopula(bits, { full: null });
  const tau = fit.thresholds;
  const lambda = fit.loadings;
  // Same rule as the copula fit: an always-wrong model (tau = +inf) never stops an all-wrong item and drops
  // out; a never-wrong one (tau = -inf) makes every prediction 0. Only a pool of always-wrong models has no copula.
  const copulaOk = fit.active.length > 0 || tau.some((t) => t === -Infinity);
  if (fit.active.length < M) notes.push(`${M - fit.active.length} model(s) never or always wrong: handled as in the copula stage`);
  const activeOf = (idx: ArrayLike<number>): number[] | null => {
    const out: number[] = [];
    for (const m of Array.from(idx)) {
      if (tau[m] === -Infinity) return null;
      if (Number.isFinite(tau[m])) out.push(m);
    }
    return out;
  };
  const sfOf = (idx: ArrayLike<number>) => {
    const act = activeOf(idx);
    if (act === null) return 0;
    // The mode-bracketed quadrature (~1e-13 relative to the adaptive reference): M x (sf_subsets + 1) integrals.
    return act.length === 0 ? 1 : singleFactorAllWrongFast(act.map((m) => tau[m]), act.map((m) => lambda[m]));
  };
  const grid = new Set((params.full_grid ?? [...DEFAULT_GRID, M]).filter((k) => k <= M));
  notes.push(`full copula evaluated at k = ${[...grid].sort((a, b) => a - b).join(", ")} (Genz–Bretz QMC with minimax tilting, abs_eps ${params.orthant.abs_eps}, at most ${params.orthant.max_points} points)`);
  // The best-k sub-pools' full copulas: the active models of the first k are a prefix of the active models (rows are in
  // accuracy order), so the grid is one curve over active-prefix lengths (stats/beta-k-curve.ts).
  const activeAll = fit.active;
  const R = new Float64Array(activeAll.length * activeAll.length);
  for (const [a, ma] of activeAll.entries()) for (const [b, mb] of activeAll.entries()) R[a * activeAll.length + b] = fit.repaired[ma * M + mb]!;
  const prefixOf = (k: number) => activeAll.filter((m) => m < k).length;
  const neverWrongBefore = (k: number) => order.slice(0, k).some((m) => tau[m] === -Infinity);
  const wanted = [...new Set([...grid].filter((k) => copulaOk && !neverWrongBefore(k)).map(prefixOf).filter((a) => a > 0))].sort((a, b) => a - b);
  const full = new Map(fullCopulaCurve(Float64Array.from(activeAll, (m) => tau[m]!), R, wanted, {
    absEps: params.orthant.abs_eps, maxPoints: params.orthant.max_points, seed,
  }).map((p) => [p.k, p]));
  const points: BetaKPoint[] = [];
  const scratch = new Int32Array(M);
  for (let k = 1; k <= M; k++) {
    // One stream per k: the curve at k does not depend on how many subsets other k drew.
    const rng = rngStream(seed, k);
    const obs = new Float64Array(params.subsets);
    let sfSum = 0;
    for (let s = 0; s < params.subsets; s++) {
      const idx = randomSubset(rng, M, k, scratch);
      obs[s] = allWrongRate(bits, { models: idx });
      if (copulaOk && s < params.sf_subsets) sfSum += sfOf(idx);
    }
    let mean = 0;
    for (const v of obs) mean += v;
    mean /= obs.length;
    obs.sort();
    const bestIdx = order.slice(0, k);
    let fullBest: number | null = null, fullBestError: number | null = null;
    if (copulaOk && grid.has(k)) {
      const a = prefixOf(k);
      const res = neverWrongBefore(k) ? { value: 0, error: 0 } : a === 0 ? { value: 1, error: 0 } : full.get(a)!;
      fullBest = res.value;
      fullBestError = res.error;
    }
    points.push({
      k,
      best: best[k - 1],
      randomMean: mean,
      randomLow: quantileSorted(obs, 0.05),
      randomHigh: quantileSorted(obs, 0.95),
      sfBest: copulaOk ? sfOf(bestIdx) : null,
      sfRandomMean: copulaOk && params.sf_subsets > 0 ? sfSum / Math.min(params.sf_subsets, params.subsets) : null,
      fullBest,
      fullBestError,
    });
    progress(k, M);
  }
  const k5 = Math.min(5, M);
  const betaM = best[M - 1];
  const flatten = best[k5 - 1] > 0 ? betaM / best[k5 - 1] : null;
  let plateauK = M;
  for (let k = 1; k <= M; k++) if (betaM >= 0.9 * best[k - 1]) { plateauK = k; break; }
  return BetaKCurve.parse({
    pool: matrix.pool, models: matrix.models, nItems: matrix.items.length, subsets: params.subsets, points, flatten, plateauK, notes,
  });
}

export default defineStage({
  type: "beta-k",
  description: "beta of the best-k and of random k-subsets for k = 1..M, observed and under the single-factor and full Gaussian copulas",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the pool matrix from `pool`" },
  },
  outputs: {
    curve: { file: "curve.json", kind: "json", schema: BetaKCurve, description: "beta(k) curves" },
  },
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix;
    const curve = betaKCurve(matrix, ctx.params, ctx.seed, (d, t) => ctx.progress(d, t, "beta(k)"));
    for (const n of curve.notes) ctx.log(n);
    const p = matrix.pool;
    const k5 = Math.min(5, curve.models.length);
    if (curve.flatten !== null) {
      ctx.publish(`${p}.betak.flatten`, curve.flatten, {
        format: "ratio:2",
        description: `beta of all ${curve.models.length} models / beta of the best ${k5} (${p}): the share of the best-${k5} all-wrong rate that adding every other model leaves`,
      });
    } else ctx.warn(`${p}: beta of the best ${k5} models is 0; ${p}.betak.flatten not published`);
    ctx.publish(`${p}.betak.plateau`, curve.plateauK, {
      format: "int", description: `smallest k such that adding all remaining models of ${p} lowers beta by less than 10%`,
    });
    return { curve };
  },
});
