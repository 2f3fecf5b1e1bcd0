// Content hashes of files, with a stat cache so big unchanged files are not re-read on every run.
// The stat cache is an optimisation only: keys never contain mtimes, and a changed size/mtime/inode rehashes.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

interface StatEntry { size: number; mtimeMs: number; ino: number; sha256: string }

export interface FileHasher {
  /** sha256 of the file at an absolute path, or undefined when it does not exist. */
  hashFile(absPath: string): Promise<{ sha256: string; bytes: number } | undefined>;
  /** Persist the stat cache (call once at the end). */
  save(): Promise<void>;
}

export async function createFileHasher(options: { cacheFile: string }): Promise<FileHasher> {
  let entries: Record<string, StatEntry> = {};
  try {
    entries = JSON.parse(await readFile(options.cacheFile, "utf8"));
  } catch { /* no cache yet or unreadable: start empty */ }
  let dirty = false;
  return {
    async hashFile(absPath) {
      let st;
      try { st = await stat(absPath); } catch { return undefined; }
      if (!st.isFile()) return undefined;
      const hit = entries[absPath];
      if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) {
        return { sha256: hit.sha256, bytes: st.size };
      }
      const sha = await hashStream(absPath);
      entries[absPath] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256: sha };
      dirty = true;
      return { sha256: sha, bytes: st.size };
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
