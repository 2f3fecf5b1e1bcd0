// OpenCompass results with dumped details. Fixture: test/fixtures/data/opencompass/outputs/default/<ts>/:
// results/alpha-7b-hf/invented_mc_gen.json (details as a dict by index), results/beta-8b-vllm/… (details as a list
// keyed by example_abbr, 2 replicas each), predictions/alpha-7b-hf/… (no verdicts).
//   alpha              1 0 1 0 0 1
//   beta replica 0     0 0 1 1 0 0     replica 1   0 1 1 0 0 0
//   first replica: all wrong on items 1, 4 -> beta 2/6; majority (tie = right): beta [0,1,1,1,0,0] -> item 4 -> 1/6
import { test } from "node:test";
import assert from "node:assert/strict";
import opencompass from "../../ingest/adapters/opencompass.js";
import { certifyCommand } from "../../certify/command.js";
import { fixture, runAdapter, tempFile } from "../support/adapter-harness.js";

const base = "opencompass/outputs/default/20241105_143000";
const results = [fixture(`${base}/results/alpha-7b-hf/invented_mc_gen.json`), fixture(`${base}/results/beta-8b-vllm/invented_mc_gen.json`)];
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("OpenCompass results through cofail certify: beta 2/6 on the first replica, 1/6 by majority", async () => {
  const c = JSON.parse(await certifyCommand(results.map((f) => f.path), { ...cli, json: true }));
  assert.equal(c.nItems, 6);
  assert.equal(c.beta, 2 / 6);
  assert.ok(c.notes.some((n: string) => /format: OpenCompass results with details/.test(n)));
  const m = JSON.parse(await certifyCommand(results.map((f) => f.path), { ...cli, samplePolicy: "majority", json: true }));
  assert.equal(m.beta, 1 / 6);
});

test("opencompass rows: dict and list details pool by index; replicas are samples; model from the directory", async () => {
  const { rows } = await runAdapter(opencompass, results);
  assert.equal(rows.length, 6 + 12);
  assert.deepEqual(rows.slice(0, 2).map((r) => [r.item_id, r.model, r.sample, r.correct, r.answer, r.gold]), [["invented_mc_gen-0", "alpha-7b-hf", 0, 1, "A", "A"], ["invented_mc_gen-1", "alpha-7b-hf", 0, 0, "B", "A"]]);
  assert.deepEqual(rows.filter((r) => r.model === "beta-8b-vllm" && r.item_id === "invented_mc_gen-1").map((r) => [r.sample, r.correct, r.answer]), [[0, 0, "C"], [1, 1, "A"]]);
});

test("opencompass hostile: a predictions file, no details, no verdict field", async () => {
  await assert.rejects(runAdapter(opencompass, [fixture(`${base}/predictions/alpha-7b-hf/invented_mc_gen.json`)]), /an OpenCompass predictions file .* holds no verdicts; read results\/<model_abbr>\/<dataset_abbr>\.json/);
  await assert.rejects(runAdapter(opencompass, [tempFile("results/m/d.json", '{"accuracy": 50.0}')]), /no "details" .* run OpenCompass with --dump-eval-details/);
  await assert.rejects(runAdapter(opencompass, [tempFile("results/m/d2.json", '{"details": [{"pred": "A", "answer": "A"}]}')]), /details\[0\] has none of correct, is_correct, cascade_correct \(fields: pred, answer\); set option "verdictKey"/);
  assert.deepEqual((await runAdapter(opencompass, [tempFile("results/m/d3.json", '{"details": [{"is_correct": true}, {"is_correct": false}]}')])).rows.map((r) => r.correct), [1, 0]);
});
