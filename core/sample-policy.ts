// Reduces the sample rows of one (item, model) cell to one verdict, following the pool's sample policy.
// A cell's evidence is a number of passing draws C out of N: a sample row counts 1 draw (0 or 1 pass);
// a count row (pass_count of n_samples, e.g. LiveCodeBench pass@1) counts n draws. Null verdicts are no draws.
import type { CanonicalRow, SamplePolicy } from "./canonical-table.js";

export interface CellVerdict {
  /** null = no usable verdict for this cell (treated as a missing cell by the pool). */
  correct: 0 | 1 | null;
  passes: number;
  draws: number;
  /** C / N, only meaningful when draws > 0. */
  passRate: number;
}

/** Our grade wins over the source's verdict; `undefined` means the row was never graded. */
export function rowVerdict(row: CanonicalRow): 0 | 1 | null | undefined {
  if (row.correct !== undefined) return row.correct;
  if (row.source_verdict !== undefined) return row.source_verdict;
  return undefined;
}

const isCountRow = (row: CanonicalRow) => row.pass_count !== undefined && row.n_samples !== undefined;

/**
 * "majority" and "expected" binarise at C/N >= 1/2: a tie counts as right, which is LiveCodeBench's own
 * convention (pass@1 >= 50) and keeps 1-of-2 and 2-of-4 cells from silently becoming all-wrong.
 * "first" takes the lowest-index sample that has a verdict; for a count row without a graded verdict it
 * falls back to the majority rule (a count has no "first" draw).
 */
export function reduceCell(rows: CanonicalRow[], policy: SamplePolicy, where: string): CellVerdict {
  const sorted = [...rows].sort((a, b) => a.sample - b.sample);
  let passes = 0;
  let draws = 0;
  for (const row of sorted) {
    if (isCountRow(row)) {
      if (row.pass_count! > row.n_samples!) throw new Error(`${where}: pass_count ${row.pass_count} > n_samples ${row.n_samples}`);
      passes += row.pass_count!;
      draws += row.n_samples!;
      continue;
    }
    const v = rowVerdict(row);
    if (v === undefined) throw new Error(`${where}: sample ${row.sample} has no verdict (neither correct nor source_verdict): grade the table first`);
    if (v === null) continue;
    passes += v;
    draws += 1;
  }
  const passRate = draws > 0 ? passes / draws : NaN;
  const majority: 0 | 1 | null = draws === 0 ? null : 2 * passes >= draws ? 1 : 0;
  let correct: 0 | 1 | null;
  switch (policy) {
    case "first": {
      const first = sorted.find((r) => { const v = rowVerdict(r); return v === 0 || v === 1 || isCountRow(r); });
      if (!first) correct = null;
      else {
        const v = rowVerdict(first);
        correct = v === 0 || v === 1 ? v : 2 * first.pass_count! >= first.n_samples! ? 1 : 0;
      }
      break;
    }
    case "majority":
    case "expected":
      correct = majority;
      break;
    case "any":
      correct = draws === 0 ? null : passes > 0 ? 1 : 0;
      break;
  }
  return { correct, passes, draws, passRate };
}

/**
 * Normalises a short answer for plurality voting: two answers vote together iff their normal forms are
 * equal. Case, surrounding `$`, `\boxed{}`, whitespace, a trailing period and thousands separators are
 * ignored; numerals compare by value ("2.50" = "2.5"). Empty -> null (no vote).
 */
export function normaliseAnswer(answer: string | undefined): string | null {
  if (answer === undefined) return null;
  let s = answer.normalize("NFKC").trim();
  const boxed = /^\\boxed\{(.*)\}$/s.exec(s);
  if (boxed) s = boxed[1];
  s = s.replace(/^\$+|\$+$/g, "").replace(/\s+/g, "").replace(/\.$/, "").toLowerCase();
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) s = String(Number(s));
  return s === "" ? null : s;
}
