// The robustness of a pool's headline numbers to the conventions behind them: beta, the single-factor and the
// full-copula ratio, for the whole pool and its best k, under the paper's conventions (the baseline) and under
// each alternative a sweep computed (zero-cell correction, repair, sample policy, grader, verdicts, judge tie
// rule). Pure: the stage hands in the copula summaries, keyed by their sweep labels ("zero=0.1,repair=higham",
// engine/sweep.ts), and gets rows, ranges and a table.
import { z } from "zod";
import type { CopulaSummary } from "./copula-summary.js";
import { idPart } from "./result-ids.js";
import type { Table } from "./table.js";

export const HEADLINES = ["beta", "beta.kK", "ratio.sf", "ratio.full", "ratio.sf.kK", "ratio.full.kK"] as const;
export type Headline = (typeof HEADLINES)[number];

/** The registry id part of a headline for the pool's k ("ratio.sf.kK" -> "ratio.sf.k17"). */
export const headlineId = (h: Headline, k: number) => h.replace("kK", `k${k}`);

export const RobustnessRow = z.object({
  /** "baseline", or the id part of the conventions that differ from it ("zero-0p1", "repair-clip"). */
  key: z.string(),
  /** What differs from the paper's conventions, in words. */
  label: z.string(),
  /** The sweep variable(s) that differ (empty for the baseline). */
  dimensions: z.array(z.string()),
  /** The variant's sweep label (null for the baseline). */
  variant: z.string().nullable(),
  values: z.record(z.string(), z.number().nullable()),
  /** Pairs with an empty 2x2 cell (full pool), models and items of the variant's pool. */
  emptyCellPairs: z.number().int(),
  /** Left out of the ranges: it varies something the paper reports as a headline of its own (the audited verdicts). */
  separate: z.boolean(),
  models: z.number().int(),
  items: z.number().int(),
});
export type RobustnessRow = z.infer<typeof RobustnessRow>;

const Iv = z.object({ lower: z.number(), upper: z.number() }).nullable();

/** A ratio of the paper's conventions with its three intervals: items resampled, leave one model out, models resampled. */
export const RatioIntervals = z.object({
  headline: z.string(),
  estimate: z.number().nullable(),
  level: z.number(),
  item: Iv,
  itemReplicates: z.number().int(),
  jackknife: Iv,
  modelBootstrap: Iv,
  modelReplicates: z.number().int(),
  /** Mean number of distinct models in a model-bootstrap replicate. */
  meanModels: z.number().nullable(),
});
export type RatioIntervals = z.infer<typeof RatioIntervals>;

export const RobustnessPoints = z.object({
  pool: z.string(),
  label: z.string(),
  k: z.number().int(),
  /** The k asked for (17): the registry ids' suffix, as the copula stage's (`<pool>.ratio.full.k17`). */
  kRequested: z.number().int(),
  /** Models of the paper's pool. */
  models: z.number().int(),
  rows: z.array(RobustnessRow),
  intervals: z.array(RatioIntervals),
  /** Per headline: smallest and largest value over the rows (those not `separate`), and the rows that attain them. */
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number(), argmin: z.string(), argmax: z.string(), n: z.number().int() })),
});
export type RobustnessPoints = z.infer<typeof RobustnessPoints>;

export interface Conventions {
  /** Baseline label per sweep variable (what the paper uses), e.g. { zero: "0.5", repair: "higham" }. */
  baseline: Record<string, string>;
  /** Display name per variable. */
  names: Record<string, string>;
  /** Display text per variable and label; a label without one is shown as written. */
  values: Record<string, Record<string, string>>;
  /** Variables whose alternatives are headlines of their own (shown, but not in the ranges). */
  separate: string[];
}

/** "zero=0.1,repair=higham" -> [["zero", "0.1"], ["repair", "higham"]] (the engine's variant label). */
export function parseVariantLabel(label: string): [string, string][] {
  return label.split(",").map((part) => {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new Error(`not a sweep variant label: "${label}" (expected var=label[,var=label])`);
    return [part.slice(0, eq), part.slice(eq + 1)];
  });
}

