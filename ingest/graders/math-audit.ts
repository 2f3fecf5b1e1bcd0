// The audit grader `math-audit`: a second, stronger free-form math grader for the audit of the items every model
// gets wrong (the co-failure events). An all-wrong item is a real co-failure only if no model's answer is in fact
// right; a naive grader manufactures false ones from references written with units, variable names, thousands
// separators, shorthand fractions or ±, or from nested braces a one-level \boxed{} pattern cuts off
// (shared/data/co-failure-ceiling-audit/raw/audit/benchmark_errata.md). This grader extracts the final answer
// (./math-audit-extract.ts), normalizes both sides the way the MATH benchmark does, extended
// (./math-audit-normalize.ts), and decides equivalence by the first rule that applies:
//
//   "no-answer"          no final-answer marker, or an empty answer: not equivalent
//   "normalized-equal"   the normalized strings are equal
//   "pm-expansion"       a side with \pm (\mp, ±) expands to its two values, compared with the other side as an
//                        unordered list ("1 \pm \sqrt{19}" ~ "1-\sqrt{19}, 1+\sqrt{19}")
//   "unordered-list"     both sides are lists (top-level "," or ";", brackets respected, so "(3,4]" is one
//                        element) of the same length whose elements match one to one in any order
//   "numeric"            both are plain numbers (integers, decimals, \frac of two numbers) and agree within
//                        NUMERIC_REL_TOL relative (float noise only: "0.333" is not 1/3); unequal numbers are
//                        "different" without asking the CAS
//   "symbolic"           the computer-algebra fallback proves them equal (./math-audit-cas.ts): same canonical
//                        form, same value, or identical in their free variables
//   "cas-error"          the CAS threw, timed out or could not parse: not equivalent
//   "different"          none of the above
//
// The MATH reference answers in the data are used as they are: a wrong reference (math-l5 item 46, gold 3 where
// the answer is -3) stays a disagreement; it is a benchmark erratum, not a grader defect.
import type { CanonicalRow } from "../../core/canonical-table.js";
import { evaluateMath } from "./math-expr.js";
import { casEquivalent } from "./math-audit-cas.js";
import { extractFinalAnswer, type ExtractOptions } from "./math-audit-extract.js";
import { normalizeMathAnswer } from "./math-audit-normalize.js";
import type { Grader } from "./types.js";

export { extractFinalAnswer, type AnswerMarker, type ExtractedAnswer } from "./math-audit-extract.js";
export { normalizeMathAnswer } from "./math-audit-normalize.js";

export type EquivalenceRule =
  | "no-answer" | "normalized-equal" | "pm-expansion" | "unordered-list" | "numeric" | "symbolic" | "cas-error" | "different";

export interface Equivalence { equivalent: boolean; rule: EquivalenceRule }

/** Relative tolerance of the numeric rule: |a - g| <= NUMERIC_REL_TOL * max(1, |g|). */
export const NUMERIC_REL_TOL = 1e-9;

/** Splits at top-level "," / ";" (not inside (), [], {}, \\begin..\\end); one element when there is none. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && /[{}]/.test(s[i + 1] ?? "")) { i++; continue; }
    if (s.startsWith("\\begin", i)) depth++;
    else if (s.startsWith("\\end", i)) depth = Math.max(0, depth - 1);
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth = Math.max(0, depth - 1);
    else if ((c === "," || c === ";") && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

const PM = /\\pm|\\mp|±/;

/** Both values of each \pm / \mp / ± (the first two of them: at most four values). */
function expandPm(s: string, expanded = 0): string[] {
  const m = PM.exec(s);
  if (!m || expanded === 2) return [s.replace(/^\+/, "")];
  const signs = m[0] === "\\mp" ? ["-", "+"] : ["+", "-"];
  return signs.flatMap((sign) => expandPm(`${s.slice(0, m.index)}${sign}${s.slice(m.index + m[0].length)}`, expanded + 1));
}

