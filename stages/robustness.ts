// `robustness`: a pool's headline numbers (beta, single-factor and full-copula ratio, all models and best k) under
// the paper's conventions and under every alternative a sweep computed — a table, a compact figure, and registry
// results: each headline's range over the conventions and its value under each one, so the paper can print every
// headline with its range and guard claims across the sweep.
import { z } from "zod";
import { defineStage, type StageContext } from "../engine/types.js";
import { CopulaSummary } from "../core/copula-summary.js";
import {
  HEADLINES, headlineId, parseVariantLabel, ratioIntervals, robustnessRanges, robustnessRows, robustnessTable, RobustnessPoints, type Headline,
} from "../core/robustness.js";
import { Table } from "../core/table.js";
import { figureOutputs } from "../core/figure-outputs.js";
import { idPart } from "../core/result-ids.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { robustnessSpec } from "../figures/robustness-spec.js";

const Params = z.object({
  /** Registry id prefix (the pool's name). */
  pool: z.string(),
  label: z.string(),
  /** The paper's convention per sweep variable (its variant label), e.g. { zero: "0.5", repair: higham }. */
  baseline: z.record(z.string(), z.string()),
  names: z.record(z.string(), z.string()).default({
    zero: "zero-cell correction", repair: "repair", policy: "sample policy", grader: "grader", verdicts: "verdicts", tie: "judge tie rule",
  }),
  /** Notes for the table: conventions that do not apply to this pool, and why. */
  notes: z.array(z.string()).default([]),
  /** Variables whose alternatives the paper reports as headlines of their own: in the table, not in the ranges. */
  separate: z.array(z.string()).default(["verdicts"]),
  values: z.record(z.string(), z.record(z.string(), z.string())).default({
    zero: { "0": "none" },
    repair: { higham: "nearest correlation (Higham)", clip: "eigenvalue clipping" },
    policy: { majority: "at least half the samples right", any: "any sample right", first: "first sample" },
    grader: { ours: "ours", math: "ours", source: "the source's", "math-audit": "stronger (audit)" },
    verdicts: { raw: "raw", audited: "audited" },
  }),
});
type Params = z.infer<typeof Params>;

const isSummary = (x: unknown): x is CopulaSummary => CopulaSummary.safeParse(x).success;

/** A whole-sweep input is Record<label, CopulaSummary>; a list of them an array of such records. */
function variantsOf(input: unknown): { label: string; summary: CopulaSummary }[] {
  if (input === undefined) return [];
  const groups = Array.isArray(input) ? input : [input];
  return groups.flatMap((g) => {
    if (isSummary(g) || g === null || typeof g !== "object") throw new Error("robustness: `variants` takes whole sweeps (a sweep's declared name), not single stages");
    return Object.entries(g as Record<string, unknown>).map(([label, summary]) => ({ label, summary: CopulaSummary.parse(summary) }));
  });
}

const WHAT: Record<Headline, string> = {
  beta: "observed beta", "beta.kK": "observed beta of the best k",
  "ratio.sf": "single-factor ratio", "ratio.full": "full-copula ratio",
  "ratio.sf.kK": "single-factor ratio of the best k", "ratio.full.kK": "full-copula ratio of the best k",
};
const FORMAT = (h: Headline) => (h.startsWith("beta") ? "fixed:3" : "ratio:2");

