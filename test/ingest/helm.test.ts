// HELM run directories: per_instance_stats.json (+ display_predictions.json, run_spec.json). Fixture:
// test/fixtures/data/helm/benchmark_output/runs/v1.0.0/mmlu:subject=invented_topic,method=multiple_choice_joint,
// model=<m>/, two invented models x five instances, plus one perturbed (typos) entry each, which is skipped.
//   exact_match: gpt-4o 1 0 1 0 1   tiny 0 0 1 1 0   all wrong: id1 -> beta 1/5
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import helm, { helmRunPrefix } from "../../ingest/adapters/helm.js";
import { certifyCommand } from "../../certify/command.js";
import { fixture, fixtureDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const runsDir = "helm/benchmark_output/runs/v1.0.0";
const runs = readdirSync(join(fixtureDir, runsDir)).sort();
const gpt = runs.find((r) => r.includes("gpt-4o"))!;
const tiny = runs.find((r) => r.includes("tiny"))!;
const stats = (run: string) => fixture(`${runsDir}/${run}/per_instance_stats.json`);
const preds = (run: string) => fixture(`${runsDir}/${run}/display_predictions.json`);
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("HELM per_instance_stats.json through cofail certify: beta 1/5, perturbed instances skipped", async () => {
  const c = JSON.parse(await certifyCommand([stats(gpt).path, stats(tiny).path], { ...cli, json: true }));
  assert.equal(c.nModels, 2);
  assert.equal(c.nItems, 5);
  assert.equal(c.beta, 1 / 5);
  assert.ok(c.notes.some((n: string) => /format: a HELM per_instance_stats\.json/.test(n)));
  assert.ok(c.notes.some((n: string) => /1 perturbed instances \(robustness\/fairness variants\) skipped/.test(n)));
  assert.ok(c.notes.some((n: string) => /stats exact_match, quasi_exact_match present; reading "exact_match"/.test(n)));
});

test("helm rows: model from run_spec.json beside the stats, else from the run name; items pool across models", async () => {
  const { rows } = await runAdapter(helm, [stats(gpt), preds(gpt), stats(tiny), preds(tiny)], { metric: "exact_match" });
  assert.equal(rows.length, 10);
  const prefix = "mmlu:subject=invented_topic,method=multiple_choice_joint";
  assert.deepEqual(rows.slice(0, 2).map((r) => [r.item_id, r.model, r.correct, r.answer]), [[`${prefix}-id0`, "GPT-4o-2024-05-13", 1, "A"], [`${prefix}-id1`, "GPT-4o-2024-05-13", 0, "C"]]);
  assert.equal(rows[5]!.model, "my-org/tiny-helm-1b", "no run_spec.json: the run name's model= with its first _ as /");
  assert.equal(rows[5]!.item_id, `${prefix}-id0`);
  // display_predictions.json alone carries the verdicts too.
  const only = await runAdapter(helm, [preds(tiny)], { metric: "exact_match" });
  assert.deepEqual(only.rows.map((r) => r.correct), [0, 0, 1, 1, 0]);
  assert.equal(helmRunPrefix("gsm:model=openai_gpt-4o,model_deployment=openai_gpt-4o"), "gsm");
});

test("helm hostile: graded stat, unknown stat, two splits, stray file", async () => {
  const graded = tempFile("runs/gsm:model=a_b/per_instance_stats.json", JSON.stringify([{ instance_id: "id0", train_trial_index: 0, stats: [{ name: { name: "f1_score", split: "test" }, count: 1, sum: 0.4, mean: 0.4 }] }]));
  await assert.rejects(runAdapter(helm, [graded], { metric: "f1_score" }), /\[0\]: f1_score \(mean\): verdict 0\.4 is not binary/);
  await assert.rejects(runAdapter(helm, [graded]), /none of exact_match, .* present \(stats: f1_score\); set option "metric"/);
  const two = tempFile("runs/gsm:model=a_b2/per_instance_stats.json", JSON.stringify([{ instance_id: "id0", train_trial_index: 0, stats: [
    { name: { name: "exact_match", split: "test" }, count: 1, sum: 1, mean: 1 }, { name: { name: "exact_match", split: "valid" }, count: 1, sum: 0, mean: 0 }] }]));
  await assert.rejects(runAdapter(helm, [two]), /stat "exact_match" for 2 splits \(test, valid\); choose one with option split/);
  assert.deepEqual((await runAdapter(helm, [two], { split: "valid" })).rows.map((r) => r.correct), [0]);
  await assert.rejects(runAdapter(helm, [tempFile("runs/x/stats.json", "[]")]), /expected one of per_instance_stats\.json, display_predictions\.json, run_spec\.json/);
});
