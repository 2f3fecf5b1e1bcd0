// `vote-triplets`: majority vote over every 3-model ensemble of each pool with extracted answers. Per pool: the
// vote's mean gain over the triplet's best member, the share of triplets where the vote loses to it, and the
// regression of the gain on the triplet's mean pairwise error correlation rho and its headroom (oracle over the
// triplet minus best member), each with a leave-one-model-out jackknife interval (models are the unit: a triplet
// statistic is recomputed on the triplets of the pool without each model) beside the i.i.d. OLS error. A figure:
// gain against rho per pool, triplets binned, with the zero line and the fitted line at the median headroom.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { figureOutputs, renderVegaLite } from "../figures/vega-lite.js";
import { poolSmallMultiples } from "../figures/small-multiples.js";
import { ROLE_COLOURS, sequentialRamp } from "../figures/theme.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { flattenInput } from "../core/inputs.js";
import { Table, valueWithCi } from "../core/table.js";
import { allTriplets, modelJackknife, ols, type Triplet } from "../stats/triplet-vote.js";

const Params = z.object({
  /** Pools in table/figure order; pools not listed follow by name. */
  order: z.array(z.string()).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  level: z.literal(0.95).default(0.95),
  /** Bins per axis of the figure's 2-D histogram. */
  bins: z.number().int().min(5).max(80).default(24),
  columns: z.number().int().min(1).default(3),
});
type Params = z.infer<typeof Params>;

const isMatrix = (x: unknown): x is PoolMatrix =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { correct?: unknown }).correct) &&
  typeof (x as { pool?: unknown }).pool === "string";

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** [mean gain, share losing, share winning, slope on rho, slope on headroom, intercept]. */
function statistics(ts: readonly Triplet[]): number[] {
  const usable = ts.filter((t) => Number.isFinite(t.rho));
  const fit = ols(usable.map((t) => t.gain), [usable.map((t) => t.rho), usable.map((t) => t.headroom)]);
  return [
    mean(ts.map((t) => t.gain)),
    ts.filter((t) => t.gain < -1e-12).length / ts.length,
    ts.filter((t) => t.gain > 1e-12).length / ts.length,
    fit.coef[1]!, fit.coef[2]!, fit.coef[0]!,
  ];
}

export interface PoolVote {
  pool: string;
  models: number;
  items: number;
  triplets: number;
  /** Triplets left out of the regression (a member without error variance has no rho). */
  undefinedRho: number;
  names: string[];
  value: number[];
  se: number[];
  lower: number[];
  upper: number[];
  /** Classical OLS standard errors of [intercept, rho, headroom] (triplets as i.i.d. observations). */
  olsSe: number[];
  r2: number;
  medianHeadroom: number;
  rhoRange: [number, number];
  /** Best triplet by vote accuracy and its gain. */
  bestVote: { members: string[]; vote: number; gain: number };
  triplets_: Triplet[];
}

export const STAT_NAMES = ["gain.mean", "loses.share", "wins.share", "slope.rho", "slope.headroom", "intercept"] as const;

/** The whole analysis of one pool, pure (tests call it directly). */
export function voteTripletsAnalysis(matrix: PoolMatrix): PoolVote {
  if (!matrix.answers) throw new Error(`vote-triplets: pool ${matrix.pool} has no answers`);
  if (matrix.samplePolicy !== "first" && matrix.passCount !== undefined) {
    throw new Error(`vote-triplets: pool ${matrix.pool} reduces several samples by "${matrix.samplePolicy}" but keeps the first sample's answers; a vote would mix draws`);
  }
  const ts = allTriplets(matrix.answers, matrix.correct);
  const M = matrix.models.length;
  const jk = modelJackknife(ts, M, statistics);
  const usable = ts.filter((t) => Number.isFinite(t.rho));
  const fit = ols(usable.map((t) => t.gain), [usable.map((t) => t.rho), usable.map((t) => t.headroom)]);
  const top = ts.reduce((a, t) => (t.vote > a.vote ? t : a), ts[0]!);
  const rhos = usable.map((t) => t.rho);
  return {
    pool: matrix.pool, models: M, items: matrix.items.length, triplets: ts.length, undefinedRho: ts.length - usable.length,
    names: [...STAT_NAMES], value: jk.value, se: jk.se, lower: jk.lower, upper: jk.upper, olsSe: fit.se, r2: fit.r2,
    medianHeadroom: median(usable.map((t) => t.headroom)), rhoRange: [Math.min(...rhos), Math.max(...rhos)],
    bestVote: { members: top.members.map((m) => matrix.models[m]!), vote: top.vote, gain: top.gain },
    triplets_: ts,
  };
}

