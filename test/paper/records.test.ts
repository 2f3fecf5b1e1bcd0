// The paper reads results and provenance defensively: the engine's file formats, the record shapes named in
// the design brief (stage field, array inputs with files), partition maps, and fields it does not know.
import { test } from "node:test";
import assert from "node:assert/strict";
import { flattenProvenance, flattenResults, provenanceFromFiles, resultsFromFiles } from "../../paper/render/records.js";
import { indexProvenance, lineage } from "../../paper/render/lineage.js";

test("engine lock entries: stage and partition from the file name, one input entry per raw file", () => {
  const records = provenanceFromFiles([
    { name: "ingest-gsm/zeroeval/provenance.json", json: { type: "ingest", key: "k1", seed: 1, code: { "stages/ingest.ts": "h" }, params: {},
      inputs: { files: [{ ref: "dataset:gsm", name: "zeroeval-gsm/raw/a.json", sha256: "s1", url: "https://x/a.json" }] },
      outputs: { table: { file: "table.json", sha256: "t1", bytes: 3 } }, warnings: [] } },
    { name: "beta-gsm/provenance.json", json: { type: "cofailure", key: "k2", seed: 2, code: {}, params: { pool: "gsm" },
      inputs: { table: [{ ref: "ingest-gsm.table", name: "ingest-gsm/zeroeval/table.json", sha256: "t1", upstreamKey: "k1" }] },
      outputs: {}, warnings: [] } },
  ]);
  assert.deepEqual(records.map((r) => [r.stage, r.partition, r.key]), [["ingest-gsm", "zeroeval", "k1"], ["beta-gsm", undefined, "k2"]]);
  assert.deepEqual(records[0]!.code, [{ file: "stages/ingest.ts", sha256: "h" }]);
  assert.deepEqual(records[0]!.outputs, [{ name: "table", file: "table.json", sha256: "t1" }]);
  assert.deepEqual(records[1]!.inputs[0], { name: "table", ref: "ingest-gsm.table", hash: "t1", upstreamStage: "ingest-gsm", upstreamKey: "k1", files: [] });
  const chain = lineage(records[1]!, indexProvenance(records));
  assert.deepEqual(chain.stages.map((r) => r.stage), ["beta-gsm", "ingest-gsm"]);
  assert.deepEqual(chain.rawFiles, [{ name: "zeroeval-gsm/raw/a.json", url: "https://x/a.json", sha256: "s1" }]);
  const results = resultsFromFiles([{ name: "beta-gsm/results.json", json: [{ id: "gsm.beta", value: 0.01 }] }], records);
  assert.deepEqual(results, [{ id: "gsm.beta", value: 0.01, stage: "beta-gsm", key: "k2" }]);
});

test("the brief's record shape: stage field, array inputs with files, partition maps, extra fields", () => {
  const records = flattenProvenance([
    [{ stage: "a", type: "t", key: "ka", params: { x: 1 }, seed: 3, extra: [1, 2],
      inputs: [{ ref: "dataset:d", hash: "hd", files: [{ name: "d/1.csv", url: "https://u/1.csv", sha256: "f1" }] }],
      outputs: [{ file: "o.json", sha256: "o1" }] }],
    { p1: { stage: "b", type: "t", key: "kb1", inputs: [{ ref: "a.out", hash: "o1", upstream: { key: "ka" } }] },
      p2: { stage: "b", type: "t", key: "kb2", inputs: [] } },
    { not: "a record" },
  ]);
  assert.deepEqual(records.map((r) => `${r.stage}:${r.key}`), ["a:ka", "b:kb1", "b:kb2"]);
  const chain = lineage(records[1]!, indexProvenance(records));
  assert.deepEqual(chain.stages.map((r) => r.key), ["kb1", "ka"]);
  assert.deepEqual(chain.rawFiles.map((f) => f.url), ["https://u/1.csv"]);
});

test("a missing upstream record is reported, not silently dropped", () => {
  const [r] = flattenProvenance([{ stage: "b", type: "t", key: "kb", inputs: [{ ref: "gone.out", upstreamKey: "kx" }] }]);
  assert.deepEqual(lineage(r!, indexProvenance([r!])).missing, ["gone.out"]);
});

test("results nested as arrays of arrays and partition maps are flattened", () => {
  const results = flattenResults([[{ id: "a.b", value: 1, stage: "s", key: "k" }], { p: [{ id: "a.c", value: 2, stage: "s", key: "k" }] }, []]);
  assert.deepEqual(results.map((r) => r.id), ["a.b", "a.c"]);
});
