import { test } from "node:test";
import assert from "node:assert/strict";
import poolStage from "../../stages/pool.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import { reduceCell, normaliseAnswer } from "../../core/sample-policy.js";
import type { CanonicalRow, CanonicalTable } from "../../core/canonical-table.js";
import { fakeContext } from "../support/stage-context.js";
import { tableFrom } from "../support/tables.js";

const items = ["q1", "q2", "q3", "q4"];
const t = tableFrom("t", items, {
  "model-b": { provider: "P1", verdicts: "1100" },
  "model-a": { provider: "P2", verdicts: "0110" }, // ties with model-b at 0.5: name breaks the tie
  "model-c": { provider: "P1", verdicts: "1110" },
  "model-d": { provider: "unknown", verdicts: "10-0" }, // lacks q3
});
const params = (p: Record<string, unknown>) => poolStage.params.parse({ name: "fx", ...p });

test("pool: models by accuracy desc, ties by name; items common; providers", async () => {
  const { ctx, published, warnings } = fakeContext({ params: params({}), inputs: { tables: t } });
  const { matrix } = (await poolStage.run(ctx)) as { matrix: ReturnType<typeof buildPoolMatrix> };
  assert.deepEqual(matrix.items, ["q1", "q2", "q4"]);
  // accuracies on q1,q2,q4: c 2/3, b 2/3, a 1/3, d 1/3
  assert.deepEqual(matrix.models, ["model-b", "model-c", "model-a", "model-d"]);
  assert.deepEqual(matrix.correct[0], [1, 1, 0]);
  assert.deepEqual(matrix.providers, ["P1", "P1", "P2", "unknown"]);
  assert.equal(published.get("fx.n.items")!.value, 3);
  assert.equal(published.get("fx.n.models")!.value, 4);
  assert.equal(published.get("fx.n.providers")!.value, 2); // "unknown" is not a provider
  assert.ok(warnings.some((w) => w.includes("unknown provider")));
});

test("pool: accepts a list and a partition record of tables", () => {
  const split = (names: string[]) => ({ ...t, rows: t.rows.filter((r) => names.includes(r.model)) });
  const a = buildPoolMatrix([split(["model-a", "model-b"]), split(["model-c", "model-d"])], params({}));
  const { ctx } = fakeContext({ params: params({}), inputs: { tables: { p1: split(["model-a", "model-b"]), p2: split(["model-c", "model-d"]) } } });
  return poolStage.run(ctx).then((out) => assert.deepEqual((out as { matrix: unknown }).matrix, a));
});

test("pool: include/exclude/top filters and items=all", () => {
  const m1 = buildPoolMatrix([t], params({ models: { exclude: ["model-d"] }, items: "all" }));
  assert.deepEqual(m1.items, items);
  assert.deepEqual(m1.models, ["model-c", "model-a", "model-b"]); // c 3/4, a 2/4, b 2/4
  const m2 = buildPoolMatrix([t], params({ models: { include: ["model-*"], top: 2 } }));
  // ranked on common items (b and c tie at 2/3 -> b first by name); top-2 then shares all 4 items
  assert.deepEqual(m2.models, ["model-c", "model-b"]);
  assert.equal(m2.items.length, 4);
});

test("pool: clear errors", () => {
  assert.throws(() => buildPoolMatrix([t], params({ items: "all" })), /items=all but "model-d" lacks 1 of 4 items/);
  assert.throws(() => buildPoolMatrix([t], params({ models: { include: ["nope"] } })), /"nope" matches no model/);
  assert.throws(() => buildPoolMatrix([t], params({ models: { exclude: ["*"] } })), /no models left/);
  assert.throws(() => buildPoolMatrix([t], params({ min_models: 5 })), /4 model\(s\) selected, min_models is 5/);
  assert.throws(() => buildPoolMatrix([t, t], params({})), /duplicate row/);
  const ungraded: CanonicalTable = { ...t, rows: t.rows.map((r) => ({ ...r, correct: undefined })) };
  assert.throws(() => buildPoolMatrix([ungraded], params({})), /no verdict .* grade the table first/);
  assert.throws(() => poolStage.params.parse({ name: "Bad Name" }));
});

