// `agreement`: how often our grader's verdict equals the source's own verdict on a graded table, per
// model and overall, with the disagreeing cells listed (short extracted answers only, never responses).
// Optionally checks the source's per-model accuracy against its printed summary (ZeroEval summary.json).
import { z } from "zod";
import { defineStage, type InputFile } from "../engine/types.js";
import { isSummaryFile, parseZeroEvalSummary, zeroEvalDisplayName } from "../ingest/adapters/zeroeval.js";
import { CanonicalTable, type CanonicalRow } from "../core/canonical-table.js";
import { mergeTables } from "../core/canonical-table.js";

const SHORT = 80;
const short = (s: string | undefined) => (s === undefined ? null : s.length > SHORT ? `${s.slice(0, SHORT - 1)}…` : s);

export const AgreementReport = z.object({
  task: z.string(),
  items: z.number().int(),
  cells: z.number().int(),
  agreementRate: z.number(),
  perModel: z.array(z.object({
    model: z.string(),
    cells: z.number().int(),
    ours: z.number(),
    source: z.number(),
    delta: z.number(),
    summaryAcc: z.number().optional(),
  })),
  disagreements: z.array(z.object({
    item_id: z.string(),
    model: z.string(),
    ourAnswer: z.string().nullable(),
    sourceAnswer: z.string().nullable(),
    gold: z.string().nullable(),
    correct: z.union([z.literal(0), z.literal(1)]),
    source_verdict: z.union([z.literal(0), z.literal(1)]),
  })),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

/** Printed accuracy (fraction) per source model name, from summary files. */
export type SummaryAcc = Map<string, number>;

export function agreementReport(table: CanonicalTable, summary?: SummaryAcc): AgreementReport {
  const compared = table.rows.filter((r): r is CanonicalRow & { correct: 0 | 1; source_verdict: 0 | 1 } =>
    (r.correct === 0 || r.correct === 1) && (r.source_verdict === 0 || r.source_verdict === 1));
  if (compared.length === 0) throw new Error(`agreement ${table.task}: no row has both our verdict and a source verdict`);
  const byModel = new Map<string, typeof compared>();
  for (const r of compared) {
    const list = byModel.get(r.model);
    if (list) list.push(r);
    else byModel.set(r.model, [r]);
  }
  const perModel = [...byModel.keys()].sort().map((model) => {
    const rows = byModel.get(model)!;
    const ours = rows.reduce((s, r) => s + r.correct, 0) / rows.length;
    const source = rows.reduce((s, r) => s + r.source_verdict, 0) / rows.length;
    const sourceModel = typeof rows[0]!.meta?.source_model === "string" ? (rows[0]!.meta.source_model as string) : model;
    const acc = summary?.get(zeroEvalDisplayName(sourceModel)) ?? summary?.get(model);
    return { model, cells: rows.length, ours, source, delta: ours - source, ...(acc === undefined ? {} : { summaryAcc: acc }) };
  });
  const disagreements = compared.filter((r) => r.correct !== r.source_verdict).map((r) => ({
    item_id: r.item_id,
    model: r.model,
    ourAnswer: short(r.answer),
    sourceAnswer: short(typeof r.meta?.source_answer === "string" ? r.meta.source_answer : undefined),
    gold: short(r.gold),
    correct: r.correct,
    source_verdict: r.source_verdict,
  }));
  return {
    task: table.task,
    items: new Set(compared.map((r) => r.item_id)).size,
    cells: compared.length,
    agreementRate: (compared.length - disagreements.length) / compared.length,
    perModel,
    disagreements,
  };
}

function readSummaries(files: InputFile[] | undefined): SummaryAcc | undefined {
  if (!files || files.length === 0) return undefined;
  const out: SummaryAcc = new Map();
  for (const f of files) {
    if (!isSummaryFile(f)) throw new Error(`agreement: input "summary" expects a ZeroEval <task>.summary.json, got ${f.name}`);
    for (const row of parseZeroEvalSummary(f)) out.set(row.model, Number(row.acc) / 100);
  }
  return out;
}

export default defineStage({
  type: "agreement",
  description: "Item-level agreement between our grader and the source's own verdicts",
  params: z.object({}).default({}),
  inputs: {
    table: { kind: "json", description: "graded canonical table (rows with correct and source_verdict)" },
    summary: { kind: "files", optional: true, description: "the source's printed per-model summary (ZeroEval <task>.summary.json)" },
  },
  outputs: { report: { file: "agreement.json", kind: "json", schema: AgreementReport, description: "agreement report" } },
  async run(ctx) {
    const table = mergeTables(ctx.inputs.table);
    const report = agreementReport(table, readSummaries(ctx.inputs.summary as InputFile[] | undefined));
    ctx.publish(`${report.task}.grading.agreement`, report.agreementRate, {
      format: "pct:2",
      description: `agreement of our ${report.task} grader with the source's verdicts (${report.cells} cells)`,
    });
    ctx.publish(`${report.task}.grading.disagreements`, report.disagreements.length, {
      format: "int",
      description: `${report.task} cells where our verdict and the source's differ`,
    });
    ctx.log(`${report.task}: agreement ${(100 * report.agreementRate).toFixed(2)}% over ${report.cells} cells, ${report.disagreements.length} disagreements`);
    return { report };
  },
});
