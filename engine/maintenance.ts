// Housekeeping verbs: clean (build outputs), gc (unreferenced run-cache entries), data (fetch all inputs).
import { lstat, readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { projectPaths, quarantine, readCacheRecord, type ProjectPaths } from "./cache.js";
import { lockEntries, readLockFile, readLockFileStrict, type LockFile } from "./lockfile.js";
import { acquireRunLock } from "./run-lock.js";
import { materializeDatasetFile, resolveDatasets } from "./datasets.js";
import { createFileHasher, type FileHasher } from "./file-hasher.js";
import { loadSpec } from "./spec.js";
import type { StageCatalog } from "./catalog.js";

export interface LockWaitOptions {
  /** Seconds to wait for a running `cofail run` (default 10). */
  waitS?: number;
}

export async function cleanBuild(options: { projectDir: string } & LockWaitOptions): Promise<string> {
  const paths = projectPaths(options.projectDir);
  const lock = await acquireRunLock({ path: paths.runLock, timeoutS: options.waitS ?? 10 });
  try {
    // build/ is a view of the run-cache: a file in it that matches no recorded output is someone's work; keep it.
    const recorded = await readLockFile(paths.lockFile);
    const hasher = await createFileHasher({ cacheFile: paths.statCache });
    const moved = await quarantineUnrecorded(paths, recorded, hasher);
    await rm(paths.buildDir, { recursive: true, force: true });
    await hasher.save();
    return `removed ${relative(process.cwd(), paths.buildDir) || paths.buildDir} (the run-cache is kept: \`cofail run\` restores without recomputing)` +
      (moved.length ? `\nkept ${moved.length} file(s) that match no recorded output: moved to ${moved.join(", ")}` : "");
  } finally { await lock.release(); }
}

/** Files under build/ that are neither a recorded output of the lock (same sha256) nor the registry: moved to the quarantine. */
async function quarantineUnrecorded(paths: ProjectPaths, lock: LockFile, hasher: FileHasher): Promise<string[]> {
  const expected = new Map<string, string>();
  for (const { stage, partition, entry } of lockEntries(lock)) {
    for (const o of Object.values(entry.outputs)) expected.set([stage, ...(partition === undefined ? [] : [partition]), o.file].join("/"), o.sha256);
  }
  const moved: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let items;
    try { items = await readdir(join(paths.buildDir, rel), { withFileTypes: true }); } catch { return; }
    for (const it of items) {
      const r = rel ? `${rel}/${it.name}` : it.name;
      if (it.isDirectory()) { await walk(r); continue; }
      if (r === "registry.json" || it.name.startsWith(".staging-")) continue; // rebuilt from the run-cache by every run
      const sha = expected.get(r);
      if (sha !== undefined && (await hasher.verifyFile(join(paths.buildDir, r), sha)).ok) continue;
      moved.push(await quarantine(paths, join(paths.buildDir, r)));
    }
  };
  await walk("");
  return moved;
}

/** How many of the latest run records `gc` keeps the run-cache entries of, besides those cofail.lock references. */
export const GC_KEEP_RUNS = 5;

export interface GcOptions extends LockWaitOptions {
  projectDir: string;
  /** List what would be removed; change nothing. */
  dry?: boolean;
  /** Keep the entries of the last N run records (default GC_KEEP_RUNS). */
  keepRuns?: number;
}

/**
 * Drops run-cache entries that nothing references: kept are those of cofail.lock (and the upstream runs they read),
 * those of the last `keepRuns` run records (and their upstream), anything that is not an entry (foreign names), and
 * .cofail/quarantine/ is never touched. On any doubt (an unreadable or conflicted cofail.lock, an unreadable run
 * record) nothing is removed and the error says where.
 */
export async function gcCache(options: GcOptions): Promise<string> {
  const keepRuns = options.keepRuns ?? GC_KEEP_RUNS;
  if (!(Number.isSafeInteger(keepRuns) && keepRuns >= 0)) throw new Error(`keep-runs must be a non-negative integer; got ${keepRuns}`);
  const paths = projectPaths(options.projectDir);
  const lock = await acquireRunLock({ path: paths.runLock, timeoutS: options.waitS ?? 10 });
  try {
    const locked = await readLockFileStrict(paths.lockFile); // throws LockFileError: gc aborts, removing nothing
    const byLock = new Set<string>();
    for (const { entry } of lockEntries(locked)) {
      byLock.add(entry.key);
    }
    let runNames: string[] = [];
    try { runNames = (await readdir(paths.runsDir)).filter((n) => n.endsWith(".json")).sort(); } catch { /* no runs yet */ }
    const byRuns = new Set<string>();
    for (const n of runNames.slice(Math.max(0, runNames.length - keepRuns))) {
      let record: { tasks?: { key?: unknown }[] };
      try {
        record = JSON.parse(await readFile(join(paths.runsDir, n), "utf8"));
        if (!record || !Array.isArray(record.tasks)) throw new Error("no tasks list");
      } catch (e) {
        throw new Error(`gc: cannot read run record .cofail/runs/${n} (${(e as Error).message.slice(0, 120)}); nothing removed. ` +
          `Fix or move that file, or run gc with --keep-runs 0 to rely on cofail.lock alone`);
      }
      for (const t of record.tasks) if (typeof t.key === "string") byRuns.add(t.key);
    }
    const keep = new Set([...byLock, ...byRuns]);
    let names: string[] = [];
    try { names = (await readdir(paths.cacheDir)).sort(); } catch { /* no cache */ }
    const foreign = names.filter((n) => !/^[0-9a-f]{64}$/.test(n));
    const drop = names.filter((n) => /^[0-9a-f]{64}$/.test(n) && !keep.has(n));
    const lines: string[] = [];
    let bytes = 0;
    for (const n of drop) {
      const size = await treeSize(join(paths.cacheDir, n));
      bytes += size;
      const rec = await readCacheRecord(paths, n);
      const label = rec ? (rec.partition === undefined ? rec.stage : `${rec.stage}[${rec.partition}]`) : "(record unreadable)";
      lines.push(`  ${options.dry ? "would remove" : "removed"} ${n.slice(0, 12)}  ${label}  ${mb(size)}`);
      if (!options.dry) await rm(join(paths.cacheDir, n), { recursive: true, force: true });
    }
    const kept = names.length - drop.length - foreign.length;
    const summary = `gc${options.dry ? " (dry run)" : ""}: ${options.dry ? "would remove" : "removed"} ${drop.length} run-cache entries (${mb(bytes)}), kept ${kept} ` +
      `(${[...byLock].filter((k) => names.includes(k)).length} referenced by cofail.lock, ${[...byRuns].filter((k) => names.includes(k) && !byLock.has(k)).length} more by the last ${Math.min(keepRuns, runNames.length)} run record(s), the rest upstream of those)`;
    if (foreign.length) lines.push(`  left alone: ${foreign.map((f) => `.cofail/cache/${f}`).join(", ")} (not run-cache entries)`);
    return [...lines, summary].join("\n");
  } finally { await lock.release(); }
}

async function treeSize(path: string): Promise<number> {
  const st = await lstat(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const n of await readdir(path)) total += await treeSize(join(path, n));
  return total;
}

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
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