const row = (sample: number, correct: 0 | 1 | null, extra: Partial<CanonicalRow> = {}): CanonicalRow =>
  ({ task: "t", item_id: "q", model: "m", sample, provider: "p", correct, ...extra });

test("sample policies: first, majority (ties right), any, expected; counts", () => {
  const rows = [row(2, 1), row(1, 0), row(0, null), row(3, 1)]; // sample 0 has no verdict
  assert.equal(reduceCell(rows, "first", "x").correct, 0); // first sample with a verdict is sample 1
  assert.equal(reduceCell(rows, "majority", "x").correct, 1); // 2 of 3
  assert.equal(reduceCell([row(0, 1), row(1, 0), row(2, 0)], "majority", "x").correct, 0);
  assert.equal(reduceCell([row(0, 1), row(1, 0)], "majority", "x").correct, 1); // tie counts as right
  assert.equal(reduceCell([row(0, 0), row(1, 0), row(2, 1)], "any", "x").correct, 1);
  const e = reduceCell([row(0, 1), row(1, 0), row(2, 0)], "expected", "x");
  assert.equal(e.passRate, 1 / 3);
  assert.equal(e.correct, 0);
  const count = row(0, null, { correct: undefined, pass_count: 3, n_samples: 10 });
  assert.deepEqual(reduceCell([count], "expected", "x"), { correct: 0, passes: 3, draws: 10, passRate: 0.3 });
  assert.equal(reduceCell([count], "any", "x").correct, 1);
  assert.equal(reduceCell([count], "first", "x").correct, 0); // no graded verdict: majority of the counts
  assert.equal(reduceCell([row(0, null)], "first", "x").correct, null);
  // source_verdict is used when the row was not re-graded
  assert.equal(reduceCell([row(0, null, { correct: undefined, source_verdict: 1 })], "first", "x").correct, 1);
});

test("pool: expected policy gives passRate, passCount, nSamples; order by expected accuracy", () => {
  const rows: CanonicalRow[] = [];
  const add = (model: string, item: string, verdicts: (0 | 1)[]) =>
    verdicts.forEach((v, s) => rows.push({ task: "t", item_id: item, model, sample: s, provider: "p", correct: v }));
  add("x", "a", [1, 1, 0, 0]); add("x", "b", [0, 0, 0, 0]);
  add("y", "a", [1, 1, 1, 0]); add("y", "b", [0, 0, 0, 0]);
  const tbl: CanonicalTable = { task: "t", source: { adapter: "f", files: [] }, rows, warnings: [] };
  const m = buildPoolMatrix([tbl], params({ sample_policy: "expected" }));
  assert.deepEqual(m.models, ["y", "x"]);
  assert.deepEqual(m.passRate, [[0.75, 0], [0.5, 0]]);
  assert.deepEqual(m.passCount, [[3, 0], [2, 0]]);
  assert.deepEqual(m.nSamples, [[4, 4], [4, 4]]);
  assert.deepEqual(m.correct, [[1, 0], [1, 0]]);
  const first = buildPoolMatrix([tbl], params({ sample_policy: "first" }));
  assert.equal(first.passRate, undefined);
  assert.deepEqual(first.models, ["x", "y"]); // both right on a's sample 0: tie by name
});

test("pool: answers normalised, metadata kept, multi-task prefixes", () => {
  const a = tableFrom("t1", ["1", "2"], { m: { provider: "p", verdicts: "10", answers: ["$1,000$", " \\boxed{2.50} "] } });
  a.rows[0].meta = { subject: "algebra" };
  const b = tableFrom("t2", ["1"], { m: { provider: "p", verdicts: "1" } });
  const m = buildPoolMatrix([a, b], params({}));
  assert.deepEqual(m.items, ["t1/1", "t1/2", "t2/1"]);
  assert.deepEqual(m.answers, [["1000", "2.5", null]]);
  assert.deepEqual(m.itemMeta, [{ subject: "algebra" }, {}, {}]);
  assert.equal(normaliseAnswer("  Paris. "), "paris");
  assert.equal(normaliseAnswer(""), null);
});
