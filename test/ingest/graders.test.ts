import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanonicalRow } from "../../core/canonical-table.js";
import choice, { extractChoice } from "../../ingest/graders/choice.js";
import code from "../../ingest/graders/code.js";
import judges from "../../ingest/graders/judges.js";
import gpqaRotations from "../../ingest/adapters/gpqa-rotations.js";
import livecodebench from "../../ingest/adapters/livecodebench.js";
import answerMatching from "../../ingest/adapters/answer-matching.js";
import { mirror, runAdapter } from "../support/adapter-harness.js";
import { readdirSync } from "node:fs";
import { mirrorDir } from "../support/adapter-harness.js";

function grade(grader: typeof choice, rows: CanonicalRow[], options: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  return { rows: grader(rows, { options, warn: (m) => warnings.push(m) }), warnings };
}
const row = (extra: Partial<CanonicalRow>): CanonicalRow => ({ task: "t", item_id: "i1", model: "m", sample: 0, provider: "p", ...extra });

test("extractChoice: answer lines, boxed, parenthesised and standalone letters; no letter -> undefined", () => {
  const cases: [string, string | undefined][] = [
    ["Reasoning...\nAnswer: B", "B"],
    ["**Answer:** (C)", "C"],
    ["The answer is D.", "D"],
    ["Final answer: **A) the first**", "A"],
    ["I rule out (A); so (C).", "C"],
    ["\\boxed{B}", "B"],
    ["A cat sat on the mat, so B", "B"],
    ["Answer: A ... on reflection, Answer: D", "D"],
    ["no option letter here at all", undefined],
  ];
  for (const [text, want] of cases) assert.equal(extractChoice(text), want, text);
  assert.equal(extractChoice("Answer: F", "ABCDEF"), "F");
});

