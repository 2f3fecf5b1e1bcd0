// End-to-end incrementality through the real CLI: what reruns after each kind of edit, and whether
// `cofail status` predicts it (with the reason) before the run.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BASIC_FILES, BASIC_PIPELINE, lastRunRecord, makeProject, readJson, runCli } from "../support/engine-project.js";

interface Status { stage: string; partition?: string; state: string; reasons: string[] }

async function status(dir: string): Promise<Map<string, Status>> {
  const r = await runCli(dir, ["status", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Status[];
  return new Map(list.map((s) => [s.partition === undefined ? s.stage : `${s.stage}[${s.partition}]`, s]));
}

async function run(dir: string) {
  const r = await runCli(dir, ["run", "--jobs", "2"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return { ...r, record: await lastRunRecord(dir) };
}

test("edits rerun exactly the affected stages, and status predicts them with reasons", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });

  const before = await status(dir);
  assert.deepEqual([...before.values()].map((s) => s.state), ["run", "run", "run", "run", "run"]);
  assert.deepEqual(before.get("count[one]")!.reasons, ["never run"]);

  const cold = await run(dir);
  assert.deepEqual(cold.record.ran.sort(), ["count[one]", "count[two]", "flag", "report", "total"]);
  const registry = await readJson<{ id: string; value: number; stage: string; key: string }[]>(join(dir, "build", "registry.json"));
  assert.deepEqual(registry.map((r) => [r.id, r.value, r.stage]), [
    ["count.one.lines", 3, "count"], ["count.two.lines", 2, "count"], ["total.sum", 10, "total"],
  ]);
  assert.match(await readFile(join(dir, "build", "report", "report.md"), "utf8"), /total\.sum: 10/);

  // Second run: nothing to do, and it says so.
  const again = await run(dir);
  assert.match(again.stdout, /nothing to do: 4 stages up to date/);
  assert.deepEqual([again.record.ran, again.record.restored], [[], []]);

  // A helper imported by `total` changes behaviour: total and its downstream (report) rerun, nothing else.
  const helper = join(dir, "lib", "arith.ts");
  await writeFile(helper, (await readFile(helper, "utf8")).replace("* scale;", "* scale + 1;"));
  const s1 = await status(dir);
  assert.equal(s1.get("total")!.state, "run");
  assert.deepEqual(s1.get("total")!.reasons, ["code file lib/arith.ts changed"]);
  assert.equal(s1.get("report")!.state, "run");
  assert.ok(s1.get("report")!.reasons.includes("input results changed (upstream total will run)"), s1.get("report")!.reasons.join());
  for (const k of ["count[one]", "count[two]", "flag"]) assert.equal(s1.get(k)!.state, "up-to-date", k);
  const r1 = await run(dir);
  assert.deepEqual(r1.record.ran.sort(), ["report", "total"]);
  assert.match(await readFile(join(dir, "build", "report", "report.md"), "utf8"), /total\.sum: 11/);

  // An unrelated file: nothing reruns.
  await writeFile(join(dir, "lib", "unrelated.ts"), "export const unrelated = 2;\n");
  assert.ok([...(await status(dir)).values()].every((s) => s.state === "up-to-date"));
  assert.match((await run(dir)).stdout, /nothing to do/);

  // A param: that stage and its downstream.
  const spec = join(dir, "pipeline.yaml");
  await writeFile(spec, (await readFile(spec, "utf8")).replace("scale: 2", "scale: 3"));
  const s2 = await status(dir);
  assert.deepEqual(s2.get("total")!.reasons, ["param scale: 2 -> 3"]);
  assert.equal(s2.get("flag")!.state, "up-to-date");
  const r2 = await run(dir);
  assert.deepEqual(r2.record.ran.sort(), ["report", "total"]);

  // Reverting it: restored from the run-cache, nothing runs.
  await writeFile(spec, (await readFile(spec, "utf8")).replace("scale: 3", "scale: 2"));
  const s3 = await status(dir);
  assert.equal(s3.get("total")!.state, "restore");
  assert.deepEqual(s3.get("total")!.reasons, ["param scale: 3 -> 2"]);
  assert.equal(s3.get("report")!.state, "restore");
  const r3 = await run(dir);
  assert.deepEqual(r3.record.ran, []);
  assert.deepEqual(r3.record.restored.sort(), ["report", "total"]);
  assert.match(r3.stderr, /restored total from run-cache/);
  assert.match(await readFile(join(dir, "build", "report", "report.md"), "utf8"), /total\.sum: 11/);

  // A modified workspace output is restored, and status says why; the edited copy is moved aside, not lost.
  await writeFile(join(dir, "build", "total", "total.json"), "{}\n");
  const s4 = await status(dir);
  assert.equal(s4.get("total")!.reasons.length, 1);
  assert.match(s4.get("total")!.reasons[0]!, /^build\/ copy of total\.json modified \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\)$/);
  const r4 = await run(dir);
  assert.deepEqual([r4.record.ran, r4.record.restored], [[], ["total"]]);
  assert.match(r4.stderr, /build\/total held files that match no record: moved to \.cofail\/quarantine\/[^/]+\/build\/total\/total\.json/);
  const moved = /moved to (\.cofail\/quarantine\/\S+)/.exec(r4.stderr)![1]!;
  assert.equal(await readFile(join(dir, moved), "utf8"), "{}\n");

  // A partition added: only the new partition and the downstream run.
  await writeFile(join(dir, "data", "three.txt"), "1\n2\n3\n4\n");
  await writeFile(spec, (await readFile(spec, "utf8")).replace("data/two.txt]", "data/two.txt, data/three.txt]"));
  const s5 = await status(dir);
  assert.deepEqual(s5.get("count[three]")!.reasons, ["partition added"]);
  assert.equal(s5.get("count[one]")!.state, "up-to-date");
  const r5 = await run(dir);
  assert.deepEqual(r5.record.ran.sort(), ["count[three]", "report", "total"]);
});
