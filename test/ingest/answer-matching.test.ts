import { test } from "node:test";
import assert from "node:assert/strict";
import answerMatching, { binariseRating } from "../../ingest/adapters/answer-matching.js";
import { textDigest } from "../../core/question-hash.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { fixture, mirror, runAdapter, tempFile } from "../support/adapter-harness.js";

const base = [
  fixture("answer-matching/gpqa_combined_samples_to_annotate.jsonl"),
  fixture("simple-evals/benches/gpqa.jsonl"),
];
const humans = [fixture("answer-matching/annotation/saves/alice_gpqa.jsonl"), fixture("answer-matching/updated_annotation1/alice_gpqa.jsonl")];

test("binariseRating: the authors' 1-5 scale", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(binariseRating), [0, 0, null, 1, 1]);
});

test("answer-matching fixture: judges, final human revision with fallback, subjects, no GPQA text", async () => {
  const { rows, warnings } = await runAdapter(answerMatching, [...base, ...humans], {}, "gpqa-fr");
  assert.equal(rows.length, 4);
  const get = (q: string, m: string) => rows.find((r) => r.item_id === `gpqa-${q}` && r.model === m)!;
  const a = get("recFakeAaaa00001", "Qwen3-32B");
  assert.deepEqual(a.verdicts, { "judge:deepseek-v3": 0, "judge:qwen2.5-7b": 1, "human:alice": null }); // final round rated 3
  assert.equal(a.answer, textDigest("13 m")); // a digest, never the text (a GPQA answer can be an option)
  assert.deepEqual(a.meta, { subject: "Physics", subdomain: "Quantum Mechanics" });
  // Final revision has a null rating for this cell: falls back to round 0 (rating 4 -> right).
  assert.equal(get("recFakeBbbb00002", "Qwen3-32B").verdicts!["human:alice"], 1);
  assert.equal(get("recFakeBbbb00002", "GPT-4o").meta!.subject, "Chemistry");
  assert.ok(warnings.some((w) => /human:alice: 1 cells fell back to an older annotation revision/.test(w)));
  assert.ok(warnings.some((w) => /human:alice: 1 of 4 human-graded responses differ/.test(w)));
  for (const r of rows) {
    assert.equal(r.response, undefined);
    assert.equal(r.gold, undefined);
    assert.ok(!JSON.stringify(r).includes("invented"), "no question/reference/response text in rows");
  }
  const round0 = await runAdapter(answerMatching, [...base, ...humans], { humanRevision: "round0" });
  assert.equal(round0.rows.find((r) => r.item_id === "gpqa-recFakeAaaa00001" && r.model === "Qwen3-32B")!.verdicts!["human:alice"], 0);
});

test("answer-matching hostile: duplicate, bad judge score, bad rating, truncated, empty, missing input", async () => {
  const line = (model: string, score = "[1]") =>
    `{"question_id": "recFakeAaaa00001", "model": "${model}", "filtered_resps": "x", "score_deepseek-chat-v3-0324": ${score}, "score_qwen-2.5-7b-instruct": [0]}`;
  const samples = (text: string) => tempFile("am/gpqa_combined_samples_to_annotate.jsonl", text);
  await assert.rejects(runAdapter(answerMatching, [samples(`${line("openai/gpt-4o")}\n${line("gpt-4o")}\n`)]),
    /line 2: duplicate row for item "gpqa-recFakeAaaa00001", model "GPT-4o"/);
  await assert.rejects(runAdapter(answerMatching, [samples(`${line("openai/gpt-4o", "[2]")}\n`)]),
    /line 1: score_deepseek-chat-v3-0324: verdict 2 is not binary/);
  await assert.rejects(runAdapter(answerMatching, [samples(`${line("openai/gpt-4o", "[1, 0]")}\n`)]), /expected a one-element list/);
  await assert.rejects(runAdapter(answerMatching, [samples(`${line("openai/gpt-4o")}\n${line("qwen/qwen3-32b").slice(0, 40)}`)]),
    /gpqa_combined_samples_to_annotate\.jsonl: line 2: invalid JSON \(file looks truncated\)/);
  await assert.rejects(runAdapter(answerMatching, [samples("")]), /empty file/);
  await assert.rejects(runAdapter(answerMatching, [fixture("simple-evals/benches/gpqa.jsonl")]), /missing input gpqa_combined_samples_to_annotate\.jsonl/);
  const badHuman = tempFile("am/updated_annotation1/bob_gpqa.jsonl",
    '{"question_id": "recFakeAaaa00001", "model": ["openai/gpt-4o"], "response": ["x"], "rating_match": [7]}\n');
  await assert.rejects(runAdapter(answerMatching, [samples(`${line("openai/gpt-4o")}\n`), badHuman]),
    /bob_gpqa\.jsonl: line 1: rating_match\[0\] 7 for openai\/gpt-4o: expected an integer 1-5 or null/);
  // A model missing for one question is simply absent (4 models x 198 in the real data; here 1 + 0).
  const { rows } = await runAdapter(answerMatching, [samples(`${line("openai/gpt-4o")}\n`)]);
  assert.equal(rows.length, 1);
});

