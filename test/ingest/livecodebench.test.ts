import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import livecodebench, { samplesOf } from "../../ingest/adapters/livecodebench.js";
import { fixture, mirror, mirrorDir, runAdapter, tempFile } from "../support/adapter-harness.js";

const snapshots = ["livecodebench/2024-04-17_aaaaaaaa/performances_generation.json", "livecodebench/2025-01-15_bbbbbbbb/performances_generation.json"];

test("livecodebench fixture: newest snapshot wins with a warning; counts, samples and metadata", async () => {
  const { rows, warnings } = await runAdapter(livecodebench, snapshots.map(fixture), {}, "code");
  assert.equal(rows.length, 2 + 3 + 3);
  const gpt = rows.find((r) => r.model === "GPT-4-Turbo-2024-04-09" && r.item_id === "lcb-1001")!;
  assert.equal(gpt.pass_count, 8); // 80 in the 2025 snapshot replaces 70
  assert.equal(gpt.n_samples, 10);
  assert.deepEqual(gpt.meta, { difficulty: "easy", platform: "leetcode", date: "2023-11-20" });
  const o3 = rows.filter((r) => r.model === "o3-mini-2025-01-31 (high)");
  assert.deepEqual(o3.map((r) => [r.n_samples, r.pass_count]), [[1, 1], [1, 1], [1, 0]]);
  assert.equal(rows.find((r) => r.model === "Gemini-1.5-Pro-latest")!.n_samples, 1);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"GPT-4-Turbo-2024-04-09" is in snapshots 2024-04-17, 2025-01-15: kept the newest value; 2 values were replaced by a newer snapshot, 1 of them with a different pass@1/);
});

test("livecodebench options: snapshots selects files, common-400 keeps problems every model has", async () => {
  const old = await runAdapter(livecodebench, snapshots.map(fixture), { snapshots: ["2024-04-17"] });
  assert.equal(old.rows.find((r) => r.item_id === "lcb-1001" && r.model === "GPT-4-Turbo-2024-04-09")!.pass_count, 7);
  const common = await runAdapter(livecodebench, snapshots.map(fixture), { block: "common-400" });
  assert.deepEqual([...new Set(common.rows.map((r) => r.item_id))].sort(), ["lcb-1001", "lcb-abc300_a"]);
  await assert.rejects(runAdapter(livecodebench, snapshots.map(fixture), { block: "some" }), /option "block"/);
});

test("samplesOf: (N=1)/(n=1) names and 2025 reasoning styles draw one sample", () => {
  assert.equal(samplesOf("O1-Mini-2024-09-12 (N=1)", "OpenAIReasonPreview"), 1);
  assert.equal(samplesOf("Eurux-8x22b-NCA (n=1)", "CodeLLaMa"), 1);
  assert.equal(samplesOf("Grok-3-Mini (High)", "Grok"), 1);
  assert.equal(samplesOf("Gemini-Flash-2.0-Thinking", "Gemini"), 10);
});

function snapshot(perfs: string, models = '[{"model_repr": "Claude-3-Haiku", "model_style": "Claude3"}]'): string {
  return `{"performances": [${perfs}], "models": ${models}}`;
}
const rec = (q: string, v: number) => `{"question_id": "${q}", "model": "Claude-3-Haiku", "date": 1700438400000, "difficulty": "easy", "pass@1": ${v}, "platform": "leetcode"}`;

