// A run-cache entry is trusted only after verification: one flipped byte in ANY cached output (its mtime put back),
// a truncated or deleted output, swapped entries and an edited record each make the next run report the corrupt
// entry (stage and file), move it to .cofail/quarantine/ and recompute it, and the published numbers stay right.
// A modified build/ copy is restored and the edit kept aside. `gc` on a conflicted or unreadable lock removes nothing.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, rename, stat, truncate, unlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lastRunRecord, readJson, runCli, treeContents } from "../support/engine-project.js";
import { cacheEntries, makeTrustProject } from "../support/trust-project.js";

const label = (e: { stage: string; partition?: string }) => (e.partition === undefined ? e.stage : `${e.stage}[${e.partition}]`);
const esc = (s: string) => s.replace(/[.[\]()]/g, "\\$&");

async function flipByte(path: string): Promise<void> {
  const st = await stat(path);
  const bytes = await readFile(path);
  const i = Math.floor(bytes.length / 2);
  bytes[i] = bytes[i]! ^ 0x01;
  await writeFile(path, bytes);
  await utimes(path, st.atime, st.mtime); // the size and mtime look untouched
}

async function built(dir: string) {
  const run = await runCli(dir, ["run", "--jobs", "2"]);
  assert.equal(run.code, 0, run.stderr);
  return { build: await treeContents(join(dir, "build")), registry: await readFile(join(dir, "build", "registry.json"), "utf8") };
}

test("one flipped byte in any cached output: the next run reports it, quarantines the entry, recomputes that stage; numbers unchanged", async () => {
  const dir = await makeTrustProject();
  const baseline = await built(dir);
  const registry = JSON.parse(baseline.registry) as { id: string; value: number }[];
  assert.equal(registry.find((r) => r.id === "t.beta")?.value, 0.25);
  const entries = await cacheEntries(dir);
  assert.equal(entries.length, 5);
  let flipped = 0;
  for (const e of entries) {
    for (const file of e.files) {
      const path = join(dir, ".cofail", "cache", e.key, "out", file);
      await flipByte(path);
      const r = await runCli(dir, ["run", "--jobs", "2"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`corrupt run-cache entry of ${esc(label(e))} \\(key ${e.key.slice(0, 12)}\\): ${esc(file)}: sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…; ` +
        `moved to \\.cofail/quarantine/[^/]+/cache/${e.key}; recomputing`), `${label(e)}/${file}`);
      assert.equal(r.stderr.match(/corrupt run-cache entry/g)!.length, 1, "reported once");
      assert.ok((await lastRunRecord(dir)).ran.includes(label(e)), `${label(e)} was not recomputed`);
      assert.deepEqual(await treeContents(join(dir, "build")), baseline.build, `build/ differs after recomputing ${label(e)}`);
      assert.equal(await readFile(join(dir, "build", "registry.json"), "utf8"), baseline.registry);
      const quarantined = /moved to (\S+);/.exec(r.stderr)![1]!;
      assert.notDeepEqual(await readFile(join(dir, quarantined, "out", file)), await readFile(path), "the corrupt copy is kept aside");
      assert.match((await runCli(dir, ["run"])).stdout, /nothing to do: 3 stages up to date/);
      flipped++;
    }
  }
  assert.ok(flipped >= 13, `${flipped} files`);
});

