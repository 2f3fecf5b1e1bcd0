// `copula`: calibrate a Gaussian copula to the pool's error indicators (thresholds + tetrachorics), predict
// beta with a single factor and with the full copula, and measure how far both underprice the observed
// all-wrong tail; bootstrap over items for intervals. Done for the whole pool and for its best-k models.
import { z } from "zod";
import { defineStage, type ParallelMap, type StageContext, resourceLimit } from "../engine/types.js";
import { packErrors } from "../stats/verdict-bits.js";
import { accuracy } from "../stats/cofailure.js";
import { bootstrapCopula, summarizeCopulaBootstrap, type CopulaBootstrapResult } from "../stats/copula-bootstrap.js";
import { CopulaBootstrapParams, CopulaReplicateBlock, assembleReplicates, matrixFingerprint, replicateInput, replicateSetting } from "../core/copula-replicates.js";
import { fitCopula } from "../stats/copula.js";
import { modelClusteredCopula, type ModelIntervals } from "../stats/copula-models.js";
import { CopulaSummary, nanToNull, type CopulaFit, type ModelClustered } from "../core/copula-summary.js";
import { PoolMatrix, selectModels } from "../core/pool-matrix.js";
import { Table } from "../core/table.js";

const Params = z.object({
  // k, B_sf, B_full, zero_cell, repair, boot_orthant, workers: shared with `copula-bootstrap`, whose blocks must match.
  ...CopulaBootstrapParams,
  level: z.number().gt(0).lt(1).default(0.9),
  method: z.enum(["percentile", "bca"]).default("percentile"),
  /** Model-clustered intervals of the ratios: leave-one-model-out jackknife, and B_models model-bootstrap replicates (0 = none). */
  jackknife: z.boolean().default(true),
  B_models: z.number().int().nonnegative().default(100),
  /** Orthant integration for the point estimate (Genz–Bretz QMC). */
  orthant: z.object({
    abs_eps: z.number().positive().default(2e-5),
    max_points: resourceLimit(z.number().int().positive(), 50_000_000, "quasi-Monte Carlo points").default(1_000_000),
  }).default({ abs_eps: 2e-5, max_points: 1_000_000 }),
});
type Params = z.infer<typeof Params>;

const zeroCellRule = (p: Params) =>
  (p.zero_cell > 0
    ? `Tetrachorics: psych::tetrachoric's rule — an empty cell of a pair's 2x2 error table is replaced by ${p.zero_cell}${p.zero_cell === 0.5 ? " (psych's default)" : ""} `
    : "Tetrachorics: no zero-cell correction (a pair with an empty 2x2 cell gets its boundary correlation) ") +
  "(thresholds stay at each model's own error rate); models never or always wrong have no tetrachoric and are " +
  "handled by what they do to the all-wrong event (always wrong: dropped; never wrong: beta = 0 exactly). " +
  (p.repair === "higham" ? "Repair: nearest correlation matrix (Higham 2002)." : "Repair: eigenvalue clipping (psych::cor.smooth; none when positive definite).");

/**
 * Point estimate + bootstrap of one (sub-)pool. `replicates`: the bootstrap's values drawn by `copula-bootstrap`
 * blocks (checked by the caller), summarised instead of drawn here — the same values, so the same intervals.
 */
async function analyse(
  matrix: PoolMatrix, params: Params, seed: number, label: string,
  progress: (done: number, total: number, label?: string) => void, parallel: ParallelMap, replicates?: number[][],
): Promise<{ fit: CopulaFit; boot: CopulaBootstrapResult | null }> {
  const bits = packErrors(matrix.correct);
  const conventions = { correction: params.zero_cell, repair: params.repair };
  const point = fitCopula(bits, {
    ...conventions, full: { absEps: params.orthant.abs_eps, maxPoints: params.orthant.max_points, seed },
  });
  const bootInput = {
    ...replicateInput({ correct: matrix.correct, point, params, seed, parallel, progress: (done, total) => progress(done, total, `${label} bootstrap`) }),
    level: params.level,
    method: params.method,
  };
  const boot = params.B_sf === 0 ? null
    : replicates ? summarizeCopulaBootstrap(bootInput, replicates) : await bootstrapCopula(bootInput);
  const acc = accuracy(bits);
  const fit: CopulaFit = {
    models: matrix.models,
    accuracies: Array.from(acc),
    thresholds: nanToNull(point.thresholds),
    tetrachoric: nanToNull(point.tetrachoric),
    correctedPairs: point.correctedPairs,
    repaired: nanToNull(point.repaired),
    mineigBefore: point.mineigBefore,
    mineigAfter: point.mineigAfter,
    loadings: nanToNull(point.loadings),
    factorRmsResidual: point.factorRmsResidual,
    allWrong: point.allWrong,
    beta: point.beta,
    beta1f: point.beta1f,
    betaFull: point.betaFull!,
    ratioSf: Number.isFinite(point.ratioSf) ? point.ratioSf : null,
    ratioFull: Number.isFinite(point.ratioFull) ? point.ratioFull : null,
    bootstrap: boot?.summary ?? null,
  };
  return { fit, boot };
}

