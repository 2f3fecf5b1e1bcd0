import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeContext } from "../support/stage-context.js";
import type { CanonicalRow, CanonicalTable } from "../../core/canonical-table.js";
import grade from "../../stages/grade.js";
import { mergeTables } from "../../core/canonical-table.js";
import source from "../../ingest/graders/source.js";

const row = (item: string, model: string, response: string, gold: string, source_verdict: 0 | 1): CanonicalRow => ({
  task: "t", item_id: item, model, sample: 0, provider: "p", response, gold, source_verdict, meta: { source_answer: "zz" },
});
const table = (rows: CanonicalRow[], files = ["f.json"]): CanonicalTable => ({ task: "t", source: { adapter: "zeroeval", files }, rows, warnings: [] });

const ctxFor = (params: unknown, inputs: Record<string, unknown>) => fakeContext({ id: "grade-t", params: params as never, inputs }).ctx;

test("grade stage with the math grader sets answer and correct; codeFiles names the grader", async () => {
  const params = grade.params.parse({ grader: "math" });
  assert.deepEqual(grade.codeFiles!(params), ["ingest/graders/math.ts"]);
  const input = table([row("t-0", "a", '{"answer": "6\\\\sqrt{2}"}', "6", 1), row("t-0", "b", '{"answer": "6"}', "6", 1)]);
  const { table: out } = (await grade.run(ctxFor(params, { table: input }))) as { table: CanonicalTable };
  assert.deepEqual(out.rows.map((r) => [r.answer, r.correct]), [["6\\sqrt{2}", 0], ["6", 1]]);
  assert.equal(out.rows[0]!.source_verdict, 1, "the source verdict is kept beside ours");
});

test("grade stage with the source grader copies source_verdict (and the source's answer)", async () => {
  const { table: out } = (await grade.run(ctxFor(grade.params.parse({ grader: "source" }), { table: table([row("t-0", "a", "r", "6", 0)]) }))) as { table: CanonicalTable };
  assert.equal(out.rows[0]!.correct, 0);
  assert.equal(out.rows[0]!.answer, "zz");
  assert.throws(() => source([{ ...row("t-0", "a", "r", "6", 1), source_verdict: undefined }], { options: {}, warn() {} }),
    /source grader: row for item "t-0", model "a" has no source_verdict/);
});

test("grade: unknown grader rejected by the params schema with the valid names", () => {
  const r = grade.params.safeParse({ grader: "maths" });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0]!.message, /"math"/);
});

test("mergeTables: partitions of one task are concatenated in key order; overlaps and mixed tasks are errors", () => {
  const a = table([row("t-0", "a", "r", "1", 1)], ["a.json"]);
  const b = table([row("t-0", "b", "r", "1", 0)], ["b.json"]);
  const merged = mergeTables({ "b.json": b, "a.json": a });
  assert.deepEqual(merged.rows.map((r) => r.model), ["a", "b"]);
  assert.deepEqual(merged.source.files, ["a.json", "b.json"]);
  assert.throws(() => mergeTables([a, a]), /comes from two input tables/);
  assert.throws(() => mergeTables([a, { ...b, task: "u" }]), /different tasks \(t, u\)/);
});
