// The engine's public surface for the rooms built on it (paper/, cli/): what they may use besides the stage contract
// (./types.ts) and the glob dialect (./glob.ts). Everything else in engine/ is internal.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheOutDir, type ProjectPaths } from "./cache.js";
import { sha256 } from "./canonical-json.js";
import { lockEntries, type LockFile } from "./lockfile.js";

export { projectPaths, type ProjectPaths } from "./cache.js";
export { diffRegistries, listRuns, pickRuns, runRegistry, type MovedResult, type RegistryDiff, type RunRecordRef } from "./registry-diff.js";
export { readSnapshot, type RunSnapshot } from "./snapshot.js";
export { pendingImpact, type PendingImpact } from "./impact.js";
export type { Session } from "./session.js";
export type { TaskStatus } from "./status.js";
export type { LockEntry, LockFile } from "./lockfile.js";
export type { ResultRecord } from "./types.js";

/** The parsed JSON of every cached output named `output` among the lock's entries, in lock order (unreadable or corrupt ones skipped). */
export async function readLockedOutputs<T>(paths: ProjectPaths, lock: LockFile, output: string): Promise<T[]> {
  const out: T[] = [];
  for (const { entry } of lockEntries(lock)) {
    const o = entry.outputs[output];
    if (!o) continue;
    try {
      const bytes = await readFile(join(cacheOutDir(paths, entry.key), o.file));
      if (sha256(bytes) !== o.sha256) continue; // corrupt: not what the lock recorded
      out.push(JSON.parse(bytes.toString("utf8")) as T);
    } catch { /* not cached here */ }
  }
  return out;
}
