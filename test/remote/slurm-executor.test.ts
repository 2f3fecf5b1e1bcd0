// The SLURM executor on a real single-node cluster (scripts/services/slurm.sh, which .ci/run starts): one ingest
// partition per file and a bootstrap split into 4 blocks run as sbatch jobs with output byte-identical to a local run
// (and to a 2-block local run, where the bootstrap's bytes are concerned); a failed job names its stage, job id and
// log; Ctrl-C (SIGINT) scancels the run's jobs, leaving none queued.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import YAML from "yaml";
import { REPO, lastRunRecord, makeProject, runCli, spawnCli, treeContents } from "../support/engine-project.js";
import { cofailIn, freshProjectCopy } from "../support/project-copy.js";

const skip = process.env.COFAIL_TEST_SLURM === "1" ? false
  : "no SLURM cluster: start one with `eval \"$(bash scripts/services/slurm.sh start)\"` (sets COFAIL_TEST_SLURM and SLURM_CONF); .ci/run does";

const files = { "data/a.txt": "1\n2\n3\n", "data/b.txt": "x\ny\n", "data/c.txt": "p\nq\nr\ns\ne\n" };
const pipeline = (blocks: number, extra = "") => `version: 1
seed: 7
executor:
  slurm:
    default: { time: "10:00", mem: 256M, cpus: 1 }
    types: { resample: { cpus: 1, mem: 512M } }
    poll_s: 0.5
    command_timeout_s: 15
datasets:
  texts: { local: [data/a.txt, data/b.txt, data/c.txt] }
stages:
  count:
    type: count
    inputs: { files: dataset:texts }
    foreach: files
  boot:
    type: resample
    inputs: { counts: count.counts }
    params: { B: 400 }
    blocks: ${blocks}
  summary:
    type: combine
    inputs: { blocks: boot.reps }
  report:
    type: report
    inputs: { results: "*.results" }
${extra}`;

const squeueIds = () => execFileSync("squeue", ["-h", "-o", "%i %j"], { encoding: "utf8", timeout: 15_000 }).trim();

test("a pipeline with per-file partitions and a 4-block bootstrap runs through SLURM byte-identical to a local run", { skip }, async () => {
  const local = await makeProject({ pipeline: pipeline(4), files });
  let t0 = performance.now();
  const l = await runCli(local, ["run", "--executor", "local", "--jobs", "2"]);
  const localMs = performance.now() - t0;
  assert.equal(l.code, 0, l.stderr);
  const onSlurm = await makeProject({ pipeline: pipeline(4), files });
  t0 = performance.now();
  const s = await runCli(onSlurm, ["run", "--executor", "slurm"]);
  const slurmMs = performance.now() - t0;
  assert.equal(s.code, 0, s.stderr);
  const jobs = s.stderr.match(/submitted as SLURM job \d+/g) ?? [];
  const tasks = ["count[a]", "count[b]", "count[c]", "boot[block-0]", "boot[block-1]", "boot[block-2]", "boot[block-3]", "summary", "report"];
  assert.equal(jobs.length, tasks.length, s.stderr);
  assert.deepEqual([...(await lastRunRecord(onSlurm)).ran].sort(), [...tasks].sort());
  assert.deepEqual(await readdir(join(onSlurm, ".cofail", "slurm")), [], "no job files left after a successful run");
  assert.deepEqual(await treeContents(join(onSlurm, "build")), await treeContents(join(local, "build")), "build/ byte-identical");
  assert.equal(await readFile(join(onSlurm, "cofail.lock"), "utf8"), await readFile(join(local, "cofail.lock"), "utf8"), "same lock, same keys");
  // The replicates do not depend on the number of blocks.
  const two = await makeProject({ pipeline: pipeline(2), files });
  assert.equal((await runCli(two, ["run", "--jobs", "2"])).code, 0);
  assert.equal(await readFile(join(two, "build/summary/bootstrap.json"), "utf8"), await readFile(join(local, "build/summary/bootstrap.json"), "utf8"));
  console.log(`# ${tasks.length} tasks: local ${(localMs / 1000).toFixed(1)} s, SLURM ${(slurmMs / 1000).toFixed(1)} s; build/ byte-identical`);
});

