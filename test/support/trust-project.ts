// A throw-away project that runs the real ingest (generic adapter), pool and cofailure stages on small local results
// files (CSV, JSONL and gzipped CSV), for the reliability tests: the rooms the stages import are copied in, so the
// project's code hashes are its own, and node_modules is a link to the checkout's.
import { cp, mkdtemp, readFile, symlink, writeFile, mkdir, readdir } from "node:fs/promises";
import { rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, treeContents } from "./engine-project.js";

const created: string[] = [];
process.on("exit", () => { for (const d of created) rmSync(d, { recursive: true, force: true }); });

export const TRUST_PIPELINE = `version: 1
seed: 11
datasets:
  results:
    local: [results/a.csv, results/b.jsonl, results/c.csv.gz]
stages:
  ingest:
    type: ingest
    inputs: { files: dataset:results }
    params: { adapter: generic, task: t }
    foreach: files
  pool:
    type: pool
    inputs: { tables: ingest.table }
    params: { name: t, sample_policy: first, items: common }
  cofailure:
    type: cofailure
    inputs: { matrix: pool.matrix }
`;

/** m1, m2 in a.csv; m3 in b.jsonl; m4 in c.csv.gz: q2 is the one item every model gets wrong (beta = 1/4). */
export const A_CSV = "item_id,model,sample,correct\nq1,m1,0,1\nq2,m1,0,0\nq3,m1,0,1\nq4,m1,0,0\nq1,m2,0,0\nq2,m2,0,0\nq3,m2,0,1\nq4,m2,0,1\n";
export const B_JSONL = ["q1", "q2", "q3", "q4"].map((q, i) => JSON.stringify({ item_id: q, model: "m3", sample: 0, correct: i === 1 ? 0 : 1 })).join("\n") + "\n";
export const C_CSV = "item_id,model,sample,correct\nq1,m4,0,0\nq2,m4,0,0\nq3,m4,0,0\nq4,m4,0,1\n";

export const TRUST_CATALOG = `export const stageCatalog: Record<string, string> = {
  ingest: "stages/ingest.ts", pool: "stages/pool.ts", cofailure: "stages/cofailure.ts", copula: "stages/copula.ts",
};
`;

export async function makeTrustProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-trust-"));
  created.push(dir);
  for (const room of ["engine", "core", "ingest", "stats", "stages"]) {
    await cp(join(REPO, room), join(dir, room), { recursive: true });
  }
  await cp(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(join(dir, "catalog.ts"), TRUST_CATALOG);
  await writeFile(join(dir, "pipeline.yaml"), TRUST_PIPELINE);
  await writeResults(dir);
  return dir;
}

export async function writeResults(dir: string): Promise<void> {
  await mkdir(join(dir, "results"), { recursive: true });
  await writeFile(join(dir, "results", "a.csv"), A_CSV);
  await writeFile(join(dir, "results", "b.jsonl"), B_JSONL);
  await writeFile(join(dir, "results", "c.csv.gz"), gzipSync(Buffer.from(C_CSV)));
}

/** What must not change when cofail refuses bad input: the run-cache, cofail.lock and build/. */
export async function trustedState(dir: string): Promise<{ cache: Record<string, string>; build: Record<string, string>; lock: string }> {
  return {
    cache: await treeContents(join(dir, ".cofail", "cache")),
    build: await treeContents(join(dir, "build")),
    lock: await readFile(join(dir, "cofail.lock"), "utf8"),
  };
}

/** Every file of the run-cache: entry key -> output files (names), for the corruption tests. */
export async function cacheEntries(dir: string): Promise<{ key: string; stage: string; partition?: string; files: string[] }[]> {
  const root = join(dir, ".cofail", "cache");
  const out = [];
  for (const key of (await readdir(root)).sort()) {
    const rec = JSON.parse(await readFile(join(root, key, "record.json"), "utf8")) as { stage: string; partition?: string; entry: { outputs: Record<string, { file: string }> } };
    out.push({ key, stage: rec.stage, partition: rec.partition, files: Object.values(rec.entry.outputs).map((o) => o.file).sort() });
  }
  return out;
}