const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const PLAIN_FRACTION = /^[-+]?\\frac\{-?\d+(?:\.\d+)?\}\{\d+(?:\.\d+)?\}$/;

/** Value of a plain number or a \frac of two numbers; undefined for anything else (roots, pi, letters). */
function plainNumber(s: string): number | undefined {
  if (!PLAIN_NUMBER.test(s) && !PLAIN_FRACTION.test(s)) return undefined;
  return evaluateMath(s.replace(/^\+/, ""));
}

/** Equivalence of two normalized single answers (no list, no \pm). */
function atomEquivalent(a: string, g: string): Equivalence {
  if (a === g) return { equivalent: true, rule: "normalized-equal" };
  const av = plainNumber(a);
  const gv = plainNumber(g);
  if (av !== undefined && gv !== undefined) {
    const equal = Math.abs(av - gv) <= NUMERIC_REL_TOL * Math.max(1, Math.abs(gv));
    return { equivalent: equal, rule: equal ? "numeric" : "different" };
  }
  const cas = casEquivalent(a, g);
  if (cas === "equal") return { equivalent: true, rule: "symbolic" };
  if (cas === "error") return { equivalent: false, rule: "cas-error" };
  return { equivalent: false, rule: "different" };
}

/** Do the two lists match one to one in some order? (Greedy: each answer element takes the first gold it matches.) */
function listsMatch(as: string[], gs: string[]): boolean {
  if (as.length !== gs.length) return false;
  const free = gs.map(() => true);
  return as.every((a) => {
    const j = gs.findIndex((g, k) => free[k] && atomEquivalent(a, g).equivalent);
    if (j < 0) return false;
    free[j] = false;
    return true;
  });
}

/** Does the answer denote the gold? Both are normalized here; `rule` names the rule that decided. */
export function mathAnswersEquivalent(answer: string, gold: string): Equivalence {
  const a = normalizeMathAnswer(answer);
  const g = normalizeMathAnswer(gold);
  if (a === "") return { equivalent: false, rule: "no-answer" };
  if (a === g) return { equivalent: true, rule: "normalized-equal" };
  const as = splitTopLevel(a);
  const gs = splitTopLevel(g);
  if (PM.test(a) || PM.test(g)) {
    const equal = listsMatch(as.flatMap(expandPm), gs.flatMap(expandPm));
    return { equivalent: equal, rule: equal ? "pm-expansion" : "different" };
  }
  if (as.length > 1 || gs.length > 1) {
    const equal = listsMatch(as, gs);
    return { equivalent: equal, rule: equal ? "unordered-list" : "different" };
  }
  return atomEquivalent(a, g);
}

/** Extracted answers stored in rows are capped; the full text stays in `response`. */
const ANSWER_MAX = 200;

/** One row: extract from the response (or take the row's answer), compare with the gold, record answer and rule. */
export function gradeMathAuditRow(row: CanonicalRow, options: ExtractOptions = {}): CanonicalRow {
  if (row.gold === undefined) {
    throw new Error(`math-audit grader: row for item "${row.item_id}", model "${row.model}" has no gold answer`);
  }
  const extracted = row.response !== undefined
    ? extractFinalAnswer(row.response, options)
    : { answer: row.answer ?? null, marker: row.answer === undefined ? null : ("answer-line" as const) };
  const verdict = extracted.answer === null
    ? { equivalent: false, rule: "no-answer" as const }
    : mathAnswersEquivalent(extracted.answer, row.gold);
  return {
    ...row,
    answer: extracted.answer === null ? undefined : extracted.answer.slice(0, ANSWER_MAX),
    correct: verdict.equivalent ? 1 : 0,
    meta: { ...row.meta, audit_rule: verdict.rule, audit_marker: extracted.marker ?? "none" },
  };
}

/** Options: `lastNumber` (boolean) — fall back to the last number of a response that has no answer marker. */
const grader: Grader = (rows, ctx) => {
  const options: ExtractOptions = { lastNumber: ctx.options.lastNumber === true };
  return rows.map((row) => gradeMathAuditRow(row, options));
};
export default grader;
