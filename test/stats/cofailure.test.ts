import { test } from "node:test";
import assert from "node:assert/strict";
import { packErrors, packWeights, popcount32, unpackErrors, bitsetCount, itemTotal } from "../../stats/verdict-bits.js";
import {
  accuracy, allWrongCount, allWrongRate, allWrongRatePrefixes, ceiling, headroom, meanPairwiseRho,
  modelErrorCounts, pairBothWrongCounts, phiCoefficient, phiMatrix, bothWrongCount,
} from "../../stats/cofailure.js";
import { seededNormal, seededUniform } from "./core-fixtures.js";

/** Correlated 0/1 verdicts (1 = correct) from a one-factor probit, seeded. */
function simulate(M: number, N: number, seed: number): number[][] {
  const z = seededNormal(seed);
  const u = seededUniform(seed + 1);
  const load = Array.from({ length: M }, () => 0.2 + 0.6 * u());
  const tau = Array.from({ length: M }, () => -1.2 + 1.6 * u());
  const F = Array.from({ length: N }, () => z());
  return load.map((l, m) => F.map((f) => (l * f + Math.sqrt(1 - l * l) * z() >= tau[m]! ? 1 : 0)));
}

test("popcount32 agrees with a naive bit count", () => {
  const u = seededUniform(3);
  for (let i = 0; i < 2000; i++) {
    const x = Math.floor(u() * 2 ** 32);
    let naive = 0;
    for (let b = 0; b < 32; b++) naive += (x >>> b) & 1;
    assert.equal(popcount32(x), naive);
  }
  assert.equal(popcount32(0xffffffff), 32);
  assert.equal(popcount32(0), 0);
});

test("packErrors round-trips, stores ERROR bits, zero-pads the tail and rejects non-binary verdicts", () => {
  const rows = simulate(5, 77, 11);
  const bits = packErrors(rows);
  assert.equal(bits.words, 3);
  for (let m = 0; m < 5; m++) {
    const e = unpackErrors(bits, m);
    for (let i = 0; i < 77; i++) assert.equal(e[i], 1 - rows[m]![i]!);
    assert.equal(bits.errors[m]![2]! >>> 13, 0, "bits past N are zero");
  }
  assert.throws(() => packErrors([[1, 0, 2]]), RangeError);
  assert.throws(() => packErrors([[1, 0, NaN]]), RangeError);
  assert.throws(() => packErrors([[1, 0], [1]]), RangeError);
  assert.deepEqual(packErrors([Uint8Array.of(1, 0, 0)]).errors[0], Uint32Array.of(0b110));
});

