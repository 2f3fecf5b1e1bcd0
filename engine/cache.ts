// The content-addressed run-cache (.cofail/cache/<key>/{out/,record.json}) and the workspace view
// (build/<stage>[/<partition>]/). Both are only ever replaced by a rename, so a killed run leaves no
// half-written entry behind: at worst a stray temp dir, swept at the next run.
import { constants } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { FileHasher } from "./file-hasher.js";
import type { LockEntry, OutputRecord } from "./lockfile.js";

export interface ProjectPaths {
  projectDir: string;
  cofailDir: string;
  cacheDir: string;
  tmpDir: string;
  runsDir: string;
  buildDir: string;
  lockFile: string;
  runLock: string;
  statCache: string;
  registry: string;
}

export function projectPaths(projectDir: string): ProjectPaths {
  const cofailDir = join(projectDir, ".cofail");
  return {
    projectDir, cofailDir,
    cacheDir: join(cofailDir, "cache"),
    tmpDir: join(cofailDir, "tmp"),
    runsDir: join(cofailDir, "runs"),
    buildDir: join(projectDir, "build"),
    lockFile: join(projectDir, "cofail.lock"),
    runLock: join(cofailDir, "run.lock"),
    statCache: join(cofailDir, "stat-cache.json"),
    registry: join(projectDir, "build", "registry.json"),
  };
}

export interface CacheRecord { key: string; stage: string; partition?: string; entry: LockEntry }

export function cacheOutDir(paths: ProjectPaths, key: string): string {
  return join(paths.cacheDir, key, "out");
}

export async function readCacheRecord(paths: ProjectPaths, key: string): Promise<CacheRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(paths.cacheDir, key, "record.json"), "utf8")) as CacheRecord;
  } catch {
    return undefined;
  }
}

/** A fresh temp dir for a stage run; outputs go to <dir>/out. */
export async function makeRunTempDir(paths: ProjectPaths, key: string): Promise<string> {
  const dir = join(paths.tmpDir, `${key.slice(0, 16)}.${process.pid}.${randomBytes(4).toString("hex")}`);
  await mkdir(join(dir, "out"), { recursive: true });
  return dir;
}

/** Seal a finished run into the cache: write record.json, then rename the whole dir into place. */
export async function commitToCache(paths: ProjectPaths, tempDir: string, record: CacheRecord): Promise<void> {
  await writeFile(join(tempDir, "record.json"), JSON.stringify(record, null, 2) + "\n");
  await mkdir(paths.cacheDir, { recursive: true });
  const dest = join(paths.cacheDir, record.key);
  await rm(dest, { recursive: true, force: true });
  await rename(tempDir, dest);
}

export function workspaceDir(paths: ProjectPaths, stage: string, partition?: string): string {
  return partition === undefined ? join(paths.buildDir, stage) : join(paths.buildDir, stage, partition);
}

/** True when every output file is in the workspace with the recorded content (stat cache makes it cheap). */
export async function workspaceIntact(options: {
  paths: ProjectPaths; stage: string; partition?: string; outputs: Record<string, OutputRecord>; hasher: FileHasher;
}): Promise<boolean> {
  const dir = workspaceDir(options.paths, options.stage, options.partition);
  for (const o of Object.values(options.outputs)) {
    const h = await options.hasher.hashFile(join(dir, o.file));
    if (!h || h.sha256 !== o.sha256) return false;
  }
  return true;
}

/** Replace the workspace copy of a task's outputs with the cache entry's files. */
export async function installWorkspace(options: {
  paths: ProjectPaths; key: string; stage: string; partition?: string; outputs: Record<string, OutputRecord>;
}): Promise<void> {
  const { paths } = options;
  const dest = workspaceDir(paths, options.stage, options.partition);
  const staging = join(paths.buildDir, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging, { recursive: true });
  for (const o of Object.values(options.outputs)) {
    await copyFile(join(cacheOutDir(paths, options.key), o.file), join(staging, o.file), constants.COPYFILE_FICLONE);
  }
  await mkdir(join(dest, ".."), { recursive: true });
  await rm(dest, { recursive: true, force: true });
  await rename(staging, dest);
}

/** Remove partition dirs of a foreach stage that are no longer partitions. */
export async function prunePartitions(paths: ProjectPaths, stage: string, keep: Set<string>): Promise<void> {
  const dir = join(paths.buildDir, stage);
  let names: string[] = [];
  try { names = await readdir(dir); } catch { return; }
  for (const n of names) if (!keep.has(n)) await rm(join(dir, n), { recursive: true, force: true });
}

/** Sweep temp dirs left by killed runs (only called while holding the run lock). */
export async function sweepTemp(paths: ProjectPaths): Promise<void> {
  await rm(paths.tmpDir, { recursive: true, force: true });
  try {
    for (const n of await readdir(paths.buildDir)) if (n.startsWith(".staging-")) await rm(join(paths.buildDir, n), { recursive: true, force: true });
  } catch { /* no build dir yet */ }
}