const slug = (v: string, label: string) => `${idPart(v)}-${idPart(label.replace(/\./g, "p"))}`;

/** Headline values of one copula summary. */
export function headlineValues(s: CopulaSummary): Record<Headline, number | null> {
  return {
    beta: s.full.beta, "beta.kK": s.subset.beta,
    "ratio.sf": s.full.ratioSf, "ratio.full": s.full.ratioFull,
    "ratio.sf.kK": s.subset.ratioSf, "ratio.full.kK": s.subset.ratioFull,
  };
}

/** The four ratios of the paper's copula summary with their item-bootstrap and model-clustered intervals. */
export function ratioIntervals(s: CopulaSummary): RatioIntervals[] {
  const out: RatioIntervals[] = [];
  for (const [h, fit] of [["ratio.sf", s.full], ["ratio.full", s.full], ["ratio.sf.kK", s.subset], ["ratio.full.kK", s.subset]] as const) {
    const sf = h.startsWith("ratio.sf");
    const b = fit.bootstrap;
    const item = sf ? b?.ratioSf : b?.full?.ratioFull;
    const mc = fit.modelClustered?.[sf ? "ratioSf" : "ratioFull"];
    const iv = (x: { lower: number | null; upper: number | null } | null | undefined) =>
      x && x.lower !== null && x.upper !== null ? { lower: x.lower, upper: x.upper } : null;
    out.push({
      headline: h, estimate: sf ? fit.ratioSf : fit.ratioFull, level: b?.level ?? 0.9,
      item: iv(item), itemReplicates: (sf ? b?.replicates : b?.full?.replicates) ?? 0,
      jackknife: iv(mc?.jackknife), modelBootstrap: iv(mc?.bootstrap), modelReplicates: mc?.bootstrap?.replicates ?? 0,
      meanModels: mc?.bootstrap?.meanModels ?? null,
    });
  }
  return out;
}

function emptyCells(s: CopulaSummary): number {
  return s.full.correctedPairs;
}

/** The baseline row and one row per variant; a variant whose labels all equal the baseline's is dropped (it is the baseline). */
export function robustnessRows(
  baseline: CopulaSummary, variants: { label: string; summary: CopulaSummary }[], conv: Conventions,
): RobustnessRow[] {
  const text = (v: string, l: string) => conv.values[v]?.[l] ?? l;
  const name = (v: string) => conv.names[v] ?? v;
  const base = Object.entries(conv.baseline).map(([v, l]) => `${name(v)} ${text(v, l)}`).join(", ");
  const rows: RobustnessRow[] = [{
    key: "baseline", label: `paper's conventions${base ? ` (${base})` : ""}`, dimensions: [], variant: null, separate: false,
    values: headlineValues(baseline), emptyCellPairs: emptyCells(baseline), models: baseline.full.models.length, items: baseline.nItems,
  }];
  const seen = new Set<string>(["baseline"]);
  for (const { label, summary } of variants) {
    const differs = parseVariantLabel(label).filter(([v, l]) => conv.baseline[v] !== l);
    for (const [v] of differs) if (!(v in conv.baseline)) throw new Error(`sweep variable "${v}" (variant ${label}) has no baseline label in params.baseline`);
    if (!differs.length) continue;
    const key = differs.map(([v, l]) => slug(v, l)).join("-");
    if (seen.has(key)) throw new Error(`two variants differ from the baseline in the same way (${key}): ${label}`);
    seen.add(key);
    rows.push({
      key, label: differs.map(([v, l]) => `${name(v)}: ${text(v, l)}`).join("; "), dimensions: differs.map(([v]) => v),
      variant: label, separate: differs.some(([v]) => conv.separate.includes(v)),
      values: headlineValues(summary), emptyCellPairs: emptyCells(summary), models: summary.full.models.length, items: summary.nItems,
    });
  }
  return rows;
}

