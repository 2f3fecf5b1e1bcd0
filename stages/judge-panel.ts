// `judge-panel`: free responses graded by several graders (LLM judges, humans). How well do they agree (pairwise
// Cohen kappa, Fleiss kappa), what does the panel majority say, and how does the pool's beta move with the grader
// chosen? Output `panel` is the input table with `correct` = the panel verdict, ready for `pool`.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { cohenKappa, fleissKappa, panelMajority } from "../stats/kappa.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { CanonicalTable, type CanonicalRow, type Verdict } from "../core/canonical-table.js";
import { flattenInput, isCanonicalTableLike } from "../core/inputs.js";
import { idPart } from "../core/result-ids.js";
import { Table } from "../core/table.js";

const Params = z.object({
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).default("gpqa-fr"),
  label: z.string().default("GPQA-Diamond free response"),
  /** Graders (keys of row.verdicts) forming the panel, in display order. */
  graders: z.array(z.string()).min(2).default(["judge:deepseek-v3", "judge:qwen2.5-7b", "human:ameya", "human:nikhil"]),
  /**
   * A right/wrong tie among the non-null votes: "wrong", "right", "null" (undecided), or the name of a grader whose
   * verdict decides (if that grader abstained too, the cell stays undecided).
   */
  tie_break: z.string().default("judge:deepseek-v3"),
  /** Short display names for graders (figure and table), e.g. {"judge:deepseek-v3": "DeepSeek-V3 judge"}. */
  display: z.record(z.string(), z.string()).default({}),
  level: z.number().gt(0).lt(1).default(0.95),
});
type Params = z.infer<typeof Params>;

export interface GraderBeta {
  grader: string;
  /** Cells (item, model) this grader left without a verdict ("unsure" or missing). */
  unsure: number;
  cells: number;
  /** Items whose all-wrong status is known: every model wrong, or some model right. */
  determined: number;
  allWrong: number;
  beta: number;
  lower: number;
  upper: number;
  /** Bounds with every unsure cell read as right (lowest beta) or as wrong (highest beta), over all items. */
  betaUnsureRight: number;
  betaUnsureWrong: number;
  /** The source README's convention: unsure cells ignored, items with at least one decided cell. */
  betaIgnoreUnsure: number;
  /** Accuracy per model over the cells this grader decided. */
  accuracy: Record<string, number>;
}

export interface JudgePanelResult {
  graders: string[];
  models: string[];
  items: number;
  kappa: { a: string; b: string; kappa: number; n: number; se: number }[];
  kappaMin: number;
  kappaMax: number;
  fleiss: { kappa: number; cells: number };
  panel: { ties: number; tiesBroken: number; undecided: number; split: number };
  betas: GraderBeta[];
  notes: string[];
}

/**
 * beta from verdicts with holes: an item is all-wrong when every model has verdict 0, not all-wrong when some
 * model has verdict 1, and undetermined (left out of numerator and denominator) otherwise — so an "unsure" never
 * silently counts as wrong or right. (The source README instead ignores unsure cells, i.e. drops those models
 * from the item's product: `ignoreUnsureBeta`; both are reported.)
 */
export function determinedBeta(verdicts: Verdict[][]): { allWrong: number; determined: number } {
  let allWrong = 0, determined = 0;
  for (const item of verdicts) {
    if (item.some((v) => v === 1)) determined++;
    else if (item.length > 0 && item.every((v) => v === 0)) { determined++; allWrong++; }
  }
  return { allWrong, determined };
}

/** The answer-matching README's convention: all-wrong = no decided verdict is 1; items with no decided cell dropped. */
export function ignoreUnsureBeta(verdicts: Verdict[][]): { allWrong: number; items: number } {
  let allWrong = 0, items = 0;
  for (const item of verdicts) {
    if (!item.some((v) => v !== null)) continue;
    items++;
    if (!item.some((v) => v === 1)) allWrong++;
  }
  return { allWrong, items };
}

/** Panel verdict of one cell: majority of non-null votes, ties resolved by `tieBreak`. */
export function panelVerdict(votes: Verdict[], graders: string[], tieBreak: string): { verdict: Verdict; tie: boolean } {
  const simple = tieBreak === "wrong" || tieBreak === "right" || tieBreak === "null";
  const verdict = panelMajority(votes, { tie: simple ? (tieBreak as "wrong" | "right" | "null") : "null" });
  const right = votes.filter((v) => v === 1).length, wrong = votes.filter((v) => v === 0).length;
  const tie = right === wrong && right > 0;
  if (verdict !== null || simple || !tie) return { verdict, tie };
  return { verdict: votes[graders.indexOf(tieBreak)] ?? null, tie };
}