test("truncation, a deleted output, swapped entries and an edited record are caught; status says so first", async () => {
  const dir = await makeTrustProject();
  const baseline = await built(dir);
  const entries = await cacheEntries(dir);
  const entry = (l: string) => entries.find((e) => label(e) === l)!;
  const cache = (key: string, ...p: string[]) => join(dir, ".cofail", "cache", key, ...p);

  await truncate(cache(entry("pool").key, "out", "matrix.json"), 10);
  const st = await runCli(dir, ["status"]);
  assert.match(st.stdout, /will run {4}pool: run-cache entry corrupt \(matrix\.json: sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\): will be moved to \.cofail\/quarantine\/ and recomputed/);
  let r = await runCli(dir, ["run"]);
  assert.match(r.stderr, /corrupt run-cache entry of pool \(key [0-9a-f]{12}\): matrix\.json: sha256/);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["pool"]); // cofailure's input is the same again: up to date
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);

  await unlink(cache(entry("cofailure").key, "out", "results.json"));
  r = await runCli(dir, ["run"]);
  assert.match(r.stderr, /corrupt run-cache entry of cofailure \(key [0-9a-f]{12}\): results\.json: missing/);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["cofailure"]);
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);

  // Two entries swapped: each directory now holds the other key's record and outputs.
  const [a, b] = [entry("ingest[a]").key, entry("ingest[b]").key];
  await rename(cache(a), cache("swap"));
  await rename(cache(b), cache(a));
  await rename(cache("swap"), cache(b));
  r = await runCli(dir, ["run"]);
  assert.match(r.stderr, new RegExp(`corrupt run-cache entry of ingest\\[a\\] \\(key ${a.slice(0, 12)}\\): record\\.json: record\\.json is for key ${b.slice(0, 12)}…, not ${a.slice(0, 12)}… \\(entry moved or swapped\\)`));
  assert.match(r.stderr, new RegExp(`corrupt run-cache entry of ingest\\[b\\] \\(key ${b.slice(0, 12)}\\)`));
  assert.deepEqual((await lastRunRecord(dir)).ran.sort(), ["ingest[a]", "ingest[b]"]);
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);

  // A record edited to claim other params (and so other numbers) no longer hashes to its key.
  const recFile = cache(entry("pool").key, "record.json");
  const rec = await readJson<{ entry: { params: Record<string, unknown> } }>(recFile);
  rec.entry.params.sample_policy = "any";
  await writeFile(recFile, JSON.stringify(rec, null, 2));
  r = await runCli(dir, ["run"]);
  assert.match(r.stderr, /corrupt run-cache entry of pool \(key [0-9a-f]{12}\): record\.json: record\.json's ingredients do not hash to its key \(edited\)/);
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);

  // A corrupt upstream used by a forced downstream run: the upstream is verified (and recomputed) first.
  await flipByte(cache(entry("pool").key, "out", "matrix.json"));
  r = await runCli(dir, ["run", "cofailure", "--force"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["pool", "cofailure"]);
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);

  // A build/ copy edited by hand: restored from the cache, and the edit kept in the quarantine.
  const row = join(dir, "build", "cofailure", "row.json");
  await flipByte(row);
  const edited = await readFile(row);
  r = await runCli(dir, ["run"]);
  assert.match(r.stderr, /build\/cofailure held files that match no record: moved to (\.cofail\/quarantine\/[^/]+\/build\/cofailure\/row\.json)/);
  assert.deepEqual(await readFile(join(dir, /moved to (\S+)\n/.exec(r.stderr)![1]!)), edited);
  assert.deepEqual((await lastRunRecord(dir)).restored, ["cofailure"]);
  assert.deepEqual(await treeContents(join(dir, "build")), baseline.build);
  assert.ok((await readdir(join(dir, ".cofail", "quarantine"))).length >= 1);
});

test("gc on a conflicted or unreadable cofail.lock exits non-zero, names the line, and removes nothing; a run repairs the lock", async () => {
  const dir = await makeTrustProject();
  await built(dir);
  const lockPath = join(dir, "cofail.lock");
  const good = await readFile(lockPath, "utf8");
  const cacheBefore = await treeContents(join(dir, ".cofail", "cache"));
  const lines = good.split("\n");
  const conflicted = [...lines.slice(0, 5), "<<<<<<< HEAD", ...lines.slice(5, 8), "=======", ...lines.slice(5, 8), ">>>>>>> feature", ...lines.slice(8)].join("\n");
  await writeFile(lockPath, conflicted);
  const gc = await runCli(dir, ["gc", "--keep-runs", "0"]);
  assert.equal(gc.code, 4); // a data error: the lock cannot be read (exit codes: cli/output.ts)
  assert.match(gc.stderr, /cofail\.lock:6:1: unresolved git merge conflict \(marker "<<<<<<< HEAD"\); resolve it first/);
  assert.doesNotMatch(gc.stdout, /removed/);
  assert.deepEqual(await treeContents(join(dir, ".cofail", "cache")), cacheBefore);
  await assert.rejects(stat(join(dir, ".cofail", "run.lock")));

  await writeFile(lockPath, "garbage: [\n");
  const gc2 = await runCli(dir, ["gc", "--keep-runs", "0"]);
  assert.equal(gc2.code, 4);
  assert.match(gc2.stderr, /cofail\.lock:\d+:\d+: not valid YAML: /);
  assert.deepEqual(await treeContents(join(dir, ".cofail", "cache")), cacheBefore);
  const dry = await runCli(dir, ["gc", "--dry"]);
  assert.equal(dry.code, 4);

  // A run reads the unreadable lock as empty (with a warning), restores everything, writes a fresh lock.
  await writeFile(lockPath, conflicted);
  const r = await runCli(dir, ["run"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: cofail\.lock:6:1: unresolved git merge conflict/);
  assert.match(r.stderr, /the unreadable cofail\.lock was moved to \.cofail\/quarantine\/[^/]+\/cofail\.lock; writing a fresh one/);
  assert.equal(await readFile(lockPath, "utf8"), good);
  assert.deepEqual((await lastRunRecord(dir)).ran, []);
  const ok = await runCli(dir, ["gc", "--keep-runs", "0"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /gc: removed 0 run-cache entries \(0\.0 kB\), kept 5 \(5 referenced by cofail\.lock/);
});
