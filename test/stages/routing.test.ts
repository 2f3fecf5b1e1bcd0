import { test } from "node:test";
import assert from "node:assert/strict";
import { cellRouterCvAccuracy, kFoldAssignment, signalRouterAccuracy, signalStrengthFor } from "../../stats/routing.js";
import { featureValue } from "../../core/item-features.js";
import { rngStream } from "../../stats/rng.js";
import stage, { routingAnalysis } from "../../stages/routing.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import { runStage } from "../support/stage-context.js";

/**
 * 3 models x 12 items; items 0-5 are "easy" (model a right on all, b on 0-2), items 6-11 "hard" (b right on
 * 6-10, a on none); c right on 0 and 6, and its wrong answers differ from everyone else's. Item 11: all wrong.
 */
function fixture(): PoolMatrix {
  const a = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
  const b = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0];
  const c = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
  const items = a.map((_, i) => `q${String(i).padStart(2, "0")}`);
  const right = (ok: number, i: number) => (ok ? "R" : `W${i}`);
  return {
    pool: "fx", samplePolicy: "first", items, models: ["b", "a", "c"], providers: ["p", "q", "r"],
    correct: [b, a, c] as (0 | 1)[][],
    itemMeta: items.map((_, i) => ({ difficulty: i < 6 ? "easy" : "hard", date: i % 2 ? "2024-02-10" : "2024-11-30" })),
    answers: [b, a, c].map((row, m) => row.map((ok, i) => (m === 2 && !ok ? `V${i}` : right(ok, i)))),
    notes: [],
  };
}

test("signal curve: q = 0 is the fallback, q = 1 the oracle; q* inverts it", () => {
  assert.equal(signalRouterAccuracy({ q: 0, fallback: 0.45, oracle: 0.64 }), 0.45);
  assert.equal(signalRouterAccuracy({ q: 1, fallback: 0.45, oracle: 0.64 }), 0.64);
  const q = signalStrengthFor({ target: 0.5, fallback: 0.45, oracle: 0.64 });
  assert.ok(Math.abs(signalRouterAccuracy({ q, fallback: 0.45, oracle: 0.64 }) - 0.5) < 1e-12);
  assert.equal(signalStrengthFor({ target: 0.4, fallback: 0.45, oracle: 0.64 }), 0);
  assert.ok(Number.isNaN(signalStrengthFor({ target: 0.7, fallback: 0.45, oracle: 0.64 })));
});

test("routing stage on a fixture: curve endpoints, oracle, vote, and a feature router that finds the signal", async () => {
  const m = fixture();
  const run = await runStage(stage, { params: { routers: { difficulty: ["difficulty"] }, folds: 3, repeats: 4, min_cell: 1 }, inputs: { matrix: m } });
  const r = run.outputs.summary as ReturnType<typeof routingAnalysis>;
  assert.equal(r.bestSingle, 8 / 12); // b
  assert.equal(r.oracle, 11 / 12);
  assert.equal(r.curve[0].accuracy, r.bestSingle);
  assert.equal(r.curve.at(-1)!.accuracy, r.oracle);
  assert.equal(r.curve[0].randomFallback, r.meanModel);
  // Difficulty separates a (easy) from b (hard): routing on it is right on 6 + 5 = 11 items, the oracle.
  assert.ok(Math.abs(run.published.get("fx.router.cv.accuracy")!.value - 11 / 12) < 1e-12);
  assert.equal(run.published.get("fx.router.q.cv")!.value, 1);
  // Vote (tied answers go to the most accurate model's, rows in pool order b, a, c): items 0-2, 6-10 right via
  // b; 3-5: a (R), b (W), c (V) tie -> b's wrong answer; 11 all wrong -> 8 / 12.
  assert.equal(r.vote, 8 / 12);
  assert.equal(run.published.get("fx.router.qstar")!.value, 0); // the vote is below the best single model
  assert.ok(run.published.get("fx.router.qstar.random")!.value > 0);
});

test("CV folds: same seed same folds, balanced sizes; another seed differs", () => {
  const f1 = kFoldAssignment({ n: 103, folds: 5, rng: rngStream(42, 3) });
  const f2 = kFoldAssignment({ n: 103, folds: 5, rng: rngStream(42, 3) });
  const f3 = kFoldAssignment({ n: 103, folds: 5, rng: rngStream(42, 4) });
  assert.deepEqual(f1, f2);
  assert.notDeepEqual(f1, f3);
  const sizes = [0, 1, 2, 3, 4].map((k) => f1.filter((x) => x === k).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  const m = fixture();
  const p = stage.params.parse({ routers: { date: ["date:quarter"] }, repeats: 3, folds: 4 });
  assert.deepEqual(routingAnalysis(m, p, 9), routingAnalysis(m, p, 9));
});

test("cell router without features is the training-fold best model; small cells fall back", () => {
  const correct: (0 | 1)[][] = [[1, 1, 0, 0], [0, 0, 1, 1]];
  const fold = [0, 1, 0, 1];
  // Fold 0 trains on items 1, 3 (one right each: tie -> model 0) and tests 0, 2: right on 0 only.
  // Fold 1 trains on 0, 2 (tie -> model 0), tests 1, 3: right on 1 only.
  assert.equal(cellRouterCvAccuracy({ correct, cells: [[], [], [], []], fold, folds: 2, minCellSize: 1 }), 0.5);
  const cells = [["x"], ["x"], ["y"], ["y"]];
  assert.equal(cellRouterCvAccuracy({ correct, cells, fold, folds: 2, minCellSize: 1 }), 1);
  assert.equal(cellRouterCvAccuracy({ correct, cells, fold, folds: 2, minCellSize: 2 }), 0.5);
});

test("feature values: date buckets and GPQA domains", () => {
  assert.equal(featureValue({ date: "2024-11-30" }, "date:quarter"), "2024-Q4");
  assert.equal(featureValue({ date: "2024-06-30" }, "date:half"), "2024-H1");
  assert.equal(featureValue({ subject: "Organic Chemistry" }, "subject:gpqa-domain"), "chemistry");
  assert.equal(featureValue({}, "difficulty"), "(missing)");
  assert.throws(() => featureValue({ date: "yesterday" }, "date:year"));
});
