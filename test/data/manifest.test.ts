import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildManifest, rawGitHubUrl } from "../../data/make-manifest.js";
import { loadManifest, matchManifest, parseManifest } from "../../engine/manifest.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mirror = join(root, "../shared/data");

test("committed data/manifest.json is valid and equals a fresh build from the mirror", async () => {
  const manifest = await loadManifest(join(root, "data/manifest.json"));
  assert.ok(manifest.files.length > 100);
  if (!existsSync(mirror)) return;
  const fresh = buildManifest(mirror);
  assert.deepEqual(JSON.parse(JSON.stringify(fresh)), JSON.parse(readFileSync(join(root, "data/manifest.json"), "utf8")));
});

test("manifest covers all nine datasets, pins URLs to commits, hashes uncompressed content", async () => {
  const manifest = await loadManifest(join(root, "data/manifest.json"));
  const datasets = new Set(manifest.files.map((f) => f.dataset));
  assert.deepEqual([...datasets].sort(), [
    "answer-matching", "co-failure-ceiling-audit", "gpqa-mc-rotations", "gpqa-mc-simple-evals-ru", "gsm8k-errata",
    "livecodebench-codegen", "matharena-aime2025i-web", "zeroeval-gsm", "zeroeval-math-l5",
  ]);
  // Published audit files are pinned per file to their own commit; files compiled for the mirror have no URL.
  const errata = manifest.files.find((f) => f.path === "co-failure-ceiling-audit/raw/audit/benchmark_errata.md")!;
  assert.equal(errata.url, "https://raw.githubusercontent.com/josefchen/co-failure-ceiling/af1b3fbefdcf4e5af8ab98d4c6e48840b21e4450/audit/benchmark_errata.md");
  const compiled = manifest.files.filter((f) => f.url === null).map((f) => f.path);
  assert.deepEqual(compiled, ["co-failure-ceiling-audit/derived/gpqaopen_to_gpqa_record_id.csv", "gsm8k-errata/errata.csv"]);
  for (const f of manifest.files) assert.ok(f.url !== null || /README\.md/.test(f.note ?? ""), `${f.path}: a file without URL says how it was made`);
  const athene = manifest.files.find((f) => f.path === "zeroeval-math-l5/raw/result_dirs/math-l5/Athene-70B.json")!;
  assert.equal(athene.mirror, "zeroeval-math-l5/raw/result_dirs/math-l5/Athene-70B.json.gz");
  assert.equal(athene.gzip, true);
  assert.equal(athene.url, "https://raw.githubusercontent.com/WildEval/ZeroEval/8c1485edf12c6efb5f69135a562927c5ad484059/result_dirs/math-l5/Athene-70B.json");
  assert.equal(athene.sha256, "22bccb834b1693398c962a9b55fdcf40c1fb286cf4496dc9724151d9c6257cbf");
  assert.equal(athene.bytes, 1843833);
  assert.equal(athene.license, "Apache-2.0");
  assert.ok(manifest.files.some((f) => f.path === "zeroeval-gsm/raw/result_dirs/gsm.summary.json"));
  const o1 = manifest.files.find((f) => f.path.includes("O1-Mini-2024-09-12 (N=1)"))!;
  assert.match(o1.url!, /\/LiveCodeBench\/submissions\/4d04b02a01c81b0a7207bafdcda35efad9e39b8c\/O1-Mini-2024-09-12%20%28N%3D1%29\/Scenario/);
  const paths = manifest.files.map((f) => f.path);
  assert.deepEqual(paths, [...paths].sort());
});

test("rawGitHubUrl encodes spaces, parentheses and @", () => {
  assert.equal(rawGitHubUrl("o/r", "abc", "a b/(x)@y.json"), "https://raw.githubusercontent.com/o/r/abc/a%20b/%28x%29%40y.json");
});

test("parseManifest: clear errors", () => {
  assert.throws(() => parseManifest("{", "m.json"), /m\.json: not valid JSON/);
  assert.throws(() => parseManifest(JSON.stringify({ version: 2, files: [] }), "m.json"), /m\.json: at version/);
  const bad = { version: 1, files: [{ path: "d/x.json", mirror: "d/x.json", gzip: false, url: "https://e/x", sha256: "nothex", bytes: 1, license: "MIT", dataset: "d", source_repo: "r", commit: "c" }] };
  assert.throws(() => parseManifest(JSON.stringify(bad), "m.json"), /m\.json: at files\.0\.sha256 \(d\/x\.json\): expected 64/);
  const dup = { version: 1, files: [{ ...bad.files[0], sha256: "a".repeat(64) }, { ...bad.files[0], sha256: "a".repeat(64) }] };
  assert.throws(() => parseManifest(JSON.stringify(dup), "m.json"), /"d\/x\.json" is listed twice/);
});

test("loadManifest: a missing file names the path", async () => {
  await assert.rejects(loadManifest("/nonexistent/manifest.json"), /data manifest \/nonexistent\/manifest\.json cannot be read: ENOENT/);
});

test("matchManifest: globs select sorted entries; a glob matching nothing is an error", async () => {
  const manifest = await loadManifest(join(root, "data/manifest.json"));
  const math = matchManifest(manifest, ["zeroeval-math-l5/raw/result_dirs/math-l5/*.json"]);
  assert.equal(math.length, 43);
  const withSummary = matchManifest(manifest, ["zeroeval-math-l5/raw/result_dirs/math-l5/*.json", "zeroeval-math-l5/raw/result_dirs/*.summary.json"]);
  assert.equal(withSummary.length, 44);
  assert.throws(() => matchManifest(manifest, ["zeroeval-math-l5/raw/nope/*.json"]), /no file in the data manifest matches "zeroeval-math-l5\/raw\/nope\/\*\.json"; files of zeroeval-math-l5 look like/);
});