/** The replicates drawn by `copula-bootstrap` blocks (one block, or a record of them), checked against this stage. */
function replicatesOf(stage: string, input: unknown, own: { matrix: PoolMatrix; seed: number; params: Params }) {
  if (input === undefined) return null;
  if (own.params.B_sf === 0) throw new Error(`${stage}: input "replicates" is given but params.B_sf is 0; remove the input or set B_sf`);
  const blocks = "whole" in (input as object) ? { "block-0": input as CopulaReplicateBlock } : input as Record<string, CopulaReplicateBlock>;
  const drawn = assembleReplicates(blocks, { stage, matrix: matrixFingerprint(own.matrix), seed: own.seed, setting: replicateSetting(own.params) });
  const k = Math.min(own.params.k, own.matrix.models.length);
  if ((drawn.subset === null) !== (k === own.matrix.models.length)) throw new Error(`${stage}: the replicate blocks ${drawn.subset ? "have" : "lack"} best-${k} values, which this pool ${drawn.subset ? "does not need" : "needs"}`);
  return drawn;
}

const intervalOf = (m: ModelIntervals, which: "ratioSf" | "ratioFull"): ModelClustered => ({
  jackknife: m.jackknife[which] ? { lower: m.jackknife[which]!.lower, upper: m.jackknife[which]!.upper, se: m.jackknife[which]!.se, bias: m.jackknife[which]!.bias, units: m.jackknife[which]!.n } : null,
  bootstrap: m.bootstrap && m.bootstrap[which] ? {
    lower: m.bootstrap[which]!.lower, upper: m.bootstrap[which]!.upper, replicates: m.bootstrap.replicates,
    failed: which === "ratioSf" ? m.bootstrap.failedSf : m.bootstrap.failedFull, meanModels: m.bootstrap.meanModels,
  } : null,
});

function publishModelClustered(ctx: StageContext, pool: string, suffix: string, fit: CopulaFit, level: number, M: number): void {
  const mc = fit.modelClustered;
  if (!mc) return;
  for (const [name, which, value] of [["sf", "ratioSf", fit.ratioSf], ["full", "ratioFull", fit.ratioFull]] as const) {
    const iv = mc[which];
    if (value === null || !iv) continue;
    if (iv.jackknife) {
      ctx.publish(`${pool}.ratio.${name}${suffix}.jackknife`, value, {
        format: "ratio:2", description: `${name === "sf" ? "single-factor" : "full-copula"} ratio with its leave-one-model-out jackknife interval (models as the unit), ${pool}${suffix}`,
        ci: { lower: iv.jackknife.lower, upper: iv.jackknife.upper, level, method: `leave-one-model-out jackknife over the ${M} models, log scale, Student t with ${M - 1} df` },
      });
    }
    if (iv.bootstrap) {
      ctx.publish(`${pool}.ratio.${name}${suffix}.modelboot`, value, {
        format: "ratio:2", description: `${name === "sf" ? "single-factor" : "full-copula"} ratio with its model-bootstrap interval (models resampled), ${pool}${suffix}`,
        ci: { lower: iv.bootstrap.lower, upper: iv.bootstrap.upper, level, method: `model bootstrap, percentile, B=${iv.bootstrap.replicates}, the distinct models of each draw (mean ${iv.bootstrap.meanModels.toFixed(1)} of ${M})` },
      });
    }
  }
}

