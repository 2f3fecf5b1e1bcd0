// One pool's audit end to end (pure): evidence for every all-wrong item, its class by audit/RULE.md (or a person's
// decision), the audited matrix and the counts. The stage only reads files and writes outputs.
import type { CanonicalRow } from "../core/canonical-table.js";
import type { PoolMatrix } from "../core/pool-matrix.js";
import { auditedMatrix } from "./audited-matrix.js";
import { classifyItem } from "./classify.js";
import { allWrongItems, candidateAnswers, collectEvidence } from "./evidence.js";
import type { Erratum } from "./errata.js";
import type { StrongerGrader } from "./stronger-grader.js";
import { AUDIT_CLASSES, type Adjudication, type AuditParams, type AuditReport, type ItemVerdict } from "./types.js";

export interface AuditPoolInput {
  matrix: PoolMatrix;
  rows: CanonicalRow[];
  params: AuditParams;
  errata: Erratum[];
  decisions: (Adjudication & { file?: string })[];
  grader?: StrongerGrader;
}

export interface AuditPoolResult { report: AuditReport; matrix: PoolMatrix }

export function auditPool(input: AuditPoolInput): AuditPoolResult {
  const { matrix, params } = input;
  const evidence = collectEvidence(input);
  const byItem = new Map(evidence.map((e) => [e.item, e]));
  const decisions = new Map<string, Adjudication & { file?: string }>();
  for (const d of input.decisions) {
    if (d.pool !== matrix.pool) continue;
    if (!byItem.has(d.item)) {
      const known = matrix.items.includes(d.item);
      throw new Error(`${d.file ?? "adjudications"}: the decision for pool ${d.pool}, item ${d.item}: ${known ? "not an all-wrong item of the pool (only all-wrong items are audited)" : "no such item in the pool"}`);
    }
    decisions.set(d.item, d);
  }
  const verdicts = evidence.map((e) => classifyItem(e, params, decisions.get(e.item)));

  // Who is right after the audit: the stronger grader's accepts (grader defect), or the models giving the correction.
  const rows = new Map<string, CanonicalRow>();
  for (const r of input.rows) {
    const k = `${r.item_id}\u0000${r.model}`;
    const prev = rows.get(k);
    if (!prev || r.sample < prev.sample) rows.set(k, r);
  }
  const grader = params.answers === "math" ? input.grader : undefined;
  const sameAnswer = (a: string, b: string) => (grader ? grader.equivalent(a, b).equivalent : a.trim().toLowerCase() === b.trim().toLowerCase());
  const becomeRight = (item: string, v: ItemVerdict): string[] => {
    const ev = byItem.get(item)!;
    if (v.class === "grader defect") return ev.strongerAccepts;
    const corrected = v.correctedAnswer;
    if (corrected === null) return [];
    return matrix.models.filter((m) => {
      const row = rows.get(`${item}\u0000${m}`);
      return row !== undefined && candidateAnswers(row, grader).some((a) => sameAnswer(a, corrected));
    });
  };
  const audited = auditedMatrix(matrix, verdicts, becomeRight);
  const counts: Record<string, number> = Object.fromEntries(AUDIT_CLASSES.map((c) => [c, 0]));
  for (const v of verdicts) counts[v.class]!++;
  counts.person = verdicts.filter((v) => v.by === "person").length;
  const report: AuditReport = {
    pool: matrix.pool,
    nItems: matrix.items.length,
    nModels: matrix.models.length,
    params,
    items: evidence.map((e, i) => ({ evidence: e, verdict: verdicts[i]! })),
    counts,
    raw: { allWrong: evidence.length, n: matrix.items.length },
    audited: { allWrong: allWrongItems(audited.matrix).length, n: audited.matrix.items.length, removed: audited.removed, regraded: audited.regraded },
    notes: [],
  };
  return { report, matrix: audited.matrix };
}
