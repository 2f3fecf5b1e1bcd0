// `self-moa`: k samples of ONE model (Self-MoA) vs one sample each of k DIFFERENT models at matched mean
// accuracy. The paper's claim: at equal quality, low-rho heterogeneous mixtures leave fewer all-wrong queries
// than high-rho self-mixtures. Everything is computed from per-query pass counts c of n, which is all that
// count-only sources (LiveCodeBench pass@1, MathArena) publish — no run identity is needed.
import { z } from "zod";
import { defineStage, resourceLimit } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { ROLE_COLOURS } from "../figures/theme.js";
import { rngStream } from "../stats/rng.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { flattenInput } from "../core/inputs.js";
import { cellCounts, cellPassRates } from "../core/pass-rates.js";
import { matchedModelSets } from "../stats/matched-sets.js";
import { independentAllWrongRate, sampledErrorPhi, selfAllWrongRate, selfErrorCorrelation } from "../stats/self-ensemble.js";
import { Table } from "../core/table.js";

const Params = z.object({
  /** Result id prefix; default the pool name. */
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  /** Largest ensemble size; default the largest n such that some model has n samples on every query. */
  k_max: z.number().int().min(2).optional(),
  /** Matching rule: a heterogeneous k-set matches a self model when |mean accuracy - its accuracy| <= tolerance. */
  tolerance: z.number().positive().max(0.5).default(0.02),
  /** Matched sets kept per (self model, k), drawn uniformly among all matched k-sets (seeded rejection sampling). */
  sets_per_model: resourceLimit(z.number().int().positive(), 100_000, "matched sets per model").default(200),
  max_draws: resourceLimit(z.number().int().positive(), 10_000_000, "random draws").default(20000),
  /**
   * A self model enters the curves at ensemble size k when it has at least this many matched heterogeneous k-sets
   * (k = 1 is the model itself): the strongest models, which few k-sets can match, stay in wherever they can.
   */
  min_sets: z.number().int().positive().default(1),
  /** Ensemble sizes whose all-wrong rates are published (those above k_max are skipped). */
  publish_k: z.array(z.number().int().min(1)).default([5]),
  /** k at which the heterogeneous sets' mean pairwise error correlation is published; default max(publish_k) <= k_max. */
  rho_k: z.number().int().min(2).optional(),
  label: z.string().optional(),
});
type Params = z.infer<typeof Params>;

const isMatrix = (x: unknown): x is PoolMatrix =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { correct?: unknown }).correct) &&
  typeof (x as { pool?: unknown }).pool === "string";

export interface SelfMoaModelRow {
  model: string;
  accuracy: number;
  selfRho: number;
  /** Per k = 1..kMax (index k-1). */
  selfBeta: number[];
  heteroBeta: (number | null)[];
  heteroRho: (number | null)[];
  heteroSets: number[];
  heteroMcError: (number | null)[];
}

