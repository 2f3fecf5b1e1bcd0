// The swap-in workflow end to end with the real stage types: add one model's results file, rerun (only its
// ingest partition plus the pool-level stages run), read the paper diff; remove it again (every number comes
// back bit for bit from the run-cache); new results that break a guarded claim fail the paper build, naming
// the sentence; `explain --verify` catches a tampered cached output and a tampered raw file.
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { lastRunRecord, readJson, runCli } from "../support/engine-project.js";
import { makeAuditProject, MODEL_D, MODEL_FILES, modelCsv, pipeline } from "../support/demo-project.js";

let dir: string;
const cli = (args: string[]) => runCli(dir, args);
const registry = () => readFile(join(dir, "build", "registry.json"), "utf8");
const value = (reg: string, id: string) => (JSON.parse(reg) as { id: string; value: number }[]).find((r) => r.id === id)?.value;

before(async () => { dir = await makeAuditProject(); });
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

test("swap in a model: only its partition and the pool-level stages rerun; the diff names the moved numbers; removing it restores every number", async () => {
  const first = await cli(["run"]);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const reg0 = await registry();
  assert.equal(value(reg0, "fix.beta"), 0.1);
  assert.equal(value(reg0, "fix.n.models"), 3);

  // Add model-d: right on q19 (which defeated every model) and q03.
  await writeFile(join(dir, "results/model-d.csv"), MODEL_D);
  await writeFile(join(dir, "pipeline.yaml"), pipeline([...Object.keys(MODEL_FILES), "results/model-d.csv"]));
  const status = await cli(["status"]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /will run\s+ingest\[model-d\]: partition added/);
  assert.match(status.stdout, /a run would change cofailure, ingest, paper, pool: \d+ registry result\(s\) may move, 6 of them printed in the paper:/);
  assert.match(status.stdout, /fix\.beta \(now 0\.100\) line 4, § Results: "Every model fails on \{\{fix\.beta\.count\}\} of them/);

  const added = await cli(["run"]);
  assert.equal(added.code, 0, added.stderr + added.stdout);
  const rec = await lastRunRecord(dir);
  assert.deepEqual([...rec.ran].sort(), ["cofailure", "ingest[model-d]", "paper", "pool"]);
  assert.deepEqual(rec.restored, []);
  const upToDate = rec.tasks.filter((t) => t.status === "up-to-date").map((t) => `${t.stage}[${t.partition}]`).sort();
  assert.deepEqual(upToDate, ["ingest[model-a]", "ingest[model-b]", "ingest[model-c]"]);
  const reg1 = await registry();
  assert.equal(value(reg1, "fix.beta"), 0.05);
  // `cofail run` ends with the short paper diff.
  assert.match(added.stdout, /paper diff \w+ -> \w+: \d+ number\(s\) moved/);
  assert.match(added.stdout, /fix\.beta: 0\.100 -> 0\.050/);

  const diff = await cli(["diff"]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /fix\.beta {2}0\.1 -> 0\.05 {2}\(delta -0\.05, 50\.00%; stage cofailure\)/);
  assert.match(diff.stdout, /error: within CI half-width 0\.\d+/);
  assert.match(diff.stdout, /printed: 0\.100 -> 0\.050 {2}\(rounded form changed\)/);
  assert.match(diff.stdout, /used in § Results, line 4: 0\.100 -> 0\.050: "Every model fails on \{\{fix\.beta\.count\}\} of them, a co-failure rate of \{\{fix\.beta\}\}\{\{claim: fix\.beta > 0\}\}\."/);
  assert.match(diff.stdout, /fix\.n\.models {2}3 -> 4 .*\n {2}error: exact quantity \(no error estimate\): a real change/);
  const json = JSON.parse((await cli(["diff", "--json"])).stdout) as { moved: { id: string; roundedChanged: boolean; uses: unknown[] }[] };
  const beta = json.moved.find((m) => m.id === "fix.beta")!;
  assert.equal(beta.roundedChanged, true);
  assert.equal(beta.uses.length, 1);

  // Remove it again: nothing recomputes, every number is back bit for bit.
  await rm(join(dir, "results/model-d.csv"));
  await writeFile(join(dir, "pipeline.yaml"), pipeline(Object.keys(MODEL_FILES)));
  const removed = await cli(["run"]);
  assert.equal(removed.code, 0, removed.stderr + removed.stdout);
  const rec2 = await lastRunRecord(dir);
  assert.deepEqual(rec2.ran, []);
  assert.deepEqual([...rec2.restored].sort(), ["cofailure", "paper", "pool"]);
  assert.equal(await registry(), reg0);
  assert.match(removed.stdout, /fix\.beta: 0\.050 -> 0\.100/);
});

test("new results that break a guarded claim fail the paper build, naming the sentence, values and rule", async () => {
  // model-c now also solves q19 and q20: no question defeats every model, so "fix.beta > 0" is false.
  await writeFile(join(dir, "results/model-c.csv"), modelCsv("model-c", [1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
  const r = await cli(["run"]);
  assert.notEqual(r.code, 0);
  const out = r.stdout + r.stderr;
  assert.match(out, /claim does not hold: fix\.beta > 0 \(fix\.beta = 0 > 0 is false\), in the sentence "Every model fails on \{\{fix\.beta\.count\}\} of them/);
  const rec = await lastRunRecord(dir);
  assert.deepEqual(rec.failed, ["paper"]);

  // With allowFalseClaims the paper renders, the claim flagged.
  await writeFile(join(dir, "pipeline.yaml"), pipeline(Object.keys(MODEL_FILES)) + "    params: { allowFalseClaims: true }\n");
  const allowed = await cli(["run"]);
  assert.equal(allowed.code, 0, allowed.stderr + allowed.stdout);
  const html = await readFile(join(dir, "build/paper/paper.html"), "utf8");
  assert.match(html, /class="claim claim-false"/);
  await writeFile(join(dir, "results/model-c.csv"), MODEL_FILES["results/model-c.csv"]!);
  await writeFile(join(dir, "pipeline.yaml"), pipeline(Object.keys(MODEL_FILES)));
  assert.equal((await cli(["run"])).code, 0);
});

test("explain --verify re-hashes the chain: a tampered cached output and a tampered raw file are caught", async () => {
  const clean = await cli(["explain", "fix.beta", "--verify"]);
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  assert.match(clean.stdout, /verify: all \d+ files re-hashed match their records/);
  assert.match(clean.stdout, /ok {3}raw results\/model-a\.csv \(local file/);

  // Tamper with the pool's cached matrix (same size, so only a real re-hash notices).
  const lock = await readFile(join(dir, "cofail.lock"), "utf8");
  const poolKey = /pool:\n(?:.*\n)*?\s+key: ([0-9a-f]{64})/.exec(lock)![1]!;
  const cached = join(dir, ".cofail/cache", poolKey, "out/matrix.json");
  const original = await readFile(cached, "utf8");
  assert.match(original, /"pool": "fix"/);
  await writeFile(cached, original.replace('"pool": "fix"', '"pool": "fiy"'));
  const tampered = await cli(["explain", "fix.beta", "--verify"]);
  assert.notEqual(tampered.code, 0);
  assert.match(tampered.stdout, /MISMATCH cached output pool\/matrix\.json: sha256 [0-9a-f]{12}…, expected/);
  await writeFile(cached, original);

  // Tamper with a raw results file after the run.
  await writeFile(join(dir, "results/model-b.csv"), MODEL_FILES["results/model-b.csv"]!.replace("q05,model-b,0,1", "q05,model-b,0,0"));
  const raw = await cli(["explain", "fix.beta", "--verify"]);
  assert.notEqual(raw.code, 0);
  assert.match(raw.stdout, /MISMATCH local raw file results\/model-b\.csv: sha256 [0-9a-f]{12}…, expected/);
  assert.doesNotMatch(raw.stdout, /MISMATCH cached output/);
});
