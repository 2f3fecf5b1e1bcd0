// tier: slow
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { compileEigenKernel, generatedModule } from "../../scripts/build-wasm.js";

test("the committed WebAssembly eigen kernel is what stats/wasm/eigen-kernel.as.ts compiles to (else: make wasm)", async () => {
  const committed = await readFile(new URL("../../stats/wasm/eigen-kernel.wasm.ts", import.meta.url), "utf8");
  assert.equal(committed, generatedModule(await compileEigenKernel()), "stats/wasm/eigen-kernel.wasm.ts is stale: run `make wasm`");
});
