// A throw-away project that runs the REAL stage types (ingest with the generic adapter, pool, cofailure,
// paper) on small per-model CSV files, through the real CLI: the swap-in workflow end to end.
import { cp, mkdir, mkdtemp, writeFile, copyFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "./engine-project.js";

export const ITEMS = Array.from({ length: 20 }, (_, i) => `q${String(i + 1).padStart(2, "0")}`);

/** A generic-format CSV for one model that is right exactly on the listed items (1-based). */
export function modelCsv(model: string, right: number[]): string {
  return "item_id,model,sample,correct\n" + ITEMS.map((id, i) => `${id},${model},0,${right.includes(i + 1) ? 1 : 0}`).join("\n") + "\n";
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
// Items 19 and 20 defeat every model: beta = 0.1 with a, b, c.
export const MODEL_FILES: Record<string, string> = {
  "results/model-a.csv": modelCsv("model-a", range(1, 14)),
  "results/model-b.csv": modelCsv("model-b", range(5, 16)),
  "results/model-c.csv": modelCsv("model-c", [1, 2, ...range(8, 18)]),
};
export const MODEL_D = modelCsv("model-d", [19, 3]);

export const PAPER = `# Results

Our pool of {{fix.n.models}} models answers {{fix.n.items}} questions.
Every model fails on {{fix.beta.count}} of them, a co-failure rate of {{fix.beta}}{{claim: fix.beta > 0}}.
No router can beat {{fix.ceiling}}, while the best single model reaches {{fix.best.accuracy}}.
`;

export function pipeline(files: string[]): string {
  return `version: 1
seed: 11
datasets:
  results:
    local: [${files.join(", ")}]
  paper-source:
    local: [paper/paper.md]
stages:
  ingest:
    type: ingest
    inputs: { files: dataset:results }
    params: { adapter: generic, task: fix }
    foreach: files
  pool:
    type: pool
    inputs: { tables: ingest.table }
    params: { name: fix }
  cofailure:
    type: cofailure
    inputs: { matrix: pool.matrix }
  paper:
    type: paper
    inputs: { source: dataset:paper-source, results: "*.results", provenance: "*.provenance" }
`;
}

export async function makeAuditProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-audit-"));
  for (const d of ["engine", "stages", "stats", "core", "ingest", "paper", "figures"]) await cp(join(REPO, d), join(dir, d), { recursive: true });
  await copyFile(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(join(dir, "catalog.ts"), `export const stageCatalog = {
  cofailure: "stages/cofailure.ts", ingest: "stages/ingest.ts", paper: "stages/paper.ts", pool: "stages/pool.ts",
};\n`);
  const files = { ...MODEL_FILES, "paper/paper.md": PAPER, "pipeline.yaml": pipeline(Object.keys(MODEL_FILES)) };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}
