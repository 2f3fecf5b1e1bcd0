import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import simpleEvalsGpqa from "../../ingest/adapters/simple-evals-gpqa.js";
import { gpqaDomainOfSubdomain } from "../../core/gpqa.js";
import { allWrongCount, fixture, mirror, mirrorDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const files = () => [
  fixture("simple-evals/benches/gpqa.jsonl"),
  fixture("simple-evals/results/gpqa/16_deepseek_v3.jsonl"),
  fixture("simple-evals/results/gpqa/19_t_lite.jsonl"),
];

test("simple-evals fixture: ids, letters, source verdicts, coarse subjects, gold from benches", async () => {
  const { rows, warnings } = await runAdapter(simpleEvalsGpqa, files(), {}, "gpqa-mc");
  assert.equal(rows.length, 5); // t-lite lacks one question: simply absent
  assert.deepEqual(warnings, []);
  const first = rows[0];
  assert.equal(first.item_id, "gpqa-recFakeAaaa00001");
  assert.equal(first.model, "DeepSeek-V3");
  assert.equal(first.answer, "B");
  assert.equal(first.gold, "B");
  assert.equal(first.source_verdict, 1);
  assert.deepEqual(first.meta, { subject: "Physics", subdomain: "Quantum Mechanics" });
  assert.equal(rows[2].answer, undefined); // pred "?"
  assert.equal(rows[2].meta!.subject, "Biology");
  assert.equal(rows.find((r) => r.model === "T-lite-it-1.0")!.provider, "T-Bank");
  for (const r of rows) assert.equal(r.response, undefined);
});

test("simple-evals hostile: duplicate, non-binary verdict, unknown subdomain, truncated, empty", async () => {
  const l = (id: string, v = "true", pred = "A") => `{"id": "${id}", "pred": "${pred}", "is_correct": ${v}}`;
  const f = (text: string) => tempFile("se/results/gpqa/19_t_lite.jsonl", text);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f(`${l("Genetics/recX1")}\n${l("Genetics/recX1")}\n`)]), /19_t_lite\.jsonl: line 2: duplicate row/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f(`${l("Genetics/recX1", '"maybe"')}\n`)]), /line 1: is_correct: verdict "maybe" is not binary/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f(`${l("Alchemy/recX1")}\n`)]), /line 1: unknown GPQA subdomain "Alchemy"/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f(`${l("Genetics/recX1", "true", "Z")}\n`)]), /line 1: pred "Z": expected a letter A-D or "\?"/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f(`${l("Genetics/recX1")}\n{"id": "Gen`)]), /line 2: invalid JSON \(file looks truncated\)/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [f("")]), /19_t_lite\.jsonl: empty file/);
  await assert.rejects(runAdapter(simpleEvalsGpqa, [fixture("simple-evals/benches/gpqa.jsonl"), f(`${l("Genetics/recNotInBench")}\n`)]), /not in benches\/gpqa\.jsonl/);
});

test("subdomain map covers the three GPQA domains", () => {
  assert.deepEqual(new Set(Object.values(gpqaDomainOfSubdomain)), new Set(["Physics", "Chemistry", "Biology"]));
});

test("simple-evals real data: 20 runs, 3,954 cells, stats.json scores reproduced, 8/198 all wrong", async () => {
  const dir = "gpqa-mc-simple-evals-ru/raw/data";
  const runs = readdirSync(`${mirrorDir}/${dir}/results/gpqa`).map((f) => mirror(`${dir}/results/gpqa/${f.replace(/\.gz$/, "")}`));
  const { rows, warnings } = await runAdapter(simpleEvalsGpqa, [mirror(`${dir}/benches/gpqa.jsonl`), mirror(`${dir}/stats.json`), ...runs], {}, "gpqa-mc");
  assert.deepEqual(warnings, []); // every model known, every stats.json score reproduced, is_correct == (pred == target)
  assert.equal(rows.length, 3954);
  assert.equal(new Set(rows.map((r) => r.model)).size, 20);
  assert.equal(new Set(rows.map((r) => r.item_id)).size, 198);
  assert.equal(rows.filter((r) => r.model === "T-pro-it-1.0").length, 192);
  assert.equal(allWrongCount(rows, (r) => r.source_verdict!), 8);
  assert.equal(new Set(rows.map((r) => r.provider)).size, 8);
  const perItem = new Map(rows.map((r) => [r.item_id, r.meta!.subject]));
  const counts = new Map<string, number>();
  for (const s of perItem.values()) counts.set(s!, (counts.get(s!) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { Physics: 86, Chemistry: 93, Biology: 19 });
});
