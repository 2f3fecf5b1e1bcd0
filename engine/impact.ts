// What a pending change would alter: the stages a run would recompute or switch to another cached run
// (not mere workspace restores of the same run), everything downstream of them, and the registry results
// those stages publish. Used by `cofail status` to list the paper numbers at stake.
import { downstreamOf } from "./dag.js";
import { lockEntryOf } from "./lockfile.js";
import { readRegistry } from "./registry.js";
import type { Session } from "./session.js";
import type { TaskStatus } from "./status.js";
import type { ResultRecord } from "./types.js";

export interface PendingImpact {
  /** Stages whose results may change: changed ones and their downstream, sorted. */
  stages: string[];
  changed: string[];
  /** Registry results (as currently recorded) published by those stages. */
  results: ResultRecord[];
}

export async function pendingImpact(session: Session, status: TaskStatus[]): Promise<PendingImpact> {
  const changed = new Set<string>();
  for (const s of status) {
    if (s.state === "run") changed.add(s.stage);
    else if (s.state === "restore") {
      const old = s.partition === undefined && session.lock.stages[s.stage]?.partitions ? undefined : lockEntryOf(session.lock, s.stage, s.partition);
      // A restore of the very run the lock records only repairs build/; any other key changes the outputs.
      if (s.key === undefined || old?.key !== s.key) changed.add(s.stage);
    }
  }
  const all = new Set([...changed, ...downstreamOf(session.spec.deps, changed)]);
  const results = (await readRegistry(session.paths)).filter((r) => all.has(r.stage));
  return { stages: [...all].sort(), changed: [...changed].sort(), results };
}
