// `audit`: every all-wrong item of one pool, with its evidence and its class by audit/RULE.md (or a researcher's
// decision), and the audited pool matrix `<pool>-audited` that the analyses run on beside the raw one.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { defineStage, type InputFile, type StageContext } from "../engine/types.js";
import { CanonicalTable } from "../core/canonical-table.js";
import { flattenInput, isCanonicalTableLike } from "../core/inputs.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { Table } from "../core/table.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { auditPool } from "../audit/audit-pool.js";
import { gpqaStemHashes, parseCfcAdjudications, parseGpqaOpenLabels, parseGsm8kErrata, type Erratum } from "../audit/errata.js";
import { mathStrongerGrader } from "../audit/math-grader.js";
import { AUDIT_CLASSES, AuditParams, AuditReport, Adjudication } from "../audit/types.js";

const Decisions = z.array(Adjudication.extend({ file: z.string() }));

function fileEndingWith(files: InputFile[], suffix: string, why: string): InputFile {
  const f = files.find((x) => x.name.endsWith(suffix));
  if (!f) throw new Error(`audit: input "errata" has no file ending in ${suffix} (needed for ${why}); got ${files.map((x) => x.name).join(", ") || "none"}`);
  return f;
}
const text = (f: InputFile) => readFileSync(f.path, "utf8");

function loadErrata(params: AuditParams, files: InputFile[], ctx: StageContext): Erratum[] {
  const out: Erratum[] = [];
  for (const source of params.errata) {
    if (source === "gsm8k-errata") {
      const f = fileEndingWith(files, "gsm8k-errata/errata.csv", source);
      out.push(...parseGsm8kErrata(text(f), f.name));
    } else if (source === "cfc-adjudication") {
      const r = fileEndingWith(files, "audit/adjudication_result.json", source);
      const i = fileEndingWith(files, "audit/adjudication_items.json", source);
      out.push(...parseCfcAdjudications(text(r), text(i), { result: r.name, items: i.name }));
    } else {
      const q = fileEndingWith(files, "GPQA_Questions.csv", source);
      const v2 = fileEndingWith(files, "gpqa_open_v2/items_v2.json", source);
      const join = fileEndingWith(files, "gpqaopen_to_gpqa_record_id.csv", source);
      const labels = parseGpqaOpenLabels(text(v2), text(join), gpqaStemHashes(text(q), q.name), { items: v2.name, join: join.name });
      ctx.log(`GPQA v2 labels: ${labels.byHash} matched by stem hash, ${labels.byJoin} through the published join table, ${labels.unmatched.length} unmatched`);
      out.push(...labels.errata);
    }
  }
  return out;
}

const slug = (c: string) => c.replace(/\s+/g, "-");

function itemsTable(report: AuditReport): Table {
  return {
    title: `All-wrong items of pool ${report.pool}`,
    caption: `Every item all ${report.nModels} models get wrong, its evidence, and the first check that removes it (audit/RULE.md).`,
    columns: [
      { key: "item", label: "Item", align: "left" },
      { key: "gold", label: "Gold", align: "left" },
      { key: "modal", label: "Modal wrong answer", align: "left" },
      { key: "modalCount", label: "Models giving it", format: "int", align: "right" },
      { key: "accepts", label: "Stronger grader accepts", format: "int", align: "right" },
      { key: "source", label: "Source grader accepts", format: "int", align: "right" },
      { key: "truncated", label: "Truncated", format: "int", align: "right" },
      { key: "passed", label: "Samples passed", format: "int", align: "right" },
      ...(report.params.answers === "free-response" ? [{ key: "judges", label: "Accepted by both humans / a human / an LLM judge", align: "left" as const }] : []),
      { key: "errata", label: "Published errata", align: "left" },
      { key: "class", label: "Class", align: "left" },
      { key: "by", label: "Decided by", align: "left" },
    ],
    rows: report.items.map(({ evidence: e, verdict: v }) => ({
      item: e.item,
      gold: e.gold,
      modal: e.modal?.answer ?? null,
      modalCount: e.modal?.count ?? null,
      accepts: e.available.strongerGrader ? e.strongerAccepts.length : null,
      source: e.sourceAccepts,
      truncated: e.truncated,
      passed: e.samplesPassed,
      ...(e.judges ? { judges: `${e.judges.bothHumans} / ${e.judges.anyHuman} / ${e.judges.anyJudge} of ${e.nModels}` } : {}),
      errata: e.errata.map((x) => `${x.ref} (${x.status})`).join("; ") || null,
      class: v.class,
      by: v.by === "person" ? `person (${v.who})` : `rule: ${v.check}`,
    })),
    notes: [
      `${report.raw.allWrong} all-wrong of ${report.raw.n} items; after the audit ${report.audited.allWrong} of ${report.audited.n} (${report.audited.regraded.length} regraded, ${report.audited.removed.length} removed).`,
      ...(report.params.redactAnswers ? ["Answers and gold are shown as hashes: they would quote benchmark content."] : []),
    ],
  };
}

