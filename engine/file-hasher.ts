// Content hashes of files, with a stat cache so big unchanged files are not re-read on every run.
// The stat cache is an optimisation only: keys never contain mtimes, and a changed size/mtime/ctime/inode rehashes.
// A write always moves ctime (userland cannot set it back), so a flipped byte whose mtime was restored still rehashes.
// Verifying a run-cache entry or a build/ copy against its record (`verifyFile`) trusts the stat cache only for files
// the engine wrote itself (`recordWritten`) or has re-hashed and found matching, and has not seen change since.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

interface StatEntry { size: number; mtimeMs: number; ctimeMs: number; ino: number; sha256: string; verified?: true }

export type VerifyResult = { ok: true } | { ok: false; actual?: string; reason: string };

export interface FileHasher {
  /** sha256 of the file at an absolute path, or undefined when it does not exist. */
  hashFile(absPath: string): Promise<{ sha256: string; bytes: number } | undefined>;
  /**
   * Whether the file has the expected sha256: re-hashed unless the engine wrote (or verified) exactly this file
   * content and its size, mtime, ctime and inode are unchanged since.
   */
  verifyFile(absPath: string, expected: string): Promise<VerifyResult>;
  /** Records that the engine has just written `absPath` with content `sha256` (call after its final rename). */
  recordWritten(absPath: string, sha256: string): Promise<void>;
  /** Persist the stat cache (call once at the end). */
  save(): Promise<void>;
}

type Stat = { size: number; mtimeMs: number; ctimeMs: number; ino: number };
const sameStat = (e: StatEntry, st: Stat) => e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs && e.ino === st.ino;

export async function createFileHasher(options: { cacheFile: string }): Promise<FileHasher> {
  let entries: Record<string, StatEntry> = {};
  try {
    const parsed = JSON.parse(await readFile(options.cacheFile, "utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) entries = parsed as Record<string, StatEntry>;
  } catch { /* no cache yet or unreadable: start empty */ }
  let dirty = false;
  const fileStat = async (absPath: string) => {
    try {
      const st = await stat(absPath);
      return st.isFile() ? st : undefined;
    } catch { return undefined; }
  };
  const put = (absPath: string, st: Stat, sha256: string, verified: boolean) => {
    entries[absPath] = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, sha256, ...(verified ? { verified: true as const } : {}) };
    dirty = true;
  };
  return {
    async hashFile(absPath) {
      const st = await fileStat(absPath);
      if (!st) return undefined;
      const hit = entries[absPath];
      if (hit && sameStat(hit, st)) return { sha256: hit.sha256, bytes: st.size };
      const sha = await hashStream(absPath);
      put(absPath, st, sha, false);
      return { sha256: sha, bytes: st.size };
    },
    async verifyFile(absPath, expected) {
      const st = await fileStat(absPath);
      if (!st) return { ok: false, reason: "missing" };
      const hit = entries[absPath];
      if (hit?.verified && hit.sha256 === expected && sameStat(hit, st)) return { ok: true };
      let sha: string;
      try { sha = await hashStream(absPath); } catch (e) { return { ok: false, reason: `unreadable (${(e as NodeJS.ErrnoException).code ?? "error"})` }; }
      if (sha !== expected) {
        delete entries[absPath];
        dirty = true;
        return { ok: false, actual: sha, reason: `sha256 ${sha.slice(0, 12)}…, expected ${expected.slice(0, 12)}…` };
      }
      // Size, mtime, ctime and inode from before the read: a write during the read leaves a stale stamp, which misses.
      put(absPath, st, sha, true);
      return { ok: true };
    },
    async recordWritten(absPath, sha256) {
      const st = await fileStat(absPath);
      if (st) put(absPath, st, sha256, true);
    },
    async save() {
      if (!dirty) return;
      await mkdir(dirname(options.cacheFile), { recursive: true });
      const tmp = `${options.cacheFile}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(entries));
      await rename(tmp, options.cacheFile);
      dirty = false;
    },
  };
}

function hashStream(absPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(absPath).on("data", (c) => h.update(c)).on("error", reject).on("end", () => resolve(h.digest("hex")));
  });
}
