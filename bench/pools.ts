// The real pool the benchmarks time besides their simulated 67 x 1000 matrix: the paper's LiveCodeBench pool,
// built from the shared data mirror by the pipeline's own code (adapter -> code grader -> pool builder).
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InputFile } from "../engine/types.js";
import livecodebench from "../stages/adapters/livecodebench.js";
import type { CanonicalTable } from "../stages/canonical.js";
import code from "../stages/graders/code.js";
import { parseModelRegistry } from "../stages/models.js";
import { buildPoolMatrix } from "../stages/pool.js";

export const dataRoot = fileURLToPath(new URL("../../shared/data", import.meta.url));

/**
 * pool-lcb's verdict matrix (rows = models, 1 = correct): the three leaderboard snapshots, 400-problem common
 * block, majority of samples — 71 models x 400 problems; null without the data mirror.
 */
export async function liveCodeBenchPool(): Promise<Uint8Array[] | null> {
  const dir = join(dataRoot, "livecodebench-codegen/raw/livecodebench.github.io");
  if (!existsSync(dir)) return null;
  const files: InputFile[] = readdirSync(dir).sort().map((d) => ({
    name: `livecodebench-codegen/raw/livecodebench.github.io/${d}/src/mocks/performances_generation.json`,
    path: join(dir, d, "src/mocks/performances_generation.json"), sha256: "",
  }));
  const registry = new URL("../data/models.yaml", import.meta.url);
  const models = parseModelRegistry(await readFile(registry, "utf8"), "data/models.yaml");
  const warn = () => {};
  const rows = await livecodebench({ task: "lcb", files, options: { block: "common-400" }, models, warn });
  const graded = code(rows, { options: { policy: "majority" }, warn });
  const table: CanonicalTable = { task: "lcb", source: { adapter: "livecodebench", files: files.map((f) => f.name) }, rows: graded, warnings: [] };
  const pool = buildPoolMatrix([table], { name: "lcb", sample_policy: "majority", items: "common", models: {} });
  // psych drops models without variance; so do we, to time the same problem.
  return pool.correct.map((r) => Uint8Array.from(r)).filter((r) => r.some((v) => v === 1) && r.some((v) => v === 0));
}
