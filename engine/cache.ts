// The content-addressed run-cache (.cofail/cache/<key>/{out/,record.json}) and the workspace view
// (build/<stage>[/<partition>]/). Both are only ever replaced by a rename, so a killed run leaves no
// half-written entry behind: at worst a stray temp dir, swept at the next run.
// Nothing on disk is trusted as it is: an entry is used only when its record is well-formed, hashes to its own key,
// and every output has the sha256 the record holds (`verifyCacheEntry`); a build/ copy only when it matches too.
// What does not match is moved to .cofail/quarantine/ (`quarantine`), never deleted, and recomputed or restored.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileHasher } from "./file-hasher.js";
import { cacheKeyOf, ingredientsOf, type LockEntry, type OutputRecord } from "./lockfile.js";

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
  const r = await loadCacheRecord(paths, key);
  return r.state === "ok" ? r.record : undefined;
}

export type LoadedRecord = { state: "missing" } | { state: "ok"; record: CacheRecord } | { state: "corrupt"; reason: string };

/** An output file name as a record may hold it: one plain path segment, so a record can never point outside its entry. */
export const SAFE_FILE = /^(?!\.\.?$)[A-Za-z0-9._+-]+$/;

/**
 * The record of a cache entry, checked: parseable, for this key, and its ingredients hash to the key (an entry
 * moved or swapped to another key's directory, or edited, fails here), with well-formed output records.
 */
export async function loadCacheRecord(paths: ProjectPaths, key: string): Promise<LoadedRecord> {
  let text: string;
  try {
    text = await readFile(join(paths.cacheDir, key, "record.json"), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") return { state: "corrupt", reason: `record.json unreadable (${code ?? "error"})` };
    // A directory without a record is an entry whose record was lost, not an absent entry.
    try { await lstat(join(paths.cacheDir, key)); return { state: "corrupt", reason: "record.json missing" }; } catch { return { state: "missing" }; }
  }
  let rec: CacheRecord;
  try { rec = JSON.parse(text) as CacheRecord; } catch (e) { return { state: "corrupt", reason: `record.json is not valid JSON (${(e as Error).message.slice(0, 80)})` }; }
  const problem = recordProblem(rec, key);
  return problem ? { state: "corrupt", reason: problem } : { state: "ok", record: rec };
}

/** A record's text (a local record.json or a remote manifest) checked as loadCacheRecord checks it. */
export function parseCacheRecord(text: string, key: string): LoadedRecord {
  let rec: CacheRecord;
  try { rec = JSON.parse(text) as CacheRecord; } catch (e) { return { state: "corrupt", reason: `not valid JSON (${(e as Error).message.slice(0, 80)})` }; }
  const problem = recordProblem(rec, key);
  return problem ? { state: "corrupt", reason: problem } : { state: "ok", record: rec };
}

function recordProblem(rec: CacheRecord, key: string): string | undefined {
  if (!rec || typeof rec !== "object" || !rec.entry || typeof rec.entry !== "object") return "record.json has no entry";
  if (rec.key !== key || rec.entry.key !== key) return `record.json is for key ${String(rec.key).slice(0, 12)}…, not ${key.slice(0, 12)}… (entry moved or swapped)`;
  const outputs = rec.entry.outputs;
  if (!outputs || typeof outputs !== "object") return "record.json has no outputs";
  for (const [name, o] of Object.entries(outputs)) {
    if (!o || typeof o.file !== "string" || !SAFE_FILE.test(o.file) || typeof o.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.sha256)) {
      return `record.json: output "${name}" is malformed`;
    }
  }
  try {
    if (cacheKeyOf(ingredientsOf(rec.entry)) !== key) return "record.json's ingredients do not hash to its key (edited)";
  } catch {
    return "record.json's ingredients are malformed";
  }
  return undefined;
}

export interface EntryProblem { file: string; reason: string }

/**
 * Every output of a cache entry against its record (and, when given, against the outputs the lock recorded for the
 * same key): the stat cache spares the re-hash only for files the engine wrote or verified and has not seen change.
 */
