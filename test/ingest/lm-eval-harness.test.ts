import { test } from "node:test";
import assert from "node:assert/strict";
import lmEvalHarness, { harnessTaskOf } from "../../ingest/adapters/lm-eval-harness.js";
import { fixture, runAdapter, tempFile } from "../support/adapter-harness.js";

const file = "lm-eval/my-org__tiny-model/samples_arc_easy_2024-05-01T10-00-00.123456.jsonl";

test("harnessTaskOf reads the task from samples_<task>_<date>.jsonl", () => {
  assert.equal(harnessTaskOf("samples_arc_easy_2024-05-01T10-00-00.123456.jsonl"), "arc_easy");
  assert.throws(() => harnessTaskOf("results.json"), /samples_<task>_<date>\.jsonl/);
});

test("lm-eval-harness fixture: acc by default, model from the directory, unknown model warned", async () => {
  const { rows, warnings } = await runAdapter(lmEvalHarness, [fixture(file)], {}, "arc");
  assert.deepEqual(rows.map((r) => [r.item_id, r.correct, r.answer, r.gold]), [["arc_easy-0", 1, "B", "B"], ["arc_easy-1", 0, "A", "C"], ["arc_easy-2", 1, "A", "A"]]);
  assert.equal(rows[0].model, "my-org/tiny-model");
  assert.equal(rows[0].provider, "unknown");
  assert.equal(warnings.length, 1);
  const named = await runAdapter(lmEvalHarness, [fixture(file)], { model: "Qwen/Qwen2.5-7B-Instruct", metric: "acc_norm" });
  assert.equal(named.rows[0].model, "Qwen2.5-7B-Instruct");
  assert.deepEqual(named.rows.map((r) => r.correct), [1, 1, 0]);
  assert.deepEqual(named.warnings, []);
});

test("lm-eval-harness hostile: graded metric, missing metric, duplicate doc, truncated, empty, GPQA text dropped", async () => {
  const f = (text: string, task = "arc_easy") => tempFile(`lm/org__m/samples_${task}_2024-05-01T10-00-00.jsonl`, text);
  await assert.rejects(runAdapter(lmEvalHarness, [f('{"doc_id": 0, "f1": 0.5}\n')], { metric: "f1" }), /line 1: f1: verdict 0\.5 is not binary/);
  await assert.rejects(runAdapter(lmEvalHarness, [f('{"doc_id": 0, "bleu": 3}\n')]), /none of acc, exact_match, pass@1 present/);
  await assert.rejects(runAdapter(lmEvalHarness, [f('{"doc_id": 0, "acc": 1}\n{"doc_id": 1}\n')]), /line 2: metric field "acc" missing/);
  await assert.rejects(runAdapter(lmEvalHarness, [f('{"doc_id": 0, "acc": 1}\n{"doc_id": 0, "acc": 0}\n')]), /line 2: duplicate row for item "arc_easy-0"/);
  await assert.rejects(runAdapter(lmEvalHarness, [f('{"doc_id": 0, "acc": 1}\n{"doc_id": 1, "ac')]), /line 2: invalid JSON \(file looks truncated\)/);
  await assert.rejects(runAdapter(lmEvalHarness, [f("")]), /empty file/);
  const gpqa = await runAdapter(lmEvalHarness, [f('{"doc_id": 0, "target": "some reference text", "resps": [["long text"]], "filtered_resps": ["(B)"], "exact_match": 1}\n', "gpqa_diamond_zeroshot")], { keepResponse: true });
  assert.equal(gpqa.rows[0].answer, "(B)");
  assert.equal(gpqa.rows[0].gold, undefined);
  assert.equal(gpqa.rows[0].response, undefined);
});
