// The other CLI verbs on one project whose dataset comes from a data manifest + local mirror:
// data, run, dag, explain (down to URL + sha256), clean (then restore), gc, and `run --dry`.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_FILES, demoManifest, lastRunRecord, makeManifestProject, makeProject, MANIFEST_PIPELINE, runCli } from "../support/engine-project.js";

test("data, dag, explain, clean, gc and --dry on a manifest dataset", async () => {
  const dir = await makeManifestProject();

  const data = await runCli(dir, ["data"]);
  assert.equal(data.code, 0, data.stderr);
  assert.match(data.stdout, /data: 2 files/);
  assert.equal(await readFile(join(dir, "data", "downloads", "demo", "raw", "alpha.jsonl"), "utf8"), "1\n2\n3\n");

  const dry = await runCli(dir, ["run", "--dry"]);
  assert.match(dry.stderr, /would run +count\[alpha\]: never run/);
  assert.match(dry.stderr, /would run +total: never run; input counts changed \(upstream count will run\)/);
  await assert.rejects(readdir(join(dir, "build")));

  const run = await runCli(dir, ["run"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(await readFile(join(dir, "build", "total", "total.json"), "utf8")).total, 4);

  const dag = await runCli(dir, ["dag"]);
  assert.match(dag.stdout, /\[0\] count \(count, foreach files\) {2}<- dataset:demo/);
  assert.match(dag.stdout, /\[1\] {3}total \(total\) {2}<- count/);
  assert.match((await runCli(dir, ["dag", "--mermaid"])).stdout, /count -->\|counts -> counts\| total/);
  assert.match((await runCli(dir, ["dag", "--dot"])).stdout, /"dataset:demo" -> "count"/);

  const ex = await runCli(dir, ["explain", "total.sum", "--depth", "all"]);
  assert.equal(ex.code, 0, ex.stderr);
  assert.match(ex.stdout, /result total\.sum = 4 \[3, 5\]/);
  assert.match(ex.stdout, /stage count\[alpha\] {2}type count/);
  assert.match(ex.stdout, new RegExp(`raw file demo/raw/alpha\\.jsonl\\s+sha256 ${createHash("sha256").update(DEMO_FILES["demo/raw/alpha.jsonl"]!).digest("hex")}\\s+url https://example\\.org/demo/0123abcd/demo/raw/alpha\\.jsonl`));
  const exFile = await runCli(dir, ["explain", "build/count/beta/counts.json", "--depth", "1"]);
  assert.match(exFile.stdout, /stage count\[beta\]/);
  assert.match(exFile.stdout, /raw file demo\/raw\/beta\.jsonl/);
  // The default is a one-screen summary that still ends at the raw files.
  const summary = await runCli(dir, ["explain", "total.sum"]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /^result total\.sum = 4 \[3, 5\]/);
  assert.match(summary.stdout, /\n {2}input counts <- count \(2 partitions\)\n/);
  assert.match(summary.stdout, /\nupstream 1: count \(2 partitions\)\n/);
  assert.match(summary.stdout, /\nraw files: 2 \(dataset:demo\), e\.g\. demo\/raw\/alpha\.jsonl sha256 [0-9a-f]{12} https:\/\/example\.org\//);
  assert.ok(summary.stdout.split("\n").length <= 24, summary.stdout);
  const json = await runCli(dir, ["explain", "total.sum", "--json"]);
  const chain = JSON.parse(json.stdout) as { runs: { label: string; level: number }[]; rawFiles: { name: string }[]; levels: number };
  assert.deepEqual(chain.runs.map((r) => `${r.label}@${r.level}`), ["total@0", "count[alpha]@1", "count[beta]@1"]);
  assert.deepEqual(chain.rawFiles.map((f) => f.name), ["demo/raw/alpha.jsonl", "demo/raw/beta.jsonl"]);
  assert.deepEqual(JSON.parse((await runCli(dir, ["explain", "total.sum", "--json", "--depth", "0"])).stdout).runs.length, 1);
  const shallow = await runCli(dir, ["explain", "total.sum", "--depth", "0"]);
  assert.match(shallow.stdout, /\.\.\. 2 more stage run\(s\) further up \(--depth 1, or --depth all\)/);
  assert.doesNotMatch(shallow.stdout, /stage count\[alpha\]/);
  // An unknown id is a usage error (exit 2) that suggests the nearest ids; a bad --depth names the flag.
  const typo = await runCli(dir, ["explain", "total.sun"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /"total\.sun" is neither a result id .* \(did you mean "total\.sum"\?\)/);
  const badDepth = await runCli(dir, ["explain", "total.sum", "--depth", "two"]);
  assert.equal(badDepth.code, 2);
  assert.match(badDepth.stderr, /option '--depth <n>' argument 'two' is invalid/);

  assert.equal((await runCli(dir, ["clean"])).code, 0);
  await assert.rejects(readdir(join(dir, "build")));
  const restore = await runCli(dir, ["run"]);
  assert.deepEqual((await lastRunRecord(dir)).ran, []);
  assert.match(restore.stderr, /restored total from run-cache/);

  await writeFile(join(dir, "pipeline.yaml"), MANIFEST_PIPELINE + "    params: { scale: 10 }\n");
  assert.equal((await runCli(dir, ["run"])).code, 0);
  const before = (await readdir(join(dir, ".cofail", "cache"))).length;
  // The superseded total entry is kept while one of the last 5 run records used it; --keep-runs 0 relies on the lock.
  const gcRuns = await runCli(dir, ["gc"]);
  assert.match(gcRuns.stdout, /gc: removed 0 run-cache entries \(0\.0 kB\), kept 4 \(3 referenced by cofail\.lock, 1 more by the last 3 run record\(s\)/);
  const dryGc = await runCli(dir, ["gc", "--keep-runs", "0", "--dry"]);
  assert.match(dryGc.stdout, /would remove [0-9a-f]{12} {2}total {2}[\d.]+ kB\ngc \(dry run\): would remove 1 run-cache entries/);
  assert.equal((await readdir(join(dir, ".cofail", "cache"))).length, before);
  const gc = await runCli(dir, ["gc", "--keep-runs", "0"]);
  assert.match(gc.stdout, /removed [0-9a-f]{12} {2}total {2}[\d.]+ kB\ngc: removed 1 run-cache entries \([\d.]+ kB\), kept 3 \(3 referenced by cofail\.lock/);
  assert.equal((await readdir(join(dir, ".cofail", "cache"))).length, before - 1);
  assert.match((await runCli(dir, ["run"])).stdout, /nothing to do: 2 stages up to date/);
});

test("COFAIL_DATA_MIRROR overrides the mirror, and a file missing from it fails only its stage", async () => {
  const files: Record<string, string> = { "data/manifest.json": demoManifest(), "other-mirror/demo/raw/alpha.jsonl": DEMO_FILES["demo/raw/alpha.jsonl"]! };
  const dir = await makeProject({ pipeline: MANIFEST_PIPELINE, files });
  await mkdir(join(dir, "mirror"), { recursive: true });
  const r = await runCli(dir, ["run"], { COFAIL_DATA_MIRROR: join(dir, "other-mirror") });
  assert.equal(r.code, 1);
  const rec = await lastRunRecord(dir);
  assert.deepEqual(rec.ran, ["count[alpha]"]);
  assert.deepEqual(rec.failed, ["count[beta]"]);
  assert.match(rec.tasks.find((t) => t.partition === "beta")!.error!, /not in the mirror/);
});

test("duplicate result ids across stages fail the run; --force reruns only the named target; targets by type or glob; unknown targets are refused", async () => {
  const pipeline = `version: 1
seed: 9
stages:
  a:
    type: spin
    params: { iterations: 1000, id: same.id }
  b:
    type: spin
    params: { iterations: 1000, id: same.id }
  c:
    type: spin
    params: { iterations: 1000, id: c.id }
    inputs: { after: a.spin }
`;
  const dir = await makeProject({ pipeline });
  const dup = await runCli(dir, ["run"]);
  assert.equal(dup.code, 1);
  assert.match(dup.stdout, /error: result id "same\.id" is published by both a and b; result ids must be unique/);

  await writeFile(join(dir, "pipeline.yaml"), pipeline.replace("id: same.id }\n  c:", "id: b.id }\n  c:"));
  assert.equal((await runCli(dir, ["run"])).code, 0);
  const registry = JSON.parse(await readFile(join(dir, "build", "registry.json"), "utf8")) as { id: string; stage: string }[];
  assert.deepEqual(registry.map((r) => `${r.id}@${r.stage}`), ["b.id@b", "c.id@c", "same.id@a"]);

  const forced = await runCli(dir, ["run", "c", "--force"]);
  assert.equal(forced.code, 0, forced.stderr);
  const rec = await lastRunRecord(dir);
  assert.deepEqual(rec.ran, ["c"]);
  assert.deepEqual(rec.tasks.map((t) => `${t.stage}:${t.status}`), ["a:up-to-date", "c:ran"]); // b not selected

  // A stage type or a glob names several stages at once.
  const byType = await runCli(dir, ["run", "spin", "--force"]);
  assert.equal(byType.code, 0, byType.stderr);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["a", "b", "c"]);
  const byGlob = await runCli(dir, ["run", "[bc]", "--force"]);
  assert.equal(byGlob.code, 0, byGlob.stderr);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["b", "c"], "a character class selects b and c (picomatch's dialect)");
  const star = await runCli(dir, ["run", "c*", "--force"]);
  assert.equal(star.code, 0, star.stderr);
  assert.deepEqual((await lastRunRecord(dir)).ran, ["c"]);

  const unknown = await runCli(dir, ["run", "nope"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown target "nope": not a stage id, a stage type \(spin\) or a glob matching a stage id; `cofail dag` lists the 3 stage ids/);
  const typo = await runCli(dir, ["status", "spn"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown target "spn" \(did you mean "spin"\?\)/);
});
