// The small pieces that make disk state untrusted: the stat cache trusts only engine-written files and notices a
// flipped byte even with its mtime put back; cofail.lock is parsed strictly (conflict markers, YAML errors, shape);
// the run lock of another host is taken over only when its heartbeat stopped, and the timeout says how to clear it;
// a missing package-lock.json is a warning; errors are capped and carry no stack unless --debug.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileHasher } from "../../engine/file-hasher.js";
import { LockFileError, parseLockText, readLockFile } from "../../engine/lockfile.js";
import { acquireRunLock, STALE_S } from "../../engine/run-lock.js";
import { codeIngredients } from "../../engine/code-hash.js";
import { capMessage, errorText } from "../../engine/errors.js";
import { excerpt } from "../../engine/types.js";

const tmp = () => mkdtemp(join(tmpdir(), "cofail-trust-"));
const sha = (s: string) => import("node:crypto").then((c) => c.createHash("sha256").update(s).digest("hex"));

test("verifyFile: an engine-written file is trusted while unchanged; a flipped byte with its mtime restored is caught", async () => {
  const dir = await tmp();
  const f = join(dir, "out.json");
  await writeFile(f, "{\"beta\": 0.030}\n");
  const hasher = await createFileHasher({ cacheFile: join(dir, "stat.json") });
  const good = await sha("{\"beta\": 0.030}\n");
  await hasher.recordWritten(f, good);
  assert.deepEqual(await hasher.verifyFile(f, good), { ok: true });
  const before = await stat(f);
  await new Promise((r) => setTimeout(r, 20)); // let the clock move, so the write gets a new ctime
  await writeFile(f, "{\"beta\": 0.033}\n"); // same size
  await utimes(f, before.atime, before.mtime); // mtime put back; ctime cannot be
  const v = await hasher.verifyFile(f, good);
  assert.equal(v.ok, false);
  assert.match((v as { reason: string }).reason, /^sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…$/);
  assert.deepEqual(await hasher.verifyFile(join(dir, "gone.json"), good), { ok: false, reason: "missing" });
  // A file the engine did not write is re-hashed even when hashFile has seen it.
  const g = join(dir, "user.txt");
  await writeFile(g, "abc");
  await hasher.hashFile(g);
  assert.deepEqual(await hasher.verifyFile(g, await sha("abc")), { ok: true });
  await rm(dir, { recursive: true, force: true });
});

test("cofail.lock: conflict markers, YAML errors and a wrong shape are errors with the line; the planner reads them as empty", async () => {
  const conflicted = "version: 1\nstages:\n<<<<<<< HEAD\n  a: {type: t}\n=======\n  a: {type: u}\n>>>>>>> other\n";
  await assert.rejects(parseLockText(conflicted, "cofail.lock"), (e: unknown) => {
    assert.ok(e instanceof LockFileError);
    assert.equal(e.line, 3);
    assert.match(e.message, /^cofail\.lock:3:1: unresolved git merge conflict \(marker "<<<<<<< HEAD"\); resolve it first/);
    return true;
  });
  await assert.rejects(parseLockText("version: 1\nstages:\n  a: [\n", "cofail.lock"), /^LockFileError: cofail\.lock:\d+:\d+: not valid YAML: /);
  await assert.rejects(parseLockText("garbage: [\n", "cofail.lock"), /cofail\.lock:\d+:\d+: not valid YAML/);
  await assert.rejects(parseLockText("version: 1\nstages:\n  a:\n    type: t\n    entry: { key: nothex }\n", "cofail.lock"),
    /cofail\.lock:5:\d+: stages\.a\.entry\.key: .*expected a lock written by `cofail run`/);
  const dir = await tmp();
  await writeFile(join(dir, "cofail.lock"), conflicted);
  let told: LockFileError | undefined;
  const lock = await readLockFile(join(dir, "cofail.lock"), (e) => { told = e; });
  assert.deepEqual(lock, { version: 1, stages: {} });
  assert.equal(told?.line, 3);
  await rm(dir, { recursive: true, force: true });
});

test("run lock of another host: refused with a message on staleness and how to clear it; taken over once its heartbeat stopped", async () => {
  const dir = await tmp();
  const path = join(dir, ".cofail", "run.lock");
  await mkdir(join(dir, ".cofail"));
  await writeFile(path, JSON.stringify({ pid: 4242, host: "build-node-7" }));
  await assert.rejects(acquireRunLock({ path, timeoutS: 0 }), (e: Error) => {
    assert.match(e.message, /another cofail run \(pid 4242 on build-node-7\) holds .*run\.lock; waited 0s\. Wait for it to finish \(or raise --wait\)/);
    assert.match(e.message, /taken on another host, so cofail cannot check that process; its last heartbeat was \d+s ago/);
    assert.match(e.message, /If no cofail run is active on build-node-7, the lock is stale: remove .*run\.lock and run again/);
    return true;
  });
  const old = new Date(Date.now() - (STALE_S + 60) * 1000);
  await utimes(path, old, old);
  const notices: string[] = [];
  const h = await acquireRunLock({ path, timeoutS: 0, onTakeOver: (m) => notices.push(m) });
  assert.match(notices[0]!, /took over a stale run lock of pid 4242 on build-node-7 \(no heartbeat for \d+s\)/);
  assert.match(await readFile(path, "utf8"), new RegExp(`"pid":${process.pid}`));
  await h.release();
  await assert.rejects(stat(path));
  await rm(dir, { recursive: true, force: true });
});

test("no package-lock.json: package versions are recorded as unknown, with a warning", async () => {
  const dir = await tmp();
  await writeFile(join(dir, "stage.ts"), "import { z } from \"zod\";\nexport const s = z.string();\n");
  await import("node:fs/promises").then((fs) => fs.symlink(join(process.cwd(), "node_modules"), join(dir, "node_modules")));
  const warnings: string[] = [];
  const hasher = await createFileHasher({ cacheFile: join(dir, ".cofail", "stat.json") });
  const code = await codeIngredients({ projectDir: dir, groups: new Map([["s", ["stage.ts"]]]), hasher, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(code.get("s")!.packages, { zod: "unknown" });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /package-lock\.json is missing or unreadable .*the versions of zod are recorded as "unknown"/);
  await rm(dir, { recursive: true, force: true });
});

test("errors: no stack unless COFAIL_DEBUG; long lines and control characters capped; excerpts escaped and short", () => {
  const e = new Error("boom");
  const prev = process.env.COFAIL_DEBUG;
  delete process.env.COFAIL_DEBUG;
  assert.equal(errorText(e), "boom");
  process.env.COFAIL_DEBUG = "1";
  assert.match(errorText(e), /^Error: boom\n {4}at /);
  if (prev === undefined) delete process.env.COFAIL_DEBUG; else process.env.COFAIL_DEBUG = prev;
  const capped = capMessage(`x.csv: header ${"h".repeat(5_000_000)}\u0007`);
  assert.ok(capped.length < 400, `${capped.length}`);
  assert.match(capped, /^x\.csv: header h+… \(line cut: 5000020 characters\)$/);
  assert.equal(excerpt("a\tb\u0000"), "a\\tb\\u0000");
  assert.equal(excerpt("y".repeat(100), 10), "yyyyyyyyyy… (100 characters)");
});
