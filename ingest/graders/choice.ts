// Multiple-choice grader: the row's letter vs the gold letter.
//
// Letter: when the source already extracted one (`answer` is a single option letter) it is used as is (option
// prefer = "source", default); with a `response`, we also extract our own letter and report how often the two
// agree (prefer = "extracted" uses ours instead). Extraction, first rule that matches wins:
//   1. the last "Answer: X" / "answer is X" / "Answer - (X)" (also **Answer:** and "final answer"),
//   2. the last \boxed{X},
//   3. the last parenthesised letter "(X)",
//   4. the last standalone letter among the options (a word of its own: "B." or "B" but not the "A" of "A cat").
// A row without a letter is wrong (correct = 0), like the sources count "no clear option". Without a gold letter the
// row keeps source_verdict as its verdict (counted in a warning); without either, correct = null.
// Option letters (default "ABCD").
import type { CanonicalRow } from "../../core/canonical-table.js";
import type { Grader } from "./types.js";

function escapeClass(letters: string): string {
  return letters.replace(/[\\\]^-]/g, "\\$&");
}

/** The option letter a free-text response commits to, or undefined. */
export function extractChoice(response: string, letters = "ABCD"): string | undefined {
  const L = `[${escapeClass(letters)}]`;
  const rules = [
    new RegExp(`(?:final\\s+)?answer(?:\\s+is)?\\s*(?:\\*\\*)?\\s*[:：\\-]?\\s*(?:\\*\\*)?\\s*(?:option\\s+)?[(\\[]?(${L})[)\\]]?(?![A-Za-z])`, "gi"),
    new RegExp(`\\\\boxed\\{\\s*(?:\\\\text\\{)?\\(?(${L})\\)?\\}?\\s*\\}`, "g"),
    new RegExp(`\\((${L})\\)`, "g"),
    new RegExp(`(?<![A-Za-z0-9'’])(${L})(?![A-Za-z0-9'’])(?!\\s+[a-z])`, "g"),
  ];
  for (const re of rules) {
    let last: string | undefined;
    for (const m of response.matchAll(re)) last = m[1];
    if (last !== undefined) return last.toUpperCase();
  }
  return undefined;
}

const choice: Grader = (rows, ctx) => {
  const letters = typeof ctx.options.letters === "string" ? ctx.options.letters : "ABCD";
  const prefer = ctx.options.prefer ?? "source";
  if (prefer !== "source" && prefer !== "extracted") throw new Error(`choice grader: option prefer must be "source" or "extracted"`);
  const isLetter = (s: string | undefined) => s !== undefined && s.length === 1 && letters.includes(s.toUpperCase());
  let compared = 0, agreed = 0, noGold = 0, noVerdict = 0, noLetter = 0;
  const out = rows.map((row): CanonicalRow => {
    const source = isLetter(row.answer?.trim()) ? row.answer!.trim().toUpperCase() : undefined;
    const ours = row.response !== undefined ? extractChoice(row.response, letters) : undefined;
    if (source !== undefined && row.response !== undefined) {
      compared++;
      if (ours === source) agreed++;
    }
    const letter = prefer === "extracted" && row.response !== undefined ? ours : source ?? ours;
    const gold = row.gold?.trim().toUpperCase();
    let correct: CanonicalRow["correct"];
    if (gold !== undefined && isLetter(gold)) {
      if (letter === undefined) noLetter++;
      correct = letter === gold ? 1 : 0;
    } else if (row.source_verdict !== undefined) {
      noGold++;
      correct = row.source_verdict;
    } else {
      noVerdict++;
      correct = null;
    }
    const graded: CanonicalRow = { ...row, correct };
    if (letter !== undefined) graded.answer = letter;
    return graded;
  });
  if (compared > 0) ctx.warn(`choice: our letter extraction agrees with the source's letter on ${agreed}/${compared} rows (${((100 * agreed) / compared).toFixed(1)} %)`);
  if (noLetter > 0) ctx.warn(`choice: ${noLetter} rows have no option letter (graded wrong)`);
  if (noGold > 0) ctx.warn(`choice: ${noGold} rows have no gold letter: kept the source verdict`);
  if (noVerdict > 0) ctx.warn(`choice: ${noVerdict} rows have neither gold letter nor source verdict: correct = null`);
  return out;
};
export default choice;
