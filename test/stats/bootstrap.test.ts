import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapBlock, bootstrapSequential, bcaInterval, percentileInterval, resampleCounts, splitReplicates } from "../../stats/bootstrap.js";
import { quantiles } from "../../stats/quantile.js";
import { rngStream } from "../../stats/rng.js";
import { meanAndBeta } from "./bootstrap-statistic.js";

const N = 300;
const r0 = rngStream(5, 0);
const data = {
  x: Float64Array.from({ length: N }, () => -Math.log(1 - r0.nextFloat())), // Exp(1): skewed
  e1: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.3 ? 1 : 0)),
  e2: Uint8Array.from({ length: N }, () => (r0.nextFloat() < 0.4 ? 1 : 0)),
};

test("counts sum to N and are reproducible per (seed, replicate)", () => {
  const c = resampleCounts(42, 7, N);
  assert.equal(c.reduce((s, v) => s + v, 0), N);
  assert.deepEqual(resampleCounts(42, 7, N), c);
  assert.notDeepEqual(resampleCounts(42, 8, N), c);
});

test("raising B reuses the first replicates exactly; firstReplicate continues the sequence", () => {
  const b100 = bootstrapSequential(meanAndBeta, data, { seed: 9, replicates: 100, nItems: N });
  const b250 = bootstrapSequential(meanAndBeta, data, { seed: 9, replicates: 250, nItems: N });
  assert.deepEqual(b250.slice(0, 100), b100);
  const tail = bootstrapSequential(meanAndBeta, data, { seed: 9, replicates: 150, nItems: N, firstReplicate: 100 });
  assert.deepEqual(b250.slice(100), tail);
});

test("any split of the replicates into blocks gives the sequential values bit for bit", () => {
  const seq = bootstrapSequential(meanAndBeta, data, { seed: 20260625, replicates: 61, nItems: N });
  for (const parts of [1, 2, 3, 7, 61, 100]) {
    const blocks = splitReplicates(0, 61, parts);
    assert.equal(blocks.reduce((s, b) => s + b.count, 0), 61);
    assert.ok(blocks.length <= Math.min(parts, 61) && blocks.every((b) => b.count > 0));
    const values = blocks.flatMap((b) => bootstrapBlock(meanAndBeta, { ...b, seed: 20260625, nItems: N, data }));
    assert.deepEqual(values, seq, `parts=${parts}`);
  }
  assert.deepEqual(splitReplicates(10, 5, 2), [{ first: 10, count: 2 }, { first: 12, count: 3 }]);
});

test("bootstrap distribution of the mean: centred on the sample mean with SE ~ sd/sqrt(N)", () => {
  const mean = data.x.reduce((s, v) => s + v, 0) / N;
  const sd = Math.sqrt(data.x.reduce((s, v) => s + (v - mean) ** 2, 0) / N);
  const reps = bootstrapSequential(meanAndBeta, data, { seed: 1, replicates: 2000, nItems: N }).map((v) => v[0]);
  const m = reps.reduce((s, v) => s + v, 0) / reps.length;
  const se = Math.sqrt(reps.reduce((s, v) => s + (v - m) ** 2, 0) / (reps.length - 1));
  assert.ok(Math.abs(m - mean) < 4 * (sd / Math.sqrt(N)) / Math.sqrt(2000));
  assert.ok(Math.abs(se / (sd / Math.sqrt(N)) - 1) < 0.08);
});

test("percentile interval = type-7 quantiles (R's quantile default)", () => {
  // R: quantile(c(1,2,3,4,10), c(0.05, 0.95)) = 1.2, 8.8
  assert.deepEqual(percentileInterval([10, 3, 1, 4, 2], 0.9).map((v) => +v.toFixed(12)), [1.2, 8.8]);
  assert.deepEqual(quantiles([1, 2, 3, 4], [0, 0.5, 1]), [1, 2.5, 4]);
  assert.throws(() => percentileInterval([1, NaN], 0.9), RangeError);
});

test("BCa: with z0 = 0 and a = 0 it is the percentile interval; skewed data shift it right", () => {
  const vals = Array.from({ length: 1000 }, (_, i) => i + 1);
  const jackSym = [1, 2, 3, 4, 5]; // symmetric: a = 0
  const p = percentileInterval(vals, 0.9), b = bcaInterval(vals, 500.5, jackSym, 0.9);
  assert.ok(Math.abs(p[0] - b[0]) < 1e-9 && Math.abs(p[1] - b[1]) < 1e-9);
  // Mean of Exp(1) data: right-skewed, BCa moves both ends up relative to percentile.
  const reps = bootstrapSequential(meanAndBeta, data, { seed: 2, replicates: 2000, nItems: N }).map((v) => v[0]);
  const theta = data.x.reduce((s, v) => s + v, 0) / N;
  const jack = Array.from(data.x, (xi) => (theta * N - xi) / (N - 1));
  const bca = bcaInterval(reps, theta, jack, 0.9), pct = percentileInterval(reps, 0.9);
  assert.ok(bca[0] > pct[0] && bca[1] > pct[1], `${bca} vs ${pct}`);
  assert.throws(() => bcaInterval([1, 2, 3], 0, [1, 2], 0.9), RangeError);
});