export function robustnessRanges(rows: RobustnessRow[]): RobustnessPoints["ranges"] {
  const out: RobustnessPoints["ranges"] = {};
  for (const h of HEADLINES) {
    const defined = rows.filter((r) => !r.separate && r.values[h] !== null && r.values[h] !== undefined);
    if (!defined.length) continue;
    let lo = defined[0]!, hi = defined[0]!;
    for (const r of defined) {
      if (r.values[h]! < lo.values[h]!) lo = r;
      if (r.values[h]! > hi.values[h]!) hi = r;
    }
    out[h] = { min: lo.values[h]!, max: hi.values[h]!, argmin: lo.key, argmax: hi.key, n: defined.length };
  }
  return out;
}

export function robustnessTable(p: RobustnessPoints): Table {
  const k = p.k;
  return {
    title: `Robustness of the headline numbers of ${p.label} (${p.pool}) to the conventions behind them`,
    caption:
      `Observed beta and the underpricing ratios (observed / predicted beta) of the single-factor and the full Gaussian copula, ` +
      `for all models and the best ${k}, under the paper's conventions (first row) and with one convention changed at a time. ` +
      "Point estimates; the intervals of the first row are in the text.",
    columns: [
      { key: "label", label: "Conventions", align: "left" },
      { key: "beta", label: "beta", format: "fixed:3", align: "right" },
      { key: "ratio.sf", label: "ratio, single factor", format: "ratio:2", align: "right" },
      { key: "ratio.full", label: "ratio, full copula", format: "ratio:2", align: "right" },
      { key: "beta.kK", label: `beta, best ${k}`, format: "fixed:3", align: "right" },
      { key: "ratio.sf.kK", label: `ratio sf, best ${k}`, format: "ratio:2", align: "right" },
      { key: "ratio.full.kK", label: `ratio full, best ${k}`, format: "ratio:2", align: "right" },
    ],
    rows: [
      ...p.rows.map((r) => ({ label: r.label, ...r.values })),
      { label: `range over the rows${p.rows.some((r) => r.separate) ? ` (without ${p.rows.filter((r) => r.separate).map((r) => r.label).join(", ")})` : ""}`, beta: null, "ratio.sf": null, "ratio.full": null, "beta.kK": null, "ratio.sf.kK": null, "ratio.full.kK": null },
    ].map((row) => (row.label.startsWith("range over the rows")
      ? Object.fromEntries(Object.entries(row).map(([key, v]) => [key, key === "label" ? v : rangeText(p, key)]))
      : row)),
    notes: [
      `Under the paper's conventions ${p.rows[0]!.emptyCellPairs} of the ${(p.rows[0]!.models * (p.rows[0]!.models - 1)) / 2} model pairs have an empty cell in their 2x2 table of errors.`,
      ...(p.rows.some((r) => r.dimensions.includes("zero")) ? ["A zero-cell correction c replaces an empty cell of a pair's 2x2 error table by c before the tetrachoric is fitted (psych::tetrachoric's `correct`, 0.5 by default); without one, such a pair gets the boundary correlation."] : []),
      ...(p.rows.some((r) => r.dimensions.includes("repair")) ? ["Repair: the tetrachoric matrix is made a correlation matrix either by the nearest correlation matrix (Higham 2002) or by clipping its eigenvalues as psych::cor.smooth does (which leaves a positive definite matrix unchanged)."] : []),
      ...p.rows.filter((r) => r.separate).map((r) => `${r.label}: reported as headline numbers of their own (the paper's ${p.pool}-audited ids), so not in the range row.`),
      ...p.rows.filter((r) => r.key !== "baseline" && (r.models !== p.rows[0]!.models || r.items !== p.rows[0]!.items))
        .map((r) => `${r.label}: ${r.models} models, ${r.items} items (the paper's pool: ${p.rows[0]!.models}, ${p.rows[0]!.items}).`),
    ],
  };
}

function rangeText(p: RobustnessPoints, key: string): string | null {
  const r = p.ranges[key];
  if (!r) return null;
  const fmt = (x: number) => (key.startsWith("beta") ? x.toFixed(3) : x.toFixed(2));
  return `${fmt(r.min)}–${fmt(r.max)}`;
}
