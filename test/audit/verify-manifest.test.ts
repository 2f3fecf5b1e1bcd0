// `explain --verify` on a manifest dataset: the downloaded copy is re-hashed against the manifest's sha256
// (the stat caches of the hasher and of the downloads dir are bypassed, so a same-size edit is caught).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { makeProject, runCli } from "../engine/helpers.js";

const FILES: Record<string, string> = { "demo/raw/alpha.jsonl": "1\n2\n3\n", "demo/raw/beta.jsonl": "4\n" };
const manifest = {
  version: 1,
  files: Object.entries(FILES).map(([path, text]) => ({
    path, mirror: path, gzip: false, url: `https://example.org/demo/0123abcd/${path}`,
    sha256: createHash("sha256").update(text).digest("hex"), bytes: Buffer.byteLength(text),
    license: "CC0", dataset: "demo", source_repo: "https://example.org/demo", commit: "0123abcd",
  })),
};
const PIPELINE = `version: 1
seed: 3
data:
  manifest: data/manifest.json
  mirror: mirror
  downloads: data/downloads
datasets:
  demo:
    files: ["demo/raw/*.jsonl"]
stages:
  count:
    type: count
    inputs: { files: dataset:demo }
    foreach: files
  total:
    type: total
    inputs: { counts: count.counts }
`;

test("explain --verify re-hashes downloaded dataset files against the manifest and workspace copies against the lock", async () => {
  const files: Record<string, string> = { "data/manifest.json": JSON.stringify(manifest) };
  for (const [p, t] of Object.entries(FILES)) files[`mirror/${p}`] = t;
  const dir = await makeProject({ pipeline: PIPELINE, files });
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