/** The numeric conventions themselves (a zero-cell correction of 0.1), so prose can name them without typing digits. */
function publishConventions(ctx: StageContext<Params>, p: RobustnessPoints): void {
  const pool = ctx.params.pool;
  const numeric = (l: string) => (/^-?\d+(\.\d+)?$/.test(l) ? Number(l) : undefined);
  const format = (l: string) => (l.includes(".") ? `fixed:${l.split(".")[1]!.length}` : "int");
  for (const [v, l] of Object.entries(ctx.params.baseline)) {
    const x = numeric(l);
    if (x !== undefined) ctx.publish(`${pool}.conv.${idPart(v)}`, x, { format: format(l), description: `the paper's ${ctx.params.names[v] ?? v} on ${pool}` });
  }
  for (const row of p.rows.slice(1)) {
    if (row.dimensions.length !== 1) continue;
    const l = parseVariantLabel(row.variant!).find(([v]) => v === row.dimensions[0])![1];
    const x = numeric(l);
    if (x !== undefined) ctx.publish(`${pool}.conv.${row.key}`, x, { format: format(l), description: `${row.label} (a convention of the robustness table of ${pool})` });
  }
}

function publish(ctx: StageContext<Params>, p: RobustnessPoints): void {
  const pool = ctx.params.pool;
  for (const h of HEADLINES) {
    const id = `${pool}.${headlineId(h, p.kRequested)}`;
    const what = WHAT[h].replace("best k", `best ${p.k}`);
    const r = p.ranges[h];
    if (!r) continue;
    const label = (key: string) => p.rows.find((x) => x.key === key)!.label;
    ctx.publish(`${id}.range.min`, r.min, { format: FORMAT(h), description: `smallest ${what} of ${pool} over ${r.n} sets of conventions (${label(r.argmin)})` });
    ctx.publish(`${id}.range.max`, r.max, { format: FORMAT(h), description: `largest ${what} of ${pool} over ${r.n} sets of conventions (${label(r.argmax)})` });
    for (const row of p.rows.slice(1)) {
      const v = row.values[h];
      if (v === null || v === undefined) continue;
      ctx.publish(`${id}.at.${row.key}`, v, { format: FORMAT(h), description: `${what} of ${pool} with ${row.label} (all else as in the paper)` });
    }
  }
}

export default defineStage({
  type: "robustness",
  description: "A pool's headline numbers under the paper's conventions and every alternative a sweep computed: table, figure, ranges",
  params: Params,
  inputs: {
    baseline: { kind: "json", schema: CopulaSummary, description: "the paper's copula summary of the pool (copula-<pool>.summary)" },
    variants: { kind: "json", schema: CopulaSummary, description: "whole sweeps of copula summaries (their declared names), a list of them" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "headlines per set of conventions" },
    points: { file: "points.json", kind: "json", schema: RobustnessPoints, description: "the rows and ranges (for the summary figure)" },
    ...figureOutputs("robustness"),
  },
  async run(ctx) {
    const baseline = ctx.inputs.baseline as CopulaSummary;
    const variants = variantsOf(ctx.inputs.variants);
    const rows = robustnessRows(baseline, variants, ctx.params);
    const points: RobustnessPoints = {
      pool: ctx.params.pool, label: ctx.params.label, k: baseline.k, kRequested: baseline.kRequested, models: baseline.full.models.length, rows,
      intervals: ratioIntervals(baseline), ranges: robustnessRanges(rows),
    };
    for (const r of rows.slice(1)) ctx.log(`${r.label}: ratio.sf ${r.values["ratio.sf"]?.toFixed(2)}, ratio.full ${r.values["ratio.full"]?.toFixed(2)}`);
    publish(ctx, points);
    publishConventions(ctx, points);
    const M = points.models;
    ctx.publish(`${ctx.params.pool}.pairs.empty`, rows[0]!.emptyCellPairs, { format: "int", description: `model pairs of ${ctx.params.pool} with an empty cell in their 2x2 table of errors` });
    ctx.publish(`${ctx.params.pool}.pairs.total`, (M * (M - 1)) / 2, { format: "int", description: `model pairs of ${ctx.params.pool}` });
    const spec = robustnessSpec([points], { title: `${ctx.params.label}: headline numbers under each set of conventions` });
    const table = robustnessTable(points);
    table.notes.push(...ctx.params.notes);
    return { table, points, ...(await renderVegaLite(spec)) };
  },
});
