import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { compileEigenKernel, generatedModule } from "../../stats/wasm/build.js";

test("the committed WebAssembly eigen kernel is what stats/wasm/eigenKernel.as.ts compiles to (else: make wasm)", async () => {
  const committed = await readFile(new URL("../../stats/wasm/eigenKernel.wasm.ts", import.meta.url), "utf8");
  assert.equal(committed, generatedModule(await compileEigenKernel()), "stats/wasm/eigenKernel.wasm.ts is stale: run `make wasm`");
});
