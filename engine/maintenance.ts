// Housekeeping verbs: clean (build outputs), gc (unreferenced run-cache entries), data (fetch all inputs).
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { projectPaths } from "./cache.js";
import { lockEntries, readLockFile } from "./lockfile.js";
import { acquireRunLock } from "./run-lock.js";
import { materializeDatasetFile, resolveDatasets } from "./datasets.js";
import { createFileHasher } from "./file-hasher.js";
import { loadSpec } from "./spec.js";
import type { StageCatalog } from "./catalog.js";

export async function cleanBuild(options: { projectDir: string }): Promise<string> {
  const paths = projectPaths(options.projectDir);
  const lock = await acquireRunLock({ path: paths.runLock, timeoutS: 10 });
  try {
    await rm(paths.buildDir, { recursive: true, force: true });
    return `removed ${paths.buildDir} (the run-cache is kept: \`cofail run\` restores without recomputing)`;
  } finally { await lock.release(); }
}

export async function gcCache(options: { projectDir: string }): Promise<string> {
  const paths = projectPaths(options.projectDir);
  const lock = await acquireRunLock({ path: paths.runLock, timeoutS: 10 });
  try {
    const keep = new Set<string>();
    for (const { entry } of lockEntries(await readLockFile(paths.lockFile))) keep.add(entry.key);
    let names: string[] = [];
    try { names = await readdir(paths.cacheDir); } catch { /* no cache */ }
    const drop = names.filter((n) => !keep.has(n));
    for (const n of drop) await rm(join(paths.cacheDir, n), { recursive: true, force: true });
    return `gc: removed ${drop.length} run-cache entries, kept ${names.length - drop.length}`;
  } finally { await lock.release(); }
}

export async function materializeAll(options: { projectDir: string; specFile?: string; catalog: StageCatalog }): Promise<string> {
  const spec = await loadSpec({ projectDir: options.projectDir, file: options.specFile ?? join(options.projectDir, "pipeline.yaml"), catalog: options.catalog });
  const paths = projectPaths(options.projectDir);
  const hasher = await createFileHasher({ cacheFile: paths.statCache });
  const datasets = await resolveDatasets({ spec, hasher, names: Object.keys(spec.datasets) });
  let n = 0, bytes = 0;
  for (const [name, files] of datasets) {
    for (const f of files) {
      await materializeDatasetFile(spec, f);
      n++;
      bytes += f.bytes ?? 0;
    }
    process.stderr.write(`  ${name}: ${files.length} files verified\n`);
  }
  await hasher.save();
  return `data: ${n} files (${(bytes / 1e6).toFixed(1)} MB) verified`;
}