/** Triplets counted in a bins x bins grid over (rho, gain), per pool: the figure's data (small, deterministic). */
export function binTriplets(ts: readonly Triplet[], bins: number): { rho0: number; rho1: number; gain0: number; gain1: number; count: number }[] {
  const usable = ts.filter((t) => Number.isFinite(t.rho));
  const range = (xs: number[]) => { const lo = Math.min(...xs), hi = Math.max(...xs); return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5]; };
  const [r0, r1] = range(usable.map((t) => t.rho));
  const [g0, g1] = range(usable.map((t) => t.gain));
  const cell = (v: number, lo: number, hi: number) => Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
  const counts = new Map<number, number>();
  for (const t of usable) { const k = cell(t.rho, r0!, r1!) * bins + cell(t.gain, g0!, g1!); counts.set(k, (counts.get(k) ?? 0) + 1); }
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([k, count]) => {
    const i = Math.floor(k / bins), j = k % bins;
    const w = (r1! - r0!) / bins, h = (g1! - g0!) / bins;
    return { rho0: r0! + i * w, rho1: r0! + (i + 1) * w, gain0: g0! + j * h, gain1: g0! + (j + 1) * h, count };
  });
}

function figureSpec(results: PoolVote[], label: (p: string) => string, bins: number, columns: number) {
  const rows: Record<string, unknown>[] = [];
  for (const r of results) {
    const pool = label(r.pool);
    for (const b of binTriplets(r.triplets_, bins)) rows.push({ pool, kind: "bin", ...b });
    // The fitted line at the pool's median headroom, over the observed rho range.
    const [lo, hi] = r.rhoRange;
    const at = (rho: number) => r.value[5]! + r.value[3]! * rho + r.value[4]! * r.medianHeadroom;
    rows.push({ pool, rho: lo, fit: at(lo), kind: "fit" }, { pool, rho: hi, fit: at(hi), kind: "fit" });
  }
  const x = { type: "quantitative", title: "ρ, mean pairwise error correlation", scale: { zero: false, nice: false } };
  return poolSmallMultiples({
    title: "Majority vote of three models: gain over the best member against ρ",
    rows, pools: results.map((r) => label(r.pool)), columns, width: 230, height: 180,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'bin'" }],
        mark: { type: "rect" },
        encoding: {
          x: { ...x, field: "rho0" }, x2: { field: "rho1" },
          y: { field: "gain0", type: "quantitative", title: "gain: vote − best member" }, y2: { field: "gain1" },
          color: {
            field: "count", type: "quantitative", title: "3-model sets",
            scale: { type: "log", range: sequentialRamp("vote") },
            legend: { orient: "right", gradientLength: 120 },
          },
        },
      },
      // One rule per panel (a datum encoding alone would draw one per data row).
      { transform: [{ aggregate: [{ op: "count", as: "n" }], groupby: ["pool"] }], mark: { type: "rule", color: ROLE_COLOURS.bestSingle, strokeWidth: 1.5 }, encoding: { y: { datum: 0, type: "quantitative" } } },
      {
        transform: [{ filter: "datum.kind === 'fit'" }],
        mark: { type: "line", color: ROLE_COLOURS.reference, strokeDash: [5, 3], strokeWidth: 1.5 },
        encoding: { x: { ...x, field: "rho" }, y: { field: "fit", type: "quantitative" } },
      },
    ],
  });
}

