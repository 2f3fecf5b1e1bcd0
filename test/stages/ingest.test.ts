import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { InputFile } from "../../engine/types.js";
import { fakeContext } from "../support/stage-context.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import ingest from "../../stages/ingest.js";
import { ingestTable, missingItemsWarning } from "../../ingest/ingest-table.js";
import { parseModelRegistry } from "../../core/model-registry.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fx = join(root, "test/fixtures/data");
const file = (name: string): InputFile => ({ name: `tiny/${name}`, path: join(fx, "zeroeval", name), sha256: "0".repeat(64) });
const modelsFile: InputFile = { name: "models.yaml", path: join(fx, "models.yaml"), sha256: "0".repeat(64) };

const fakeCtx = (params: unknown, inputs: Record<string, unknown>) => fakeContext({ id: "ingest-tiny", params: params as never, inputs });

test("ingest stage: zeroeval fixtures -> canonical table; codeFiles names only the chosen adapter", async () => {
  const params = ingest.params.parse({ adapter: "zeroeval", task: "tiny" });
  assert.deepEqual(params.options, {});
  assert.deepEqual(ingest.codeFiles!(params), ["ingest/adapters/zeroeval.ts"]);
  const { ctx, warnings } = fakeCtx(params, { files: [file("ModelA.json"), file("Meta-Llama-3.1-8B-Instruct.json")], models: [modelsFile] });
  const { table } = (await ingest.run(ctx)) as { table: { task: string; rows: CanonicalRow[]; warnings: string[]; source: unknown } };
  assert.equal(table.task, "tiny");
  assert.deepEqual(table.source, { adapter: "zeroeval", files: ["tiny/ModelA.json", "tiny/Meta-Llama-3.1-8B-Instruct.json"] });
  assert.equal(table.rows.length, 7);
  // tiny-3 exists for Model A only: allowed, reported once with counts, in the table and via ctx.warn.
  assert.deepEqual(table.warnings, ["1 of 2 models miss items present for other models (4 items in all): Llama-3.1-8B-Instruct lacks 1"]);
  assert.deepEqual(warnings, table.warnings);
});

test("ingest stage: unknown models are kept with provider unknown and a warning", async () => {
  const { ctx, warnings } = fakeCtx(ingest.params.parse({ adapter: "zeroeval", task: "tiny" }), { files: [file("ModelA.json")] });
  const { table } = (await ingest.run(ctx)) as { table: { rows: CanonicalRow[] } };
  assert.equal(table.rows[0]!.provider, "unknown");
  assert.match(warnings[0]!, /model "ModelA" is not in the model registry/);
});

test("ingest stage: unknown adapter is rejected by the params schema, naming the key and the valid ones", () => {
  const r = ingest.params.safeParse({ adapter: "zeroevl", task: "t" });
  assert.equal(r.success, false);
  const issue = r.error!.issues[0]!;
  assert.deepEqual(issue.path, ["adapter"]);
  assert.match(issue.message, /"zeroeval"/);
  assert.match(issue.message, /"livecodebench-submissions"/);
});

test("ingest: duplicate (item, model, sample) -> error naming the file and the duplicate", async () => {
  const { ctx } = fakeCtx(ingest.params.parse({ adapter: "zeroeval", task: "tiny" }), { files: [file("ModelA.json"), file("Dup.json")], models: [modelsFile] });
  await assert.rejects(ingest.run(ctx), /duplicate row for item "tiny-0", model "Dup", sample 0 \(in tiny\/Dup\.json \(2 times\)\)/);
});

test("ingest: the same model in two files -> duplicate names both files", async () => {
  const { ctx } = fakeCtx(ingest.params.parse({ adapter: "zeroeval", task: "tiny" }), {
    files: [file("ModelA.json"), { ...file("ModelA.json"), name: "copy/ModelA.json" }], models: [modelsFile],
  });
  await assert.rejects(ingest.run(ctx), /duplicate row for item "tiny-0", model "Model A", sample 0 \(in tiny\/ModelA\.json, copy\/ModelA\.json\)/);
});

test("ingest: no files, an empty file, truncated JSON -> clear errors", async () => {
  const p = ingest.params.parse({ adapter: "zeroeval", task: "tiny" });
  await assert.rejects(ingest.run(fakeCtx(p, { files: [] }).ctx), /ingest \(zeroeval, task tiny\): no input files/);
  await assert.rejects(ingest.run(fakeCtx(p, { files: [file("Empty.json")] }).ctx), /tiny\/Empty\.json: empty file \(0 bytes\)/);
  await assert.rejects(ingest.run(fakeCtx(p, { files: [file("Truncated.json")] }).ctx), /tiny\/Truncated\.json: invalid JSON at line 3/);
});

const registry = parseModelRegistry(readFileSync(join(fx, "models.yaml"), "utf8"), "models.yaml");
const base = { adapterName: "fake", task: "t", files: [file("ModelA.json")], options: {}, models: registry, warn: () => {} };
const good: CanonicalRow = { task: "t", item_id: "t-0", model: "m", sample: 0, provider: "p", source_verdict: 1 };

test("ingestTable: a verdict that is not 0/1 is an error naming the row and the value", async () => {
  await assert.rejects(ingestTable({ ...base, adapter: async () => [good, { ...good, item_id: "t-1", source_verdict: 2 as 1 }] }),
    /ingest \(fake\): row 1 \(item "t-1", model "m"\): source_verdict: .*\(got 2\)/);
});

test("ingestTable: an adapter yielding nothing, or rows of another task, is an error", async () => {
  await assert.rejects(ingestTable({ ...base, adapter: async () => [] }), /the adapter produced no rows from tiny\/ModelA\.json/);
  await assert.rejects(ingestTable({ ...base, adapter: async () => [{ ...good, task: "other" }] }), /row 0 has task "other", expected "t"/);
});

test("missingItemsWarning: counts per model; none when coverage is complete", () => {
  const rows = ["a", "b", "c"].flatMap((item) => ["m1", "m2"].map((model) => ({ ...good, item_id: item, model })));
  assert.equal(missingItemsWarning(rows), undefined);
  const partial = rows.filter((r) => !(r.model === "m2" && r.item_id !== "a"));
  assert.equal(missingItemsWarning(partial), "1 of 2 models miss items present for other models (3 items in all): m2 lacks 2");
});

test("ingest stage: an option the adapter does not declare is an error naming it and the declared ones; values are typed", async () => {
  const bad = fakeCtx(ingest.params.parse({ adapter: "zeroeval", task: "tiny", options: { metric: "acc" } }), { files: [file("ModelA.json")] });
  await assert.rejects(ingest.run(bad.ctx), /adapter "zeroeval" has no option "metric"; it takes no options/);
  const lcb = fakeCtx(ingest.params.parse({ adapter: "livecodebench", task: "lcb", options: { blok: "all" } }), { files: [file("ModelA.json")] });
  await assert.rejects(ingest.run(lcb.ctx), /adapter "livecodebench" has no option "blok" \(did you mean "block"\?\); its options: block, snapshots/);
  const typed = fakeCtx(ingest.params.parse({ adapter: "livecodebench", task: "lcb", options: { block: "most" } }), { files: [file("ModelA.json")] });
  await assert.rejects(ingest.run(typed.ctx), /option "block" expects one of all, common-400; got "most"/);
});
