// The vote-triplets and router-learned stages on small fixtures where the answer is known.
import { test } from "node:test";
import assert from "node:assert/strict";
import voteStage, { binTriplets, voteTripletsAnalysis } from "../../stages/vote-triplets.js";
import { learnedRouterAnalysis } from "../../stages/router-learned.js";
import { readItemTexts } from "../../ingest/item-text.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import { rngStream } from "../../stats/rng.js";
import { runStage } from "../support/stage-context.js";

function pool(M: number, N: number, seed: number): PoolMatrix {
  const rng = rngStream(seed, 0);
  const correct = Array.from({ length: M }, (_, m) => Array.from({ length: N }, () => (rng.nextFloat() < 0.85 - 0.05 * m ? 1 : 0))) as (0 | 1)[][];
  const answers = correct.map((row) => row.map((c, i) => (c ? `r${i}` : `w${rng.nextInt(3)}`)));
  return { pool: "fx", samplePolicy: "first", items: Array.from({ length: N }, (_, i) => `fx-${i}`), models: correct.map((_, m) => `m${m}`), providers: correct.map(() => "p"), correct, answers, notes: [] };
}

test("vote-triplets: every triplet once, publishes jackknife intervals, bins count every triplet", async () => {
  const m = pool(6, 80, 3);
  const r = voteTripletsAnalysis(m);
  assert.equal(r.triplets, 20);
  assert.equal(binTriplets(r.triplets_, 10).reduce((s, b) => s + b.count, 0), 20 - r.undefinedRho);
  const run = await runStage(voteStage, { params: {}, inputs: { matrices: [m] } });
  const gain = run.published.get("fx.vote3.gain.mean")!;
  assert.ok(gain.ci && gain.ci.lower < gain.value && gain.value < gain.ci.upper);
  assert.equal(run.published.get("fx.vote3.n.triplets")!.value, 20);
  assert.ok(run.published.get("fx.vote3.se.ratio")!.value > 0);
  assert.match(String(run.outputs.svg), /<svg/);
  // A pool whose answers and verdicts come from different draws is refused.
  assert.throws(() => voteTripletsAnalysis({ ...m, samplePolicy: "majority", passCount: m.correct }), /mix draws/);
});

test("router-learned: when the text tells which model is right, the per-model predictors capture most of the oracle gain", () => {
  // Items mention "alpha" (model a right, b wrong) or "beta" (b right, a wrong); a is right a bit more often.
  const N = 200;
  const kind = Array.from({ length: N }, (_, i) => (i % 9 < 5 ? "alpha" : "beta"));
  const a = kind.map((k) => (k === "alpha" ? 1 : 0)) as (0 | 1)[];
  const b = kind.map((k) => (k === "beta" ? 1 : 0)) as (0 | 1)[];
  const c = kind.map((_, i) => (i % 3 === 0 ? 1 : 0)) as (0 | 1)[];
  const items = kind.map((_, i) => `fx-${i}`);
  const m: PoolMatrix = { pool: "fx", samplePolicy: "first", items, models: ["a", "b", "c"], providers: ["p", "q", "r"], correct: [a, b, c], notes: [] };
  const texts = new Map(items.map((id, i) => [id, `problem ${i % 7} about ${kind[i]} and numbers ${i}`]));
  const r = learnedRouterAnalysis(m, texts, { text_format: "zeroeval", folds: 5, repeats: 1, C: 1, min_df: 2, max_features: 200, max_iterations: 200, bootstrap: 200, level: 0.95 }, 7);
  assert.ok(r.accuracy.best < 0.6, `best ${r.accuracy.best}`);
  assert.ok(r.accuracy.oracle === 1);
  assert.ok(r.share.predictor > 0.9, `predictor share ${r.share.predictor}`);
  assert.ok(r.share.logistic > 0.9, `logistic share ${r.share.logistic}`);
  assert.ok(r.shareCi.predictor[0] <= r.share.predictor && r.share.predictor <= r.shareCi.predictor[1]);
  // Text without signal: no router beats chance by much, and missing text is an error.
  const noise = new Map(items.map((id, i) => [id, `problem ${i % 5} words ${i % 11}`]));
  const z = learnedRouterAnalysis(m, noise, { text_format: "zeroeval", folds: 5, repeats: 1, C: 1, min_df: 2, max_features: 200, max_iterations: 200, bootstrap: 200, level: 0.95 }, 7);
  assert.ok(z.share.predictor < 0.5, `noise share ${z.share.predictor}`);
  assert.throws(() => learnedRouterAnalysis(m, new Map(), { text_format: "zeroeval", folds: 5, repeats: 1, C: 1, min_df: 2, max_features: 200, max_iterations: 200, bootstrap: 200, level: 0.95 }, 7), /without text/);
});

test("item text: GPQA is refused", () => {
  assert.throws(() => readItemTexts([], "zeroeval", "gpqa-fr"), /refusing to read GPQA text/);
});