/** The whole analysis, pure (tests call it directly). Returns the result and the rows with `correct` = panel. */
export function judgePanelAnalysis(rows: CanonicalRow[], params: Params): { result: JudgePanelResult; panelRows: CanonicalRow[] } {
  const { graders } = params;
  const simple = ["wrong", "right", "null"].includes(params.tie_break);
  if (!simple && !graders.includes(params.tie_break)) throw new Error(`judge-panel: tie_break "${params.tie_break}" is neither wrong/right/null nor one of the graders (${graders.join(", ")})`);
  const notes: string[] = [];
  const withVerdicts = rows.filter((r) => r.verdicts);
  if (withVerdicts.length === 0) throw new Error("judge-panel: no row carries per-grader verdicts (row.verdicts)");
  for (const g of graders) {
    if (!withVerdicts.some((r) => g in r.verdicts!)) {
      const seen = [...new Set(withVerdicts.flatMap((r) => Object.keys(r.verdicts!)))].sort();
      throw new Error(`judge-panel: grader "${g}" appears in no row; graders present: ${seen.join(", ")}`);
    }
  }
  const multi = rows.filter((r) => r.sample !== 0).length;
  if (multi) throw new Error(`judge-panel: ${multi} row(s) with sample > 0; the panel analysis expects one response per (item, model)`);

  const models = [...new Set(rows.map((r) => r.model))].sort();
  const items = [...new Set(rows.map((r) => r.item_id))].sort();
  const cell = new Map<string, CanonicalRow>();
  for (const r of rows) cell.set(`${r.item_id}\u0000${r.model}`, r);
  const missing = items.length * models.length - cell.size;
  if (missing) notes.push(`${missing} (item, model) cell(s) absent: treated as no verdict`);
  // votes[item][model][grader]
  const votes: Verdict[][][] = items.map((i) => models.map((m) => {
    const r = cell.get(`${i}\u0000${m}`);
    return graders.map((g) => r?.verdicts?.[g] ?? null);
  }));
  const flatCells = votes.flat();

  const kappa: JudgePanelResult["kappa"] = [];
  for (let a = 0; a < graders.length; a++) {
    for (let b = a + 1; b < graders.length; b++) {
      const k = cohenKappa(flatCells.map((c) => c[a]), flatCells.map((c) => c[b]));
      kappa.push({ a: graders[a], b: graders[b], kappa: k.kappa, n: k.n, se: Math.sqrt(k.variance) });
    }
  }
  // Fleiss needs the same raters on every cell: the cells every grader decided.
  const complete = flatCells.filter((c) => c.every((v) => v !== null)) as (0 | 1)[][];
  const fk = fleissKappa({ ratings: complete });
  notes.push(`Fleiss kappa over the ${complete.length} of ${flatCells.length} cells that every grader decided (unsure dropped)`);

  let ties = 0, tiesBroken = 0, undecided = 0, split = 0;
  const panelVotes: Verdict[][] = votes.map((item) => item.map((c) => {
    const { verdict, tie } = panelVerdict(c, graders, params.tie_break);
    const nonNull = c.filter((v) => v !== null);
    if (nonNull.some((v) => v !== nonNull[0])) split++;
    if (tie) { ties++; if (verdict !== null) tiesBroken++; }
    if (verdict === null) undecided++;
    return verdict;
  }));
  notes.push(`panel majority of ${graders.length} graders, unsure votes abstain; ${split} split cell(s), ${ties} tie(s), ${tiesBroken} broken by ${simple ? `rule "${params.tie_break}"` : params.tie_break}, ${undecided} undecided`);

  const betaOf = (grader: string, perItem: Verdict[][]): GraderBeta => {
    const { allWrong, determined } = determinedBeta(perItem);
    const ci = clopperPearson(allWrong, determined, { level: params.level });
    const accuracy: Record<string, number> = {};
    models.forEach((m, j) => {
      const decided = perItem.map((item) => item[j]).filter((v) => v !== null) as (0 | 1)[];
      accuracy[m] = decided.reduce<number>((s, v) => s + v, 0) / decided.length;
    });
    const unsure = perItem.flat().filter((v) => v === null).length;
    const asRight = perItem.filter((item) => item.every((v) => v === 0)).length / perItem.length;
    const asWrong = perItem.filter((item) => !item.some((v) => v === 1)).length / perItem.length;
    const ignore = ignoreUnsureBeta(perItem);
    return {
      grader, unsure, cells: perItem.flat().length, determined, allWrong, beta: allWrong / determined, lower: ci.lower, upper: ci.upper,
      betaUnsureRight: asRight, betaUnsureWrong: asWrong, betaIgnoreUnsure: ignore.allWrong / ignore.items, accuracy,
    };
  };
  const betas = graders.map((g, gi) => betaOf(g, votes.map((item) => item.map((c) => c[gi]))));
  betas.push(betaOf("panel", panelVotes));

  const itemIndex = new Map(items.map((i, k) => [i, k]));
  const modelIndex = new Map(models.map((m, k) => [m, k]));
  // Text fields are dropped: a free-form answer to a GPQA question can be the reference answer's text, which the
  // GPQA authors ask not to republish; downstream stages need ids and verdicts only.
  const panelRows = rows.map(({ answer: _a, response: _r, gold: _g, ...r }) => ({ ...r, correct: panelVotes[itemIndex.get(r.item_id)!][modelIndex.get(r.model)!] }));
  const ks = kappa.map((k) => k.kappa);
  return {
    result: {
      graders, models, items: items.length, kappa, kappaMin: Math.min(...ks), kappaMax: Math.max(...ks),
      fleiss: { kappa: fk.kappa, cells: complete.length }, panel: { ties, tiesBroken, undecided, split }, betas, notes,
    },
    panelRows,
  };
}

