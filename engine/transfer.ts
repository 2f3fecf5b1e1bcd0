// `cofail push` / `cofail pull [targets]`: the explicit side of the remote cache (./remote.ts). Both work on the
// entries cofail.lock names for the selected stages (and their upstream), with bounded parallel transfers, a progress
// line per entry and a summary; both skip what is already there, so a rerun after an interruption resumes.
// A pull fills the run-cache only (verified); the next `cofail run` installs build/ from it without computing.
import { acquireRunLock } from "./run-lock.js";
import { loadCacheRecord } from "./cache.js";
import { lockEntries } from "./lockfile.js";
import { formatBytes, mapLimit, openRemote } from "./remote.js";
import { UsageError } from "./errors.js";
import type { Session } from "./session.js";
import { taskLabel } from "./status.js";

export interface TransferSummary { message: string; exitCode: number; counts: Record<string, number>; bytes: number; seconds: number }

async function withRemote<T>(session: Session, waitS: number, fn: (remote: NonNullable<Awaited<ReturnType<typeof openRemote>>>) => Promise<T>): Promise<T> {
  const remote = await openRemote({ paths: session.paths, specRemote: session.spec.cache?.remote, transfers: session.spec.cache?.transfers, hasher: session.hasher });
  if (!remote) throw new UsageError("no remote cache configured: set cache: { remote: s3://bucket/prefix } in pipeline.yaml or COFAIL_REMOTE=s3://bucket/prefix");
  const lock = await acquireRunLock({ path: session.paths.runLock, timeoutS: waitS });
  try { return await fn(remote); } finally { remote.close(); await lock.release(); await session.hasher.save(); }
}

function selectedEntries(session: Session) {
  return lockEntries(session.lock).filter((e) => session.selected.has(e.stage));
}

export async function pushCache(session: Session, options: { waitS?: number; line?: (s: string) => void; transfers?: number }): Promise<TransferSummary> {
  const line = options.line ?? ((s: string) => console.error(s));
  return withRemote(session, options.waitS ?? 60, async (remote) => {
    const t0 = Date.now();
    const entries = selectedEntries(session);
    const counts: Record<string, number> = { pushed: 0, present: 0, "not built": 0, failed: 0 };
    let bytes = 0, done = 0;
    await mapLimit(entries, options.transfers ?? session.spec.cache?.transfers ?? 8, async (e) => {
      const label = taskLabel(e.stage, e.partition);
      const loaded = await loadCacheRecord(session.paths, e.entry.key);
      let what: string;
      if (loaded.state !== "ok") { counts["not built"]!++; what = `not in this run-cache (${loaded.state === "corrupt" ? loaded.reason : "never built here"})`; }
      else {
        try {
          const r = await remote.push(loaded.record);
          if (r.state === "present") { counts.present!++; what = "already there"; }
          else { counts.pushed!++; bytes += r.bytes; what = `pushed ${r.blobs} objects (${formatBytes(r.bytes)})${r.skipped ? `, ${r.skipped} already there` : ""}`; }
        } catch (err) { counts.failed!++; what = `FAILED: ${(err as Error).message}`; }
      }
      line(`[${++done}/${entries.length}] ${label}: ${what}`);
    });
    const seconds = (Date.now() - t0) / 1000;
    const message = `push to ${remote.url}: ${counts.pushed} pushed (${formatBytes(bytes)}), ${counts.present} already there` +
      `${counts["not built"] ? `, ${counts["not built"]} not built here` : ""}${counts.failed ? `, ${counts.failed} FAILED (run again to resume)` : ""} in ${seconds.toFixed(1)}s`;
    return { message, exitCode: counts.failed ? 1 : 0, counts, bytes, seconds };
  });
}

export async function pullCache(session: Session, options: { waitS?: number; line?: (s: string) => void; transfers?: number }): Promise<TransferSummary> {
  const line = options.line ?? ((s: string) => console.error(s));
  return withRemote(session, options.waitS ?? 60, async (remote) => {
    const t0 = Date.now();
    const entries = selectedEntries(session);
    const counts: Record<string, number> = { pulled: 0, local: 0, missing: 0, refused: 0, failed: 0 };
    let bytes = 0, done = 0;
    await mapLimit(entries, options.transfers ?? session.spec.cache?.transfers ?? 8, async (e) => {
      const label = taskLabel(e.stage, e.partition);
      let what: string;
      try {
        const r = await remote.pull(e.entry.key);
        counts[r.state]!++;
        what = r.state === "pulled" ? `pulled ${r.blobs} objects (${formatBytes(r.bytes)})` : r.state === "local" ? "already in the run-cache"
          : r.state === "missing" ? "not on the remote" : `REFUSED: ${r.reason}${r.quarantined ? ` (kept in ${r.quarantined})` : ""}`;
        if (r.state === "pulled") bytes += r.bytes;
      } catch (err) { counts.failed!++; what = `FAILED: ${(err as Error).message}`; }
      line(`[${++done}/${entries.length}] ${label}: ${what}`);
    });
    const seconds = (Date.now() - t0) / 1000;
    const message = `pull from ${remote.url}: ${counts.pulled} pulled (${formatBytes(bytes)}), ${counts.local} already here, ${counts.missing} not on the remote` +
      `${counts.refused ? `, ${counts.refused} REFUSED (failed verification; \`cofail run\` recomputes them)` : ""}${counts.failed ? `, ${counts.failed} FAILED (run again to resume)` : ""} in ${seconds.toFixed(1)}s` +
      (counts.pulled ? "; `cofail run` installs them into build/ without computing" : "");
    // A transfer that failed is a runtime failure (1); an entry refused by verification is a verify failure (3).
    return { message, exitCode: counts.failed ? 1 : counts.refused ? 3 : 0, counts, bytes, seconds };
  });
}
