// A committed cofail.lock is exactly what a cold build of that commit writes: no pointer to which earlier run
// produced an input, no git commit, no hash of a file holding the commit. A stage that prints the commit (here the
// `memo` fixture, like the paper) gets a placeholder; only build/ (and the run's snapshots) carry the commit, and a
// new commit recomputes nothing. A fresh clone runs any one target without the rest of the pipeline.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockEntryOf, readLockFile } from "../../engine/lockfile.js";
import { GIT_COMMIT_STAMP } from "../../engine/stamp.js";
import { BASIC_FILES, BASIC_PIPELINE, lastRunRecord, makeProject, readJson, REPO, runCli } from "../support/engine-project.js";

const PIPELINE = BASIC_PIPELINE + `  memo:
    type: memo
    inputs: { results: [count.results, total.results] }
`;

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=test@example.org", "-c", "user.name=test", ...args], { cwd: dir, encoding: "utf8" }).trim();
}

async function run(dir: string, ...targets: string[]) {
  const r = await runCli(dir, ["run", "--jobs", "2", ...targets]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return { ...r, record: await lastRunRecord(dir) };
}

interface Status { stage: string; state: string; reasons: string[]; restamp?: { from?: string; to: string } }

async function status(dir: string): Promise<Status[]> {
  const r = await runCli(dir, ["status", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Status[];
}

test("the lock a cold build writes is the committed one; the commit is stamped into build/ only", async () => {
  const dir = await makeProject({ pipeline: PIPELINE, files: { ...BASIC_FILES, "notes.txt": "notes\n", ".gitignore": "build/\n.cofail/\nnode_modules\n" } });
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "one");
  const c1 = git(dir, "rev-parse", "HEAD");

  const cold = await run(dir);
  assert.equal(cold.stdout.trimEnd().split("\n").pop(), "output: build/memo/memo.txt", "the last line names the headline output");
  assert.match(await readFile(join(dir, "build", "memo", "memo.txt"), "utf8"), new RegExp(`^built from ${c1}\n- count\\.one\\.lines: 3`));
  assert.equal((await readJson<{ commit: string }>(join(dir, "build", "memo", "meta.json"))).commit, c1);
  assert.equal(await readFile(join(dir, "build", "memo", "raw.bin"), "utf8"), GIT_COMMIT_STAMP, "binary outputs are never rewritten");
  const lockText = await readFile(join(dir, "cofail.lock"), "utf8");
  assert.doesNotMatch(lockText, new RegExp(c1));
  assert.doesNotMatch(lockText, /upstreamKey|gitCommit/);
  const memoKey = lockEntryOf(await readLockFile(join(dir, "cofail.lock")), "memo", undefined)!.key;
  assert.match(await readFile(join(dir, ".cofail", "cache", memoKey, "out", "memo.txt"), "utf8"), new RegExp(`^built from ${GIT_COMMIT_STAMP}`));

  // A new commit: nothing is stale or recomputed; the next run rewrites the stamp from the run-cache.
  git(dir, "add", "cofail.lock");
  git(dir, "commit", "-qm", "lock");
  const c2 = git(dir, "rev-parse", "HEAD");
  const s = await status(dir);
  assert.ok(s.every((t) => t.state === "up-to-date"), JSON.stringify(s));
  assert.deepEqual(s.find((t) => t.stage === "memo")!.restamp, { from: c1, to: c2 });
  assert.match((await runCli(dir, ["status"])).stdout, /all 6 tasks up to date/);
  const restamp = await run(dir);
  assert.deepEqual([restamp.record.ran, restamp.record.restored], [[], []]);
  assert.match(restamp.stdout, new RegExp(`nothing to do: 5 stages up to date \\(commit ${c2} stamped into build/memo\\)`));
  assert.match(await readFile(join(dir, "build", "memo", "memo.txt"), "utf8"), new RegExp(`^built from ${c2}\n`));
  assert.equal(await readFile(join(dir, "cofail.lock"), "utf8"), lockText);
  assert.equal(git(dir, "status", "--porcelain"), "");
  // The run's snapshot of meta.json is the file as build/ has it, commit included.
  const rec = await readJson<{ snapshot: { files: Record<string, string> } }>((await lastRunRecordFile(dir)));
  assert.equal((await readJson<{ commit: string }>(join(dir, ".cofail", "snapshots", rec.snapshot.files["memo/meta.json"]!))).commit, c2);
  assert.deepEqual((await run(dir)).record.ran, []);
  assert.match((await runCli(dir, ["run"])).stdout, /^nothing to do: 5 stages up to date\n/);

  // --verify re-derives the stamped copy from the run-cache; a tampered copy fails it and is restored.
  const verified = await runCli(dir, ["explain", "build/memo/memo.txt", "--verify"]);
  assert.equal(verified.code, 0, verified.stdout);
  assert.match(verified.stdout, new RegExp(`workspace copies re-hashed`));
  await writeFile(join(dir, "build", "memo", "memo.txt"), "tampered\n");
  assert.equal((await runCli(dir, ["explain", "build/memo/memo.txt", "--verify"])).code, 3);
  const reasons = (await status(dir)).find((t) => t.stage === "memo")!.reasons;
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /^build\/ copy of memo\.txt modified \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\)$/);
  const repaired = await run(dir);
  assert.deepEqual([repaired.record.ran, repaired.record.restored], [[], ["memo"]]);
  assert.match(await readFile(join(dir, "build", "memo", "memo.txt"), "utf8"), new RegExp(`^built from ${c2}\n`));

  // A modified tree is stamped as such, still without recomputing.
  await writeFile(join(dir, "notes.txt"), "more notes\n");
  assert.deepEqual((await status(dir)).find((t) => t.stage === "memo")!.restamp, { from: c2, to: `${c2}-dirty` });
  await writeFile(join(dir, "notes.txt"), "notes\n");

  // Build history: `total` changes code but not output, so `report` and `memo` are restored from runs made when
  // `total` had another key. The lock must still be what a cold build writes.
  const arith = join(dir, "lib", "arith.ts");
  await writeFile(arith, (await readFile(arith, "utf8")).replace("* scale;", "* scale * 1;"));
  const edited = await run(dir);
  assert.deepEqual(edited.record.ran, ["total"]);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "same output, new code");
  assert.equal(git(dir, "status", "--porcelain"), "");

  // A fresh clone: one target runs alone (the committed lock names stages never built here: not an error) and
  // leaves the tree clean; then a cold build of everything writes the committed lock byte for byte.
  const clone = await mkdtemp(join(tmpdir(), "cofail-clone-"));
  execFileSync("git", ["clone", "-q", dir, clone]);
  await symlink(join(REPO, "node_modules"), join(clone, "node_modules"));
  const one = await run(clone, "total");
  assert.deepEqual(one.record.ran.sort(), ["count[one]", "count[two]", "total"]);
  assert.doesNotMatch(one.stderr + one.stdout, /missing from the run-cache|error/);
  assert.match(one.stderr, /registry: 3 stage run\(s\) of cofail\.lock are not built in this workspace \(flag, memo, report\)/);
  assert.deepEqual((await readJson<{ id: string }[]>(join(clone, "build", "registry.json"))).map((r) => r.id), ["count.one.lines", "count.two.lines", "total.sum"]);
  assert.equal(git(clone, "status", "--porcelain"), "");
  await run(clone);
  assert.equal(git(clone, "status", "--porcelain"), "", "a cold build rewrote the committed lock");
  assert.equal(await readFile(join(clone, "cofail.lock"), "utf8"), await readFile(join(dir, "cofail.lock"), "utf8"));
});

async function lastRunRecordFile(dir: string): Promise<string> {
  const { readdir } = await import("node:fs/promises");
  const names = (await readdir(join(dir, ".cofail", "runs"))).sort();
  return join(dir, ".cofail", "runs", names[names.length - 1]!);
}
