// tier: slow
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { compileKernel, generatedModuleOf, kernelByName } from "../../scripts/build-wasm.js";

test("the committed WebAssembly orthant kernel is what stats/wasm/orthant-kernel.as.ts compiles to (else: make wasm)", async () => {
  const kernel = kernelByName("orthant-kernel");
  const committed = await readFile(new URL("../../stats/wasm/orthant-kernel.wasm.ts", import.meta.url), "utf8");
  assert.equal(committed, generatedModuleOf(kernel, await compileKernel(kernel)), "stats/wasm/orthant-kernel.wasm.ts is stale: run `make wasm`");
});