test("the paper's own copula bootstrap (copula-lcb-new) runs as 4 SLURM block jobs, byte-identical to a local run", { skip }, async () => {
  // The real pipeline on the real data: pool lcb-new, its bootstrap blocks (seed_of: copula-lcb-new) and the copula
  // stage that summarises them. Two throw-away copies of the project, each with an empty run-cache.
  const local = await freshProjectCopy("cofail-slurm-local-"), onSlurm = await freshProjectCopy("cofail-slurm-real-");
  const l = await cofailIn(local, ["run", "copula-lcb-new", "--jobs", "2"]);
  assert.equal(l.code, 0, l.stderr);
  const s = await cofailIn(onSlurm, ["run", "copula-lcb-new", "--executor", "slurm"]);
  assert.equal(s.code, 0, s.stderr);
  const blocks = ["block-0", "block-1", "block-2", "block-3"].map((b) => `copula-lcb-new-bootstrap[${b}]`);
  const record = await lastRunRecord(onSlurm);
  for (const b of blocks) assert.ok(record.ran.includes(b), `${b} did not run: ${record.ran.join(", ")}`);
  assert.ok(record.ran.includes("copula-lcb-new"));
  const jobs = s.stderr.match(/submitted as SLURM job \d+/g) ?? [];
  assert.equal(jobs.length, record.ran.length, `every task a job:\n${s.stderr}`);
  for (const dir of ["copula-lcb-new-bootstrap", "copula-lcb-new"]) {
    assert.deepEqual(await treeContents(join(onSlurm, "build", dir)), await treeContents(join(local, "build", dir)), `build/${dir} byte-identical`);
  }
  // The same key in both locks and in the project's committed one: a cold local build of the paper gets these bytes.
  const keyIn = async (d: string) => (YAML.parse(await readFile(join(d, "cofail.lock"), "utf8")) as { stages: Record<string, { entry: { key: string } }> }).stages["copula-lcb-new"]!.entry.key;
  assert.equal(await keyIn(onSlurm), await keyIn(local));
  assert.equal(await keyIn(onSlurm), await keyIn(REPO));
});

test("a failed SLURM job names the stage, the job id and its log; the downstream is skipped", { skip }, async () => {
  const dir = await makeProject({ pipeline: `version: 1
seed: 1
stages:
  bad:
    type: badout
    params: { ok: false }
  after:
    type: report
    inputs: { results: bad.results }
`, files: {} });
  const r = await runCli(dir, ["run", "--executor", "slurm"]);
  assert.equal(r.code, 1, r.stderr);
  const m = /FAILED bad: output "flag" \(flag\.json\) fails its schema[^\n]*\n\(SLURM job (\d+), log (\S+job\.log)\)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.ok((await readFile(m[2]!, "utf8")).length >= 0, "the log is kept");
  assert.match(r.stderr, /skipped after \(upstream bad failed\)/);
});

for (const [signal, exit] of [["SIGINT", 130], ["SIGTERM", 143]] as const) test(`${signal === "SIGINT" ? "Ctrl-C (SIGINT)" : "SIGTERM"} scancels the run's jobs: none stays queued`, { skip }, async () => {
  const dir = await makeProject({ pipeline: `version: 1
seed: 1
stages:
  s1: { type: spin, params: { iterations: 4000000000, id: s.one } }
  s2: { type: spin, params: { iterations: 4000000000, id: s.two } }
  s3: { type: spin, params: { iterations: 4000000000, id: s.three } }
`, files: {} });
  const child = spawnCli(dir, ["run", "--executor", "slurm"]);
  let err = "";
  child.stderr!.on("data", (d) => { err += String(d); });
  const deadline = Date.now() + 60_000;
  while ((err.match(/submitted as SLURM job/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const ids = [...err.matchAll(/submitted as SLURM job (\d+)/g)].map((m) => m[1]!);
  assert.equal(ids.length, 3, err);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill(signal);
  const code = await exited;
  assert.equal(code, exit, err);
  assert.match(err, new RegExp(`${signal}: cancelling this run's SLURM jobs`));
  let left = "";
  for (let i = 0; i < 50; i++) {
    left = squeueIds().split("\n").filter((l) => ids.includes(l.split(" ")[0]!)).join("\n");
    if (!left) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(left, "", `jobs still queued: ${left}`);
  // The lock was released: a next run can start at once.
  const again = await runCli(dir, ["run", "--dry", "--wait", "0"]);
  assert.equal(again.code, 0, again.stderr);
});
