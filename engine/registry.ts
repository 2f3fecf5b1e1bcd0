// build/registry.json: every result published by the stages in the workspace (sweep variants excepted), sorted by
// id, each with the stage and cache key that produced it (the paper links numbers to provenance through these).
import { readFile, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cacheOutDir, type ProjectPaths } from "./cache.js";
import { sha256 } from "./canonical-json.js";
import { lockEntries, type LockFile } from "./lockfile.js";
import { isVariantId } from "./sweep.js";
import type { PublishedResult } from "./threads/protocol.js";
import type { ResultRecord } from "./types.js";

/**
 * The registry of what exists: the results of every lock entry whose run is in this workspace's run-cache. An entry
 * whose run is not (a fresh clone's committed lock names every stage, a run of one target builds a few) is left out
 * and listed in `notBuilt`; that is not an error. Two stages publishing one id is.
 */
export async function buildRegistry(paths: ProjectPaths, lock: LockFile): Promise<{ results: ResultRecord[]; errors: string[]; notBuilt: string[] }> {
  const byId = new Map<string, ResultRecord>();
  const errors: string[] = [];
  const notBuilt: string[] = [];
  for (const { stage, partition, entry } of lockEntries(lock)) {
    // A sweep's variants all publish the same ids: their results stay in their own results output (engine/sweep.ts).
    if (isVariantId(stage)) continue;
    let published: PublishedResult[] = [];
    const label = `${stage}${partition ? `[${partition}]` : ""}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(join(cacheOutDir(paths, entry.key), "results.json"));
    } catch {
      notBuilt.push(label);
      continue;
    }
    // The registry is what the paper prints: only results whose bytes are the ones the lock recorded.
    const recorded = entry.outputs?.results?.sha256;
    if (recorded !== undefined && sha256(bytes) !== recorded) {
      errors.push(`results of ${label} in the run-cache (.cofail/cache/${entry.key.slice(0, 12)}…/out/results.json) do not match cofail.lock (sha256 ${sha256(bytes).slice(0, 12)}…, expected ${recorded.slice(0, 12)}…): corrupt entry; \`cofail run ${stage}\` recomputes it`);
      continue;
    }
    try {
      published = JSON.parse(bytes.toString("utf8")) as PublishedResult[];
    } catch (e) {
      errors.push(`results of ${label} in the run-cache (key ${entry.key.slice(0, 12)}) are not valid JSON: ${(e as Error).message}`);
      continue;
    }
    for (const r of published) {
      const prev = byId.get(r.id);
      if (prev) {
        errors.push(`result id "${r.id}" is published by both ${prev.stage} and ${stage}${partition ? `[${partition}]` : ""}; result ids must be unique`);
        continue;
      }
      byId.set(r.id, { ...r, stage, key: entry.key });
    }
  }
  const results = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { results, errors, notBuilt };
}

export async function writeRegistry(paths: ProjectPaths, results: ResultRecord[]): Promise<void> {
  await mkdir(dirname(paths.registry), { recursive: true });
  const text = JSON.stringify(results, null, 2) + "\n";
  const old = await readFile(paths.registry, "utf8").catch(() => undefined);
  if (old === text) return;
  const tmp = `${paths.registry}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, paths.registry);
}

export async function readRegistry(paths: ProjectPaths): Promise<ResultRecord[]> {
  try { return JSON.parse(await readFile(paths.registry, "utf8")); } catch { return []; }
}
