// Canonical tables of the paper's raw data straight from the shared data mirror (../shared/data beside the project
// root) through the adapters, without the pipeline: for tests and benchmarks that need a real pool. .gz files are
// decompressed into a temp dir. Callers skip when the mirror is absent (`hasData`).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import type { InputFile } from "../engine/types.js";
import type { CanonicalTable } from "../core/canonical-table.js";
import { parseModelRegistry } from "../core/model-registry.js";
import { loadAdapter } from "./adapters/index.js";

export const projectDir = resolve(import.meta.dirname, "..");
export const dataMirror = resolve(projectDir, "../shared/data");
export const hasData = existsSync(join(dataMirror, "zeroeval-math-l5"));

/** Runs an adapter over files of the mirror (paths relative to it); gunzips into a temp dir first. */
export async function loadWithAdapter(options: { adapter: string; task: string; files: string[]; adapterOptions?: Record<string, unknown> }): Promise<CanonicalTable> {
  const tmp = mkdtempSync(join(tmpdir(), "cofail-analysis-"));
  try {
    const files: InputFile[] = options.files.map((rel, i) => {
      const src = join(dataMirror, rel);
      const bytes = readFileSync(src);
      const name = rel.replace(/\.gz$/, "");
      const path = join(tmp, `${i}-${name.split("/").pop()}`);
      writeFileSync(path, rel.endsWith(".gz") ? gunzipSync(bytes) : bytes);
      return { name, path, sha256: "" };
    });
    const models = parseModelRegistry(readFileSync(join(projectDir, "data/models.yaml"), "utf8"), "data/models.yaml");
    const adapter = await loadAdapter(options.adapter);
    const warnings: string[] = [];
    const rows = await adapter({ task: options.task, files, options: options.adapterOptions ?? {}, models, warn: (m) => warnings.push(m) });
    return { task: options.task, source: { adapter: options.adapter, files: files.map((f) => f.name) }, rows, warnings };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every ZeroEval run of a task ("math-l5": 43 runs, "gsm": 44), verdicts = ZeroEval's own rule (source_verdict). */
export function loadZeroEval(task: "math-l5" | "gsm"): Promise<CanonicalTable> {
  const dir = `zeroeval-${task}/raw/result_dirs/${task}`;
  const files = readdirSync(join(dataMirror, dir)).filter((f) => f.endsWith(".json.gz")).sort().map((f) => `${dir}/${f}`);
  return loadWithAdapter({ adapter: "zeroeval", task, files });
}

/** The 43 ZeroEval math-l5 runs, verdicts = ZeroEval's own rule (source_verdict). */
export function loadMathL5(): Promise<CanonicalTable> {
  return loadZeroEval("math-l5");
}