export interface SelfMoaResult {
  pool: string;
  kMax: number;
  tolerance: number;
  models: SelfMoaModelRow[];
  /** Self models matched at every k. */
  eligible: string[];
  /** Per k: means over the self models matched at that k (`models`); `gap` = self - hetero, paired per model. */
  curve: { k: number; self: number; hetero: number; heteroMcError: number; heteroRho: number | null; gap: number; nModels: number; models: string[] }[];
  /** Per self model: the largest k at which it has matched sets. */
  lastMatchedK: Record<string, number>;
  selfRho: number;
  notes: string[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The whole analysis, pure (tests call it directly). */
export function selfMoaAnalysis(matrix: PoolMatrix, params: Params, seed: number): SelfMoaResult {
  const { passCount, nSamples } = cellCounts(matrix);
  const rates = cellPassRates(matrix);
  const M = matrix.models.length;
  const minN = nSamples.map((row) => Math.min(...row));
  const kMax = params.k_max ?? Math.max(...minN);
  if (kMax < 2) throw new Error(`self-moa ${matrix.pool}: no model has >= 2 samples on every query (counts: max n = ${Math.max(...minN)})`);
  const accuracies = rates.map(mean);
  const notes: string[] = [];
  const selfIdx = matrix.models.map((_, m) => m).filter((m) => minN[m] >= kMax);
  if (selfIdx.length === 0) throw new Error(`self-moa ${matrix.pool}: no model has ${kMax} samples on every query`);
  notes.push(`${selfIdx.length} of ${M} models have >= ${kMax} samples on every query and form self-ensembles; all ${M} models may join heterogeneous sets (one sample each)`);

  // Pairwise single-sample error correlations, computed once; a set's rho is the mean over its pairs.
  const phi: number[][] = Array.from({ length: M }, () => new Array<number>(M).fill(NaN));
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) phi[a][b] = phi[b][a] = sampledErrorPhi(rates[a], rates[b]);

  const rows: SelfMoaModelRow[] = [];
  for (const s of selfIdx) {
    const row: SelfMoaModelRow = {
      model: matrix.models[s], accuracy: accuracies[s],
      selfRho: selfErrorCorrelation({ passCount: passCount[s], nSamples: nSamples[s] }),
      selfBeta: [], heteroBeta: [], heteroRho: [], heteroSets: [], heteroMcError: [],
    };
    for (let k = 1; k <= kMax; k++) {
      row.selfBeta.push(selfAllWrongRate({ passCount: passCount[s], nSamples: nSamples[s], k }));
      if (k === 1) {
        // A one-member ensemble of either kind is one sample of one model: both curves start at 1 - accuracy.
        row.heteroBeta.push(row.selfBeta[0]); row.heteroRho.push(null); row.heteroMcError.push(0); row.heteroSets.push(1);
        continue;
      }
      // One RNG stream per (self model, k): the sets of one model do not depend on which others are in the pool run.
      const sets = matchedModelSets({
        accuracies, target: accuracies[s], k, tolerance: params.tolerance, maxSets: params.sets_per_model,
        maxDraws: params.max_draws, rng: rngStream(seed, s * 1000 + k), exclude: [s],
      });
      row.heteroSets.push(sets.length);
      if (sets.length === 0) {
        row.heteroBeta.push(null); row.heteroRho.push(null); row.heteroMcError.push(null);
        continue;
      }
      const betas = sets.map((set) => independentAllWrongRate(set.map((m) => rates[m])));
      const b = mean(betas);
      const sd = Math.sqrt(betas.reduce((acc, x) => acc + (x - b) ** 2, 0) / Math.max(1, betas.length - 1));
      row.heteroBeta.push(b);
      row.heteroMcError.push(sd / Math.sqrt(betas.length));
      {
        const rhos = sets.map((set) => {
          // Pairs without error variance (a model never or always wrong) have no correlation: skipped, as in meanPairwiseRho.
          const pairs: number[] = [];
          for (let x = 0; x < set.length; x++) for (let y = x + 1; y < set.length; y++) if (Number.isFinite(phi[set[x]][set[y]])) pairs.push(phi[set[x]][set[y]]);
          return pairs.length ? mean(pairs) : NaN;
        }).filter(Number.isFinite);
        row.heteroRho.push(rhos.length ? mean(rhos) : null);
      }
    }
    rows.push(row);
  }

  const valid = rows.filter((r) => Number.isFinite(r.selfRho));
  if (valid.length < rows.length) notes.push(`${rows.length - valid.length} self model(s) never or always wrong have no self rho and are left out: ${rows.filter((r) => !valid.includes(r)).map((r) => r.model).join(", ")}`);
  const matchedAt = (r: SelfMoaModelRow, k: number) => k === 1 || r.heteroSets[k - 1]! >= params.min_sets;
  const eligibleRows = valid.filter((r) => r.heteroSets.every((_, j) => matchedAt(r, j + 1)));
  const lastMatchedK: Record<string, number> = {};
  for (const r of valid) { let k = 1; while (k < kMax && matchedAt(r, k + 1)) k++; lastMatchedK[r.model] = k; }
  for (let k = 2; k <= kMax; k++) {
    const out = valid.filter((r) => !matchedAt(r, k) && matchedAt(r, k - 1));
    if (out.length) notes.push(`from k = ${k} on, no matched heterogeneous set for: ${out.map((r) => `${r.model} (acc ${r.accuracy.toFixed(3)})`).join(", ")}`);
  }
  if (valid.length === 0) throw new Error(`self-moa ${matrix.pool}: no self model with a defined self rho`);
  const curve = [];
  for (let k = 1; k <= kMax; k++) {
    const inK = valid.filter((r) => matchedAt(r, k));
    if (inK.length === 0) throw new Error(`self-moa ${matrix.pool}: no self model has a matched heterogeneous ${k}-set (tolerance ${params.tolerance}); widen the tolerance or lower k_max`);
    const mcs = inK.map((r) => r.heteroMcError[k - 1]!);
    const rhos = inK.map((r) => r.heteroRho[k - 1]).filter((x): x is number => x !== null);
    curve.push({
      k,
      self: mean(inK.map((r) => r.selfBeta[k - 1]!)),
      hetero: mean(inK.map((r) => r.heteroBeta[k - 1]!)),
      // Independent per-model estimates: the SE of their mean (the self rates are exact, so it is also the gap's).
      heteroMcError: Math.sqrt(mcs.reduce((a, x) => a + x * x, 0)) / mcs.length,
      heteroRho: k >= 2 && rhos.length ? mean(rhos) : null,
      gap: mean(inK.map((r) => r.selfBeta[k - 1]! - r.heteroBeta[k - 1]!)),
      nModels: inK.length,
      models: inK.map((r) => r.model),
    });
  }
  return {
    pool: matrix.pool, kMax, tolerance: params.tolerance, models: rows, eligible: eligibleRows.map((r) => r.model),
    curve, lastMatchedK, selfRho: mean(valid.map((r) => r.selfRho)), notes,
  };
}

function curveSpec(result: SelfMoaResult, label: string, nItems: number) {
  const SELF = "Self-MoA: k samples of one model", HET = "heterogeneous: k models of matched mean accuracy";
  const z = 1.959963984540054;
  const values = result.curve.flatMap((p) => [
    { k: p.k, rate: p.self, lo: p.self, hi: p.self, ensemble: SELF, n: p.nModels },
    { k: p.k, rate: p.hetero, lo: Math.max(0, p.hetero - z * p.heteroMcError), hi: p.hetero + z * p.heteroMcError, ensemble: HET, n: p.nModels },
  ]);
  const colour = { field: "ensemble", type: "nominal", title: null, scale: { domain: [SELF, HET], range: [ROLE_COLOURS.selfMoa, ROLE_COLOURS.hetero] }, legend: { orient: "bottom", direction: "vertical", labelLimit: 400, symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 3 } };
  const x = { field: "k", type: "quantitative", title: "ensemble size k", axis: { tickMinStep: 1, format: "d" }, scale: { domain: [1, result.kMax] } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 400, height: 260,
    title: { text: `${label}: all-wrong rate β against ensemble size`, subtitle: [`${nItems} items. Band: 95% Monte-Carlo interval of the heterogeneous mean.`, "Numbers: self models with a matched set at k (the set shrinks with k)."] },
    data: { values },
    layer: [
      { mark: { type: "area", opacity: 0.25 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: colour } },
      { mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { field: "rate", type: "quantitative", title: "all-wrong rate β", scale: { zero: true } }, color: colour } },
      {
        transform: [{ filter: `datum.ensemble === '${SELF}'` }],
        mark: { type: "text", baseline: "bottom", dy: -6, fontSize: 9, color: ROLE_COLOURS.reference },
        encoding: { x, y: { value: 258 }, text: { field: "n", type: "quantitative" } },
      },
    ],
  };
}

