import { test } from "node:test";
import assert from "node:assert/strict";
import { independentAllWrongRate, sampledErrorPhi, selfAllWrongProbability, selfAllWrongRate, selfErrorCorrelation } from "../../stats/self-ensemble.js";
import { matchedModelSets } from "../../stats/matched-sets.js";
import { allSubsets } from "../../stats/subsets.js";
import { packErrors } from "../../stats/verdict-bits.js";
import { phiMatrix } from "../../stats/cofailure.js";
import { rngStream } from "../../stats/rng.js";
import stage, { selfMoaAnalysis } from "../../stages/self-moa.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import { runStage } from "../support/stage-context.js";
import { hasData, loadAime, pool } from "../../ingest/mirror-pools.js";

// Brute force: samples 0..c-1 pass; enumerate every k-subset of the n samples.
function bruteSelfAllWrong(c: number, n: number, k: number): number {
  const subsets = allSubsets(n, k);
  return subsets.filter((s) => s.every((j) => j >= c)).length / subsets.length;
}

test("C(n-c,k)/C(n,k) equals enumeration over all k-subsets of the n samples", () => {
  for (const n of [1, 2, 4, 7, 10]) {
    for (let c = 0; c <= n; c++) {
      for (let k = 0; k <= n; k++) {
        assert.ok(Math.abs(selfAllWrongProbability({ passCount: c, nSamples: n, k }) - bruteSelfAllWrong(c, n, k)) < 1e-12, `n=${n} c=${c} k=${k}`);
      }
    }
  }
  assert.equal(selfAllWrongProbability({ passCount: 3, nSamples: 10, k: 8 }), 0); // fewer wrong samples than k
  assert.throws(() => selfAllWrongProbability({ passCount: 1, nSamples: 4, k: 5 }));
  assert.throws(() => selfAllWrongProbability({ passCount: 5, nSamples: 4, k: 1 }));
});

test("self error correlation equals the phi of two distinct samples, by enumeration", () => {
  const passCount = [0, 1, 3, 4, 2, 4, 0], nSamples = [4, 4, 4, 4, 4, 4, 4];
  // Enumerate ordered pairs of distinct samples on each query; sample j passes iff j < c.
  let e = 0, both = 0, pairs = 0;
  passCount.forEach((c, i) => {
    for (let a = 0; a < nSamples[i]; a++) for (let b = 0; b < nSamples[i]; b++) {
      if (a === b) continue;
      const ea = a >= c ? 1 : 0, eb = b >= c ? 1 : 0;
      e += ea; both += ea * eb; pairs++;
    }
  });
  // Every query has the same number of pairs, so the pooled rates are the per-query means.
  e /= pairs; both /= pairs;
  const phi = (both - e * e) / (e * (1 - e));
  assert.ok(Math.abs(selfErrorCorrelation({ passCount, nSamples }) - phi) < 1e-12);
  assert.ok(Math.abs(selfAllWrongRate({ passCount, nSamples, k: 2 }) - both) < 1e-12);
});

test("single-sample error phi reduces to the stats phi matrix on 0/1 data", () => {
  const correct = [[1, 0, 0, 1, 1, 0, 1, 0], [1, 1, 0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 0, 1, 1]];
  const phi = phiMatrix(packErrors(correct));
  for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) assert.ok(Math.abs(sampledErrorPhi(correct[a], correct[b]) - phi[a * 3 + b]) < 1e-12);
  assert.equal(independentAllWrongRate(correct), 1 / 8); // only item 5 is wrong for all three
});

test("matched sets: uniform k-subsets within tolerance, distinct, seeded", () => {
  const accuracies = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
  const sets = matchedModelSets({ accuracies, target: 0.4, k: 3, tolerance: 0.05, maxSets: 100, maxDraws: 5000, rng: rngStream(7, 1), exclude: [3] });
  assert.ok(sets.length > 0);
  for (const s of sets) {
    assert.equal(s.length, 3);
    assert.ok(!s.includes(3));
    assert.ok(Math.abs(s.reduce((a, m) => a + accuracies[m], 0) / 3 - 0.4) <= 0.05 + 1e-12);
  }
  assert.equal(new Set(sets.map((s) => s.join())).size, sets.length);
  // Every matching 3-subset without model 3 is found given enough draws (population: brute force).
  const population = allSubsets(7, 3).filter((s) => !s.includes(3) && Math.abs(s.reduce((a, m) => a + accuracies[m], 0) / 3 - 0.4) <= 0.05 + 1e-12);
  assert.equal(sets.length, population.length);
  const again = matchedModelSets({ accuracies, target: 0.4, k: 3, tolerance: 0.05, maxSets: 100, maxDraws: 5000, rng: rngStream(7, 1), exclude: [3] });
  assert.deepEqual(again, sets);
});

