import { test } from "node:test";
import assert from "node:assert/strict";
import livecodebenchSubmissions from "../../ingest/adapters/livecodebench-submissions.js";
import livecodebench from "../../ingest/adapters/livecodebench.js";
import { fixture, mirror, runAdapter, tempFile } from "../support/adapter-harness.js";

const sub = "lcb-submissions/O1-Mini-2024-09-12 (N=1)/Scenario.codegeneration_1_0.2_eval_all.json";

test("livecodebench-submissions fixture: one row per graded sample, no code unless keepCode", async () => {
  const { rows, warnings } = await runAdapter(livecodebenchSubmissions, [fixture(sub)], {}, "lcb");
  assert.deepEqual(warnings, []);
  assert.deepEqual(rows.map((r) => [r.item_id, r.sample, r.source_verdict]), [["lcb-1001", 0, 1], ["lcb-abc300_a", 0, 0], ["lcb-abc300_a", 1, 1]]);
  assert.equal(rows[0].model, "o1-mini-2024-09-12");
  assert.deepEqual(rows[1].meta, { difficulty: "medium", platform: "atcoder", date: "2023-11-20" });
  assert.equal(rows[0].response, undefined);
  const code = await runAdapter(livecodebenchSubmissions, [fixture(sub)], { keepCode: true });
  assert.equal(code.rows[2].response, "print(3)");
});

test("livecodebench-submissions hostile: pass@1 mismatch, non-binary verdict, duplicate, truncated, empty", async () => {
  const p = (q: string, graded: string, pass: number) => `{"question_id": "${q}", "graded_list": ${graded}, "pass@1": ${pass}}`;
  const f = (text: string) => tempFile("subs/O1-Mini-2024-09-12 (N=1)/s.json", text);
  await assert.rejects(runAdapter(livecodebenchSubmissions, [f(`[${p("1", "[true]", 0)}]`)]), /\[0\] \(question 1\): pass@1 0 is not the mean of graded_list \(1\)/);
  await assert.rejects(runAdapter(livecodebenchSubmissions, [f(`[${p("1", '["yes"]', 1)}]`)]), /graded_list\[0\]: verdict "yes" is not binary/);
  await assert.rejects(runAdapter(livecodebenchSubmissions, [f(`[${p("1", "[true]", 1)}, ${p("1", "[true]", 1)}]`)]), /duplicate row for item "lcb-1"/);
  await assert.rejects(runAdapter(livecodebenchSubmissions, [f(`[${p("1", "[true]", 1)}, {"quest`)]), /s\.json: line 1: invalid JSON/);
  await assert.rejects(runAdapter(livecodebenchSubmissions, [f("")]), /empty file/);
});

test("livecodebench-submissions real data: 880 problems each, agreement with the 2025-01-15 leaderboard (876 / 869)", async () => {
  const root = "livecodebench-codegen/raw";
  const files = ["O1-Mini-2024-09-12 (N=1)", "O1-Preview-2024-09-12 (N=1)"].map((d) => mirror(`${root}/submissions/4d04b02a/${d}/Scenario.codegeneration_1_0.2_eval_all.json`));
  const { rows, warnings } = await runAdapter(livecodebenchSubmissions, files, {}, "lcb");
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 1760);
  const board = await runAdapter(livecodebench, [mirror(`${root}/livecodebench.github.io/2025-01-15_33505c07/src/mocks/performances_generation.json`)], {}, "lcb");
  const boardCount = new Map(board.rows.map((r) => [`${r.item_id}|${r.model}`, r.pass_count]));
  const agree = (model: string) => rows.filter((r) => r.model === model && boardCount.get(`${r.item_id}|${r.model}`) === r.source_verdict).length;
  assert.equal(agree("o1-mini-2024-09-12"), 876);
  assert.equal(agree("o1-preview-2024-09-12"), 869);
});
