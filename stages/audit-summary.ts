// `audit-summary`: every pool's audit report and raw + audited co-failure rows -> the two tables of the audit, in the
// style of the original study's tab:trace (all-wrong events by the first check that removes them) and tab:cert
// (the certificate before and after the audit).
import { z } from "zod";
import { defineStage, type StageContext } from "../engine/types.js";
import { flattenInput } from "../core/inputs.js";
import { sortByPoolOrder } from "../core/pool-order.js";
import { isPoolRow, PoolRow } from "../core/pool-row.js";
import { Table } from "../core/table.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { AUDIT_CLASSES, AuditReport } from "../audit/types.js";

const Params = z.object({
  order: z.array(z.string()).optional(),
  auditedSuffix: z.string().default("-audited"),
}).strict();

const isReport = (x: unknown): x is AuditReport => x !== null && typeof x === "object" && Array.isArray((x as { items?: unknown }).items) && typeof (x as { pool?: unknown }).pool === "string";
const slug = (c: string) => c.replace(/\s+/g, "-");

export function traceTable(reports: AuditReport[]): Table {
  return {
    title: "All-wrong items by the first check that removes them",
    caption: "Per pool: items every model gets wrong, attributed to the first check of audit/RULE.md that removes them " +
      "(person = a decision in data/adjudications.yaml); genuine = every check ran and none removed it; unaudited = some check lacked its evidence.",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "allWrong", label: "All-wrong", format: "int", align: "right" },
      { key: "person", label: "Person", format: "int", align: "right" },
      ...AUDIT_CLASSES.map((c) => ({ key: slug(c), label: c[0]!.toUpperCase() + c.slice(1), format: "int", align: "right" as const })),
      { key: "after", label: "After audit", align: "right" },
    ],
    rows: reports.map((r) => ({
      pool: r.pool,
      allWrong: r.raw.allWrong,
      person: r.counts.person ?? 0,
      ...Object.fromEntries(AUDIT_CLASSES.map((c) => [slug(c), r.items.filter((i) => i.verdict.class === c && i.verdict.by === "rule").length])),
      after: `${r.audited.allWrong} / ${r.audited.n}`,
    })),
    notes: ["Class columns count the items decided by rule; items decided by a person are in the Person column."],
  };
}

export function certTable(reports: AuditReport[], raw: Map<string, PoolRow>, audited: Map<string, PoolRow>): Table {
  return {
    title: "The certificate before and after the audit",
    caption: "m/n: models and items. Single best: its accuracy and the Bonferroni lower limit (delta/(2M), delta = 0.05). Oracle = 1 - beta; " +
      "G = oracle - single best. All-wrong: raw -> after the audit. beta upper: two-sided 95% Clopper–Pearson upper limit of the audited beta. " +
      "Certified max gain: (1 - beta's one-sided lower limit at delta/2) - the best's lower limit, raw and audited.",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "mn", label: "m/n", align: "right" },
      { key: "best", label: "Single best", format: "pct:1", align: "right" },
      { key: "bestLower", label: "Best lower", format: "pct:1", align: "right" },
      { key: "oracle", label: "Oracle", format: "pct:1", align: "right" },
      { key: "gain", label: "G", format: "pct:1", align: "right" },
      { key: "allWrong", label: "All-wrong raw -> audited", align: "right" },
      { key: "betaUpper", label: "beta upper (audited)", format: "fixed:3", align: "right" },
      { key: "certRaw", label: "Cert. max gain raw", format: "pct:1", align: "right" },
      { key: "certAudited", label: "Cert. max gain audited", format: "pct:1", align: "right" },
    ],
    rows: reports.map((r) => {
      const a = audited.get(r.pool);
      const w = raw.get(r.pool);
      if (!a || !w) throw new Error(`audit-summary: pool ${r.pool} needs both its raw and its audited cofailure row (got ${w ? "raw" : "no raw"}, ${a ? "audited" : "no audited"})`);
      return {
        pool: r.pool,
        mn: `${a.nModels}/${a.nItems}`,
        best: a.best.accuracy,
        bestLower: a.certificate95.bestAccuracyLower,
        oracle: a.oracle,
        gain: a.headroom,
        allWrong: `${w.allWrong} -> ${a.allWrong}`,
        betaUpper: a.cp95.upper,
        certRaw: w.certificate95.maxGain,
        certAudited: a.certificate95.maxGain,
      };
    }),
    notes: ["The audited columns are computed on the audited matrix (audit/RULE.md): grader defects and corrected references regraded, undecidable items removed."],
  };
}

function publishTotals(ctx: StageContext, reports: AuditReport[]): void {
  const sum = (f: (r: AuditReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  const pools = `over the ${reports.length} audited pools`;
  ctx.publish("audit.allwrong.total", sum((r) => r.raw.allWrong), { format: "int", description: `all-wrong items ${pools}` });
  ctx.publish("audit.allwrong.after.total", sum((r) => r.audited.allWrong), { format: "int", description: `all-wrong items after the audit ${pools}` });
  for (const c of AUDIT_CLASSES) ctx.publish(`audit.count.${slug(c)}.total`, sum((r) => r.counts[c] ?? 0), { format: "int", description: `all-wrong items classed ${c} ${pools}` });
  ctx.publish("audit.byperson.total", sum((r) => r.counts.person ?? 0), { format: "int", description: `all-wrong items decided by a person ${pools}` });
  const removedByRule = sum((r) => r.items.filter((i) => i.verdict.class !== "genuine" && i.verdict.class !== "unaudited").length);
  ctx.publish("audit.removed.total", removedByRule, { format: "int", description: `all-wrong items some check removes (not genuine, not unaudited) ${pools}` });
  // The pooled share of audited items that turn out not to be co-failures, with its exact interval.
  const audited = sum((r) => r.items.filter((i) => i.verdict.class !== "unaudited").length);
  if (audited > 0) {
    const ci = clopperPearson(removedByRule, audited, { level: 0.95 });
    ctx.publish("audit.artifact.share", removedByRule / audited, {
      format: "pct:0", description: `share of the audited (not unaudited) all-wrong items that a check removes ${pools}`,
      ci: { lower: ci.lower, upper: ci.upper, level: 0.95, method: "Clopper-Pearson" },
    });
  }
}

export default defineStage({
  type: "audit-summary",
  description: "All pools' audits -> the trace table (all-wrong by first check) and the certificate table (raw vs audited)",
  params: Params,
  inputs: {
    reports: { kind: "json", schema: AuditReport, description: "audit-<pool>.report" },
    rows: { kind: "json", schema: PoolRow, description: "cofailure rows of the raw and the audited pools" },
  },
  outputs: {
    trace: { file: "trace.json", kind: "json", schema: Table, description: "tab:trace: all-wrong items by the first check that removes them" },
    cert: { file: "cert.json", kind: "json", schema: Table, description: "tab:cert: the certificate before and after the audit" },
  },
  async run(ctx) {
    const reports = sortByPoolOrder(flattenInput(ctx.inputs.reports, isReport, "audit report"), ctx.params.order);
    const rows = flattenInput(ctx.inputs.rows, isPoolRow, "pool row");
    const suffix = ctx.params.auditedSuffix;
    const audited = new Map(rows.filter((r) => r.pool.endsWith(suffix)).map((r) => [r.pool.slice(0, -suffix.length), r]));
    const raw = new Map(rows.filter((r) => !r.pool.endsWith(suffix)).map((r) => [r.pool, r]));
    publishTotals(ctx, reports);
    return { trace: traceTable(reports), cert: certTable(reports, raw, audited) };
  },
});
