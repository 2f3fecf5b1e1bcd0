import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import gpqaRotations from "../../ingest/adapters/gpqa-rotations.js";
import { allWrongCount, fixture, mirror, mirrorDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const order = () => fixture("gpqa-rotations/gpqa-diamond-freeform.csv");

test("gpqa-rotations fixture: ids from the freeform CSV row order, rotations as samples, E and empty answers", async () => {
  const { rows, warnings } = await runAdapter(gpqaRotations, [order(), fixture("gpqa-rotations/gpqa_diamond_gpt4o_eval.csv"), fixture("simple-evals/benches/gpqa.jsonl")], {}, "rot");
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 12);
  assert.deepEqual(rows.slice(0, 4).map((r) => [r.item_id, r.sample, r.answer, r.gold, r.source_verdict]), [
    ["gpqa-recFakeAaaa00001", 0, "A", "A", 1],
    ["gpqa-recFakeAaaa00001", 1, "B", "B", 1],
    ["gpqa-recFakeAaaa00001", 2, "C", "C", 1],
    ["gpqa-recFakeAaaa00001", 3, "A", "D", 0],
  ]);
  assert.equal(rows[5].answer, "E");
  assert.equal(rows[5].source_verdict, 0);
  assert.equal(rows[10].answer, undefined); // empty cell
  assert.equal(rows[10].source_verdict, 0);
  assert.equal(rows[0].model, "GPT-4o");
  assert.equal(rows[4].meta!.subject, "Chemistry");
  for (const r of rows) assert.equal(r.response, undefined);
});

test("gpqa-rotations hostile: missing order file, row count, bad letter, shifted rows, truncated, empty", async () => {
  const head = "r1,r2,r3,r4,a1,a2,a3,a4\n";
  const good = "seven apples,x,x,x,A,B,C,D\nblue whale,x,x,x,A,B,C,D\nzinc,x,x,x,A,B,C,D\n";
  const f = (text: string) => tempFile("rot/gpqa_diamond_sonnet_eval.csv", text);
  await assert.rejects(runAdapter(gpqaRotations, [f(head + good)]), /missing input gpqa-diamond-freeform\.csv/);
  await assert.rejects(runAdapter(gpqaRotations, [order(), f(head + good.split("\n").slice(0, 2).join("\n"))]), /2 data rows, expected 3/);
  await assert.rejects(runAdapter(gpqaRotations, [order(), f(head + good.replace("A,B,C,D\nzinc", "A,B,C,X\nzinc"))]),
    /gpqa_diamond_sonnet_eval\.csv: line 3: column a4: "X": expected a letter A-E or empty/);
  const shifted = "blue whale,x,x,x,A,B,C,D\nzinc,x,x,x,A,B,C,D\nseven apples,x,x,x,A,B,C,D\n";
  await assert.rejects(runAdapter(gpqaRotations, [order(), f(head + shifted)]), /reference answer occurs in the responses of only 0\/3 rows/);
  await assert.rejects(runAdapter(gpqaRotations, [order(), f(head + 'zinc,"x,x,x,A,B,C,D\n')]), /line 2: unterminated quoted field/);
  await assert.rejects(runAdapter(gpqaRotations, [order(), f("")]), /empty file/);
  await assert.rejects(runAdapter(gpqaRotations, [order(), f(head + good), f(head + good)]), /duplicate row for item "gpqa-recFakeAaaa00001", model "Claude-3.5-Sonnet-20240620", sample 0/);
});

test("gpqa-rotations real data: 8 runs x 198 x 4, README per-rotation accuracies and co-failure", async () => {
  const runs = readdirSync(`${mirrorDir}/gpqa-mc-rotations/raw`).map((f) => mirror(`gpqa-mc-rotations/raw/${f.replace(/\.gz$/, "")}`));
  const { rows, warnings } = await runAdapter(gpqaRotations, [mirror("answer-matching/raw/src/upload_data/gpqa-diamond-freeform.csv"), ...runs], {}, "rot");
  assert.deepEqual(warnings, []);
  assert.equal(rows.length, 6336);
  assert.equal(new Set(rows.map((r) => r.model)).size, 8);
  assert.equal(new Set(rows.map((r) => r.item_id)).size, 198);
  assert.equal(rows[0].item_id, "gpqa-rec06pnAkLOr2t2mp");
  const acc = (model: string, k: number) => {
    const rs = rows.filter((r) => r.model === model && r.sample === k);
    return ((100 * rs.filter((r) => r.source_verdict === 1).length) / rs.length).toFixed(2);
  };
  assert.deepEqual([0, 1, 2, 3].map((k) => acc("GPT-4o", k)), ["54.55", "48.99", "52.53", "56.57"]);
  assert.deepEqual([0, 1, 2, 3].map((k) => acc("DeepSeek-V2.5 (OpenRouter)", k)), ["35.86", "43.94", "42.42", "47.98"]);
  assert.deepEqual([0, 1, 2, 3].map((k) => allWrongCount(rows.filter((r) => r.sample === k), (r) => r.source_verdict!)), [31, 21, 19, 21]);
  assert.equal(allWrongCount(rows, (r) => r.source_verdict!), 8);
  assert.equal(new Set(rows.map((r) => r.provider)).size, 5);
});