export default defineStage({
  type: "audit",
  description: "Every all-wrong item of a pool with its evidence and class (audit/RULE.md), and the audited pool matrix",
  params: AuditParams,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the raw pool matrix from `pool`" },
    tables: { kind: "json", schema: CanonicalTable, description: "the graded canonical table(s) the pool was built from" },
    decisions: { kind: "json", schema: Decisions, optional: true, description: "a researcher's decisions for this pool (`adjudications`)" },
    errata: { kind: "files", optional: true, description: "published errata files (gsm8k-errata, co-failure-ceiling-audit, GPQA stems)" },
  },
  outputs: {
    report: { file: "report.json", kind: "json", schema: AuditReport, description: "evidence and verdict per all-wrong item, counts, raw vs audited beta" },
    matrix: { file: "matrix.json", kind: "json", schema: PoolMatrix, description: "the audited pool matrix (<pool>-audited)" },
    table: { file: "table.json", kind: "json", schema: Table, description: "the all-wrong items table" },
  },
  codeFiles: () => ["audit/RULE.md"],
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix;
    const tables = flattenInput(ctx.inputs.tables, isCanonicalTableLike, "CanonicalTable") as CanonicalTable[];
    const errata = loadErrata(ctx.params, (ctx.inputs.errata as InputFile[] | undefined) ?? [], ctx);
    const { report, matrix: audited } = auditPool({
      matrix, rows: tables.flatMap((t) => t.rows), params: ctx.params, errata,
      decisions: (ctx.inputs.decisions as z.infer<typeof Decisions> | undefined) ?? [],
      grader: ctx.params.answers === "math" ? mathStrongerGrader : undefined,
    });
    const p = matrix.pool;
    const on = `on pool ${p}`;
    ctx.publish(`${p}.audit.allwrong`, report.raw.allWrong, { format: "int", description: `all-wrong items audited ${on}` });
    for (const c of AUDIT_CLASSES) ctx.publish(`${p}.audit.count.${slug(c)}`, report.counts[c]!, { format: "int", description: `all-wrong items classed ${c} ${on} (audit/RULE.md)` });
    ctx.publish(`${p}.audit.byperson`, report.counts.person!, { format: "int", description: `all-wrong items decided by a person (data/adjudications.yaml) ${on}` });
    const sourceSplit = report.items.filter((i) => (i.evidence.sourceAccepts ?? 0) > 0).length;
    if (report.items.some((i) => i.evidence.sourceAccepts !== null)) {
      ctx.publish(`${p}.audit.source.accepts`, sourceSplit, { format: "int", description: `all-wrong items on which the source's own grader marks some model right ${on}` });
    }
    ctx.publish(`${p}.audit.removed`, report.audited.removed.length, { format: "int", description: `all-wrong items removed by the audit ${on}` });
    ctx.publish(`${p}.audit.regraded`, report.audited.regraded.length, { format: "int", description: `all-wrong items regraded by the audit ${on}` });
    const ci = clopperPearson(report.audited.allWrong, report.audited.n, { level: 0.95 });
    ctx.publish(`${p}.beta.audited`, report.audited.allWrong / report.audited.n, {
      format: "fixed:3", description: `all-wrong rate beta after the audit ${on} (${report.audited.allWrong} of ${report.audited.n} items)`,
      ci: { lower: ci.lower, upper: ci.upper, level: 0.95, method: "Clopper-Pearson" },
    });
    ctx.publish(`${p}.beta.audited.count`, report.audited.allWrong, { format: "int", description: `all-wrong items after the audit ${on}` });
    ctx.log(`${report.raw.allWrong} all-wrong: ${AUDIT_CLASSES.filter((c) => report.counts[c]).map((c) => `${c} ${report.counts[c]}`).join(", ")}; audited ${report.audited.allWrong}/${report.audited.n}`);
    return { report, matrix: audited, table: itemsTable(report) };
  },
});
