// lm-evaluation-harness samples of a task with two filters (gsm8k: strict-match, flexible-extract — one line per
// (doc, filter), as lm_eval/evaluator.py writes them): the README's certify example, by filter and metric.
// Fixture: test/fixtures/data/lm-eval/out/<model>/samples_gsm8k_<date>.jsonl, three invented models x six docs.
//   exact_match, strict-match:      alpha 1 0 0 1 0 0   beta 0 0 1 1 0 0   gamma 1 0 0 0 0 1   all wrong: docs 1, 4 -> beta 2/6
//   exact_match, flexible-extract:  alpha 1 1 0 1 0 0   beta 0 0 1 1 0 0   gamma 1 0 0 0 0 1   all wrong: doc 4     -> beta 1/6
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import lmEvalHarness from "../../ingest/adapters/lm-eval-harness.js";
import { loadAdapter } from "../../ingest/adapters/index.js";
import { certifyCommand } from "../../certify/command.js";
import { fixture, fixtureDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const models = ["my-org__alpha-7b", "my-org__beta-8b", "my-org__gamma-3b"];
const rel = (m: string) => `lm-eval/out/${m}/samples_gsm8k_2024-11-05T14-30-12.345678.jsonl`;
// What the shell makes of the README's `out/*/samples_gsm8k_*.jsonl`.
const expanded = models.map((m) => join(fixtureDir, rel(m)));
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("README example: cofail certify out/*/samples_gsm8k_*.jsonl --adapter lm-eval-harness --task gsm8k gives beta 2/6 (strict-match, named)", async () => {
  const c = JSON.parse(await certifyCommand(expanded, { ...cli, adapter: "lm-eval-harness", task: "gsm8k", json: true }));
  assert.equal(c.nModels, 3);
  assert.equal(c.nItems, 6);
  assert.equal(c.allWrong, 2);
  assert.equal(c.beta, 2 / 6);
  assert.deepEqual(c.models.map((m: { model: string; correct: number }) => [m.model, m.correct]), [["my-org/alpha-7b", 2], ["my-org/beta-8b", 2], ["my-org/gamma-3b", 2]]);
  assert.ok(c.notes.some((n: string) => /2 filters \(strict-match, flexible-extract\); reading "strict-match", the task's first/.test(n)), c.notes.join("\n"));
  assert.ok(c.warnings.some((w: string) => /only 6 items every model answered \(fewer than 30\): the interval on beta is wide/.test(w)));
  // Without --adapter the content says what the files are.
  const detected = JSON.parse(await certifyCommand(expanded, { ...cli, task: "gsm8k", json: true }));
  assert.equal(detected.beta, 2 / 6);
  assert.ok(detected.notes.some((n: string) => /format: lm-evaluation-harness samples \(JSONL\), told from the content/.test(n)));
});

test("lm-eval filter option: flexible-extract gives beta 1/6, also spelled metric=exact_match,flexible-extract", async () => {
  for (const option of [["filter=flexible-extract"], ["metric=exact_match,flexible-extract"]]) {
    const c = JSON.parse(await certifyCommand(expanded, { ...cli, adapter: "lm-eval-harness", task: "gsm8k", option, json: true }));
    assert.equal(c.allWrong, 1);
    assert.equal(c.beta, 1 / 6);
    assert.ok(!c.notes.some((n: string) => /filters/.test(n)), "no warning when the filter was chosen");
  }
  const text = await certifyCommand(expanded, { ...cli, adapter: "lm-eval-harness", task: "gsm8k", option: ["filter=flexible-extract"] });
  assert.match(text, /beta \(all models wrong\)\s+0\.1667 {2}\(1 of 6 items\)/);
});

test("lm-eval filter and metric errors name what the file holds; unknown options are refused with a suggestion", async () => {
  const files = [fixture(rel(models[0]!))];
  await assert.rejects(runAdapter(lmEvalHarness, files, { filter: "loose" }), /no records with filter "loose" \(filters in the file: strict-match, flexible-extract\)/);
  await assert.rejects(runAdapter(lmEvalHarness, files, { metric: "acc" }), /line 1: metric field "acc" missing/);
  await assert.rejects(runAdapter(lmEvalHarness, files, { metric: "exact_match,flexible-extract", filter: "strict-match" }), /names filter "flexible-extract" but option filter is "strict-match"/);
  const checked = await loadAdapter("lm-eval-harness");
  await assert.rejects(runAdapter(checked, files, { filtr: "strict-match" }), /adapter "lm-eval-harness" has no option "filtr" \(did you mean "filter"\?\); its options: filter, keepResponse, metric, model, task/);
  await assert.rejects(certifyCommand(expanded, { ...cli, adapter: "lm-eval-harness", option: ["filtr=strict-match"] }), /^Error: --option: adapter "lm-eval-harness" has no option "filtr"/);
  // keepResponse arrives from the command line as a string and is read as a boolean.
  const kept = await runAdapter(checked, files, { keepResponse: "true" });
  assert.match(kept.rows[0]!.response!, /^Invented reasoning/);
  await assert.rejects(runAdapter(checked, files, { keepResponse: "yes" }), /option "keepResponse" expects true or false; got "yes"/);
});

test("lm-eval: one filter only draws no warning; records without a filter field (older harness) are one filter", async () => {
  const f = tempFile("old/org__m/samples_arc_easy_2024-05-01T10-00-00.jsonl", '{"doc_id": 0, "acc": 1}\n{"doc_id": 1, "acc": 0}\n');
  const { rows, warnings } = await runAdapter(lmEvalHarness, [f]);
  assert.deepEqual(rows.map((r) => r.correct), [1, 0]);
  assert.ok(!warnings.some((w) => /filters/.test(w)));
  const { rows: strict, warnings: named } = await runAdapter(lmEvalHarness, [fixture(rel(models[1]!))]);
  assert.equal(strict.length, 6);
  assert.ok(named.some((w) => /2 filters/.test(w)));
});
