// `robustness-summary`: every pool's robustness in one place — the headline numbers with their range over the
// conventions (table), the ratios with their three intervals side by side (item bootstrap, leave-one-model-out
// jackknife, model bootstrap; table), and one compact figure of every pool's conventions.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { flattenInput } from "../core/inputs.js";
import { sortByPoolOrder } from "../core/pool-order.js";
import { RobustnessPoints, type RatioIntervals } from "../core/robustness.js";
import { Table } from "../core/table.js";
import { figureOutputs } from "../core/figure-outputs.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { robustnessSpec } from "../figures/robustness-spec.js";

const Params = z.object({
  /** Pool order (rows, figure bands); pools not listed follow in name order. */
  order: z.array(z.string()).optional(),
  /** Pools drawn in the figure (default: all). */
  figure: z.array(z.string()).optional(),
});

const isPoints = (x: unknown): x is RobustnessPoints => RobustnessPoints.safeParse(x).success;

/** Width of the jackknife interval over the item bootstrap's, on the log scale (null unless both exist and are positive). */
export function widthRatio(iv: RatioIntervals): number | null {
  if (!iv.item || !iv.jackknife || !(iv.item.lower > 0) || !(iv.jackknife.lower > 0) || !(iv.item.upper > iv.item.lower)) return null;
  return Math.log(iv.jackknife.upper / iv.jackknife.lower) / Math.log(iv.item.upper / iv.item.lower);
}
const interval = (iv: { lower: number; upper: number } | null) => (iv ? `${iv.lower.toFixed(2)}–${iv.upper.toFixed(2)}` : null);
const RATIO_LABEL: Record<string, string> = {
  "ratio.sf": "single factor, all models", "ratio.full": "full copula, all models",
  "ratio.sf.kK": "single factor, best k", "ratio.full.kK": "full copula, best k",
};

export function intervalsTable(points: RobustnessPoints[]): Table {
  const rows = points.flatMap((p) => p.intervals.filter((iv) => iv.item || iv.jackknife || iv.modelBootstrap).map((iv: RatioIntervals) => ({
    pool: p.pool, models: p.models, ratio: RATIO_LABEL[iv.headline]!.replace("best k", `best ${p.k}`), estimate: iv.estimate,
    item: interval(iv.item), jackknife: interval(iv.jackknife), modelBootstrap: interval(iv.modelBootstrap), width: widthRatio(iv),
  })));
  const level = points[0]?.intervals[0]?.level ?? 0.9;
  const meanModels = points.flatMap((p) => p.intervals.filter((iv) => iv.headline === "ratio.full" && iv.meanModels !== null)
    .map((iv) => `${p.pool} ${iv.meanModels!.toFixed(1)} of ${p.models}`));
  return {
    title: "Underpricing ratios with item and model uncertainty",
    caption:
      `Observed over predicted beta under the paper's conventions, with ${Math.round(level * 100)}% intervals from three resampling schemes: ` +
      "items resampled with the pool fixed (the item bootstrap the text's intervals use unless said otherwise), each model left out " +
      "in turn (leave-one-model-out jackknife, log scale, Student t with M − 1 degrees of freedom), and models resampled " +
      "(model bootstrap, percentile).",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "models", label: "M", format: "int", align: "right" },
      { key: "ratio", label: "Ratio", align: "left" },
      { key: "estimate", label: "Estimate", format: "ratio:2", align: "right" },
      { key: "item", label: "items resampled", align: "right" },
      { key: "jackknife", label: "leave one model out", align: "right" },
      { key: "modelBootstrap", label: "models resampled", align: "right" },
      { key: "width", label: "width, jackknife / items", format: "fixed:2", align: "right" },
    ],
    rows,
    notes: [
      "The model bootstrap draws M models with replacement and fits the distinct ones (a copy of a model adds nothing to the all-wrong event): its pools are smaller than the paper's" +
        (meanModels.length ? ` (mean distinct models: ${meanModels.join("; ")})` : "") + ", and beta and its ratios depend on pool size (§4.4), so its interval is shifted, not only wider.",
      "Width: the jackknife interval's width over the item bootstrap's, on the log scale.",
      "Best k: without a model, or on a drawn pool, the best k are chosen again, so leaving out a model outside the best k changes nothing.",
      "Blank: not computed for this pool.",
    ],
  };
}

