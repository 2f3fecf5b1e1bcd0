import { test } from "node:test";
import assert from "node:assert/strict";
import matharena from "../../ingest/adapters/matharena.js";
import { fixture, mirror, runAdapter, tempFile } from "../support/adapter-harness.js";

test("matharena fixture: pass counts of 4 runs, Avg reproduced, matharena-qualified names", async () => {
  const { rows, warnings } = await runAdapter(matharena, [fixture("matharena/table_data.js")], {}, "aime");
  assert.deepEqual(warnings, []);
  assert.deepEqual(rows.map((r) => [r.item_id, r.model, r.pass_count, r.n_samples]), [
    ["aime2025I-1", "o3-mini-2025-01-31 (high)", 4, 4],
    ["aime2025I-2", "o3-mini-2025-01-31 (high)", 3, 4],
    ["aime2025I-1", "GPT-4o", 1, 4],
    ["aime2025I-2", "GPT-4o", 0, 4],
  ]);
});

const table = (rows: string) => `var result_data = [\n${rows}\n]`;

test("matharena hostile: wrong Avg, non-count percentage, duplicate problem, missing model, truncated, empty", async () => {
  const f = (text: string) => tempFile("ma/table_data.js", text);
  await assert.rejects(runAdapter(matharena, [f(table('{"m": 100, "question": 1},\n{"m": 50, "question": "Avg"}'))]),
    /"Avg" row for "m" is 50, but the problems average 100/);
  await assert.rejects(runAdapter(matharena, [f(table('{"o1 (medium)": 30, "question": 1}'))]), /question 1, model "o1 \(medium\)": 30 is not a percentage of 4 runs/);
  await assert.rejects(runAdapter(matharena, [f(table('{"m": 0, "question": 1},\n{"m": 0, "question": 1}'))]), /result_data\[1\]: duplicate question 1/);
  await assert.rejects(runAdapter(matharena, [f(table('{"m": 0, "n": 25, "question": 1},\n{"m": 0, "question": 2}'))]), /question 2: models differ from question 1 \(missing: n; extra: none\)/);
  await assert.rejects(runAdapter(matharena, [f(table('{"m": 0, "question": 1},\n{"m": 0, "quest'))]), /ma\/table_data\.js: line 3: invalid JSON/);
  await assert.rejects(runAdapter(matharena, [f("")]), /expected the file to start with "var result_data = "/);
  await assert.rejects(runAdapter(matharena, [f("var result_data = ")]), /empty file/);
});

test("matharena real data: 16 models x 15 problems x 4 runs, 5 developers, README co-failure numbers", async () => {
  const { rows, warnings } = await runAdapter(matharena, [mirror("matharena-aime2025i-web/raw/static/js/table_data.js")], {}, "aime");
  assert.deepEqual(warnings, []); // all names known; the Avg row reproduced (else an error)
  assert.equal(rows.length, 240);
  assert.equal(new Set(rows.map((r) => r.model)).size, 16);
  assert.equal(rows.reduce((s, r) => s + r.n_samples!, 0), 960);
  assert.deepEqual([...new Set(rows.map((r) => r.provider))].sort(), ["Alibaba", "Anthropic", "DeepSeek", "Google", "OpenAI"]);
  const byItem = new Map<string, number[]>();
  for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r.pass_count!]);
  assert.equal([...byItem.values()].filter((v) => v.every((c) => c === 0)).length, 1);
  let expected = 0;
  for (const v of byItem.values()) expected += v.reduce((p, c) => p * (1 - c / 4), 1);
  assert.equal((expected / 15).toFixed(3), "0.142");
  const acc = (m: string) => rows.filter((r) => r.model === m).reduce((s, r) => s + r.pass_count!, 0) / 60;
  assert.equal(acc("o3-mini-2025-01-31 (high)"), 0.8);
  assert.equal(acc("Claude-3.5-Sonnet").toFixed(3), "0.033");
});
