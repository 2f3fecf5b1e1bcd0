// build/registry.json: every result published by the stages in the workspace (sweep variants excepted), sorted by
// id, each with the stage and cache key that produced it (the paper links numbers to provenance through these).
import { readFile, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cacheOutDir, type ProjectPaths } from "./cache.js";
import { lockEntries, type LockFile } from "./lockfile.js";
import { isVariantId } from "./sweep.js";
import type { PublishedResult } from "./threads/protocol.js";
import type { ResultRecord } from "./types.js";

export async function buildRegistry(paths: ProjectPaths, lock: LockFile): Promise<{ results: ResultRecord[]; errors: string[] }> {
  const byId = new Map<string, ResultRecord>();
  const errors: string[] = [];
  for (const { stage, partition, entry } of lockEntries(lock)) {
    // A sweep's variants all publish the same ids: their results stay in their own results output (engine/sweep.ts).
    if (isVariantId(stage)) continue;
    let published: PublishedResult[] = [];
    try {
      published = JSON.parse(await readFile(join(cacheOutDir(paths, entry.key), "results.json"), "utf8"));
    } catch {
      errors.push(`results of ${stage}${partition ? `[${partition}]` : ""} are missing from the run-cache (key ${entry.key.slice(0, 12)})`);
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
  return { results, errors };
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
