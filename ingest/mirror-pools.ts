// Real pools for tests and benchmarks: the project's adapters over the shared data mirror (./mirror-tables.ts), then
// the pool builder of the `pool` stage (core/build-pool.ts). Callers skip when the mirror is absent.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { dataMirror, hasData, loadWithAdapter } from "./mirror-tables.js";
import { buildPoolMatrix } from "../core/build-pool.js";
import type { CanonicalTable, SamplePolicy } from "../core/canonical-table.js";
import type { PoolMatrix } from "../core/pool-matrix.js";

export { hasData };

const SIMPLE = "gpqa-mc-simple-evals-ru/raw/data";
const BENCH = `${SIMPLE}/benches/gpqa.jsonl`;
const AM = "answer-matching/raw";

export function pool(tables: CanonicalTable[], name: string, samplePolicy: SamplePolicy = "first"): PoolMatrix {
  return buildPoolMatrix(tables, { name, sample_policy: samplePolicy, models: {}, items: "common" });
}

export function loadSimpleEvalsGpqa(): Promise<CanonicalTable> {
  const dir = `${SIMPLE}/results/gpqa`;
  const files = readdirSync(join(dataMirror, dir)).filter((f) => f.endsWith(".jsonl.gz")).sort().map((f) => `${dir}/${f}`);
  return loadWithAdapter({ adapter: "simple-evals-gpqa", task: "gpqa-mc", files: [...files, BENCH] });
}

export function loadGpqaRotations(): Promise<CanonicalTable> {
  const dir = "gpqa-mc-rotations/raw";
  const files = readdirSync(join(dataMirror, dir)).filter((f) => f.endsWith(".csv.gz")).sort().map((f) => `${dir}/${f}`);
  return loadWithAdapter({ adapter: "gpqa-rotations", task: "gpqa-mc-rot", files: [...files, `${AM}/src/upload_data/gpqa-diamond-freeform.csv`, BENCH] });
}

/** Free-response GPQA with all four graders' verdicts per row (no `correct` yet: judge-panel decides it). */
export function loadAnswerMatching(): Promise<CanonicalTable> {
  const saves = `${AM}/src/visualize_resps`;
  const files = [
    `${AM}/gpqa_combined_samples_to_annotate.jsonl`,
    `${saves}/annotation/saves/ameya_gpqa.jsonl`, `${saves}/annotation/saves/nikhil_gpqa.jsonl`,
    `${saves}/updated_annotation0/ameya_gpqa.jsonl`, `${saves}/updated_annotation0/nikhil_gpqa.jsonl`,
    `${saves}/updated_annotation1/ameya_gpqa.jsonl`, `${saves}/updated_annotation1/nikhil_gpqa.jsonl`,
    BENCH,
  ];
  return loadWithAdapter({ adapter: "answer-matching", task: "gpqa-fr", files });
}

/** The three leaderboard snapshots, problems every model has (the 400-problem common block). */
export function loadLiveCodeBench(): Promise<CanonicalTable> {
  const dir = "livecodebench-codegen/raw/livecodebench.github.io";
  const files = readdirSync(join(dataMirror, dir)).sort().map((d) => `${dir}/${d}/src/mocks/performances_generation.json`);
  return loadWithAdapter({ adapter: "livecodebench", task: "lcb", files, adapterOptions: { block: "common-400" } });
}

export function loadAime(): Promise<CanonicalTable> {
  return loadWithAdapter({ adapter: "matharena", task: "aime", files: ["matharena-aime2025i-web/raw/static/js/table_data.js"] });
}

/** A table whose `correct` is one grader's verdict (null where that grader was unsure). */
export function withGrader(table: CanonicalTable, grader: string): CanonicalTable {
  return { ...table, rows: table.rows.map((r) => ({ ...r, correct: r.verdicts?.[grader] ?? null })) };
}