test("choice grader: source letter vs gold, extraction agreement reported, fallbacks explicit", () => {
  const rows = [
    row({ answer: "B", gold: "B", response: "Answer: B" }),
    row({ item_id: "i2", answer: "C", gold: "B", response: "Answer: B" }),
    row({ item_id: "i3", gold: "A", response: "Answer: A" }),
    row({ item_id: "i4", source_verdict: 1 }),
    row({ item_id: "i5", gold: "D" }),
  ];
  const { rows: out, warnings } = grade(choice, rows);
  assert.deepEqual(out.map((r) => r.correct), [1, 0, 1, 1, 0]);
  assert.ok(warnings.some((w) => /agrees with the source's letter on 1\/2 rows/.test(w)));
  assert.ok(warnings.some((w) => /1 rows have no gold letter: kept the source verdict/.test(w)));
  assert.ok(warnings.some((w) => /1 rows have no option letter/.test(w)));
  const ours = grade(choice, rows, { prefer: "extracted" });
  assert.equal(ours.rows[1].correct, 1);
});

test("choice grader on gpqa-mc-rotations reproduces the source verdicts exactly", async () => {
  const runs = readdirSync(`${mirrorDir}/gpqa-mc-rotations/raw`).map((f) => mirror(`gpqa-mc-rotations/raw/${f.replace(/\.gz$/, "")}`));
  const { rows } = await runAdapter(gpqaRotations, [mirror("answer-matching/raw/src/upload_data/gpqa-diamond-freeform.csv"), ...runs]);
  const { rows: graded } = grade(choice, rows);
  assert.equal(graded.filter((r) => r.correct !== r.source_verdict).length, 0);
});

test("code grader: policies over counts and per-sample rows", () => {
  const counts = [row({ pass_count: 5, n_samples: 10 }), row({ item_id: "i2", pass_count: 1, n_samples: 10 }), row({ item_id: "i3", pass_count: 1, n_samples: 1 })];
  const majority = grade(code, counts, { policy: "majority" });
  assert.deepEqual(majority.rows.map((r) => r.correct), [1, 0, 1]);
  assert.match(majority.warnings[0], /1 \(item, model\) pairs pass exactly half/);
  assert.deepEqual(grade(code, counts, { policy: "any" }).rows.map((r) => r.correct), [1, 1, 1]);
  const expected = grade(code, counts, { policy: "expected" }).rows;
  assert.deepEqual(expected.map((r) => [r.correct, r.pass_count, r.n_samples]), [[undefined, 5, 10], [undefined, 1, 10], [undefined, 1, 1]]);
  assert.throws(() => grade(code, counts, { policy: "first" }), /policy "first" needs the verdict of sample 0/);
  const perSample = [row({ sample: 1, source_verdict: 1 }), row({ sample: 0, source_verdict: 0 }), row({ sample: 2, source_verdict: 1 })];
  const first = grade(code, perSample, { policy: "first" }).rows;
  assert.deepEqual(first.map((r) => [r.sample, r.correct, r.pass_count, r.n_samples]), [[0, 0, 2, 3]]);
  assert.equal(grade(code, perSample, { policy: "majority" }).rows[0].correct, 1);
  assert.throws(() => grade(code, [row({ sample: 0 })]), /no verdict and no pass count/);
  assert.throws(() => grade(code, counts, { policy: "best" }), /option policy/);
});

test("code grader on LiveCodeBench: majority = pass@1 >= 50, the README's canonical extraction", async () => {
  const root = "livecodebench-codegen/raw/livecodebench.github.io";
  const files = readdirSync(`${mirrorDir}/${root}`).map((d) => mirror(`${root}/${d}/src/mocks/performances_generation.json`));
  const { rows } = await runAdapter(livecodebench, files, { block: "common-400" });
  const graded = grade(code, rows, { policy: "majority" }).rows;
  assert.equal(graded.length, 28400);
  for (const r of graded) assert.equal(r.correct, 100 * r.pass_count! / r.n_samples! >= 50 ? 1 : 0);
});

test("judges grader: majority, ties by option, unsure abstains, grader subset", () => {
  const rows = [
    row({ verdicts: { a: 1, b: 1, c: 0 } }),
    row({ item_id: "i2", verdicts: { a: 1, b: 0, c: null } }),
    row({ item_id: "i3", verdicts: { a: null, b: null, c: null } }),
    row({ item_id: "i4", verdicts: { a: 0, b: 0, c: 1 } }),
  ];
  const byNull = grade(judges, rows);
  assert.deepEqual(byNull.rows.map((r) => r.correct), [1, null, null, 0]);
  assert.match(byNull.warnings[0], /1 ties \(-> null\), 4 unsure or missing verdicts abstained, 1 rows with no verdict/);
  assert.deepEqual(grade(judges, rows, { tie: "wrong" }).rows.map((r) => r.correct), [1, 0, null, 0]);
  assert.deepEqual(grade(judges, rows, { tie: "right" }).rows.map((r) => r.correct), [1, 1, null, 0]);
  assert.deepEqual(grade(judges, rows, { graders: ["c"] }).rows.map((r) => r.correct), [0, null, null, 1]);
  assert.deepEqual(grade(judges, rows).rows[0].verdicts, { a: 1, b: 1, c: 0 });
  assert.throws(() => grade(judges, rows, { graders: ["zz"] }), /grader "zz" not found/);
  assert.throws(() => grade(judges, rows, { tie: "coin" }), /option tie/);
});

test("judges grader on answer-matching: one judge as the panel reproduces its 114/198 all-wrong count", async () => {
  const { rows } = await runAdapter(answerMatching, [mirror("answer-matching/raw/gpqa_combined_samples_to_annotate.jsonl")]);
  const graded = grade(judges, rows, { graders: ["judge:deepseek-v3"] }).rows;
  const byItem = new Map<string, number[]>();
  for (const r of graded) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r.correct as number]);
  assert.equal([...byItem.values()].filter((v) => v.every((x) => x === 0)).length, 114);
  const panel = grade(judges, rows, { tie: "null" });
  assert.ok(/\d+ ties/.test(panel.warnings[0]));
});