export async function verifyCacheEntry(options: {
  paths: ProjectPaths; record: CacheRecord; hasher: FileHasher; lockOutputs?: Record<string, OutputRecord>;
}): Promise<EntryProblem[]> {
  const { record } = options;
  const problems: EntryProblem[] = [];
  const dir = cacheOutDir(options.paths, record.key);
  for (const o of Object.values(record.entry.outputs)) {
    const v = await options.hasher.verifyFile(join(dir, o.file), o.sha256);
    if (!v.ok) problems.push({ file: o.file, reason: v.reason });
  }
  if (options.lockOutputs) {
    for (const [name, o] of Object.entries(options.lockOutputs)) {
      const r = record.entry.outputs[name];
      if (!r || r.sha256 !== o.sha256 || r.file !== o.file) problems.push({ file: o.file, reason: `record.json disagrees with cofail.lock on output "${name}"` });
    }
  }
  return problems;
}

/** Where quarantined files of this process go: .cofail/quarantine/<time>-<pid>-<random>/<project-relative path>. */
let quarantineBatch: string | undefined;

/**
 * Moves a file or directory that failed verification aside, keeping its project-relative path, and returns the
 * project-relative destination. Never deletes: a user can inspect or restore it; `cofail gc` does not touch it.
 */
export async function quarantine(paths: ProjectPaths, absPath: string): Promise<string> {
  quarantineBatch ??= `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const inCofail = relative(paths.cofailDir, absPath);
  const rel = !inCofail.startsWith("..") ? inCofail : relative(paths.projectDir, absPath);
  const dest = join(paths.cofailDir, "quarantine", quarantineBatch, rel.startsWith("..") ? absPath.split(sep).join("_") : rel);
  await mkdir(join(dest, ".."), { recursive: true });
  let target = dest;
  for (let n = 1; ; n++) {
    try { await lstat(target); target = `${dest}.${n}`; } catch { break; }
  }
  await rename(absPath, target);
  return relative(paths.projectDir, target).split(sep).join("/");
}

/** Copies src to dest, hashing on the way; throws (leaving no dest) when the bytes are not the expected ones. */
async function copyVerified(src: string, dest: string, expected: string): Promise<void> {
  const h = createHash("sha256");
  const tap = new Transform({ transform(chunk, _e, cb) { h.update(chunk); cb(null, chunk); } });
  await pipeline(createReadStream(src), tap, createWriteStream(dest));
  const got = h.digest("hex");
  if (got !== expected) {
    await rm(dest, { force: true });
    throw Object.assign(new Error(`${src}: sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}… while restoring`), { corruptCopy: true });
  }
}

/** A fresh temp dir for a stage run; outputs go to <dir>/out. */
export async function makeRunTempDir(paths: ProjectPaths, key: string): Promise<string> {
  const dir = join(paths.tmpDir, `${key.slice(0, 16)}.${process.pid}.${randomBytes(4).toString("hex")}`);
  await mkdir(join(dir, "out"), { recursive: true });
  return dir;
}

/**
 * Seal a finished run into the cache: write record.json, then rename the whole dir into place. An entry already
 * there (a forced rerun, or one found corrupt) is moved to the quarantine, not deleted. The stat cache learns the
 * outputs as written by the engine.
 */
export async function commitToCache(paths: ProjectPaths, tempDir: string, record: CacheRecord, hasher?: FileHasher): Promise<void> {
  await writeFile(join(tempDir, "record.json"), JSON.stringify(record, null, 2) + "\n");
  await mkdir(paths.cacheDir, { recursive: true });
  const dest = join(paths.cacheDir, record.key);
  const existing = await loadCacheRecord(paths, record.key);
  if (existing.state === "ok" && await sameOutputs(paths, existing.record, record, hasher)) await rm(dest, { recursive: true, force: true });
  else if (existing.state !== "missing") await quarantine(paths, dest);
  await rename(tempDir, dest);
  if (hasher) for (const o of Object.values(record.entry.outputs)) await hasher.recordWritten(join(dest, "out", o.file), o.sha256);
}

/** Whether an entry on disk holds exactly the new run's outputs (a forced rerun of a deterministic stage): then dropping it loses nothing. */
async function sameOutputs(paths: ProjectPaths, old: CacheRecord, fresh: CacheRecord, hasher?: FileHasher): Promise<boolean> {
  const a = old.entry.outputs, b = fresh.entry.outputs;
  if (Object.keys(a).length !== Object.keys(b).length) return false;
  for (const [n, o] of Object.entries(a)) if (b[n]?.sha256 !== o.sha256 || b[n]?.file !== o.file) return false;
  if (!hasher) return true;
  return (await verifyCacheEntry({ paths, record: old, hasher })).length === 0;
}

export function workspaceDir(paths: ProjectPaths, stage: string, partition?: string): string {
  return partition === undefined ? join(paths.buildDir, stage) : join(paths.buildDir, stage, partition);
}

/** Outputs whose workspace copy is missing or differs from the record ([] = intact; the stat cache makes it cheap). */
export async function workspaceProblems(options: {
  paths: ProjectPaths; stage: string; partition?: string; outputs: Record<string, OutputRecord>; hasher: FileHasher;
}): Promise<EntryProblem[]> {
  const dir = workspaceDir(options.paths, options.stage, options.partition);
  const problems: EntryProblem[] = [];
  for (const o of Object.values(options.outputs)) {
    const v = await options.hasher.verifyFile(join(dir, o.file), o.sha256);
    if (!v.ok) problems.push({ file: o.file, reason: v.reason });
  }
  return problems;
}

/** True when every output file is in the workspace with the recorded content. */
export async function workspaceIntact(options: Parameters<typeof workspaceProblems>[0]): Promise<boolean> {
  return (await workspaceProblems(options)).length === 0;
}

/**
 * Replace the workspace copy of a task's outputs with the cache entry's files, each re-hashed while it is copied.
 * Files of the old copy that are neither one of the new outputs nor the output recorded before (`previous`, still in
 * the run-cache) are someone's edits: they go to the quarantine, never deleted. Returns what was quarantined.
 */
export async function installWorkspace(options: {
  paths: ProjectPaths; key: string; stage: string; partition?: string; outputs: Record<string, OutputRecord>;
  hasher?: FileHasher; previous?: Record<string, OutputRecord>;
}): Promise<string[]> {
  const { paths } = options;
  const dest = workspaceDir(paths, options.stage, options.partition);
  const staging = join(paths.buildDir, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging, { recursive: true });
  try {
    for (const o of Object.values(options.outputs)) {
      await copyVerified(join(cacheOutDir(paths, options.key), o.file), join(staging, o.file), o.sha256);
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  await mkdir(join(dest, ".."), { recursive: true });
  const moved = await retireDir(paths, dest, [options.outputs, options.previous ?? {}], options.hasher);
  await rename(staging, dest);
  if (options.hasher) for (const o of Object.values(options.outputs)) await options.hasher.recordWritten(join(dest, o.file), o.sha256);
  return moved;
}

/**
 * Removes a workspace dir whose files all have a copy in the run-cache (they match one of `known`, by file name and
 * sha256); any other file or directory is moved to the quarantine first.
 */
async function retireDir(paths: ProjectPaths, dir: string, known: Record<string, OutputRecord>[], hasher: FileHasher | undefined): Promise<string[]> {
  let names: string[];
  try { names = await readdir(dir); } catch { return []; }
  const moved: string[] = [];
  for (const n of names) {
    const abs = join(dir, n);
    const st = await lstat(abs);
    const candidates = known.flatMap((k) => Object.values(k)).filter((o) => o.file === n);
    let safe = false;
    if (st.isFile() && candidates.length) {
      for (const c of candidates) {
        const v = hasher ? (await hasher.verifyFile(abs, c.sha256)).ok : await hashEquals(abs, c.sha256);
        if (v) { safe = true; break; }
      }
    }
    if (!safe) moved.push(await quarantine(paths, abs));
  }
  await rm(dir, { recursive: true, force: true });
  return moved;
}

async function hashEquals(abs: string, expected: string): Promise<boolean> {
  const h = createHash("sha256");
  try { for await (const c of createReadStream(abs)) h.update(c as Buffer); } catch { return false; }
  return h.digest("hex") === expected;
}

/** Remove partition dirs of a foreach stage that are no longer partitions (files not matching `previous` are quarantined). */
export async function prunePartitions(paths: ProjectPaths, stage: string, keep: Set<string>, previous: Record<string, Record<string, OutputRecord>> = {}, hasher?: FileHasher): Promise<string[]> {
  const dir = join(paths.buildDir, stage);
  let names: string[] = [];
  try { names = await readdir(dir); } catch { return []; }
  const moved: string[] = [];
  for (const n of names) if (!keep.has(n)) moved.push(...await retireDir(paths, join(dir, n), [previous[n] ?? {}], hasher));
  return moved;
}

/** Sweep temp dirs left by killed runs (only called while holding the run lock). */
export async function sweepTemp(paths: ProjectPaths): Promise<void> {
  await rm(paths.tmpDir, { recursive: true, force: true });
  try {
    for (const n of await readdir(paths.buildDir)) if (n.startsWith(".staging-")) await rm(join(paths.buildDir, n), { recursive: true, force: true });
  } catch { /* no build dir yet */ }
}