function heatmapSpec(result: JudgePanelResult, name: (g: string) => string, label: string) {
  const values: { a: string; b: string; kappa: number; text: string }[] = [];
  for (const g of result.graders) values.push({ a: name(g), b: name(g), kappa: 1, text: "1" });
  for (const k of result.kappa) {
    values.push({ a: name(k.a), b: name(k.b), kappa: k.kappa, text: k.kappa.toFixed(2) });
    values.push({ a: name(k.b), b: name(k.a), kappa: k.kappa, text: k.kappa.toFixed(2) });
  }
  const order = result.graders.map(name);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 260, height: 260,
    title: `${label}: Cohen's kappa`,
    data: { values },
    encoding: {
      x: { field: "b", type: "nominal", sort: order, title: null, axis: { labelAngle: -30, labelLimit: 160, grid: false, ticks: false, domain: false } },
      y: { field: "a", type: "nominal", sort: order, title: null, axis: { labelLimit: 160, grid: false, ticks: false, domain: false } },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "kappa", type: "quantitative", title: "kappa", scale: { scheme: "viridis", reverse: true, domain: [0.5, 1] } } } },
      {
        mark: { type: "text", fontSize: 12, baseline: "middle", align: "center" },
        encoding: {
          text: { field: "text", type: "nominal" },
          color: { condition: { test: "datum.kappa > 0.8", value: "white" }, value: "black" },
        },
      },
    ],
  };
}