test("livecodebench hostile: duplicate, non-count value, unknown model, truncated and empty files", async () => {
  const f = (name: string, text: string) => tempFile(`lcb/2025-01-15_cccccccc/${name}`, text);
  await assert.rejects(runAdapter(livecodebench, [f("dup.json", snapshot(`${rec("1", 10)}, ${rec("1", 20)}`))]),
    /dup\.json: performances\[1\]: duplicate record for model "Claude-3-Haiku", question 1/);
  await assert.rejects(runAdapter(livecodebench, [f("frac.json", snapshot(rec("1", 55)))]),
    /frac\.json: performances\[0\]: pass@1 55 for "Claude-3-Haiku" is not a multiple of 10 \(expected 10 samples\)/);
  await assert.rejects(runAdapter(livecodebench, [f("range.json", snapshot(rec("1", 120)))]), /performances\[0\]: pass@1 120: expected a number in 0\.\.100/);
  await assert.rejects(runAdapter(livecodebench, [f("nomodel.json", snapshot(rec("1", 10), "[]"))]), /model "Claude-3-Haiku" is not listed in "models"/);
  await assert.rejects(runAdapter(livecodebench, [f("trunc.json", snapshot(rec("1", 10)).slice(0, 60))]), /trunc\.json: line 1: invalid JSON/);
  await assert.rejects(runAdapter(livecodebench, [f("empty.json", "")]), /empty\.json: empty file/);
  await assert.rejects(runAdapter(livecodebench, [tempFile("lcb/nodate/p.json", snapshot(rec("1", 10)))]), /cannot tell the snapshot date/);
  // A model that lacks a problem the others have: kept under "all", the problem dropped under "common-400".
  const two = snapshot(`${rec("1", 10)}, ${rec("2", 10)}, {"question_id": "1", "model": "Command-R", "date": 1700438400000, "difficulty": "easy", "pass@1": 0, "platform": "leetcode"}`,
    '[{"model_repr": "Claude-3-Haiku"}, {"model_repr": "Command-R"}]');
  assert.equal((await runAdapter(livecodebench, [f("missing.json", two)])).rows.length, 3);
  assert.equal((await runAdapter(livecodebench, [f("missing.json", two)], { block: "common-400" })).rows.length, 2);
});

test("livecodebench real snapshots: README counts (71 models, 1055 problems, 45,120 cells, 400 common)", async () => {
  const root = "livecodebench-codegen/raw/livecodebench.github.io";
  const files = readdirSync(`${mirrorDir}/${root}`).sort().map((d) => mirror(`${root}/${d}/src/mocks/performances_generation.json`));
  assert.equal(files.length, 3);
  const { rows, warnings } = await runAdapter(livecodebench, files, {}, "lcb");
  assert.equal(rows.length, 45120);
  assert.equal(new Set(rows.map((r) => r.model)).size, 71);
  assert.equal(new Set(rows.map((r) => r.item_id)).size, 1055);
  assert.ok(!warnings.some((w) => w.includes("not in the model registry")));
  // Seven re-scored models (README caveats), newest kept.
  assert.equal(warnings.filter((w) => w.includes("kept the newest value")).length, 7);
  assert.ok(warnings.some((w) => /"Mistral-Large" is in snapshots 2024-04-17, 2025-01-15: .* 400 values .* 157 of them/.test(w)));
  const single = new Set(rows.filter((r) => r.n_samples === 1).map((r) => r.model));
  assert.equal(single.size, 18);
  const fractional = rows.filter((r) => r.pass_count! > 0 && r.pass_count! < r.n_samples!).length;
  assert.equal(Math.round((1000 * fractional) / rows.length), 86); // 8.6 %
  assert.equal(rows.filter((r) => 2 * r.pass_count! === r.n_samples).length, 303);
  const providers = new Map<string, number>();
  for (const m of new Set(rows.map((r) => `${r.provider}\u0000${r.model}`))) providers.set(m.split("\u0000")[0], (providers.get(m.split("\u0000")[0]) ?? 0) + 1);
  assert.equal(providers.size, 18);
  assert.deepEqual([providers.get("OpenAI"), providers.get("Anthropic"), providers.get("Google"), providers.get("DeepSeek"), providers.get("Meta")], [19, 8, 7, 7, 6]);
  const common = await runAdapter(livecodebench, files, { block: "common-400" }, "lcb");
  assert.equal(new Set(common.rows.map((r) => r.item_id)).size, 400);
  assert.equal(common.rows.length, 71 * 400);
  const dates = common.rows.map((r) => r.meta!.date!).sort();
  assert.deepEqual([dates[0], dates[dates.length - 1]], ["2023-05-08", "2024-03-03"]); // README's contest-date range
});