function publishFit(ctx: StageContext, pool: string, suffix: string, fit: CopulaFit, what: string): void {
  const b = fit.bootstrap;
  const ci = (iv: { lower: number | null; upper: number | null } | undefined, method: string) =>
    iv && iv.lower !== null && iv.upper !== null ? { lower: iv.lower, upper: iv.upper, level: b!.level, method } : undefined;
  const bootMethod = b ? `bootstrap ${b.method}, items resampled` : "";
  ctx.publish(`${pool}.beta.sf${suffix}`, fit.beta1f, {
    format: "fixed:3", description: `single-factor Gaussian copula beta, ${what}`, ci: ci(b?.beta1f, `${bootMethod}, B=${b?.replicates}`),
  });
  ctx.publish(`${pool}.beta.full${suffix}`, fit.betaFull.value, {
    format: "fixed:3", description: `full Gaussian copula beta (Genz–Bretz QMC), ${what}`,
    mcError: fit.betaFull.error / 3.5, ci: ci(b?.full?.betaFull, `${bootMethod}, B=${b?.full?.replicates}`),
  });
  if (fit.ratioSf !== null) {
    ctx.publish(`${pool}.ratio.sf${suffix}`, fit.ratioSf, {
      format: "ratio:2", description: `underpricing ratio observed beta / single-factor beta, ${what}`,
      ci: ci(b?.ratioSf, `${bootMethod}, B=${b?.replicates}`),
    });
  } else ctx.warn(`${pool}${suffix}: single-factor beta is 0, ratio undefined (not published)`);
  if (fit.ratioFull !== null) {
    ctx.publish(`${pool}.ratio.full${suffix}`, fit.ratioFull, {
      format: "ratio:2", description: `underpricing ratio observed beta / full-copula beta, ${what}`,
      ci: ci(b?.full?.ratioFull, `${bootMethod}, B=${b?.full?.replicates}`),
      // Delta method: the QMC error of the denominator, carried into the ratio.
      mcError: (fit.ratioFull * fit.betaFull.error) / 3.5 / fit.betaFull.value,
    });
  } else ctx.warn(`${pool}${suffix}: full-copula beta is 0, ratio undefined (not published)`);
  if (Number.isFinite(fit.mineigBefore)) {
    ctx.publish(`${pool}.mineig.before${suffix}`, fit.mineigBefore, { format: "fixed:3", description: `smallest eigenvalue of the tetrachoric matrix before the nearest-correlation repair, ${what}` });
    ctx.publish(`${pool}.mineig.after${suffix}`, fit.mineigAfter, { format: "sci:2", description: `smallest eigenvalue after the repair (Higham 2002), ${what}` });
  }
}

function loadingsTable(pool: string, fit: CopulaFit): Table {
  return {
    title: `Single-factor copula of pool ${pool}`,
    caption: "Per model: accuracy, latent threshold tau = Phi^-1(error rate) and minres loading lambda on the common factor (fitted to the repaired tetrachoric matrix).",
    columns: [
      { key: "model", label: "Model", align: "left" },
      { key: "accuracy", label: "Accuracy", format: "pct:1", align: "right" },
      { key: "tau", label: "tau", format: "fixed:2", align: "right" },
      { key: "lambda", label: "lambda", format: "fixed:2", align: "right" },
    ],
    rows: fit.models.map((model, m) => ({ model, accuracy: fit.accuracies[m], tau: fit.thresholds[m], lambda: fit.loadings[m] })),
    notes: [`Factor fit: RMS residual of the off-diagonal correlations ${fit.factorRmsResidual.toFixed(3)}.`],
  };
}