export default defineStage({
  type: "judge-panel",
  description: "Grader agreement (pairwise Cohen kappa, Fleiss kappa), panel-majority verdicts, and beta under each grader and the panel",
  params: Params,
  inputs: {
    table: { kind: "json", schema: CanonicalTable, description: "canonical table(s) whose rows carry per-grader verdicts" },
  },
  outputs: {
    panel: { file: "panel.json", kind: "json", schema: CanonicalTable, description: "the input rows with correct = panel verdict" },
    "table-kappa": { file: "table-kappa.json", kind: "json", schema: Table, description: "pairwise Cohen kappa matrix" },
    table: { file: "table.json", kind: "json", schema: Table, description: "per grader: unsure cells, model accuracies, beta with CP interval" },
    summary: { file: "summary.json", kind: "json" },
    spec: { file: "kappa.vl.json", kind: "json" },
    svg: { file: "kappa.svg", kind: "text" },
    png: { file: "kappa.png", kind: "binary" },
  },
  async run(ctx) {
    const tables = flattenInput(ctx.inputs.table, isCanonicalTableLike, "CanonicalTable") as CanonicalTable[];
    const rows = tables.flatMap((t) => t.rows);
    const { prefix: p, label } = ctx.params;
    const { result: r, panelRows } = judgePanelAnalysis(rows, ctx.params);
    for (const n of r.notes) ctx.log(n);
    const name = (g: string) => ctx.params.display[g] ?? g;
    const lvl = ctx.params.level;

    ctx.publish(`${p}.kappa.min`, r.kappaMin, { format: "fixed:2", description: `${label}: smallest pairwise Cohen kappa among ${r.graders.length} graders` });
    ctx.publish(`${p}.kappa.max`, r.kappaMax, { format: "fixed:2", description: `${label}: largest pairwise Cohen kappa among ${r.graders.length} graders` });
    for (const k of r.kappa) {
      ctx.publish(`${p}.kappa.${idPart(k.a)}.${idPart(k.b)}`, k.kappa, { format: "fixed:2", description: `${label}: Cohen kappa ${k.a} vs ${k.b} over ${k.n} cells (SE ${k.se.toFixed(3)})` });
    }
    ctx.publish(`${p}.fleiss`, r.fleiss.kappa, { format: "fixed:2", description: `${label}: Fleiss kappa of ${r.graders.length} graders over ${r.fleiss.cells} fully decided cells` });
    ctx.publish(`${p}.panel.ties`, r.panel.ties, { format: "int", description: `${label}: cells where the panel's right and wrong votes tie` });
    ctx.publish(`${p}.panel.undecided`, r.panel.undecided, { format: "int", description: `${label}: cells without a panel verdict` });
    for (const b of r.betas) {
      const id = b.grader === "panel" ? `${p}.beta.panel` : `${p}.beta.${idPart(b.grader)}`;
      ctx.publish(id, b.beta, { format: "fixed:3", ci: { lower: b.lower, upper: b.upper, level: lvl, method: "Clopper-Pearson" }, description: `${label}: all-wrong rate of ${r.models.length} models under ${b.grader === "panel" ? "the panel majority" : b.grader} (${b.allWrong}/${b.determined} determined items)` });
      ctx.publish(id.replace(".beta.", ".unsure."), b.unsure, { format: "int", description: `${label}: cells without a verdict from ${b.grader}` });
    }
    const single = r.betas.filter((b) => b.grader !== "panel").map((b) => b.beta);
    ctx.publish(`${p}.beta.grader-range`, Math.max(...single) - Math.min(...single), { format: "fixed:3", description: `${label}: spread of beta across single graders` });

    const kappaOf = (a: string, b: string) => (a === b ? 1 : r.kappa.find((k) => (k.a === a && k.b === b) || (k.a === b && k.b === a))!.kappa);
    const tableKappa: Table = {
      title: `${label}: pairwise Cohen kappa`,
      caption: `Cohen's kappa between graders over the (question, model) cells both decided (unsure dropped); Fleiss kappa ${r.fleiss.kappa.toFixed(3)} over ${r.fleiss.cells} cells decided by all.`,
      columns: [{ key: "grader", label: "grader", align: "left" }, ...r.graders.map((g) => ({ key: g, label: name(g), format: "fixed:2", align: "right" as const }))],
      rows: r.graders.map((a) => ({ grader: name(a), ...Object.fromEntries(r.graders.map((b) => [b, kappaOf(a, b)])) })),
      notes: r.kappa.map((k) => `${name(k.a)} vs ${name(k.b)}: kappa ${k.kappa.toFixed(3)} (SE ${k.se.toFixed(3)}, ${k.n} cells)`),
    };
    const table: Table = {
      title: `${label}: beta under each grader`,
      caption: `All-wrong rate of the ${r.models.length}-model pool under each grader and under the panel majority; an item counts when its status is known (every model wrong, or some model right), with ${Math.round(lvl * 100)}% Clopper-Pearson intervals.`,
      columns: [
        { key: "grader", label: "grader", align: "left" },
        { key: "unsure", label: "unsure cells", format: "int", align: "right" },
        ...r.models.map((m) => ({ key: `acc:${m}`, label: `acc. ${m}`, format: "pct:1", align: "right" as const })),
        { key: "all_wrong", label: "all wrong", format: "int", align: "right" },
        { key: "determined", label: "items", format: "int", align: "right" },
        { key: "beta", label: "beta", format: "fixed:3", align: "right" },
        { key: "ci", label: `${Math.round(lvl * 100)}% CI`, align: "right" },
        { key: "unsure_range", label: "unsure as right / wrong", align: "right" },
      ],
      rows: r.betas.map((b) => ({
        grader: b.grader === "panel" ? "panel majority" : name(b.grader), unsure: b.unsure,
        ...Object.fromEntries(r.models.map((m) => [`acc:${m}`, b.accuracy[m]])),
        all_wrong: b.allWrong, determined: b.determined, beta: b.beta, ci: `${b.lower.toFixed(3)}–${b.upper.toFixed(3)}`,
        unsure_range: b.unsure ? `${b.betaUnsureRight.toFixed(3)} / ${b.betaUnsureWrong.toFixed(3)}` : null,
      })),
      notes: r.notes,
    };
    const panel: CanonicalTable = {
      task: tables[0].task,
      source: { adapter: `judge-panel(${tables.map((t) => t.source.adapter).join("+")})`, files: tables.flatMap((t) => t.source.files) },
      rows: panelRows,
      warnings: tables.flatMap((t) => t.warnings),
    };
    const spec = heatmapSpec(r, name, label);
    return { panel, "table-kappa": tableKappa, table, summary: r, ...(await renderVegaLite(spec as never)) };
  },
});
