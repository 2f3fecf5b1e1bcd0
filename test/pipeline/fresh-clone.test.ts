// A fresh clone of the project, as a new user gets it: one target runs on its own (the committed lock names every
// stage, none built here: not an error), then a cold `make paper` leaves `git status --porcelain` empty (the
// committed cofail.lock is byte for byte what a cold build writes) and names the paper on its last line. Then the
// code hash: a comment added to engine/types.ts leaves every task up to date; one operator changed there makes every
// task that imports it stale. And `cofail explain math-l5.beta | head -1` ends quietly with exit 0.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dataMirror, hasData } from "../../ingest/mirror-tables.js";
import { lockEntries, readLockFile } from "../../engine/lockfile.js";
import { GIT_COMMIT_STAMP } from "../../engine/stamp.js";
import { freshProjectCopy } from "../support/engine-project.js";

const env = { ...process.env, COFAIL_DATA_MIRROR: dataMirror };

function sh(dir: string, cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: dir, env, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}

const cofail = (dir: string, args: string[]) => sh(dir, process.execPath, ["--import", "tsx", "cli/index.ts", ...args]);

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=test@example.org", "-c", "user.name=test", ...args], { cwd: dir, encoding: "utf8" }).trim();
}

interface Status { stage: string; partition?: string; state: string; reasons: string[] }

async function status(dir: string): Promise<Status[]> {
  const r = await cofail(dir, ["status", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Status[];
}

test("fresh clone: one target alone, a cold make paper that changes no tracked file, code hashes blind to comments", { skip: !hasData && "no ../shared/data", timeout: 60 * 60_000 }, async () => {
  const dir = await freshProjectCopy({ commit: true });
  const commit = git(dir, "rev-parse", "HEAD");

  const one = await cofail(dir, ["run", "cofailure-aime", "--jobs", "2"]);
  assert.equal(one.code, 0, one.stderr.slice(-4000) + one.stdout);
  assert.doesNotMatch(one.stderr + one.stdout, /missing from the run-cache|^error/m);
  assert.match(one.stderr, /registry: \d+ stage run\(s\) of cofail\.lock are not built in this workspace/);
  assert.equal(one.stdout.trimEnd().split("\n").pop(), "output: build/cofailure-aime/");
  assert.equal(git(dir, "status", "--porcelain"), "", "running one target rewrote a tracked file");

  const cold = await sh(dir, "make", ["--no-print-directory", "-o", "node_modules/.package-lock.json", "paper"]);
  assert.equal(cold.code, 0, cold.stderr.slice(-4000));
  assert.equal(cold.stdout.trimEnd().split("\n").pop(), "output: build/paper/paper.html", "the last line names the paper");
  const changed = git(dir, "status", "--porcelain");
  assert.equal(changed, "", `a cold build changed tracked files (commit the cofail.lock a cold build writes):\n${changed}\n${git(dir, "diff", "--stat")}`);
  const html = await readFile(join(dir, "build", "paper", "paper.html"), "utf8");
  assert.ok(html.includes(commit), "the paper names the commit it was built from");
  assert.ok(!html.includes(GIT_COMMIT_STAMP));

  // The number's chain: one screen by default; a closed pipe is no error, even mid-way through a long chain.
  const summary = await cofail(dir, ["explain", "math-l5.beta"]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.ok(summary.stdout.trimEnd().split("\n").length <= 24, summary.stdout);
  assert.match(summary.stdout, /^result math-l5\.beta = /);
  assert.match(summary.stdout, /\nraw files: \d+ /);
  const full = await cofail(dir, ["explain", "math-l5.beta", "--depth", "all"]);
  assert.ok(full.stdout.length > 1 << 16, "the whole chain is longer than a pipe buffer");
  for (const args of ["explain math-l5.beta", "explain math-l5.beta --depth all"]) {
    const head = await sh(dir, "bash", ["-c", `set -o pipefail; ${process.execPath} --import tsx cli/index.ts ${args} | head -1`]);
    assert.deepEqual([head.code, head.stderr], [0, ""], args);
    assert.match(head.stdout, /^result math-l5\.beta = [^\n]*\n$/);
  }

  // A comment in engine/types.ts (imported by every stage): nothing is stale.
  const types = join(dir, "engine", "types.ts");
  const original = await readFile(types, "utf8");
  const uses = lockEntries(await readLockFile(join(dir, "cofail.lock"))).filter((e) => "engine/types.ts" in e.entry.code).length;
  await writeFile(types, original.replace("export interface InputFile {", "// A comment: no run changes.\nexport interface InputFile {\n  /* nor does this */"));
  const afterComment = await status(dir);
  assert.deepEqual(afterComment.filter((s) => s.state !== "up-to-date"), []);
  assert.match((await cofail(dir, ["status"])).stdout, /\nall \d+ tasks up to date\n/);

  // One operator changed in the same file: every task that imports it is stale.
  assert.ok(original.includes("export type OutputValue = unknown | string | Uint8Array;"));
  await writeFile(types, original.replace("export type OutputValue = unknown | string | Uint8Array;", "export type OutputValue = unknown & string | Uint8Array;"));
  const afterOperator = await status(dir);
  assert.equal(uses, afterOperator.length, "every task imports engine/types.ts");
  assert.deepEqual(afterOperator.filter((s) => s.state !== "run").map((s) => s.stage), []);
  assert.ok(afterOperator.every((s) => s.reasons.some((r) => r === "code file engine/types.ts changed" || r.startsWith("input "))), JSON.stringify(afterOperator.slice(0, 3)));
  await writeFile(types, original);
  assert.deepEqual((await status(dir)).filter((s) => s.state !== "up-to-date"), []);
});
