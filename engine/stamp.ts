// Commit stamps. A stage type with `stampsGitCommit` (the paper) prints the project's git commit in its outputs,
// yet neither its cache key nor cofail.lock may depend on the commit: the lock is committed, and a lock that
// held the commit (or the hash of a file that holds it) could never be the one a cold build of that commit
// writes. So the stage runs with ctx.gitCommit = GIT_COMMIT_STAMP, a placeholder it writes verbatim; the
// run-cache, the lock and every downstream stage see the placeholder, and only the workspace copies in build/
// (and the run's snapshots) get the real commit, written at install time like a version stamp at link time.
// A new commit therefore recomputes nothing: the next run rewrites the stamped files from the run-cache.
// .cofail/stamps.json records, per stamped file in build/, the run (key) and commit it was stamped from and the
// sha256 it got, so an intact workspace is recognised without reading the run-cache.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cacheOutDir, workspaceDir, type ProjectPaths } from "./cache.js";
import { declaredOutputs } from "./catalog.js";
import { sha256 } from "./canonical-json.js";
import type { OutputRecord } from "./lockfile.js";
import type { StageType } from "./types.js";

/** What a stamping stage receives as ctx.gitCommit; replaced by the commit (+ "-dirty") in build/ only. */
export const GIT_COMMIT_STAMP = "@@cofail-git-commit@@";

export interface StampRecord { key: string; commit: string; sha256: string }
/** "<stage>[/<partition>]/<file>" -> how that file in build/ was stamped. */
export type StampState = Record<string, StampRecord>;

/** Output file names a stage type stamps: its declared text and json outputs, when it stamps at all. */
export function stampedFiles(type: StageType, parsedParams: unknown): Set<string> {
  if (!type.stampsGitCommit) return new Set();
  return new Set(Object.values(declaredOutputs(type, parsedParams)).filter((o) => o.kind !== "binary").map((o) => o.file));
}

export function stampPath(stage: string, partition: string | undefined, file: string): string {
  return `${stage}${partition === undefined ? "" : `/${partition}`}/${file}`;
}

/** The bytes with every placeholder replaced by the commit label. */
export function stampBytes(bytes: Uint8Array, commit: string): Buffer {
  const text = Buffer.from(bytes).toString("utf8");
  return text.includes(GIT_COMMIT_STAMP) ? Buffer.from(text.split(GIT_COMMIT_STAMP).join(commit), "utf8") : Buffer.from(bytes);
}

function stateFile(paths: ProjectPaths): string {
  return join(paths.cofailDir, "stamps.json");
}

export async function readStamps(paths: ProjectPaths): Promise<StampState> {
  try { return JSON.parse(await readFile(stateFile(paths), "utf8")) as StampState; } catch { return {}; }
}

export async function writeStamps(paths: ProjectPaths, state: StampState): Promise<void> {
  const file = stateFile(paths);
  const text = JSON.stringify(Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : 1))), null, 1) + "\n";
  if ((await readFile(file, "utf8").catch(() => undefined)) === text) return;
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/**
 * The sha256 each output of a task must have in build/ for the workspace to hold that run: the cached hash, or for a
 * stamped file the hash its last stamping from this very run wrote (whatever the commit: a commit change alone
 * is refreshed by `restampIfNeeded`, it does not make the task stale). A stamped file never stamped from this run
 * expects an impossible hash, so it is reinstalled.
 */
export function expectedInWorkspace(options: {
  outputs: Record<string, OutputRecord>; stamped: Set<string>; state: StampState; stage: string; partition?: string; key: string;
}): Record<string, OutputRecord> {
  if (!options.stamped.size) return options.outputs;
  return Object.fromEntries(Object.entries(options.outputs).map(([name, o]) => {
    if (!options.stamped.has(o.file)) return [name, o];
    const s = options.state[stampPath(options.stage, options.partition, o.file)];
    return [name, { ...o, sha256: s && s.key === options.key ? s.sha256 : "not stamped from this run" }];
  }));
}

/** The commit a task's stamped files in build/ carry, when they are all stamped from this run with one commit. */
export function stampedCommit(options: { stamped: Set<string>; state: StampState; stage: string; partition?: string; key: string }): string | undefined {
  const commits = new Set([...options.stamped].map((f) => {
    const s = options.state[stampPath(options.stage, options.partition, f)];
    return s && s.key === options.key ? s.commit : undefined;
  }));
  return commits.size === 1 ? [...commits][0] : undefined;
}

/** Write the stamped copy of each stamped output of a task from the run-cache into build/, and record it in `state`. */
export async function stampWorkspace(paths: ProjectPaths, options: {
  stage: string; partition?: string; key: string; outputs: Record<string, OutputRecord>; stamped: Set<string>; commit: string; state: StampState;
}): Promise<void> {
  const dir = workspaceDir(paths, options.stage, options.partition);
  for (const o of Object.values(options.outputs)) {
    if (!options.stamped.has(o.file)) continue;
    const bytes = stampBytes(await readFile(join(cacheOutDir(paths, options.key), o.file)), options.commit);
    const dest = join(dir, o.file);
    const tmp = `${dest}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, dest);
    options.state[stampPath(options.stage, options.partition, o.file)] = { key: options.key, commit: options.commit, sha256: sha256(bytes) };
  }
}
