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
