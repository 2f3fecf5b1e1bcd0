// One run at a time per project: .cofail/run.lock holds pid + host. A lock whose process is gone (a
// killed run) is taken over silently, so an interrupted run resumes with no manual step. A lock of another host
// (a shared file system) cannot be checked that way: its holder refreshes the lock's mtime (a heartbeat), and one
// whose heartbeat stopped more than STALE_S ago is taken over with a notice; the timeout message says how to clear it.
// A takeover renames the stale lock aside (atomic on a shared file system) and checks it moved the lock it judged
// stale: when two hosts take over at once, the one that renamed a fresh lock instead puts it back and waits.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface RunLockHandle { release(): Promise<void> }

/** The holder refreshes the lock's mtime this often, so a lock from another host can be told stale. */
export const HEARTBEAT_S = 30;
/** A lock from another host whose heartbeat is older than this is stale (its run died or lost the machine). */
export const STALE_S = 600;

export async function acquireRunLock(options: {
  path: string; timeoutS: number; onWait?: (holder: string) => void; onTakeOver?: (message: string) => void;
}): Promise<RunLockHandle> {
  await mkdir(dirname(options.path), { recursive: true });
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  const deadline = Date.now() + options.timeoutS * 1000;
  let told = false;
  for (;;) {
    try {
      await writeFile(options.path, me, { flag: "wx" });
      const beat = setInterval(() => { const t = new Date(); utimes(options.path, t, t).catch(() => undefined); }, HEARTBEAT_S * 1000);
      beat.unref();
      return {
        release: async () => {
          clearInterval(beat);
          try { if ((await readFile(options.path, "utf8")) === me) await unlink(options.path); } catch { /* gone */ }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder: { pid?: number; host?: string } = {};
    let holderText = "";
    try { holderText = await readFile(options.path, "utf8"); holder = JSON.parse(holderText); } catch { /* being written or removed: retry */ }
    if (holder.pid !== undefined && holder.host === hostname() && !processAlive(holder.pid)) {
      await unlink(options.path).catch(() => undefined);
      continue;
    }
    const age = await lockAgeS(options.path);
    const otherHost = holder.host !== undefined && holder.host !== hostname();
    if (otherHost && age !== undefined && age > STALE_S) {
      // Another machine's process cannot be checked; its heartbeat stopped long ago, so the run is gone.
      const aside = `${options.path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
      try { await rename(options.path, aside); } catch { continue; }
      const moved = await readFile(aside, "utf8").catch(() => "");
      if (moved !== holderText || ((await lockAgeS(aside)) ?? 0) <= STALE_S) {
        // Not the lock judged stale (another host took over first and holds a fresh one): put it back.
        await link(aside, options.path).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      await unlink(aside).catch(() => undefined);
      options.onTakeOver?.(`took over a stale run lock of pid ${holder.pid} on ${holder.host} (no heartbeat for ${Math.round(age)}s)`);
      continue;
    }
    const who = holder.pid !== undefined ? `pid ${holder.pid} on ${holder.host}` : "another process";
    if (Date.now() >= deadline) {
      const stale = otherHost
        ? ` It was taken on another host, so cofail cannot check that process; its last heartbeat was ${age === undefined ? "unknown" : `${Math.round(age)}s`} ago ` +
          `(a lock without a heartbeat for ${STALE_S}s is taken over). If no cofail run is active on ${holder.host}, the lock is stale: remove ${options.path} and run again.`
        : holder.pid === undefined ? ` If no cofail run is active, the lock is stale: remove ${options.path} and run again.` : "";
      throw new Error(`another cofail run (${who}) holds ${options.path}; waited ${options.timeoutS}s. ` +
        `Wait for it to finish (or raise --wait), then run again.${stale}`);
    }
    if (!told) { options.onWait?.(who); told = true; }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function lockAgeS(path: string): Promise<number | undefined> {
  try { return (Date.now() - (await stat(path)).mtimeMs) / 1000; } catch { return undefined; }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
