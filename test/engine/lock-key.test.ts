// The cache key is a function of the lock entry and nothing else (as DVC derives its run-cache key from the
// dvc.lock entry): every entry a real run writes re-derives to its own key, and changing any one ingredient
// changes both what the lock records and the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheKeyOf, ingredientsOf, lockEntries, lockEntryOf, readLockFile, type TaskIngredients } from "../../engine/lockfile.js";
import { BASIC_FILES, BASIC_PIPELINE, makeProject, runCli } from "../support/engine-project.js";

async function runProject(dir: string) {
  const r = await runCli(dir, ["run", "--jobs", "2"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return readLockFile(join(dir, "cofail.lock"));
}

test("every lock entry of a real run re-derives to its own cache key", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const lock = await runProject(dir);
  const entries = lockEntries(lock);
  assert.equal(entries.length, 5);
  for (const { stage, partition, entry } of entries) {
    assert.equal(cacheKeyOf(ingredientsOf(entry)), entry.key, `${stage}${partition ? `[${partition}]` : ""}`);
  }
});

test("changing any one ingredient changes the key", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const lock = await runProject(dir);
  const base = ingredientsOf(lockEntryOf(lock, "total", undefined)!);
  const key = cacheKeyOf(base);
  const firstCode = Object.keys(base.code)[0]!;
  const firstInput = Object.keys(base.inputs)[0]!;
  const variants: Record<string, TaskIngredients> = {
    type: { ...base, type: "other" },
    partition: { ...base, partition: "p" },
    seed: { ...base, seed: base.seed + 1 },
    code: { ...base, code: { ...base.code, [firstCode]: "0".repeat(64) } },
    packages: { ...base, packages: { ...base.packages, "left-pad": "1.3.0" } },
    params: { ...base, params: { ...base.params, scale: 3 } },
    inputs: { ...base, inputs: { ...base.inputs, [firstInput]: base.inputs[firstInput]!.map((i) => ({ ...i, sha256: "f".repeat(64) })) } },
  };
  for (const [field, changed] of Object.entries(variants)) assert.notEqual(cacheKeyOf(changed), key, field);
  // Which run produced an input is not recorded at all (the lock would depend on build history), and a stray
  // field in an input record cannot change the key either: only ref, name, sha256 and url are hashed.
  assert.ok(Object.values(base.inputs).flat().every((i) => !("upstreamKey" in i)));
  const withPointer = { ...base, inputs: { ...base.inputs, [firstInput]: base.inputs[firstInput]!.map((i) => ({ ...i, upstreamKey: "x" })) } };
  assert.equal(cacheKeyOf(withPointer), key);
});

test("a param edited in pipeline.yaml changes the lock entry and its key together", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const before = lockEntryOf(await runProject(dir), "total", undefined)!;
  await writeFile(join(dir, "pipeline.yaml"), BASIC_PIPELINE.replace("scale: 2", "scale: 5"));
  const after = lockEntryOf(await runProject(dir), "total", undefined)!;
  assert.deepEqual(before.params, { scale: 2 });
  assert.deepEqual(after.params, { scale: 5 });
  assert.notEqual(after.key, before.key);
  assert.equal(after.key, cacheKeyOf(ingredientsOf(after)));
  // Everything else in the entry is unchanged: the lock diff explains the key change by itself.
  const { params: _p, key: _k, outputs: _o, ...restAfter } = after;
  const { params: _q, key: _l, outputs: _r, ...restBefore } = before;
  assert.deepEqual(restAfter, restBefore);
});
