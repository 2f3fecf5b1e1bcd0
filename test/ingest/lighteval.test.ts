// lighteval / Open LLM Leaderboard details parquet, read with hyparquet. Fixture: test/fixtures/data/lighteval/,
// written by make_fixtures.py with pyarrow (the writer datasets' to_parquet uses): snappy, and zstd for one model.
//   details/my-org/<model>/<ts>/details_lighteval|gsm8k|5_<ts>.parquet, lighteval <= 0.9 layout, 6 invented queries;
//   gamma's rows are in another order (items are told by a hash of the query, not the row position).
//   em:   alpha 1 0 1 0 0 1   beta 0 0 1 1 0 0   gamma 1 0 0 0 0 0   all wrong: queries 1, 4 -> beta 2/6
//   qem:  alpha 1 1 1 0 0 1   (beta, gamma as em)                   all wrong: query 4    -> beta 1/6
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import lighteval, { lightevalModelOf, lightevalTaskOf } from "../../ingest/adapters/lighteval.js";
import { certifyCommand } from "../../certify/command.js";
import { fixture, fixtureDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const TS = "2024-05-01T10-00-00.000000";
const rel = (m: string) => `lighteval/details/my-org/${m}/${TS}/details_lighteval|gsm8k|5_${TS}.parquet`;
const files = ["alpha-7b", "beta-8b", "gamma-3b"].map(rel);
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("a details parquet through cofail certify (format told from PAR1 + columns): beta 2/6 on em, 1/6 on qem", async () => {
  const c = JSON.parse(await certifyCommand(files.map((f) => join(fixtureDir, f)), { ...cli, json: true }));
  assert.equal(c.nModels, 3);
  assert.equal(c.nItems, 6);
  assert.equal(c.allWrong, 2);
  assert.equal(c.beta, 2 / 6);
  assert.ok(c.notes.some((n: string) => /format: lighteval \/ Open LLM Leaderboard details \(parquet\)/.test(n)));
  assert.ok(c.notes.some((n: string) => /metrics em, qem present; reading "em"/.test(n)));
  const qem = JSON.parse(await certifyCommand(files.map((f) => join(fixtureDir, f)), { ...cli, adapter: "lighteval", option: ["metric=qem"], json: true }));
  assert.equal(qem.beta, 1 / 6);
});

test("lighteval rows: items by query hash (row order irrelevant, zstd read), model and task from the path", async () => {
  const { rows } = await runAdapter(lighteval, files.map(fixture), { metric: "em" });
  assert.equal(rows.length, 18);
  const query0 = "Question: invented word problem 0 about apples and pears.\nAnswer:";
  const id0 = `gsm8k-${createHash("sha256").update(query0).digest("hex").slice(0, 16)}`;
  const of = (m: string) => rows.filter((r) => r.model === m && r.item_id === id0).map((r) => [r.correct, r.answer, r.gold]);
  assert.deepEqual(of("my-org/alpha-7b"), [[1, "18", "18"]]);
  assert.deepEqual(of("my-org/gamma-3b"), [[1, "18", "18"]], "gamma's first query is on its fourth row");
  assert.equal(lightevalTaskOf(`details_lighteval|gsm8k|5_${TS}.parquet`), "gsm8k");
  assert.equal(lightevalModelOf(`out/details/HuggingFaceH4/zephyr-7b-beta/${TS}/x.parquet`), "HuggingFaceH4/zephyr-7b-beta");
  assert.equal(lightevalModelOf(`details/my-model/${TS}/x.parquet`), "my-model");
});

test("lighteval >= 0.10 layout (doc, model_response, metric) and the leaderboard's harness layout", async () => {
  const v10 = await runAdapter(lighteval, [fixture(`lighteval/details-0.10/details/my-org/delta-1b/${TS}/details_lighteval|gsm8k|0_${TS}.parquet`)]);
  assert.deepEqual(v10.rows.map((r) => [r.item_id, r.correct, r.answer]), [["gsm8k-doc-0", 1, "18"], ["gsm8k-doc-1", 0, "7"], ["gsm8k-doc-2", 1, "42"], ["gsm8k-doc-3", 0, "7"]]);
  assert.equal(v10.rows[0]!.model, "my-org/delta-1b");
  const lb = fixture(`lighteval/leaderboard/my-org__epsilon-2b/samples_leaderboard_arc_invented_${TS}.parquet`);
  await assert.rejects(runAdapter(lighteval, [lb]), /row 1: none of acc, exact_match, pass@1 present \(metrics: acc_norm\); set option "metric"/);
  const harness = await runAdapter(lighteval, [lb], { metric: "acc_norm" });
  assert.deepEqual(harness.rows.map((r) => [r.item_id, r.correct, r.gold]), [["leaderboard_arc_invented-0", 1, "A"], ["leaderboard_arc_invented-1", 1, "B"], ["leaderboard_arc_invented-2", 0, "A"], ["leaderboard_arc_invented-3", 1, "B"]]);
  assert.equal(harness.rows[0]!.model, "my-org/epsilon-2b");
});

test("lighteval hostile: not parquet, truncated parquet, unknown metric, certify names a cut parquet", async () => {
  await assert.rejects(runAdapter(lighteval, [tempFile(`details/m/${TS}/details_x|y|0_${TS}.parquet`, "item_id,model\n")]), /not a parquet file \(no PAR1 magic at both ends; truncated\?\)/);
  const { readFileSync } = await import("node:fs");
  const whole = readFileSync(join(fixtureDir, files[0]!));
  const cut = tempFile(`details/m/${TS}/details_l|gsm8k|5_${TS}.parquet`, "");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(cut.path, whole.subarray(0, whole.length - 100));
  await assert.rejects(runAdapter(lighteval, [cut]), /not a parquet file \(no PAR1 magic at both ends; truncated\?\)/);
  await assert.rejects(runAdapter(lighteval, [fixture(files[0]!)], { metric: "f1" }), /no metric "f1" \(metrics: em, qem\)/);
  await assert.rejects(certifyCommand([cut.path], { ...cli }), /unreadable parquet footer \(.*; truncated\?\)/);
});