test("self-moa: a self model stays in at every k where some heterogeneous set matches it, and the gap is paired", async () => {
  const { selfMoaAnalysis } = await import("../../stages/self-moa.js");
  // Models 0..4 with 4 samples per item; model 0 is far better than any set of the others can match at k >= 3.
  const N = 40;
  const rates = [0.95, 0.6, 0.55, 0.5, 0.45];
  const rng = rngStream(11, 0);
  const passCount = rates.map((p) => Array.from({ length: N }, () => [0, 1, 2, 3].filter(() => rng.nextFloat() < p).length));
  const m: PoolMatrix = {
    pool: "fx", samplePolicy: "majority", items: Array.from({ length: N }, (_, i) => `fx-${i}`), models: rates.map((_, k) => `m${k}`), providers: rates.map(() => "p"),
    correct: passCount.map((row) => row.map((c) => (c >= 2 ? 1 : 0))) as (0 | 1)[][], passCount, nSamples: passCount.map((row) => row.map(() => 4)), notes: [],
  };
  const r = selfMoaAnalysis(m, { tolerance: 0.08, sets_per_model: 50, max_draws: 5000, min_sets: 1, publish_k: [2] }, 5);
  const last = r.lastMatchedK;
  assert.ok(last.m0! < r.kMax, `the strongest model drops out before k_max: ${JSON.stringify(last)}`);
  for (const c of r.curve) {
    assert.equal(c.nModels, c.models.length);
    assert.equal(c.models.includes("m0"), c.k <= last.m0!, `k=${c.k}`);
    // Paired: the gap is the mean of per-model differences over the same models.
    const rows = r.models.filter((x) => c.models.includes(x.model));
    const gap = rows.reduce((s, x) => s + x.selfBeta[c.k - 1]! - x.heteroBeta[c.k - 1]!, 0) / rows.length;
    assert.ok(Math.abs(c.gap - gap) < 1e-12);
  }
  assert.ok(r.notes.some((n) => /no matched heterogeneous set for: m0/.test(n)), r.notes.join("\n"));
});

test("format-subject dependence: beta, independence product, ratio and phi in closed form", async () => {
  const { dependenceOf } = await import("../../stages/format-subject.js");
  // Errors a = [1,1,0,0], b = [1,0,1,0]: independent by construction.
  const d = dependenceOf([[0, 0, 1, 1], [0, 1, 0, 1]], [0, 1, 2, 3]);
  assert.deepEqual(d, { beta: 0.25, indep: 0.25, excess: 1, phi: 0 });
  // Identical errors: beta = e, product = e^2, ratio 1/e, phi 1; weights act as repeated items.
  const s = dependenceOf([[0, 1, 1, 1], [0, 1, 1, 1]], [0, 1, 2, 3], [2, 1, 1, 0]);
  assert.ok(Math.abs(s.beta - 0.5) < 1e-12 && Math.abs(s.indep - 0.25) < 1e-12 && Math.abs(s.excess - 2) < 1e-12 && Math.abs(s.phi - 1) < 1e-12, JSON.stringify(s));
});

test("headroom figure: log-error axis, best single and ceiling with its interval in their role colours", async () => {
  const { headroomSpec } = await import("../../stages/fig-headroom.js");
  const { ROLE_COLOURS } = await import("../../figures/theme.js");
  const rows = [
    { pool: "a", beta: 0.005, ceiling: 0.995, cp95: { lower: 0.002, upper: 0.01 }, best: { model: "x", accuracy: 0.97 } },
    { pool: "b", beta: 0.13, ceiling: 0.87, cp95: { lower: 0.02, upper: 0.4 }, best: { model: "y", accuracy: 0.87 } },
  ];
  const spec = headroomSpec(rows, [{ pool: "a", accuracy: 0.5 }, { pool: "b", accuracy: 0.3 }], (p) => p) as unknown as {
    data: { values: { kind: string; pool: string; err: number; lo?: number; hi?: number }[] }; layer: { encoding: { x: { scale?: { type: string } }; color?: { scale: { range: string[] } } } }[];
  };
  const ceil = spec.data.values.filter((v) => v.kind === "ceiling");
  assert.deepEqual(ceil.map((v) => [v.err, v.lo, v.hi]), [[0.005, 0.002, 0.01], [0.13, 0.02, 0.4]]);
  const best = spec.data.values.filter((v) => v.kind === "best").map((v) => v.err);
  assert.ok(Math.abs(best[0]! - 0.03) < 1e-12 && Math.abs(best[1]! - 0.13) < 1e-12, "pool b: best and ceiling coincide and are both drawn");
  assert.equal(spec.layer[1]!.encoding.x.scale!.type, "log");
  assert.deepEqual(spec.layer[1]!.encoding.color!.scale.range, [ROLE_COLOURS.model, ROLE_COLOURS.bestSingle, ROLE_COLOURS.oracle]);
});