function countsFixture(): PoolMatrix {
  // 6 models x 12 queries with 4 samples each; pass counts chosen to spread accuracies.
  const passCount = [
    [4, 4, 3, 0, 2, 4, 1, 0, 4, 3, 0, 2],
    [4, 3, 4, 1, 0, 4, 0, 1, 3, 4, 1, 1],
    [3, 4, 2, 0, 1, 3, 2, 0, 4, 2, 0, 3],
    [0, 4, 4, 2, 3, 0, 4, 1, 0, 4, 2, 0],
    [4, 0, 1, 4, 0, 2, 3, 4, 1, 0, 4, 1],
    [1, 2, 0, 3, 4, 1, 0, 2, 3, 1, 0, 4],
  ];
  const nSamples = passCount.map((r) => r.map(() => 4));
  const models = passCount.map((_, m) => `m${m}`);
  return {
    pool: "fixture", samplePolicy: "majority", items: passCount[0].map((_, i) => `q${String(i).padStart(2, "0")}`), models,
    providers: models.map(() => "p"), correct: passCount.map((r) => r.map((c) => (c >= 2 ? 1 : 0))), passCount, nSamples, notes: [],
  };
}

test("self-moa analysis: curves start together at k = 1, self curve exact, seeded and reproducible", async () => {
  const m = countsFixture();
  const params = stage.params.parse({ tolerance: 0.1, min_sets: 1, publish_k: [2, 4] });
  const a = selfMoaAnalysis(m, params, 11);
  assert.equal(a.kMax, 4);
  assert.equal(a.curve[0].self, a.curve[0].hetero);
  for (const row of a.models) {
    for (let k = 1; k <= 4; k++) {
      const idx = m.models.indexOf(row.model);
      const exact = m.passCount![idx].reduce((s, c) => s + bruteSelfAllWrong(c, 4, k), 0) / 12;
      assert.ok(Math.abs(row.selfBeta[k - 1] - exact) < 1e-12);
    }
  }
  for (let k = 2; k <= 4; k++) assert.ok(a.curve[k - 1].self <= a.curve[k - 2].self + 1e-12, "self curve non-increasing");
  assert.deepEqual(selfMoaAnalysis(m, params, 11), a);
  const run = await runStage(stage, { params: { tolerance: 0.1, min_sets: 1, publish_k: [2, 4] }, inputs: { matrix: m }, seed: 11 });
  assert.equal(run.published.get("fixture.selfmoa.beta.k4")!.value, a.curve[3].self);
  assert.equal(run.published.get("fixture.hetero.beta.k2")!.value, a.curve[1].hetero);
  assert.ok(run.published.has("fixture.selfmoa.rho") && run.published.has("fixture.hetero.rho"));
  assert.ok((run.outputs.svg as string).includes("ensemble size k"));
});

test("AIME 2025 I (real data): self-MoA leaves more all-wrong queries than matched heterogeneous sets", { skip: !hasData }, async () => {
  const m = pool([await loadAime()], "aime");
  assert.equal(m.models.length, 16);
  const a = selfMoaAnalysis(m, stage.params.parse({ tolerance: 0.05, min_sets: 3, publish_k: [4] }), 20260625);
  assert.equal(a.kMax, 4);
  assert.ok(a.eligible.length >= 5, `eligible ${a.eligible.length}`);
  assert.ok(a.curve[3].hetero < a.curve[3].self, `hetero ${a.curve[3].hetero} vs self ${a.curve[3].self}`);
  assert.ok(a.selfRho > a.curve[3].heteroRho!);
});
