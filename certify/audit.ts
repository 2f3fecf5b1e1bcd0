// `cofail certify --audit`: the all-wrong audit (audit/RULE.md) on a user's own file before anyone trains a router —
// every all-wrong item with its evidence and class, then the certificate again on the audited verdicts.
import type { CanonicalTable } from "../core/canonical-table.js";
import { buildPoolMatrix } from "../core/build-pool.js";
import { auditPool } from "../audit/audit-pool.js";
import { mathStrongerGrader } from "../audit/math-grader.js";
import { AuditParams, type AuditReport } from "../audit/types.js";
import { certifyMatrix, type Certificate, type CertifyOptions } from "./certificate.js";
import type { CertifySamplePolicy } from "./read-verdicts.js";

export const AUDIT_KINDS = ["math", "choice"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditedCertificate {
  raw: Certificate;
  audit: AuditReport;
  audited: Certificate;
}

/** Params of the audit from --audit <kind> and --audit-param key=value (thresholds of audit/RULE.md). */
export function auditParams(kind: AuditKind, pairs: Record<string, string>): AuditParams {
  const numeric: Record<string, number> = {};
  for (const [k, v] of Object.entries(pairs)) {
    if (!["truncationShare", "consensusShare", "consensusMinModels"].includes(k)) {
      throw new Error(`--audit-param: unknown key "${k}" (expected truncationShare, consensusShare or consensusMinModels)`);
    }
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x)) throw new Error(`--audit-param ${k}: expected a number, got "${v}"`);
    numeric[k] = x;
  }
  const parsed = AuditParams.safeParse({ answers: kind, ...numeric });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`--audit-param ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

export function certifyWithAudit(table: CanonicalTable, params: AuditParams, options: CertifyOptions & { samplePolicy: CertifySamplePolicy }, source: string): AuditedCertificate {
  if (!table.rows.some((r) => r.answer !== undefined) || !table.rows.some((r) => r.gold !== undefined)) {
    throw new Error(`${source}: --audit needs the columns answer and gold (the extracted answer of each row and the reference answer)`);
  }
  const notes: string[] = [...table.warnings];
  const matrix = buildPoolMatrix([table], { name: "certify", sample_policy: options.samplePolicy, models: {}, items: "common" }, (m) => notes.push(m));
  notes.push(...matrix.notes);
  const { report, matrix: audited } = auditPool({ matrix, rows: table.rows, params, errata: [], decisions: [], grader: params.answers === "math" ? mathStrongerGrader : undefined });
  const asInput = (m: typeof matrix, extra: string[]) => ({ source, samplePolicy: options.samplePolicy, models: m.models, correct: m.correct.map((r) => Uint8Array.from(r)), notes: extra });
  return {
    raw: certifyMatrix(asInput(matrix, notes), options),
    audit: report,
    audited: certifyMatrix(asInput(audited, [`audited (audit/RULE.md): ${report.audited.regraded.length} all-wrong item(s) regraded, ${report.audited.removed.length} removed`]), options),
  };
}

export function auditText(a: AuditReport): string {
  const lines = [`all-wrong audit (audit/RULE.md): ${a.raw.allWrong} item(s) every model gets wrong`];
  for (const { evidence: e, verdict: v } of a.items) {
    const modal = e.modal ? `${e.modal.count}/${e.nModels} answer ${e.modal.answer}` : "no answers";
    const accepts = e.available.strongerGrader ? `, stronger grader accepts ${e.strongerAccepts.length}` : "";
    lines.push(`  ${e.item}: gold ${e.gold ?? "?"}; ${modal}${accepts}; truncated ${e.truncated} -> ${v.class} (${v.check === "none" ? v.reason : `${v.check}: ${v.reason}`})`);
  }
  lines.push(`  after the audit: ${a.audited.allWrong} all-wrong of ${a.audited.n} items (${a.audited.regraded.length} regraded, ${a.audited.removed.length} removed)`);
  return lines.join("\n");
}
