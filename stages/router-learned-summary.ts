// `router-learned-summary`: the learned routers of every pool (the `summary` outputs of `router-learned`) in one
// table and one figure: the share of the oracle gain each router captures on held-out items, with its bootstrap
// interval, between the best single model (0) and the oracle (1).
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { figureOutputs, renderVegaLite } from "../figures/vega-lite.js";
import { ROLE_COLOURS } from "../figures/theme.js";
import { flattenInput } from "../core/inputs.js";
import { Table, valueWithCi } from "../core/table.js";

/** What `router-learned` writes as its summary (structurally: stages do not import each other). */
export interface LearnedRouterSummary {
  pool: string;
  label: string;
  items: number;
  models: number;
  accuracy: { best: number; logistic: number; predictor: number; oracle: number };
  share: { logistic: number; predictor: number };
  shareCi: { logistic: [number, number]; predictor: [number, number] };
}

export function learnedRouterTable(rs: LearnedRouterSummary[]): Table {
  const f = (v: number) => `${(100 * v).toFixed(0)}%`;
  return {
    title: "Learned routers on held-out items",
    caption: "Per pool, 5-fold cross-validation over items: TF-IDF features of the problem text (unigrams and bigrams, fitted on the training items); the best single model chosen on the training items; a multinomial logistic router (label: the most accurate training model right on the item); a router sending each item to the model whose logistic correctness predictor is highest. Share = (router - best) / (oracle - best), with a 95% percentile bootstrap interval over items.",
    columns: [
      { key: "pool", label: "pool", align: "left" },
      { key: "items", label: "items", format: "count" },
      { key: "models", label: "models", format: "int" },
      { key: "best", label: "best single (train split)", format: "pct:1" },
      { key: "logistic", label: "logistic router", format: "pct:1" },
      { key: "predictor", label: "per-model predictors", format: "pct:1" },
      { key: "oracle", label: "oracle", format: "pct:1" },
      ...valueWithCi("shareL", "share, logistic", "pct:0"),
      ...valueWithCi("shareP", "share, predictors", "pct:0"),
    ],
    rows: rs.map((r) => ({
      pool: r.label, items: r.items, models: r.models, best: r.accuracy.best, logistic: r.accuracy.logistic,
      predictor: r.accuracy.predictor, oracle: r.accuracy.oracle,
      shareL: r.share.logistic, shareL_ci: `${f(r.shareCi.logistic[0])} to ${f(r.shareCi.logistic[1])}`,
      shareP: r.share.predictor, shareP_ci: `${f(r.shareCi.predictor[0])} to ${f(r.shareCi.predictor[1])}`,
    })),
    notes: [],
  };
}

export function learnedRouterSpec(rs: LearnedRouterSummary[]) {
  const rows = rs.flatMap((r) => [
    { pool: r.label, router: "logistic router on text", share: r.share.logistic, lower: r.shareCi.logistic[0], upper: r.shareCi.logistic[1] },
    { pool: r.label, router: "per-model correctness predictors", share: r.share.predictor, lower: r.shareCi.predictor[0], upper: r.shareCi.predictor[1] },
  ]);
  const routers = ["logistic router on text", "per-model correctness predictors"];
  const colour = { field: "router", type: "nominal", title: null, scale: { domain: routers, range: [ROLE_COLOURS.router, ROLE_COLOURS.predictor] }, legend: { orient: "bottom", direction: "horizontal", labelLimit: 320 } };
  const y = { field: "pool", type: "nominal", title: null, sort: rs.map((r) => r.label) };
  const yOffset = { field: "router", type: "nominal", sort: routers };
  const lo = Math.min(-0.1, ...rows.map((r) => r.lower)) - 0.05, hi = Math.max(1, ...rows.map((r) => r.upper)) + 0.05;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Share of the oracle gain captured on held-out items",
    width: 420, height: 40 * rs.length + 20,
    data: { values: rows },
    layer: [
      { data: { values: [{}] }, mark: { type: "rule", color: ROLE_COLOURS.bestSingle, strokeWidth: 2 }, encoding: { x: { datum: 0, type: "quantitative" } } },
      { data: { values: [{}] }, mark: { type: "rule", color: ROLE_COLOURS.oracle, strokeWidth: 2 }, encoding: { x: { datum: 1, type: "quantitative" } } },
      { data: { values: [{}] }, mark: { type: "text", color: ROLE_COLOURS.bestSingle, align: "left", dx: 3, dy: -4, baseline: "bottom", fontWeight: "bold" }, encoding: { x: { datum: 0, type: "quantitative" }, y: { value: 0 }, text: { value: "best single" } } },
      { data: { values: [{}] }, mark: { type: "text", color: ROLE_COLOURS.oracle, align: "right", dx: -3, dy: -4, baseline: "bottom", fontWeight: "bold" }, encoding: { x: { datum: 1, type: "quantitative" }, y: { value: 0 }, text: { value: "oracle" } } },
      { mark: { type: "rule", strokeWidth: 2 }, encoding: { y, yOffset, x: { field: "lower", type: "quantitative" }, x2: { field: "upper" }, color: colour } },
      {
        mark: { type: "point", filled: true, size: 70, opacity: 1 },
        encoding: {
          y, yOffset, color: colour,
          x: { field: "share", type: "quantitative", title: "(router − best single) / (oracle − best single), 95% bootstrap interval", scale: { domain: [lo, hi], nice: false }, axis: { format: "%" } },
        },
      },
    ],
  };
}

export default defineStage({
  type: "router-learned-summary",
  description: "Table and figure of the learned routers over pools",
  params: z.object({ order: z.array(z.string()).default([]) }),
  inputs: { summaries: { kind: "json", description: "`summary` outputs of router-learned stages" } },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table },
    ...figureOutputs("router-learned"),
  },
  async run(ctx) {
    const rs = flattenInput(ctx.inputs.summaries, (x): x is LearnedRouterSummary => typeof x === "object" && x !== null && "share" in x, "router-learned summary");
    const rank = (p: string) => { const k = ctx.params.order.indexOf(p); return k < 0 ? ctx.params.order.length : k; };
    rs.sort((a, b) => rank(a.pool) - rank(b.pool) || a.pool.localeCompare(b.pool));
    return { table: learnedRouterTable(rs), ...(await renderVegaLite(learnedRouterSpec(rs) as never)) };
  },
});