export default defineStage({
  type: "copula",
  description: "Gaussian-copula calibration (tetrachoric, nearest-PD, single factor), copula betas, underpricing ratios with bootstrap CIs, full pool and best k",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the pool matrix from `pool`" },
    replicates: {
      kind: "json", schema: CopulaReplicateBlock, optional: true,
      description: "the bootstrap's replicates from a `copula-bootstrap` stage (its blocks), instead of drawing them here",
    },
  },
  outputs: {
    summary: { file: "summary.json", kind: "json", schema: CopulaSummary, description: "copula fits, betas, ratios and bootstrap intervals" },
    "table-loadings": { file: "loadings.json", kind: "json", schema: Table, description: "thresholds and single-factor loadings per model" },
  },
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix;
    const { pool } = matrix;
    const M = matrix.models.length;
    if (M < 2) throw new Error(`copula ${pool}: needs at least 2 models, the pool has ${M}`);
    const notes: string[] = [zeroCellRule(ctx.params)];
    if (ctx.params.B_sf > 0 && ctx.params.B_sf < 1000) ctx.warn(`copula ${pool}: B_sf = ${ctx.params.B_sf} < 1000: percentile intervals will be rough`);
    if (ctx.params.B_full > 0 && ctx.params.B_full < 200) ctx.warn(`copula ${pool}: B_full = ${ctx.params.B_full} < 200`);
    const k = Math.min(ctx.params.k, M);
    if (k < ctx.params.k) {
      const note = `pool ${pool} has ${M} < k = ${ctx.params.k} models: the best-k analysis uses all ${M}`;
      notes.push(note);
      ctx.warn(note);
    }
    const drawn = replicatesOf(ctx.id, ctx.inputs.replicates, { matrix, seed: ctx.seed, params: ctx.params });
    const whole = await analyse(matrix, ctx.params, ctx.seed, "full pool", ctx.progress, ctx.parallel, drawn?.whole);
    const subsetMatrix = selectModels(matrix, Array.from({ length: k }, (_, m) => m));
    const subset = k === M ? whole : await analyse(subsetMatrix, ctx.params, ctx.seed, `best ${k}`, ctx.progress, ctx.parallel, drawn?.subset ?? undefined);
    if (ctx.params.jackknife || ctx.params.B_models > 0) {
      const mc = await modelClusteredCopula({
        correct: matrix.correct, k, seed: ctx.seed, B: ctx.params.B_models, level: ctx.params.level,
        correction: ctx.params.zero_cell, repair: ctx.params.repair, warmStart: whole.fit.tetrachoric.map((x) => x ?? NaN),
        orthant: ctx.params.B_full > 0 ? { absEps: ctx.params.boot_orthant.abs_eps, maxPoints: ctx.params.boot_orthant.max_points } : null,
        estimates: {
          full: [whole.fit.ratioSf ?? NaN, whole.fit.ratioFull ?? NaN],
          subset: [subset.fit.ratioSf ?? NaN, subset.fit.ratioFull ?? NaN],
        },
        parallel: { threads: ctx.params.workers ?? ctx.parallel.threads, map: ctx.parallel.map },
        progress: (done, total) => ctx.progress(done, total, "model-clustered fits"),
      });
      const keep = (m: ModelIntervals) => (ctx.params.jackknife ? m : { ...m, jackknife: { ratioSf: null, ratioFull: null } });
      for (const [fit, m] of [[whole.fit, keep(mc.full)], [subset.fit, keep(mc.subset)]] as const) {
        fit.modelClustered = { ratioSf: intervalOf(m, "ratioSf"), ratioFull: intervalOf(m, "ratioFull") };
      }
      if (k === M) subset.fit.modelClustered = whole.fit.modelClustered;
    }
    for (const [what, r] of [["full pool", whole], [`best ${k}`, subset]] as const) {
      if (r.boot?.summary && r.boot.summary.failed > 0) notes.push(`${what}: ${r.boot.summary.failed} bootstrap replicate(s) had an undefined ratio and were left out`);
      if (r.fit.correctedPairs > 0) notes.push(`${what}: ${r.fit.correctedPairs} model pair(s) had an empty 2x2 cell (${ctx.params.zero_cell} correction)`);
    }
    publishFit(ctx, pool, "", whole.fit, `pool ${pool}, all ${M} models, ${matrix.items.length} items`);
    publishFit(ctx, pool, `.k${ctx.params.k}`, subset.fit,
      `pool ${pool}, best ${k} models${k < ctx.params.k ? ` (all: fewer than ${ctx.params.k})` : ""}, ${matrix.items.length} items`);
    publishModelClustered(ctx, pool, "", whole.fit, ctx.params.level, M);
    publishModelClustered(ctx, pool, `.k${ctx.params.k}`, subset.fit, ctx.params.level, M);
    ctx.publish(`${pool}.k`, k, { format: "int", description: `size of the best-k sub-pool of ${pool}` });
    const summary: CopulaSummary = {
      pool, nItems: matrix.items.length, full: whole.fit, k, kRequested: ctx.params.k, subset: subset.fit, notes,
      conventions: { zeroCell: ctx.params.zero_cell, repair: ctx.params.repair },
    };
    for (const n of notes.slice(1)) ctx.log(n);
    return { summary, "table-loadings": loadingsTable(pool, whole.fit) };
  },
});
