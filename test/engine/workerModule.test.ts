import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runnableModuleUrl } from "../../engine/workerModule.js";
import { bootstrapParallel, bootstrapSequential } from "../../stats/bootstrap.js";
import { rngStream } from "../../stats/rng.js";
import { meanAndBeta } from "../stats/bootstrapStatistic.js";

test("a .ts module becomes one content-addressed plain-JS bundle, built once per process; other URLs pass through", async () => {
  const url = new URL("../stats/bootstrapStatistic.ts", import.meta.url).href;
  const bundled = await runnableModuleUrl(url);
  assert.match(bundled, /node_modules\/\.cache\/cofail\/worker-modules\/[0-9a-f]{24}\.mjs$/);
  assert.equal(await runnableModuleUrl(url), bundled);
  assert.match(await readFile(fileURLToPath(bundled), "utf8"), /function meanAndBeta/);
  const js = "file:///somewhere/else.js";
  assert.equal(await runnableModuleUrl(js), js);
});

test("workers on bundled modules give the sequential values bit for bit; a module that does not compile names its file", async () => {
  const N = 200;
  const r0 = rngStream(8, 0);
  const data = {
    x: Float64Array.from({ length: N }, () => r0.nextFloat()),
    e1: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.3 ? 1 : 0)),
    e2: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.5 ? 1 : 0)),
  };
  const opts = { seed: 3, replicates: 40, nItems: N, data,
    statistic: { moduleUrl: new URL("../stats/bootstrapStatistic.ts", import.meta.url).href, exportName: "meanAndBeta" } };
  const seq = bootstrapSequential(meanAndBeta, data, opts);
  assert.deepEqual(await bootstrapParallel({ ...opts, threads: 2, prepareModule: runnableModuleUrl }), seq);

  const dir = await mkdtemp(join(tmpdir(), "cofail-worker-module-"));
  try {
    const broken = join(dir, "broken.ts");
    await writeFile(broken, "export function f( {\n");
    await assert.rejects(runnableModuleUrl(pathToFileURL(broken).href), (e: Error) => e.message.includes(broken));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
