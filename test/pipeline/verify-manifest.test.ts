// `explain --verify` on a manifest dataset: the downloaded copy is re-hashed against the manifest's sha256
// (the stat caches of the hasher and of the downloads dir are bypassed, so a same-size edit is caught).
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { makeManifestProject, runCli } from "../support/engine-project.js";

test("explain --verify re-hashes downloaded dataset files against the manifest and workspace copies against the lock", async () => {
  const dir = await makeManifestProject();
  try {
    assert.equal((await runCli(dir, ["run"])).code, 0);
    const ok = await runCli(dir, ["explain", "total.sum", "--verify"]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /ok {3}raw demo\/raw\/alpha\.jsonl \(manifest sha256 [0-9a-f]{12}…, https:\/\/example\.org/);
    assert.match(ok.stdout, /verify: all \d+ files re-hashed match their records/);

    await writeFile(join(dir, "data/downloads/demo/raw/alpha.jsonl"), "1\n2\n4\n");
    await writeFile(join(dir, "build/total/total.json"), "{}\n");
    const bad = await runCli(dir, ["explain", "total.sum", "--verify"]);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /MISMATCH downloaded raw file demo\/raw\/alpha\.jsonl: sha256 [0-9a-f]{12}…, manifest pins/);
    assert.match(bad.stdout, /MISMATCH workspace copy build\/total\/total\.json: sha256/);
    assert.match(bad.stdout, /verify: 2 mismatch\(es\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