export default defineStage({
  type: "vote-triplets",
  description: "Majority vote over every 3-model ensemble: gain over the best member, share losing, regression of gain on rho and headroom with a leave-one-model-out jackknife",
  params: Params,
  inputs: {
    matrices: { kind: "json", schema: PoolMatrix, description: "pool matrices with answers (one per pool)" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "per pool: triplets, gain, share losing, regression slopes with jackknife intervals" },
    summary: { file: "summary.json", kind: "json" },
    ...figureOutputs("vote-triplets"),
  },
  async run(ctx) {
    const matrices = flattenInput(ctx.inputs.matrices, isMatrix, "PoolMatrix");
    const rank = (pool: string) => { const k = ctx.params.order.indexOf(pool); return k < 0 ? ctx.params.order.length : k; };
    matrices.sort((a, b) => rank(a.pool) - rank(b.pool) || a.pool.localeCompare(b.pool));
    const label = (p: string) => ctx.params.labels[p] ?? p;
    const results = matrices.map((m) => {
      const r = voteTripletsAnalysis(m);
      ctx.log(`${m.pool}: ${r.triplets} triplets of ${r.models} models; mean gain ${r.value[0]!.toFixed(4)}, loses in ${(100 * r.value[1]!).toFixed(1)}%`);
      return r;
    });
    const ci = (r: PoolVote, j: number) => ({ lower: r.lower[j]!, upper: r.upper[j]!, level: 0.95, method: `leave-one-model-out jackknife over ${r.models} models (normal interval, SE ${r.se[j]!.toPrecision(3)})` });
    for (const r of results) {
      const p = r.pool, on = `${label(p)}, all ${r.triplets} 3-model majority votes`;
      ctx.publish(`${p}.vote3.n.triplets`, r.triplets, { format: "count", description: `${label(p)}: 3-model ensembles (${r.models} choose 3)` });
      ctx.publish(`${p}.vote3.gain.mean`, r.value[0]!, { format: "fixed:3", ci: ci(r, 0), description: `${on}: mean accuracy gain of the vote over the triplet's best member` });
      ctx.publish(`${p}.vote3.loses.share`, r.value[1]!, { format: "pct:0", ci: ci(r, 1), description: `${on}: share of triplets whose vote is less accurate than its best member` });
      ctx.publish(`${p}.vote3.wins.share`, r.value[2]!, { format: "pct:0", ci: ci(r, 2), description: `${on}: share of triplets whose vote is more accurate than its best member` });
      ctx.publish(`${p}.vote3.slope.rho`, r.value[3]!, { format: "fixed:2", ci: ci(r, 3), description: `${on}: OLS slope of gain on mean pairwise error rho (with headroom), jackknife interval` });
      ctx.publish(`${p}.vote3.slope.headroom`, r.value[4]!, { format: "fixed:2", ci: ci(r, 4), description: `${on}: OLS slope of gain on triplet headroom (with rho), jackknife interval` });
      ctx.publish(`${p}.vote3.slope.rho.se.iid`, r.olsSe[1]!, { format: "fixed:3", description: `${on}: classical i.i.d. OLS standard error of the rho slope (triplets as independent observations)` });
      ctx.publish(`${p}.vote3.slope.rho.se.jackknife`, r.se[3]!, { format: "fixed:3", description: `${on}: leave-one-model-out jackknife standard error of the rho slope` });
      ctx.publish(`${p}.vote3.se.ratio`, r.se[3]! / r.olsSe[1]!, { format: "ratio:1", description: `${on}: jackknife over i.i.d. standard error of the rho slope` });
      ctx.publish(`${p}.vote3.best.gain`, r.bestVote.gain, { format: "fixed:3", description: `${label(p)}: gain of the most accurate 3-model vote (${r.bestVote.members.join(", ")}) over its best member` });
    }
    const f = (v: number, d = 3) => v.toFixed(d);
    const table: Table = {
      title: "Majority vote over every 3-model ensemble",
      caption: "Per pool, every 3-subset of its models votes by majority (an answer given by two members wins; otherwise the most accurate member's answer; all right answers count as one answer). Gain = vote accuracy minus the triplet's best member; headroom = oracle over the triplet minus its best member. Slopes: OLS of gain on rho (mean pairwise phi of errors) and headroom. Intervals: 95% leave-one-model-out jackknife (normal); i.i.d. SE: the classical OLS standard error of the rho slope, which treats overlapping triplets as independent.",
      columns: [
        { key: "pool", label: "pool", align: "left" },
        { key: "models", label: "models", format: "int" },
        { key: "triplets", label: "triplets", format: "count" },
        ...valueWithCi("gain", "mean gain", "fixed:3"),
        ...valueWithCi("loses", "vote loses", "pct:0"),
        ...valueWithCi("slope_rho", "slope on rho", "fixed:2"),
        ...valueWithCi("slope_h", "slope on headroom", "fixed:2"),
        { key: "ratio", label: "SE jackknife / i.i.d.", format: "ratio:1" },
      ],
      rows: results.map((r) => ({
        pool: label(r.pool), models: r.models, triplets: r.triplets,
        gain: r.value[0]!, gain_ci: `${f(r.lower[0]!)} to ${f(r.upper[0]!)}`,
        loses: r.value[1]!, loses_ci: `${f(100 * r.lower[1]!, 0)}–${f(100 * r.upper[1]!, 0)}%`,
        slope_rho: r.value[3]!, slope_rho_ci: `${f(r.lower[3]!, 2)} to ${f(r.upper[3]!, 2)}`,
        slope_h: r.value[4]!, slope_h_ci: `${f(r.lower[4]!, 2)} to ${f(r.upper[4]!, 2)}`,
        ratio: r.se[3]! / r.olsSe[1]!,
      })),
      notes: results.filter((r) => r.undefinedRho > 0).map((r) => `${label(r.pool)}: ${r.undefinedRho} triplets with a member that is never (or always) wrong have no rho and are left out of the regression`),
    };
    const summary = results.map(({ triplets_, ...rest }) => rest);
    const spec = figureSpec(results, label, ctx.params.bins, Math.min(ctx.params.columns, results.length));
    return { table, summary, ...(await renderVegaLite(spec as never)) };
  },
});
