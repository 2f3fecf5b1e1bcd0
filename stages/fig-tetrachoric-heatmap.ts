// `fig-tetrachoric-heatmap`: the pool's tetrachoric error-correlation matrix as a heatmap, models ordered
// by accuracy (most accurate top-left), so blocks of models that fail together are visible at a glance.
import type { TopLevelSpec } from "vega-lite";
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { CopulaSummary, type CopulaFit } from "../core/copula-summary.js";

const Params = z.object({
  title: z.string().optional(),
  /** "raw": the tetrachoric estimates; "repaired": after the nearest-correlation repair. */
  matrix: z.enum(["raw", "repaired"]).default("raw"),
});

/** Longest label kept on the axes: long run names would squeeze the cells. */
const LABEL_MAX = 28;

export function heatmapSpec(pool: string, fit: CopulaFit, options: { title?: string; matrix: "raw" | "repaired" }): TopLevelSpec {
  const M = fit.models.length;
  const values = options.matrix === "raw" ? fit.tetrachoric : fit.repaired;
  const label = (m: number) => {
    const name = fit.models[m];
    return name.length > LABEL_MAX ? `${name.slice(0, LABEL_MAX - 1)}…` : name;
  };
  // Truncation can make two labels equal; a rank prefix keeps them distinct and shows the accuracy order.
  const names = fit.models.map((_, m) => `${m + 1}. ${label(m)}`);
  const cells: { row: string; col: string; r: number | null }[] = [];
  for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) {
    if (a !== b) cells.push({ row: names[a], col: names[b], r: values[a * M + b] });
  }
  // ~560 px of matrix whatever M, within readable cell sizes.
  const cell = Math.max(7, Math.min(40, Math.floor(560 / Math.max(M, 1))));
  return {
    title: options.title ?? `Tetrachoric correlation of errors, ${pool} (${M} models, by accuracy)`,
    width: cell * M,
    height: cell * M,
    data: { values: cells },
    mark: { type: "rect" },
    encoding: {
      x: { field: "col", type: "ordinal", sort: names, title: null, axis: { labelAngle: -90, labelFontSize: Math.min(10, cell - 1), labelLimit: 240, grid: false } },
      y: { field: "row", type: "ordinal", sort: names, title: null, axis: { labelFontSize: Math.min(10, cell - 1), labelLimit: 240, grid: false } },
      color: {
        field: "r", type: "quantitative", title: "tetrachoric r",
        scale: { scheme: "blueorange", domain: [-1, 1], domainMid: 0 },
        legend: { gradientLength: Math.min(260, cell * M), orient: "right" },
      },
      tooltip: [{ field: "row" }, { field: "col" }, { field: "r", format: ".3f" }],
    },
    config: { axis: { domain: false, ticks: false } },
  };
}

export default defineStage({
  type: "fig-tetrachoric-heatmap",
  description: "Heatmap of the pool's tetrachoric error correlations (models by accuracy)",
  params: Params,
  inputs: {
    summary: { kind: "json", schema: CopulaSummary, description: "summary output of a `copula` stage" },
  },
  outputs: {
    svg: { file: "tetrachoric-heatmap.svg", kind: "text" },
    png: { file: "tetrachoric-heatmap.png", kind: "binary" },
    spec: { file: "tetrachoric-heatmap.vl.json", kind: "json" },
  },
  async run(ctx) {
    const summary = ctx.inputs.summary as CopulaSummary;
    const spec = heatmapSpec(summary.pool, summary.full, ctx.params);
    return renderVegaLite(spec);
  },
});
