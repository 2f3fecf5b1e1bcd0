// Code ingredients: transitive local imports only (one esbuild pass), codeFiles entries, package versions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeIngredients } from "../../engine/code-hash.js";
import { createFileHasher } from "../../engine/file-hasher.js";
import { findCycle, topoOrder, upstreamClosure, downstreamOf } from "../../engine/dag.js";
import { seedFor, partitionMap } from "../../engine/plan.js";
import { REPO, readJson } from "../support/engine-project.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

test("a stage's code = its module + transitive local imports + codeFiles; unrelated files never count", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-code-"));
  await mkdir(join(dir, "lib"));
  await copyFile(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  const files: Record<string, string> = {
    "a.ts": `import { z } from "zod";\nimport { h } from "./lib/helper.js";\nimport { readFile } from "node:fs/promises";\nexport default { z, h, readFile };\n`,
    "lib/helper.ts": `import { deep } from "./deep.js";\nimport type { T } from "./types.js";\nexport const h = deep + 1;\n`,
    "lib/deep.ts": `export const deep = 1;\n`,
    "lib/types.ts": `export type T = number;\n`,
    "b.ts": `export default 2;\n`,
    "adapter.ts": `import pLimit from "p-limit";\nexport default pLimit;\n`,
    "unrelated.ts": `export const u = 3;\n`,
  };
  for (const [p, t] of Object.entries(files)) await writeFile(join(dir, p), t);
  const hasher = await createFileHasher({ cacheFile: join(dir, ".cofail", "stat.json") });
  const groups = new Map([["a", ["a.ts"]], ["b", ["b.ts", "adapter.ts"]]]);
  const code = await codeIngredients({ projectDir: dir, groups, hasher });
  const lock = await readJson<{ packages: Record<string, { version: string }> }>(join(REPO, "package-lock.json"));
  assert.deepEqual(code.get("a"), {
    files: { "a.ts": sha(files["a.ts"]!), "lib/deep.ts": sha(files["lib/deep.ts"]!), "lib/helper.ts": sha(files["lib/helper.ts"]!) },
    packages: { zod: lock.packages["node_modules/zod"]!.version },
  });
  assert.deepEqual(Object.keys(code.get("b")!.files), ["adapter.ts", "b.ts"]);
  assert.deepEqual(code.get("b")!.packages, { "p-limit": lock.packages["node_modules/p-limit"]!.version });
});

test("DAG: deterministic topological order, cycles as closed paths, closures", () => {
  const deps = new Map([["d", new Set(["b", "c"])], ["c", new Set(["a"])], ["b", new Set(["a"])], ["a", new Set<string>()], ["e", new Set<string>()]]);
  assert.deepEqual(topoOrder(deps), ["a", "b", "c", "d", "e"]);
  assert.equal(findCycle(deps), undefined);
  assert.deepEqual([...upstreamClosure(deps, ["c"])].sort(), ["a", "c"]);
  assert.deepEqual([...downstreamOf(deps, new Set(["b"]))], ["d"]);
  const cyclic = new Map([["x", new Set(["y"])], ["y", new Set(["z"])], ["z", new Set(["x"])]]);
  assert.deepEqual(findCycle(cyclic), ["x", "y", "z", "x"]);
  assert.throws(() => topoOrder(cyclic), /dependency cycle: x -> y -> z -> x/);
});

test("seeds depend on global seed, stage and partition only; partition keys are unique file stems", () => {
  assert.equal(seedFor(1, "s"), seedFor(1, "s"));
  assert.notEqual(seedFor(1, "s"), seedFor(2, "s"));
  assert.notEqual(seedFor(1, "s", "p"), seedFor(1, "s"));
  assert.ok(Number.isInteger(seedFor(1, "s")) && seedFor(1, "s") >= 0 && seedFor(1, "s") < 2 ** 31);
  const f = (name: string) => ({ name, sha256: "0" });
  assert.deepEqual([...partitionMap([f("x/a.json"), f("x/b.json")]).keys()], ["a", "b"]);
  assert.deepEqual([...partitionMap([f("x/a.json"), f("y/a.json")]).keys()], ["x__a", "y__a"]);
});
