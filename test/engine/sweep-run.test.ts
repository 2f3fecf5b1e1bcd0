// tier: slow
// Sweeps through the real CLI: each variant is cached on its own, so changing one variant's params reruns that
// variant (and what reads it) only; variants stay out of the registry; a whole-sweep input arrives keyed by label.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { BASIC_FILES, BASIC_PIPELINE, cliRun, cliStatus, makeProject, readJson } from "../support/engine-project.js";

// BASIC_PIPELINE's datasets and partitioned count, then a swept total, a plain stage and a reader of the sweep.
const PIPELINE = BASIC_PIPELINE.slice(0, BASIC_PIPELINE.indexOf("  total:")) + `  total:
    type: total
    inputs: { counts: count.counts }
    params: { scale: "\${scale}", id: "total.sum" }
    sweep: { scale: { low: 1, mid: 2, high: 3 } }
  summary:
    type: total
    inputs: { counts: count.counts }
    params: { scale: 10, id: "summary.sum" }
  report:
    type: report
    inputs: { results: [total.results] }       # a list holding one whole sweep: [Record<label, results>]
`;

const status = cliStatus;
const run = cliRun;

test("a sweep variant's param change reruns only that variant and its readers", async () => {
  const dir = await makeProject({ pipeline: PIPELINE, files: BASIC_FILES });
  const cold = await run(dir);
  assert.deepEqual(cold.record.ran.sort(), ["count[one]", "count[two]", "report", "summary", "total@scale=high", "total@scale=low", "total@scale=mid"]);
  // Each variant has its own folder; the reader got all three, keyed by label (the report lists each one's results).
  assert.deepEqual((await readJson<{ total: number }>(join(dir, "build", "total@scale=mid", "total.json"))).total, 10);
  assert.equal(await readFile(join(dir, "build", "report", "report.md"), "utf8"), "- total.sum: 5\n- total.sum: 10\n- total.sum: 15\n");
  // Variants publish the same ids: they are not registry numbers (the one non-variant stage is).
  const registry = await readJson<{ id: string; stage: string }[]>(join(dir, "build", "registry.json"));
  assert.deepEqual(registry.map((r) => r.id), ["count.one.lines", "count.two.lines", "summary.sum"]);
  // The variants share the declaration's seed.
  const lock = parse(await readFile(join(dir, "cofail.lock"), "utf8")) as { stages: Record<string, { entry?: { seed: number } }> };
  const seeds = ["low", "mid", "high"].map((l) => lock.stages[`total@scale=${l}`]!.entry!.seed);
  assert.equal(new Set(seeds).size, 1);
  assert.notEqual(seeds[0], lock.stages.summary!.entry!.seed);

  // Change the value of one variant only.
  const spec = join(dir, "pipeline.yaml");
  await writeFile(spec, (await readFile(spec, "utf8")).replace("mid: 2", "mid: 4"));
  const s = await status(dir);
  assert.equal(s.get("total@scale=mid")!.state, "run");
  assert.deepEqual(s.get("total@scale=mid")!.reasons, ["param scale: 2 -> 4"]);
  for (const k of ["total@scale=low", "total@scale=high", "summary", "count[one]", "count[two]"]) assert.equal(s.get(k)!.state, "up-to-date", k);
  assert.equal(s.get("report")!.state, "run");
  const r = await run(dir);
  assert.deepEqual(r.record.ran.sort(), ["report", "total@scale=mid"]);
  assert.equal(await readFile(join(dir, "build", "report", "report.md"), "utf8"), "- total.sum: 5\n- total.sum: 20\n- total.sum: 15\n");

  // Back: restored from the run-cache. A target naming the sweep selects its variants.
  await writeFile(spec, (await readFile(spec, "utf8")).replace("mid: 4", "mid: 2"));
  const back = await run(dir, ["total"]);
  assert.deepEqual(back.record.ran, []);
  assert.deepEqual(back.record.restored, ["total@scale=mid"]);
  // A new value adds a variant and runs it alone (plus the reader).
  await writeFile(spec, (await readFile(spec, "utf8")).replace("high: 3 }", "high: 3, top: 5 }"));
  const added = await run(dir);
  assert.deepEqual(added.record.ran.sort(), ["report", "total@scale=top"]);
});
