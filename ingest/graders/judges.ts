// Judge panel: several graders (LLM judges, humans) per response, kept in `verdicts`; `correct` = the panel majority.
//
// Options: graders (list of verdict names to vote, default every name found in the rows, e.g. judge:deepseek-v3,
// human:ameya); tie ("wrong" | "right" | "null", default "null"): the verdict when as many voters say right as wrong.
// An unsure verdict (null) abstains; a row where every chosen grader abstains gets correct = null. A chosen grader
// missing from a row also abstains. Counts of ties, abstentions and all-abstain rows are reported as warnings.
// The per-grader verdicts stay in the rows (for kappas).
import type { CanonicalRow, Verdict } from "../../core/canonical-table.js";
import type { Grader } from "./types.js";

const judges: Grader = (rows, ctx) => {
  const tie = ctx.options.tie ?? "null";
  if (tie !== "wrong" && tie !== "right" && tie !== "null") throw new Error(`judges grader: option tie must be "wrong", "right" or "null"`);
  const tieVerdict: Verdict = tie === "wrong" ? 0 : tie === "right" ? 1 : null;
  const found = [...new Set(rows.flatMap((r) => Object.keys(r.verdicts ?? {})))].sort();
  const opt = ctx.options.graders;
  if (opt !== undefined && !(Array.isArray(opt) && opt.every((g) => typeof g === "string") && opt.length > 0)) {
    throw new Error(`judges grader: option graders must be a non-empty list of grader names`);
  }
  const chosen = (opt as string[] | undefined) ?? found;
  for (const g of chosen) if (!found.includes(g)) throw new Error(`judges grader: grader "${g}" not found in the rows (found: ${found.join(", ") || "none"})`);
  if (chosen.length === 0) throw new Error("judges grader: rows carry no per-grader verdicts");
  let ties = 0, unsure = 0, allAbstain = 0;
  const out = rows.map((row): CanonicalRow => {
    let right = 0, wrong = 0;
    for (const g of chosen) {
      const v = row.verdicts?.[g];
      if (v === 1) right++;
      else if (v === 0) wrong++;
      else unsure++;
    }
    let correct: Verdict;
    if (right + wrong === 0) { allAbstain++; correct = null; }
    else if (right === wrong) { ties++; correct = tieVerdict; }
    else correct = right > wrong ? 1 : 0;
    return { ...row, correct };
  });
  ctx.warn(`judges: panel of ${chosen.join(", ")}: ${ties} ties (-> ${tie}), ${unsure} unsure or missing verdicts abstained, ${allAbstain} rows with no verdict (-> null)`);
  return out;
};
export default judges;
