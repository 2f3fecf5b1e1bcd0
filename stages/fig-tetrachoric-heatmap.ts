// `fig-tetrachoric-heatmap`: the pool's tetrachoric error-correlation matrix as a heatmap, models ordered
// by accuracy (most accurate top-left), so blocks of models that fail together are visible at a glance. Positive-only
// correlations get a sequential scale; pairs whose tetrachoric rests on the zero-cell correction are marked.
import type { TopLevelSpec } from "vega-lite";
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { CopulaSummary, type CopulaFit } from "../core/copula-summary.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { packErrors } from "../stats/verdict-bits.js";
import { pairBothWrongCounts } from "../stats/cofailure.js";

const Params = z.object({
  title: z.string().optional(),
  /** "raw": the tetrachoric estimates; "repaired": after the nearest-correlation repair. */
  matrix: z.enum(["raw", "repaired"]).default("raw"),
});

/** Longest label kept on the axes: long run names would squeeze the cells. */
const LABEL_MAX = 30;

/**
 * Pairs (a, b), a < b, whose 2x2 table of error indicators has an empty cell — the pairs whose tetrachoric
 * correlation rests on the continuity correction — from the pool matrix, by model name.
 */
export function correctedPairs(matrix: PoolMatrix, models: readonly string[]): Set<string> {
  const row = new Map(matrix.models.map((m, k) => [m, k]));
  const idx = models.map((m) => row.get(m));
  if (idx.some((k) => k === undefined)) throw new Error(`fig-tetrachoric-heatmap: the pool matrix lacks model(s) ${models.filter((_, j) => idx[j] === undefined).join(", ")}`);
  const bits = packErrors(idx.map((k) => matrix.correct[k!]!));
  const n11 = pairBothWrongCounts(bits);
  const M = models.length, N = matrix.items.length;
  const out = new Set<string>();
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) {
    const both = n11[a * M + b]!, ea = n11[a * M + a]!, eb = n11[b * M + b]!;
    if (Math.min(both, ea - both, eb - both, N - ea - eb + both) === 0) out.add(`${a},${b}`);
  }
  return out;
}

export function heatmapSpec(pool: string, fit: CopulaFit, options: { title?: string; matrix: "raw" | "repaired"; corrected?: Set<string> }): TopLevelSpec {
  const M = fit.models.length;
  const values = options.matrix === "raw" ? fit.tetrachoric : fit.repaired;
  const label = (m: number) => {
    const name = fit.models[m]!;
    return name.length > LABEL_MAX ? `${name.slice(0, LABEL_MAX - 1)}…` : name;
  };
  // Truncation can make two labels equal; a rank prefix keeps them distinct and shows the accuracy order.
  const names = fit.models.map((_, m) => `${m + 1}. ${label(m)}`);
  const cells: { row: string; col: string; r: number | null; corrected: boolean }[] = [];
  // The matrix is symmetric: the lower triangle (row below column) carries all of it, at half the size.
  for (let a = 0; a < M; a++) for (let b = 0; b < a; b++) {
    cells.push({ row: names[a]!, col: names[b]!, r: values[a * M + b]!, corrected: options.corrected?.has(`${Math.min(a, b)},${Math.max(a, b)}`) ?? false });
  }
  const finite = cells.map((c) => c.r).filter((r): r is number => r !== null);
  const lo = Math.min(0, ...finite);
  // Positive-only correlations on a sequential scale from 0 to 1; a diverging one only if some pair is negative.
  const scale = lo >= 0 ? { scheme: "viridis", reverse: true, domain: [0, 1] } : { scheme: "blueorange", domain: [-1, 1], domainMid: 0 };
  // Cells of at least 11 px keep every label at a readable 10 px (a 71-model pool is about 800 px square).
  const cell = Math.max(11, Math.min(24, Math.floor(800 / Math.max(M, 1))));
  const font = Math.min(11, cell - 1);
  const nCorrected = cells.filter((c) => c.corrected).length;
  return {
    title: {
      text: options.title ?? `Tetrachoric correlation of errors, ${pool} (${M} models, most accurate first)`,
      subtitle: nCorrected > 0 ? `○ = pair with an empty 2×2 cell (${nCorrected} pairs): r rests on the continuity correction` : "no pair has an empty 2×2 cell: no correlation rests on the continuity correction",
    },
    width: cell * (M - 1),
    height: cell * (M - 1),
    data: { values: cells },
    encoding: {
      x: { field: "col", type: "ordinal", sort: names.slice(0, -1), title: null, axis: { labelAngle: -90, labelFontSize: font, labelLimit: 260, grid: false, orient: "bottom" } },
      y: { field: "row", type: "ordinal", sort: names.slice(1), title: null, axis: { labelFontSize: font, labelLimit: 260, grid: false } },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: { field: "r", type: "quantitative", title: "tetrachoric r", scale, legend: { gradientLength: Math.min(300, cell * M), orient: "right" } },
        },
      },
      {
        transform: [{ filter: "datum.corrected" }],
        mark: { type: "point", shape: "circle", filled: false, color: "white", strokeWidth: 1, size: Math.max(8, (cell * cell) / 5) },
      },
    ],
    config: { axis: { domain: false, ticks: false } },
  } as TopLevelSpec;
}

export default defineStage({
  type: "fig-tetrachoric-heatmap",
  description: "Heatmap of the pool's tetrachoric error correlations (models by accuracy; pairs with an empty 2x2 cell marked)",
  params: Params,
  inputs: {
    summary: { kind: "json", schema: CopulaSummary, description: "summary output of a `copula` stage" },
    matrix: { kind: "json", schema: PoolMatrix, optional: true, description: "the pool matrix the copula was fitted on, to mark the pairs whose 2x2 table has an empty cell" },
  },
  outputs: {
    svg: { file: "tetrachoric-heatmap.svg", kind: "text" },
    png: { file: "tetrachoric-heatmap.png", kind: "binary" },
    spec: { file: "tetrachoric-heatmap.vl.json", kind: "json" },
  },
  async run(ctx) {
    const summary = ctx.inputs.summary as CopulaSummary;
    const corrected = ctx.inputs.matrix ? correctedPairs(ctx.inputs.matrix as PoolMatrix, summary.full.models) : undefined;
    if (corrected && summary.full.correctedPairs !== corrected.size) {
      ctx.warn(`the copula reports ${summary.full.correctedPairs} corrected pairs, the matrix has ${corrected.size} pairs with an empty cell`);
    }
    const spec = heatmapSpec(summary.pool, summary.full, { ...ctx.params, corrected });
    return renderVegaLite(spec);
  },
});
