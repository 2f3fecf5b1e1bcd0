// Our math grader: extracts the final answer from each response (JSON "answer", else the last
// \boxed{}, else an "Answer:"/"final answer is" line) and counts it right iff the WHOLE answer denotes
// the gold (numerically, after stripping presentation; base-n numerals digit for digit).
// AGREEMENT-NOTES
import type { CanonicalRow } from "../canonical.js";
import { answersMatch, extractFinalAnswer } from "./mathAnswer.js";
import type { Grader } from "./types.js";

/** Extracted answers stored in rows are capped; the full text stays in `response`. */
const ANSWER_MAX = 200;

export function gradeMathRow(row: CanonicalRow): CanonicalRow {
  if (row.gold === undefined) {
    throw new Error(`math grader: row for item "${row.item_id}", model "${row.model}" has no gold answer`);
  }
  const extracted = row.response !== undefined ? extractFinalAnswer(row.response) : row.answer;
  if (extracted === undefined) return { ...row, answer: undefined, correct: 0 };
  return { ...row, answer: extracted.slice(0, ANSWER_MAX), correct: answersMatch(extracted, row.gold) ? 1 : 0 };
}

const grader: Grader = (rows) => rows.map(gradeMathRow);
export default grader;
