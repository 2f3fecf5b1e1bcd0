// The real project in a throw-away directory, for end-to-end tests of the real pipeline on the real data: every file
// git tracks or would track (the working tree as it is), node_modules linked, and the CLI run in it.
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { dataMirror } from "../../ingest/mirror-tables.js";
import { REPO } from "./engine-project.js";

export function cofailIn(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "cli/index.ts", ...args], { cwd: dir, env: { ...process.env, COFAIL_DATA_MIRROR: dataMirror }, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}

export async function freshProjectCopy(prefix = "cofail-build-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await cp(join(REPO, f), join(dir, f)).catch((e: NodeJS.ErrnoException) => { if (e.code !== "ENOENT") throw e; });
  }
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
}
