// Evidence for every all-wrong item of a pool (audit/RULE.md, "Evidence gathered"): answers, gold, modal wrong answer,
// the stronger grader, truncation signs, passing samples, published errata, human vs LLM judges. Pure.
import type { CanonicalRow } from "../core/canonical-table.js";
import type { PoolMatrix } from "../core/pool-matrix.js";
import { textDigest } from "../core/question-hash.js";
import { errataFor, type Erratum } from "./errata.js";
import type { StrongerGrader } from "./stronger-grader.js";
import { looksTruncated } from "./truncation.js";
import type { AuditParams, ItemEvidence, ModelEvidence } from "./types.js";

export interface EvidenceInput {
  matrix: PoolMatrix;
  /** Graded canonical rows of the pool's models (any samples; sample 0 carries answers and responses). */
  rows: CanonicalRow[];
  params: AuditParams;
  errata: Erratum[];
  grader?: StrongerGrader;
}

/** Items every model of the matrix gets wrong, as column indices. */
export function allWrongItems(matrix: PoolMatrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < matrix.items.length; j++) if (matrix.correct.every((row) => row[j] === 0)) out.push(j);
  return out;
}

/** Answers and gold of a redacted pool are written as digests (never as text). */
export const redact = (answer: string) => (answer.startsWith("sha256:") ? answer : textDigest(answer));

function sourceAnswer(row: CanonicalRow): string | undefined {
  const a = row.meta?.source_answer;
  return typeof a === "string" ? a : undefined;
}

/** The answers a stronger grader may read for one row: ours, the source's, and its own extraction. */
export function candidateAnswers(row: CanonicalRow, grader: StrongerGrader | undefined): string[] {
  const extracted = grader && row.response !== undefined ? grader.extract(row.response) : null;
  return [...new Set([row.answer, sourceAnswer(row), extracted ?? undefined].filter((a): a is string => a !== undefined && a.trim() !== ""))];
}

function graderVerdict(candidates: string[], gold: string, grader: StrongerGrader): { verdict: 0 | 1; rule: string } {
  if (candidates.length === 0) return { verdict: 0, rule: "no answer" };
  let first: string | undefined;
  for (const c of candidates) {
    const r = grader.equivalent(c, gold);
    if (r.equivalent) return { verdict: 1, rule: r.rule };
    first ??= r.rule;
  }
  return { verdict: 0, rule: first! };
}

const humanAccepts = (row: CanonicalRow) => {
  const humans = Object.entries(row.verdicts ?? {}).filter(([k]) => k.startsWith("human:"));
  return { both: humans.length >= 2 && humans.every(([, v]) => v === 1), any: humans.some(([, v]) => v === 1) };
};
const judgeAccepts = (row: CanonicalRow) => Object.entries(row.verdicts ?? {}).some(([k, v]) => k.startsWith("judge:") && v === 1);

export function collectEvidence(input: EvidenceInput): ItemEvidence[] {
  const { matrix, params, grader } = input;
  const byItem = new Map<string, Map<string, CanonicalRow>>();
  for (const r of input.rows) {
    let m = byItem.get(r.item_id);
    if (!m) byItem.set(r.item_id, (m = new Map()));
    const prev = m.get(r.model);
    if (!prev || r.sample < prev.sample) m.set(r.model, r);
  }
  const useGrader = params.answers === "math" ? grader : undefined;
  return allWrongItems(matrix).map((j): ItemEvidence => {
    const item = matrix.items[j]!;
    const rows = byItem.get(item) ?? new Map<string, CanonicalRow>();
    const gold = [...rows.values()].find((r) => r.gold !== undefined)?.gold ?? null;
    const strongerAccepts: string[] = [];
    let humansBoth = 0, humansAny = 0, judgesAny = 0, truncated = 0, samplesPassed: number | null = matrix.passCount ? 0 : null;
    const answersForModal: { raw: string; key: string }[] = [];
    const models = matrix.models.map((model, m): ModelEvidence => {
      const row = rows.get(model);
      const candidates = row ? candidateAnswers(row, useGrader) : [];
      const answer = candidates[0] ?? null;
      const trunc = row?.response !== undefined ? looksTruncated(row.response, answer !== null) : answer !== null ? false : null;
      if (trunc) truncated++;
      let stronger: 0 | 1 | null = null, strongerRule: string | null = null;
      if (row && useGrader && gold !== null) {
        const v = graderVerdict(candidates, gold, useGrader);
        stronger = v.verdict; strongerRule = v.rule;
      } else if (row && params.answers === "free-response" && row.verdicts) {
        const h = humanAccepts(row);
        if (h.both) humansBoth++;
        if (h.any) humansAny++;
        if (judgeAccepts(row)) judgesAny++;
        stronger = h.both ? 1 : 0; strongerRule = h.both ? "both human graders accept" : "not accepted by both humans";
      }
      if (stronger === 1) strongerAccepts.push(model);
      if (answer !== null) answersForModal.push({ raw: answer, key: useGrader ? useGrader.normalize(answer) : answer.trim().toLowerCase() });
      const passCount = matrix.passCount?.[m]?.[j] ?? null;
      if (samplesPassed !== null && passCount !== null) samplesPassed += passCount;
      return {
        model,
        answer: answer === null ? null : params.redactAnswers ? redact(answer) : answer,
        responseChars: row?.response !== undefined ? row.response.length : null,
        truncated: trunc,
        stronger, strongerRule,
        passCount, nSamples: matrix.nSamples?.[m]?.[j] ?? null,
      };
    });
    const groups = new Map<string, { raw: string; count: number }>();
    for (const a of answersForModal) {
      const g = groups.get(a.key);
      if (g) g.count++;
      else groups.set(a.key, { raw: a.raw, count: 1 });
    }
    // Most frequent answer; ties by its text so the choice is deterministic.
    const top = [...groups.values()].sort((a, b) => b.count - a.count || (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0))[0];
    const modal = top ? { answer: params.redactAnswers ? redact(top.raw) : top.raw, count: top.count, share: top.count / matrix.models.length } : null;
    const modalStronger = top && useGrader && gold !== null ? (useGrader.equivalent(top.raw, gold).equivalent ? 1 : 0) : null;
    const qh = [...rows.values()].map((r) => r.meta?.question_sha256).find((h): h is string => typeof h === "string");
    const anyRow = [...rows.values()];
    const sourceVerdicts = anyRow.filter((r) => r.source_verdict !== undefined && r.source_verdict !== null);
    return {
      item, gold: gold === null ? null : params.redactAnswers ? redact(gold) : gold,
      nModels: matrix.models.length,
      models,
      answered: answersForModal.length,
      modal, modalStronger, truncated, strongerAccepts, samplesPassed,
      sourceAccepts: sourceVerdicts.length ? sourceVerdicts.filter((r) => r.source_verdict === 1 && matrix.models.includes(r.model)).length : null,
      errata: errataFor(input.errata, item, qh),
      judges: params.answers === "free-response" ? { bothHumans: humansBoth, anyHuman: humansAny, anyJudge: judgesAny } : null,
      available: {
        responses: anyRow.some((r) => r.response !== undefined),
        answers: answersForModal.length > 0,
        gold: gold !== null,
        strongerGrader: (useGrader !== undefined && gold !== null) || (params.answers === "free-response" && anyRow.some((r) => r.verdicts !== undefined)),
        errataSource: params.errata.length > 0,
        passCounts: matrix.passCount !== undefined,
      },
    };
  });
}
