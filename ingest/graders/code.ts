// Execution-graded code: reduce a (item, model)'s samples to one verdict by a sample policy.
//
// Input rows are either count rows (pass_count of n_samples, e.g. the LiveCodeBench leaderboard) or per-sample rows
// (source_verdict per sample, e.g. LiveCodeBench submissions); per-sample rows are first folded into one count row
// (sample 0, pass_count / n_samples = passing / drawn samples). Output: one row per (item, model) with the counts kept.
//   first    = the verdict of sample 0 (needs per-sample rows, or n = 1: a count of n > 1 does not say which passed)
//   majority = at least half of the samples pass (pass_count x 2 >= n: a tie counts as a pass, the rule of the
//              dataset's canonical extraction `pass@1 >= 50`)
//   any      = at least one sample passes (pass@n)
//   expected = no single verdict: correct is left unset and pass_count / n_samples are kept, for the pool stages to
//              use the expectation (a random sample is right with probability pass_count / n).
import type { CanonicalRow, SamplePolicy } from "../../core/canonical-table.js";
import { SamplePolicy as SamplePolicySchema } from "../../core/canonical-table.js";
import type { Grader } from "./types.js";

interface Fold { row: CanonicalRow; first?: 0 | 1 | null; pass: number; n: number; perSample: boolean }

const code: Grader = (rows, ctx) => {
  const parsed = SamplePolicySchema.safeParse(ctx.options.policy ?? "majority");
  if (!parsed.success) throw new Error(`code grader: option policy must be one of first, majority, any, expected`);
  const policy: SamplePolicy = parsed.data;
  const groups = new Map<string, Fold>();
  for (const row of rows) {
    const key = `${row.task}\u0000${row.item_id}\u0000${row.model}`;
    const g = groups.get(key);
    if (row.pass_count !== undefined || row.n_samples !== undefined) {
      if (row.pass_count === undefined || row.n_samples === undefined || row.pass_count > row.n_samples) {
        throw new Error(`code grader: item ${row.item_id}, model ${row.model}: pass_count ${row.pass_count} of n_samples ${row.n_samples} is not a count`);
      }
      if (g) throw new Error(`code grader: item ${row.item_id}, model ${row.model}: a count row together with other rows`);
      groups.set(key, { row, pass: row.pass_count, n: row.n_samples, perSample: false, first: row.n_samples === 1 ? (row.pass_count as 0 | 1) : undefined });
      continue;
    }
    const v = row.source_verdict ?? row.correct;
    if (v === undefined || v === null) throw new Error(`code grader: item ${row.item_id}, model ${row.model}, sample ${row.sample}: no verdict and no pass count`);
    if (g && !g.perSample) throw new Error(`code grader: item ${row.item_id}, model ${row.model}: a count row together with other rows`);
    const fold = g ?? { row, pass: 0, n: 0, perSample: true };
    fold.pass += v;
    fold.n += 1;
    if (row.sample === 0) fold.first = v;
    if (row.sample < fold.row.sample) fold.row = row;
    groups.set(key, fold);
  }
  let ties = 0;
  const out: CanonicalRow[] = [];
  for (const f of groups.values()) {
    const { source_verdict: _sv, correct: _c, ...base } = f.row;
    const row: CanonicalRow = { ...base, sample: 0, pass_count: f.pass, n_samples: f.n };
    if (f.row.source_verdict !== undefined && !f.perSample) row.source_verdict = f.row.source_verdict;
    if (policy === "first") {
      if (f.first === undefined || f.first === null) {
        throw new Error(`code grader: policy "first" needs the verdict of sample 0, but item ${f.row.item_id}, model ${f.row.model} has only a count (${f.pass}/${f.n})`);
      }
      row.correct = f.first;
    } else if (policy === "majority") {
      if (2 * f.pass === f.n) ties++;
      row.correct = 2 * f.pass >= f.n ? 1 : 0;
    } else if (policy === "any") {
      row.correct = f.pass > 0 ? 1 : 0;
    }
    out.push(row);
  }
  if (ties > 0) ctx.warn(`code: ${ties} (item, model) pairs pass exactly half their samples; policy majority counts them as passed`);
  return out;
};
export default code;