export function rangesTable(points: RobustnessPoints[]): Table {
  const cell = (p: RobustnessPoints, h: string) => {
    const r = p.ranges[h];
    const v = p.rows[0]!.values[h];
    if (!r || v === null || v === undefined) return null;
    const f = (x: number) => (h.startsWith("beta") ? x.toFixed(3) : x.toFixed(2));
    return `${f(v)} (${f(r.min)}–${f(r.max)})`;
  };
  return {
    title: "Headline numbers and their range over the conventions",
    caption: "Each pool's beta and underpricing ratios under the paper's conventions, and in brackets the smallest and largest value over the sets of conventions of the pool's robustness table (one convention changed at a time; the audited verdicts are headlines of their own, <pool>-audited, and not in the range).",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "n", label: "sets", format: "int", align: "right" },
      { key: "beta", label: "beta", align: "right" },
      { key: "ratio.sf", label: "ratio, single factor", align: "right" },
      { key: "ratio.full", label: "ratio, full copula", align: "right" },
      { key: "ratio.sf.kK", label: "ratio sf, best k", align: "right" },
      { key: "ratio.full.kK", label: "ratio full, best k", align: "right" },
    ],
    rows: points.map((p) => ({
      pool: p.pool, n: p.rows.length,
      ...Object.fromEntries(["beta", "ratio.sf", "ratio.full", "ratio.sf.kK", "ratio.full.kK"].map((h) => [h, cell(p, h)])),
    })),
    notes: ["Conventions varied per pool: see the pool's robustness table; k is 17, or the whole pool when it has fewer models."],
  };
}

export default defineStage({
  type: "robustness-summary",
  description: "Every pool's headline ranges over the conventions and its ratios' three intervals (tables), and one figure of all pools",
  params: Params,
  inputs: {
    points: { kind: "json", schema: RobustnessPoints, description: "robustness-<pool>.points (a list or glob)" },
  },
  outputs: {
    table: { file: "intervals.json", kind: "json", schema: Table, description: "ratios with item-bootstrap, jackknife and model-bootstrap intervals" },
    "table-ranges": { file: "ranges.json", kind: "json", schema: Table, description: "headlines with their range over the conventions" },
    ...figureOutputs("robustness"),
  },
  async run(ctx) {
    const all = sortByPoolOrder(flattenInput(ctx.inputs.points, isPoints, "robustness points"), ctx.params.order);
    const shown = ctx.params.figure ? all.filter((p) => ctx.params.figure!.includes(p.pool)) : all;
    const spec = robustnessSpec(shown, { title: "Headline numbers of each pool under each set of conventions" });
    const widths = all.flatMap((p) => p.intervals.map((iv) => ({ p, iv, w: widthRatio(iv) }))).filter((x) => x.w !== null);
    if (widths.length) {
      const lo = widths.reduce((a, b) => (b.w! < a.w! ? b : a)), hi = widths.reduce((a, b) => (b.w! > a.w! ? b : a));
      const what = (x: typeof lo) => `${x.p.pool} ${RATIO_LABEL[x.iv.headline]!.replace("best k", `best ${x.p.k}`)}`;
      ctx.publish("robustness.jackknife-width.min", lo.w!, { format: "fixed:2", description: `smallest width of a ratio's leave-one-model-out jackknife interval over its item-bootstrap interval, log scale, over ${widths.length} ratios (${what(lo)})` });
      ctx.publish("robustness.jackknife-width.max", hi.w!, { format: "fixed:2", description: `largest width of a ratio's leave-one-model-out jackknife interval over its item-bootstrap interval, log scale, over ${widths.length} ratios (${what(hi)})` });
    }
    return { table: intervalsTable(all), "table-ranges": rangesTable(all), ...(await renderVegaLite(spec)) };
  },
});
