// EvalPlus and BigCodeBench `*_eval_results.json`. Fixtures: test/fixtures/data/evalplus/humaneval/ (two models in the
// current layout, one in the pre-0.2 layout) and test/fixtures/data/bigcodebench/ (two models).
//   EvalPlus plus (base and plus pass): coder-7b 1 0 0 1   gpt-4o 0 1 0 0   all wrong: HumanEval/2 -> beta 1/4
//   EvalPlus base only:                  coder-7b 1 1 0 1   gpt-4o 0 1 0 1   all wrong: HumanEval/2 -> beta 1/4
//   BigCodeBench (status pass):          coder-7b 1 0 0 0   coder-14b 0 1 0 0 all wrong: /2, /3 -> beta 2/4
import { test } from "node:test";
import assert from "node:assert/strict";
import evalplus, { evalplusModelOf } from "../../ingest/adapters/evalplus.js";
import bigcodebench, { bigcodebenchModelOf } from "../../ingest/adapters/bigcodebench.js";
import { certifyCommand } from "../../certify/command.js";
import { fixture, runAdapter, tempFile } from "../support/adapter-harness.js";

const ep = ["my-org--coder-7b_vllm_temp_0.0_eval_results.json", "gpt-4o-2024-08-06_openai_temp_0.0_eval_results.json"].map((n) => fixture(`evalplus/humaneval/${n}`));
const bcb = ["my-org--coder-7b--main--bigcodebench-complete--vllm-0.0-1-sanitized_calibrated_eval_results.json", "my-org--coder-14b--bigcodebench-hard-instruct--vllm-0.0-1-sanitized_calibrated_eval_results.json"].map((n) => fixture(`bigcodebench/${n}`));
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("EvalPlus and BigCodeBench results through cofail certify: beta 1/4 and 2/4", async () => {
  const e = JSON.parse(await certifyCommand(ep.map((f) => f.path), { ...cli, json: true }));
  assert.equal(e.beta, 1 / 4);
  assert.deepEqual(e.models.map((m: { model: string; correct: number }) => [m.model, m.correct]), [["my-org/coder-7b", 2], ["gpt-4o-2024-08-06", 1]]);
  assert.ok(e.notes.some((n: string) => /format: EvalPlus eval results/.test(n)));
  const base = JSON.parse(await certifyCommand(ep.map((f) => f.path), { ...cli, option: ["tests=base"], json: true }));
  assert.deepEqual(base.models.map((m: { correct: number }) => m.correct), [3, 2]);
  assert.equal(base.beta, 1 / 4);
  const b = JSON.parse(await certifyCommand(bcb.map((f) => f.path), { ...cli, json: true }));
  assert.equal(b.beta, 2 / 4);
  assert.ok(b.notes.some((n: string) => /format: BigCodeBench eval results/.test(n)));
  await assert.rejects(certifyCommand(bcb.map((f) => f.path), { ...cli, option: ["tests=base"] }), /--option: adapter "bigcodebench" has no option "tests"; its options: keepCode, model/);
});

test("evalplus rows: task ids verbatim, samples by position, legacy layout, model from the file name", async () => {
  const legacy = await runAdapter(evalplus, [fixture("evalplus/humaneval/my-org--old-1b_hf_temp_0.8_eval_results.json")]);
  assert.deepEqual(legacy.rows.map((r) => [r.item_id, r.sample, r.correct]), [["HumanEval/0", 0, 1], ["HumanEval/0", 1, 0], ["HumanEval/1", 0, 0], ["HumanEval/1", 1, 0]]);
  assert.equal(legacy.rows[0]!.model, "my-org/old-1b");
  const kept = await runAdapter(evalplus, [ep[0]!], { keepCode: true });
  assert.match(kept.rows[0]!.response!, /^def f0/);
  assert.equal((await runAdapter(evalplus, [ep[0]!])).rows[0]!.response, undefined);
  assert.equal(evalplusModelOf("deepseek-ai--deepseek-coder-6.7b-instruct_vllm_temp_0.0_eval_results.json"), "deepseek-ai/deepseek-coder-6.7b-instruct");
  assert.equal(bigcodebenchModelOf("Qwen--CodeQwen1.5-7B-Chat--main--bigcodebench-complete--vllm-0-1-sanitized_calibrated_eval_results.json"), "Qwen/CodeQwen1.5-7B-Chat");
  const b = await runAdapter(bigcodebench, bcb);
  assert.deepEqual(b.rows.slice(0, 4).map((r) => [r.item_id, r.model, r.correct]), [["BigCodeBench/0", "my-org/coder-7b", 1], ["BigCodeBench/1", "my-org/coder-7b", 0], ["BigCodeBench/2", "my-org/coder-7b", 0], ["BigCodeBench/3", "my-org/coder-7b", 0]]);
});

test("evalplus hostile: --base-only results under tests=plus, a bad status, no model in the name", async () => {
  const baseOnly = tempFile("m_vllm_temp_0.0_eval_results.json", JSON.stringify({ eval: { "HumanEval/0": [{ task_id: "HumanEval/0", base_status: "pass", plus_status: null }] } }));
  await assert.rejects(runAdapter(evalplus, [baseOnly]), /plus_status is null \(evaluated with --base-only\); set option tests=base/);
  assert.deepEqual((await runAdapter(evalplus, [baseOnly], { tests: "base" })).rows.map((r) => r.correct), [1]);
  const bad = tempFile("n_vllm_temp_0.0_eval_results.json", JSON.stringify({ eval: { "HumanEval/0": [{ base_status: 1, plus_status: "pass" }] } }));
  await assert.rejects(runAdapter(evalplus, [bad]), /eval\["HumanEval\/0"\]\[0\]: base_status: expected a status string/);
  await assert.rejects(runAdapter(evalplus, [tempFile("results.json", '{"eval": {}}')]), /cannot tell the model from the file name; set option "model"/);
});