test("counts, beta, phi match naive per-item computations, unweighted and weighted (= replicated items)", () => {
  const M = 9;
  const N = 1003;
  const rows = simulate(M, N, 21);
  const u = seededUniform(99);
  const w = Array.from({ length: N }, () => Math.floor(-Math.log(1 - u()) * 1.3)); // 0..~10, like bootstrap counts
  const expanded = rows.map((r) => r.flatMap((v, i) => Array(w[i]!).fill(v) as number[]));
  const bits = packErrors(rows);
  const weights = packWeights(w);
  const bitsExpanded = packErrors(expanded);
  assert.equal(itemTotal(bits, weights), expanded[0]!.length);

  for (const [opts, ref] of [[{}, rows], [{ weights }, expanded]] as const) {
    const n = ref[0]!.length;
    const errs = modelErrorCounts(bits, opts);
    const both = pairBothWrongCounts(bits, opts);
    const phi = phiMatrix(bits, opts);
    const acc = accuracy(bits, opts);
    for (let a = 0; a < M; a++) {
      const ea = ref[a]!.reduce((s, v) => s + (1 - v), 0);
      assert.equal(errs[a], ea);
      assert.equal(both[a * M + a], ea);
      assert.ok(Math.abs(acc[a]! - (1 - ea / n)) < 1e-15);
      for (let b = 0; b < M; b++) {
        if (a === b) continue;
        let n11 = 0;
        let sa = 0;
        let sb = 0;
        let sab = 0;
        let saa = 0;
        let sbb = 0;
        for (let i = 0; i < n; i++) {
          const x = 1 - ref[a]![i]!;
          const y = 1 - ref[b]![i]!;
          n11 += x * y;
          sa += x;
          sb += y;
          sab += x * y;
          saa += x * x;
          sbb += y * y;
        }
        assert.equal(both[a * M + b], n11);
        assert.equal(bothWrongCount(bits, a, b, opts), n11);
        const pearson = (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
        assert.ok(Math.abs(phi[a * M + b]! - pearson) < 1e-12, "phi = Pearson r of the error indicators");
      }
    }
    let allWrong = 0;
    for (let i = 0; i < n; i++) if (ref.every((r) => r[i] === 0)) allWrong++;
    assert.equal(allWrongCount(bits, opts), allWrong);
    assert.ok(Math.abs(allWrongRate(bits, opts) - allWrong / n) < 1e-15);
    assert.ok(Math.abs(ceiling(bits, opts) - (1 - allWrong / n)) < 1e-15);
    assert.ok(Math.abs(headroom(bits, opts) - (1 - allWrong / n - Math.max(...acc))) < 1e-15);
  }
  // Weighted results equal the results on the explicitly replicated matrix.
  assert.deepEqual(pairBothWrongCounts(bits, { weights }), pairBothWrongCounts(bitsExpanded));
  assert.throws(() => modelErrorCounts(bits, { weights: packWeights([1, 2]) }), RangeError);
});

test("beta of subsets: AND over chosen bitsets, non-increasing as models are added", () => {
  const M = 12;
  const rows = simulate(M, 700, 5);
  const bits = packErrors(rows);
  const u = seededUniform(17);
  for (let trial = 0; trial < 20; trial++) {
    const order = Array.from({ length: M }, (_, m) => m).sort(() => u() - 0.5);
    const prefixes = allWrongRatePrefixes(bits, order);
    for (let k = 1; k <= M; k++) {
      const subset = order.slice(0, k);
      assert.equal(prefixes[k - 1], allWrongRate(bits, { models: subset }));
      if (k > 1) assert.ok(prefixes[k - 1]! <= prefixes[k - 2]!, "adding a model never raises beta");
    }
    assert.equal(prefixes[M - 1], allWrongRate(bits));
  }
  // Single model: beta is its error rate; empty pool: everything counts as all-wrong.
  assert.equal(allWrongRate(bits, { models: [3] }), 1 - accuracy(bits)[3]!);
  assert.equal(allWrongCount(bits, { models: [] }), 700);
  assert.equal(bitsetCount(bits.errors[0]!), modelErrorCounts(bits)[0]);
});

test("phiCoefficient and meanPairwiseRho", () => {
  assert.equal(phiCoefficient(10, 10, 10, 40), 1);
  assert.equal(phiCoefficient(0, 20, 20, 40), -1);
  assert.ok(Number.isNaN(phiCoefficient(0, 0, 5, 40)));
  const m = Float64Array.of(1, 0.2, 0.4, 0.2, 1, NaN, 0.4, NaN, 1);
  assert.ok(Math.abs(meanPairwiseRho(m, 3) - 0.3) < 1e-15);
});

test("weighted pair counts: item-repeated path (weights summing to ~N) and bit-plane path agree with a per-item loop", () => {
  const M = 9;
  const N = 333; // not a multiple of 32: tail bits
  const rows = simulate(M, N, 11);
  const bits = packErrors(rows);
  const u = seededUniform(12);
  const resample = new Array<number>(N).fill(0);
  for (let i = 0; i < N; i++) resample[Math.floor(u() * N)]!++; // a bootstrap draw: total N -> expanded path
  const heavy = resample.map((w, i) => (i === 7 ? 5000 : w)); // total >> N -> bit-plane path
  for (const weights of [resample, heavy, new Array<number>(N).fill(0)]) {
    const both = pairBothWrongCounts(bits, { weights: packWeights(weights) });
    for (let a = 0; a < M; a++) {
      for (let b = 0; b < M; b++) {
        let ref = 0;
        for (let i = 0; i < N; i++) if (rows[a]![i] === 0 && rows[b]![i] === 0) ref += weights[i]!;
        assert.equal(both[a * M + b], ref, `pair (${a}, ${b})`);
      }
    }
  }
});
