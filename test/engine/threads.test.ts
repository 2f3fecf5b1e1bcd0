import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleCacheForTests, runnableModuleUrl } from "../../engine/threads/runnable-module.js";
import { createThreadPool } from "../../engine/threads/thread-pool.js";
import { bootstrapSequential, splitReplicates } from "../../stats/bootstrap.js";
import { rngStream } from "../../stats/rng.js";
import { meanAndBeta } from "../stats/bootstrap-statistic.js";

test("a .ts module becomes one content-addressed plain-JS bundle, built once per process; other URLs pass through", async () => {
  const url = new URL("../stats/bootstrap-statistic.ts", import.meta.url).href;
  const bundled = await runnableModuleUrl(url);
  assert.match(bundled, /node_modules\/\.cache\/cofail\/worker-modules\/[0-9a-f]{24}\.mjs$/);
  assert.equal(await runnableModuleUrl(url), bundled);
  assert.match(await readFile(fileURLToPath(bundled), "utf8"), /function meanAndBeta/);
  const js = "file:///somewhere/else.js";
  assert.equal(await runnableModuleUrl(js), js);
});

test("pool threads on bundled modules give the sequential values bit for bit for any thread count; a module that does not compile names its file", async () => {
  const N = 200;
  const r0 = rngStream(8, 0);
  const data = {
    x: Float64Array.from({ length: N }, () => r0.nextFloat()),
    e1: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.3 ? 1 : 0)),
    e2: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.5 ? 1 : 0)),
  };
  const seq = bootstrapSequential(meanAndBeta, data, { seed: 3, replicates: 40, nItems: N });
  const module = new URL("../stats/bootstrap-statistic.ts", import.meta.url).href;
  for (const threads of [1, 2, 3]) {
    const pool = createThreadPool({ threads });
    try {
      const blocks = splitReplicates(0, 40, threads).map((b) => ({ ...b, seed: 3, nItems: N, data }));
      const values = (await pool.map<unknown, number[][]>({ module, export: "meanAndBetaBlock" }, blocks)).flat();
      assert.deepEqual(values, seq, `threads=${threads}`);
    } finally {
      await pool.close();
    }
  }

  const dir = await mkdtemp(join(tmpdir(), "cofail-worker-module-"));
  try {
    const broken = join(dir, "broken.ts");
    await writeFile(broken, "export function f( {\n");
    await assert.rejects(runnableModuleUrl(pathToFileURL(broken).href), (e: Error) => e.message.includes(broken));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("thread pool: events reach the caller while a call runs; errors and missing exports reject; import.meta.url survives bundling", async () => {
  const pool = createThreadPool({ threads: 2 });
  const module = new URL("../stats/bootstrap-statistic.ts", import.meta.url).href;
  try {
    const events: unknown[] = [];
    assert.equal(await pool.call<number>({ module, export: "countWithEvents", args: [4], onEvent: (e) => events.push(e) }), 10);
    assert.deepEqual(events, [{ step: 1 }, { step: 2 }, { step: 3 }, { step: 4 }]);
    await assert.rejects(pool.call({ module, export: "fail", args: ["boom"] }), /boom/);
    await assert.rejects(pool.call({ module, export: "nope", args: [] }), /has no function export "nope"/);
    // more calls than threads queue up and all complete
    const many = await Promise.all(Array.from({ length: 7 }, (_, i) => pool.call<number>({ module, export: "countWithEvents", args: [i] })));
    assert.deepEqual(many, [0, 1, 3, 6, 10, 15, 21]);
    const here = await pool.call<string>({ module: new URL("../support/module-location.ts", import.meta.url).href, export: "whereAmI", args: [] });
    assert.equal(here, new URL("../support/module-location.ts", import.meta.url).href);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.call({ module, export: "countWithEvents", args: [1] }), /closed/);
});

test("thread pool: a burst of calls on a fresh pool starts no more threads than it has", async () => {
  const pool = createThreadPool({ threads: 2 });
  try {
    const ids = await pool.map<number, number>({ module: new URL("../support/module-location.ts", import.meta.url).href, export: "threadIdentity" }, Array(8).fill(20));
    assert.equal(new Set(ids).size, 2, `thread ids ${ids}`);
  } finally {
    await pool.close();
  }
});

test("a bundle is reused by a later process only while every input is unchanged and its own bytes match its name", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-bundle-reuse-"));
  try {
    const main = join(dir, "main.ts"), dep = join(dir, "dep.ts");
    await writeFile(main, "import { value } from \"./dep.ts\";\nexport const answer = (): number => value * 2;\n");
    await writeFile(dep, "export const value = 20;\n");
    const url = pathToFileURL(main).href;
    const first = await runnableModuleUrl(url);
    assert.match(await readFile(fileURLToPath(first), "utf8"), /20/);
    // A new process (the memo forgotten): the same bundle, no esbuild run.
    bundleCacheForTests.forget();
    const builds = bundleCacheForTests.builds();
    assert.equal(await runnableModuleUrl(url), first);
    assert.equal(bundleCacheForTests.builds(), builds, "reused without a build");
    // An imported file changes: rebuilt, with the new content.
    await writeFile(dep, "export const value = 21;\n");
    bundleCacheForTests.forget();
    const second = await runnableModuleUrl(url);
    assert.notEqual(second, first);
    assert.equal(bundleCacheForTests.builds(), builds + 1);
    assert.match(await readFile(fileURLToPath(second), "utf8"), /21/);
    // The cached bundle is damaged on disk: not run, rebuilt to its content-addressed bytes.
    await writeFile(fileURLToPath(second), "export const answer = () => 0;\n");
    bundleCacheForTests.forget();
    assert.equal(await runnableModuleUrl(url), second);
    assert.equal(bundleCacheForTests.builds(), builds + 2);
    assert.match(await readFile(fileURLToPath(second), "utf8"), /21/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