const realFiles = () => [
  mirror("answer-matching/raw/gpqa_combined_samples_to_annotate.jsonl"),
  ...["annotation/saves", "updated_annotation0", "updated_annotation1"].flatMap((d) =>
    ["ameya", "nikhil"].map((a) => mirror(`answer-matching/raw/src/visualize_resps/${d}/${a}_gpqa.jsonl`))),
  mirror("gpqa-mc-simple-evals-ru/raw/data/benches/gpqa.jsonl"),
  mirror("answer-matching/raw/src/upload_data/gpqa-diamond-freeform-filtered.csv"),
];

/** README's all-wrong rule: unsure cells ignored; an item counts when at least one verdict is defined. */
function allWrong(rows: CanonicalRow[], grader: string): [number, number] {
  const byItem = new Map<string, (0 | 1 | null)[]>();
  for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r.verdicts![grader]]);
  let wrong = 0, defined = 0;
  for (const v of byItem.values()) {
    const d = v.filter((x) => x !== null);
    if (d.length === 0) continue;
    defined++;
    if (d.every((x) => x === 0)) wrong++;
  }
  return [wrong, defined];
}

test("answer-matching real data: 4 x 198, README co-failure counts per grader, unsure and refreshed counts", async () => {
  const { rows, warnings } = await runAdapter(answerMatching, realFiles(), {}, "gpqa-fr");
  assert.equal(rows.length, 792);
  assert.deepEqual([...new Set(rows.map((r) => r.model))].sort(), ["DeepSeek-V3-0324", "GPT-4o", "Llama-4-Maverick", "Qwen3-32B"]);
  assert.equal(new Set(rows.map((r) => r.item_id)).size, 198);
  assert.ok(!warnings.some((w) => w.includes("not in the model registry")));
  assert.deepEqual(allWrong(rows, "judge:deepseek-v3"), [114, 198]);
  assert.deepEqual(allWrong(rows, "judge:qwen2.5-7b"), [102, 198]);
  assert.deepEqual(allWrong(rows, "human:ameya"), [99, 198]);
  assert.deepEqual(allWrong(rows, "human:nikhil"), [99, 184]);
  assert.equal(rows.filter((r) => r.verdicts!["human:ameya"] === null).length, 14);
  assert.equal(rows.filter((r) => r.verdicts!["human:nikhil"] === null).length, 89);
  assert.ok(warnings.some((w) => /human:ameya: 38 of 792 human-graded responses differ/.test(w)));
  const subjects = new Map<string, number>();
  for (const r of rows) subjects.set(r.meta!.subject!, (subjects.get(r.meta!.subject!) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(subjects), { Physics: 4 * 86, Chemistry: 4 * 93, Biology: 4 * 19 });
  assert.equal(rows.filter((r) => r.meta!.freeform_filtered === true).length, 4 * 126);
  for (const r of rows) assert.ok(r.answer!.length <= 200 && r.response === undefined && r.gold === undefined);
});
