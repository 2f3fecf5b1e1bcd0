import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { resolveModel } from "../../core/model-registry.js";
import type { Adapter } from "../../ingest/adapters/types.js";
import livecodebench from "../../ingest/adapters/livecodebench.js";
import livecodebenchSubmissions from "../../ingest/adapters/livecodebench-submissions.js";
import answerMatching from "../../ingest/adapters/answer-matching.js";
import simpleEvalsGpqa from "../../ingest/adapters/simple-evals-gpqa.js";
import gpqaRotations from "../../ingest/adapters/gpqa-rotations.js";
import matharena from "../../ingest/adapters/matharena.js";
import { mirror, mirrorDir, models, projectDir, runAdapter } from "../support/adapter-harness.js";

test("models.yaml: every entry uses only schema fields, has a provider, and ISO release dates", () => {
  const doc = YAML.parse(readFileSync(join(projectDir, "data/models.yaml"), "utf8"));
  const allowed = new Set(["provider", "family", "open_weights", "release_date", "aliases", "notes"]);
  for (const [name, info] of Object.entries(doc.models as Record<string, Record<string, unknown>>)) {
    for (const k of Object.keys(info)) assert.ok(allowed.has(k), `${name}: unexpected field "${k}" (a comma inside an unquoted flow value?)`);
    assert.equal(typeof info.provider, "string", name);
    if (info.release_date !== undefined) assert.match(String(info.release_date), /^\d{4}-\d{2}-\d{2}$/, name);
  }
});

/** Every model name of every real dataset resolves without an "unknown" warning; returns the canonical names. */
async function datasetModels(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const collect = async (dataset: string, adapter: Adapter, files: ReturnType<typeof mirror>[]) => {
    const { rows, warnings } = await runAdapter(adapter, files);
    assert.deepEqual(warnings.filter((w) => w.includes("not in the model registry")), [], dataset);
    out.set(dataset, new Set([...(out.get(dataset) ?? []), ...rows.map((r) => r.model)]));
  };
  const lcb = "livecodebench-codegen/raw/livecodebench.github.io";
  await collect("livecodebench-codegen", livecodebench, readdirSync(`${mirrorDir}/${lcb}`).map((d) => mirror(`${lcb}/${d}/src/mocks/performances_generation.json`)));
  await collect("livecodebench-codegen", livecodebenchSubmissions, ["O1-Mini-2024-09-12 (N=1)", "O1-Preview-2024-09-12 (N=1)"].map((d) =>
    mirror(`livecodebench-codegen/raw/submissions/4d04b02a/${d}/Scenario.codegeneration_1_0.2_eval_all.json`)));
  await collect("answer-matching", answerMatching, [mirror("answer-matching/raw/gpqa_combined_samples_to_annotate.jsonl")]);
  const se = "gpqa-mc-simple-evals-ru/raw/data/results/gpqa";
  await collect("gpqa-mc-simple-evals-ru", simpleEvalsGpqa, readdirSync(`${mirrorDir}/${se}`).map((f) => mirror(`${se}/${f.replace(/\.gz$/, "")}`)));
  await collect("gpqa-mc-rotations", gpqaRotations, [mirror("answer-matching/raw/src/upload_data/gpqa-diamond-freeform.csv"),
    ...readdirSync(`${mirrorDir}/gpqa-mc-rotations/raw`).map((f) => mirror(`gpqa-mc-rotations/raw/${f.replace(/\.gz$/, "")}`))]);
  await collect("matharena-aime2025i-web", matharena, [mirror("matharena-aime2025i-web/raw/static/js/table_data.js")]);
  // ZeroEval (adapter owned elsewhere): file names and the summaries' display names must all resolve.
  for (const [dataset, task] of [["zeroeval-math-l5", "math-l5"], ["zeroeval-gsm", "gsm"]]) {
    const names = new Set<string>();
    const warn = (m: string) => assert.fail(`${dataset}: ${m}`);
    for (const f of readdirSync(`${mirrorDir}/${dataset}/raw/result_dirs/${task}`)) names.add(resolveModel(models(), f.replace(/\.json(\.gz)?$/, ""), warn).name);
    const summary = JSON.parse(readFileSync(`${mirrorDir}/${dataset}/raw/result_dirs/${task}.summary.json`, "utf8")) as { Model: string }[];
    const fromSummary = new Set(summary.map((s) => resolveModel(models(), s.Model, warn).name));
    for (const n of names) assert.ok(fromSummary.has(n), `${dataset}: file model ${n} has no summary row under the same canonical name`);
    out.set(dataset, fromSummary);
  }
  // MMLU-Pro rows of answer-matching (not ingested, but part of the dataset).
  const mmlu = new Set<string>();
  for (const f of ["answer-matching/raw/mmlu_pro_combined_samples_to_annotate2.jsonl", "answer-matching/raw/src/visualize_resps/annotation/saves/2907_gemini.jsonl"]) {
    for (const line of readFileSync(`${mirrorDir}/${f}`, "utf8").split("\n").filter(Boolean)) {
      mmlu.add(resolveModel(models(), JSON.parse(line).model, (m) => assert.fail(`${f}: ${m}`)).name);
    }
  }
  out.set("answer-matching (MMLU-Pro)", mmlu);
  return out;
}

test("every model of the seven real datasets resolves; counts per dataset and providers", async () => {
  const byDataset = await datasetModels();
  const counts = Object.fromEntries([...byDataset].map(([d, s]) => [d, s.size]));
  assert.deepEqual(counts, {
    "livecodebench-codegen": 71,
    "answer-matching": 4,
    "gpqa-mc-simple-evals-ru": 20,
    "gpqa-mc-rotations": 8,
    "matharena-aime2025i-web": 16,
    "zeroeval-math-l5": 43,
    "zeroeval-gsm": 47, // 44 files + 3 summary-only runs
    "answer-matching (MMLU-Pro)": 5,
  });
  const registry = models();
  const all = new Set([...byDataset.values()].flatMap((s) => [...s]));
  const providers = new Map<string, number>();
  for (const m of all) providers.set(registry.models[m].provider, (providers.get(registry.models[m].provider) ?? 0) + 1);
  // Developers named in the READMEs all appear.
  for (const p of ["OpenAI", "Anthropic", "Google", "Meta", "Alibaba", "Mistral", "DeepSeek", "xAI", "01.AI", "Microsoft", "Reka", "Nexusflow", "Sber", "Yandex", "T-Bank", "Cohere"]) {
    assert.ok(providers.has(p), p);
  }
  assert.equal(all.size, 153);
  assert.equal(providers.size, 29);
  // Every registry entry is used by some dataset (no stale entries).
  assert.deepEqual(Object.keys(registry.models).filter((m) => !all.has(m)), []);
});
