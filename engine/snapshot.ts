// Per-run snapshots for run-to-run diffs: a content-addressed copy of build/registry.json and of every output a
// stage type declares with `snapshot: true` (e.g. the paper's numbers.json: where each number is used), kept in .cofail/snapshots/
// and referenced from the run record. Content addressing makes an unchanged registry cost nothing per run,
// and `cofail gc` (which prunes the run-cache) never touches them, so old runs stay diffable.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheOutDir, type ProjectPaths } from "./cache.js";
import { sha256 } from "./canonical-json.js";
import { lockEntries, type LockFile } from "./lockfile.js";

export interface RunSnapshot {
  /** sha256 of build/registry.json as written by this run. */
  registry: string;
  /** "<stage>[/<partition>]/<file>" -> sha256 of the snapshotted outputs. */
  files: Record<string, string>;
}

export function snapshotsDir(paths: ProjectPaths): string {
  return join(paths.cofailDir, "snapshots");
}

async function store(paths: ProjectPaths, bytes: Buffer): Promise<string> {
  const hash = sha256(bytes);
  const dir = snapshotsDir(paths);
  const file = join(dir, hash);
  try {
    await readFile(file);
    return hash;
  } catch { /* not stored yet */ }
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return hash;
}

/**
 * Snapshot the registry just written and, for every entry of the new lock, the outputs its stage declares with
 * `snapshot: true` (`flagged(stage)` gives their output names), as the workspace has them (`asInWorkspace`: e.g. with
 * the commit stamped in).
 */
export async function snapshotRun(
  paths: ProjectPaths, lock: LockFile, flagged: (stage: string) => Set<string>,
  asInWorkspace: (stage: string, file: string, bytes: Buffer) => Buffer = (_s, _f, bytes) => bytes,
): Promise<RunSnapshot | undefined> {
  let registry: Buffer;
  try { registry = await readFile(paths.registry); } catch { return undefined; }
  const files: Record<string, string> = {};
  for (const { stage, partition, entry } of lockEntries(lock)) {
    const names = flagged(stage);
    for (const [name, out] of Object.entries(entry.outputs)) {
      if (!names.has(name)) continue;
      try {
        const raw = await readFile(join(cacheOutDir(paths, entry.key), out.file));
        if (sha256(raw) !== out.sha256) continue; // not what the lock recorded: nothing trustworthy to keep
        const bytes = asInWorkspace(stage, out.file, raw);
        files[`${stage}${partition === undefined ? "" : `/${partition}`}/${out.file}`] = await store(paths, bytes);
      } catch { /* cache entry gone: nothing to keep */ }
    }
  }
  return { registry: await store(paths, registry), files };
}

/** The content of a snapshot, parsed as JSON (undefined when it is missing). */
export async function readSnapshot<T = unknown>(paths: ProjectPaths, hash: string): Promise<T | undefined> {
  try {
    const bytes = await readFile(join(snapshotsDir(paths), hash));
    // Content-addressed: a snapshot whose bytes no longer hash to its name is not the one the run recorded.
    if (sha256(bytes) !== hash) return undefined;
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch { return undefined; }
}
