// Failure modes through the real CLI: kill -9 mid-stage, byte-identical cold runs in two projects,
// parallel stages overlapping, an output failing its schema, and a second concurrent run.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BASIC_FILES, BASIC_PIPELINE, lastRunRecord, makeProject, readJson, runCli, spawnCli, treeContents } from "../support/engine-project.js";

// Long enough that the kill lands mid-stage; deterministic output regardless.
const SLOW = `version: 1
seed: 5
datasets:
  texts:
    local: [data/one.txt, data/two.txt]
stages:
  count:
    type: count
    inputs: { files: dataset:texts }
    foreach: files
  slow:
    type: spin
    params: { iterations: 400000000, id: slow.x }
  report:
    type: report
    inputs: { results: "*.results" }
`;

function waitForOutput(child: ReturnType<typeof spawnCli>, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) { child.stderr!.off("data", onData); resolve(); }
    };
    child.stderr!.on("data", onData);
    child.on("exit", () => reject(new Error(`exited before ${pattern}: ${seen}`)));
  });
}

async function snapshot(dir: string) {
  return { build: await treeContents(join(dir, "build")), lock: await readFile(join(dir, "cofail.lock"), "utf8") };
}

test("SIGKILL mid-stage, then rerun: completes with no manual step, byte-identical to an uninterrupted run", async () => {
  const killed = await makeProject({ pipeline: SLOW, files: BASIC_FILES });
  const child = spawnCli(killed, ["run", "--jobs", "2"]);
  await waitForOutput(child, /slow: \d+\/400000000/);
  child.kill("SIGKILL");
  await new Promise((r) => child.on("exit", r));
  // The killed run left its lock and (probably) a temp dir behind; the rerun needs neither removed.
  assert.ok((await readdir(join(killed, ".cofail"))).includes("run.lock"));
  const rerun = await runCli(killed, ["run", "--jobs", "2"]);
  assert.equal(rerun.code, 0, rerun.stderr);
  const rec = await lastRunRecord(killed);
  assert.ok(rec.ran.includes("slow"));
  assert.deepEqual(await readdir(join(killed, ".cofail", "tmp")).catch(() => []), []);

  const clean = await makeProject({ pipeline: SLOW, files: BASIC_FILES });
  const r = await runCli(clean, ["run", "--jobs", "2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await snapshot(killed), await snapshot(clean));
});

test("two separate projects, cold runs: byte-identical build outputs and cofail.lock", async () => {
  const a = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const b = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const [ra, rb] = [await runCli(a, ["run", "--jobs", "1"]), await runCli(b, ["run", "--jobs", "2"])];
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  const [sa, sb] = [await snapshot(a), await snapshot(b)];
  assert.ok(Object.keys(sa.build).includes("registry.json") && Object.keys(sa.build).includes("count/one/provenance.json"));
  assert.deepEqual(sa, sb);
  assert.doesNotMatch(sa.lock, /\d{4}-\d\d-\d\dT/); // no timestamps
});

test("independent CPU-bound stages overlap with --jobs 2 and do not with --jobs 1", async () => {
  const pipeline = `version: 1
seed: 1
stages:
  a:
    type: spin
    params: { iterations: 200000000, id: a.x }
  b:
    type: spin
    params: { iterations: 200000000, id: b.x }
`;
  const interval = async (jobs: string) => {
    const dir = await makeProject({ pipeline });
    const r = await runCli(dir, ["run", "--jobs", jobs]);
    assert.equal(r.code, 0, r.stderr);
    const tasks = (await lastRunRecord(dir)).tasks;
    const [a, b] = ["a", "b"].map((id) => tasks.find((t) => t.stage === id)!);
    return { a: a!, b: b! };
  };
  const par = await interval("2");
  assert.ok(par.a.startedAt! < par.b.endedAt! && par.b.startedAt! < par.a.endedAt!, `no overlap: ${JSON.stringify(par)}`);
  const seq = await interval("1");
  assert.ok(seq.a.endedAt! <= seq.b.startedAt! || seq.b.endedAt! <= seq.a.startedAt!, `overlap with --jobs 1: ${JSON.stringify(seq)}`);
});

test("an output failing its schema is an error, is not cached, and leaves earlier outputs intact", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  assert.equal((await runCli(dir, ["run"])).code, 0);
  const before = await readFile(join(dir, "build", "flag", "flag.json"), "utf8");
  const lockBefore = await readFile(join(dir, "cofail.lock"), "utf8");
  await writeFile(join(dir, "pipeline.yaml"), BASIC_PIPELINE.replace("ok: true", "ok: false").replace("scale: 2", "scale: 5"));
  const r = await runCli(dir, ["run"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAILED flag: output "flag" \(flag\.json\) fails its schema: ok: /);
  const rec = await lastRunRecord(dir);
  assert.deepEqual(rec.failed, ["flag"]);
  assert.deepEqual(rec.skipped, ["report"]); // downstream of the failure
  assert.deepEqual(rec.ran, ["total"]); // independent branch kept going
  assert.equal(await readFile(join(dir, "build", "flag", "flag.json"), "utf8"), before);
  const flagLock = (s: string) => s.slice(s.indexOf("  flag:"), s.indexOf("  report:"));
  assert.equal(flagLock(await readFile(join(dir, "cofail.lock"), "utf8")), flagLock(lockBefore));
  for (const key of await readdir(join(dir, ".cofail", "cache"))) {
    const record = await readJson<{ stage: string; entry: { params: { ok?: boolean } } }>(join(dir, ".cofail", "cache", key, "record.json"));
    assert.ok(!(record.stage === "flag" && record.entry.params.ok === false), "failed output was cached");
  }
});

test("a concurrent second run waits, then gives up with a clear message; a dead holder's lock is taken over", async () => {
  // The holder must still be running when the second run gives up, however slow the machine: its
  // stage would spin for minutes, and it is killed below.
  const dir = await makeProject({ pipeline: SLOW.replace("400000000", "400000000000"), files: BASIC_FILES });
  const first = spawnCli(dir, ["run", "--jobs", "2"]);
  await waitForOutput(first, /start {2}slow/);
  const second = await runCli(dir, ["run", "--wait", "1"]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /waiting for another cofail run \(pid \d+ on .+\) to finish/);
  assert.match(second.stderr, /another cofail run \(pid \d+ on .+\) holds .*run\.lock; waited 1s/);
  first.kill("SIGKILL");
  await new Promise((r) => first.on("exit", r));

  const other = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  await mkdir(join(other, ".cofail"), { recursive: true });
  await writeFile(join(other, ".cofail", "run.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
  const r = await runCli(other, ["run"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /waiting/);
});
