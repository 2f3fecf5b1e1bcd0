// One run at a time per project: .cofail/run.lock holds pid + host. A lock whose process is gone (a
// killed run) is taken over silently, so an interrupted run resumes with no manual step.
import { hostname } from "node:os";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface RunLockHandle { release(): Promise<void> }

export async function acquireRunLock(options: {
  path: string; timeoutS: number; onWait?: (holder: string) => void;
}): Promise<RunLockHandle> {
  await mkdir(dirname(options.path), { recursive: true });
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  const deadline = Date.now() + options.timeoutS * 1000;
  let told = false;
  for (;;) {
    try {
      await writeFile(options.path, me, { flag: "wx" });
      return { release: async () => { try { if ((await readFile(options.path, "utf8")) === me) await unlink(options.path); } catch { /* gone */ } } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder: { pid?: number; host?: string } = {};
    try { holder = JSON.parse(await readFile(options.path, "utf8")); } catch { /* being written or removed: retry */ }
    if (holder.pid !== undefined && holder.host === hostname() && !processAlive(holder.pid)) {
      await unlink(options.path).catch(() => undefined);
      continue;
    }
    const who = holder.pid !== undefined ? `pid ${holder.pid} on ${holder.host}` : "another process";
    if (Date.now() >= deadline) {
      throw new Error(`another cofail run (${who}) holds ${options.path}; waited ${options.timeoutS}s. ` +
        `Wait for it to finish (or raise --wait), then run again.`);
    }
    if (!told) { options.onWait?.(who); told = true; }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