export default defineStage({
  type: "self-moa",
  description: "Self-MoA (k samples of one model) vs heterogeneous k-model ensembles at matched mean accuracy: all-wrong rate and error correlation vs k",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "pool matrix with pass counts (passCount/nSamples)" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "all-wrong rate and rho vs k, self vs heterogeneous" },
    "table-models": { file: "table-models.json", kind: "json", schema: Table, description: "per self model: accuracy, self rho, all-wrong at k_max" },
    summary: { file: "summary.json", kind: "json", description: "the full analysis (per model, per k)" },
    spec: { file: "self-moa.vl.json", kind: "json" },
    svg: { file: "self-moa.svg", kind: "text" },
    png: { file: "self-moa.png", kind: "binary" },
  },
  async run(ctx) {
    const matrices = flattenInput(ctx.inputs.matrix, isMatrix, "PoolMatrix");
    if (matrices.length !== 1) throw new Error(`self-moa: expected one pool matrix, got ${matrices.length}`);
    const matrix = matrices[0];
    const p = ctx.params.prefix ?? matrix.pool;
    const label = ctx.params.label ?? matrix.pool;
    const result = selfMoaAnalysis(matrix, ctx.params, ctx.seed);
    for (const n of result.notes) ctx.log(n);
    const N = matrix.items.length;

    const z = 1.959963984540054;
    for (const k of ctx.params.publish_k) {
      if (k > result.kMax) { ctx.warn(`publish_k ${k} > k_max ${result.kMax}: skipped`); continue; }
      const c = result.curve[k - 1]!;
      const over = `mean over the ${c.nModels} self models with a matched heterogeneous ${k}-set`;
      ctx.publish(`${p}.selfmoa.beta.k${k}`, c.self, { format: "fixed:3", description: `${label}: all-wrong rate of a ${k}-sample Self-MoA, ${over} (exact from pass counts)` });
      ctx.publish(`${p}.hetero.beta.k${k}`, c.hetero, { format: "fixed:3", mcError: c.heteroMcError, ci: { lower: c.hetero - z * c.heteroMcError, upper: c.hetero + z * c.heteroMcError, level: 0.95, method: "Monte-Carlo error of the matched-set means" }, description: `${label}: all-wrong rate of ${k} different models at matched mean accuracy (±${result.tolerance}), ${over}` });
      ctx.publish(`${p}.selfmoa.gap.k${k}`, c.gap, { format: "fixed:3", mcError: c.heteroMcError, ci: { lower: c.gap - z * c.heteroMcError, upper: c.gap + z * c.heteroMcError, level: 0.95, method: "Monte-Carlo error of the matched-set means" }, description: `${label}: Self-MoA minus heterogeneous all-wrong rate at k = ${k}, paired per self model, ${over}` });
      ctx.publish(`${p}.selfmoa.n.models.k${k}`, c.nModels, { format: "int", description: `${label}: self models with a matched heterogeneous ${k}-set` });
      ctx.publish(`${p}.selfmoa.n.dropped.k${k}`, result.models.length - c.nModels, { format: "int", description: `${label}: self models without a matched heterogeneous ${k}-set (left out at k = ${k})` });
    }
    const rhoK = Math.min(ctx.params.rho_k ?? Math.max(2, ...ctx.params.publish_k.filter((k) => k <= result.kMax)), result.kMax);
    ctx.publish(`${p}.selfmoa.rho`, result.selfRho, { format: "fixed:2", description: `${label}: error correlation between two samples of the same model, mean over ${result.models.length} self models` });
    const heteroRho = result.curve[rhoK - 1]!.heteroRho;
    if (heteroRho === null) throw new Error(`self-moa ${matrix.pool}: no heterogeneous ${rhoK}-set has a defined error correlation`);
    ctx.publish(`${p}.hetero.rho`, heteroRho, { format: "fixed:2", description: `${label}: mean pairwise error correlation within matched heterogeneous ${rhoK}-model sets` });
    ctx.publish(`${p}.selfmoa.kmax`, result.kMax, { format: "int", description: `${label}: largest self-ensemble size (samples per query)` });
    ctx.publish(`${p}.selfmoa.n.models`, result.models.length, { format: "int", description: `${label}: self models (models with ${result.kMax} samples on every query)` });
    ctx.publish(`${p}.selfmoa.n.items`, N, { format: "int", description: `${label}: queries` });

    const table: Table = {
      title: `${label}: Self-MoA vs heterogeneous ensembles at matched accuracy`,
      caption: `All-wrong rate (beta) of k samples of one model (exact, C(n-c,k)/C(n,k) averaged over ${N} queries) vs one sample each of k different models whose mean accuracy is within ±${result.tolerance} of that model's (mean over up to ${ctx.params.sets_per_model} uniformly drawn matched sets), averaged over the self models that have a matched k-set (column "models"; the strongest drop out first). MC SE: Monte-Carlo standard error of the heterogeneous mean (the Self-MoA rates are exact). Gap: paired per self model.`,
      columns: [
        { key: "k", label: "k", format: "int", align: "right" },
        { key: "n", label: "models", format: "int", align: "right" },
        { key: "self", label: "beta, Self-MoA", format: "fixed:3", align: "right" },
        { key: "hetero", label: "beta, heterogeneous", format: "fixed:3", align: "right" },
        { key: "mc", label: "MC SE", format: "fixed:4", align: "right" },
        { key: "gap", label: "self - hetero", format: "fixed:3", align: "right" },
        { key: "self_rho", label: "rho, self", format: "fixed:3", align: "right" },
        { key: "hetero_rho", label: "rho, heterogeneous", format: "fixed:3", align: "right" },
      ],
      rows: result.curve.map((c) => ({
        k: c.k, n: c.nModels, self: c.self, hetero: c.hetero, mc: c.heteroMcError, gap: c.gap,
        self_rho: c.k >= 2 ? result.selfRho : null, hetero_rho: c.heteroRho,
      })),
      notes: result.notes,
    };
    const K = result.kMax;
    const tableModels: Table = {
      title: `${label}: self models`,
      caption: `Per model with ${K} samples per query: accuracy (mean pass rate), error correlation between two of its samples, the largest k with a matched heterogeneous set, and the all-wrong rates at that k.`,
      columns: [
        { key: "model", label: "model", align: "left" },
        { key: "accuracy", label: "accuracy", format: "fixed:3", align: "right" },
        { key: "self_rho", label: "rho, self", format: "fixed:3", align: "right" },
        { key: "last_k", label: "matched up to k", format: "int", align: "right" },
        { key: "self_beta", label: "beta, self at that k", format: "fixed:3", align: "right" },
        { key: "hetero_beta", label: "beta, hetero at that k", format: "fixed:3", align: "right" },
      ],
      rows: result.models.map((r) => {
        const k = result.lastMatchedK[r.model] ?? 1;
        return {
          model: r.model, accuracy: r.accuracy, self_rho: Number.isFinite(r.selfRho) ? r.selfRho : null,
          last_k: k, self_beta: r.selfBeta[k - 1] ?? null, hetero_beta: r.heteroBeta[k - 1] ?? null,
        };
      }),
      notes: [],
    };
    const spec = curveSpec(result, label, N);
    return { table, "table-models": tableModels, summary: result, ...(await renderVegaLite(spec as never)) };
  },
});
