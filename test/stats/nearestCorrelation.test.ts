import { test } from "node:test";
import assert from "node:assert/strict";
import { symmetricEigen } from "../../stats/eigen.js";
import { nearestCorrelation } from "../../stats/nearestCorrelation.js";
import { maxAbsDiff, reference, seededUniform } from "./coreFixtures.js";

function randomSymmetric(n: number, seed: number): Float64Array {
  const u = seededUniform(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = u() * 2 - 1;
  return a;
}

test("symmetricEigen: A = V diag(d) V', V orthonormal, values decreasing", () => {
  for (const n of [1, 2, 3, 10, 67]) {
    const a = randomSymmetric(n, n);
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) assert.ok(values[j - 1]! >= values[j]!);
    let trace = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      trace += a[i * n + i]!;
      sum += values[i]!;
      for (let j = 0; j < n; j++) {
        let rec = 0;
        let orth = 0;
        for (let k = 0; k < n; k++) {
          rec += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
          orth += vectors[k * n + i]! * vectors[k * n + j]!;
        }
        assert.ok(Math.abs(rec - a[i * n + j]!) < 1e-12, `reconstruction n=${n}`);
        assert.ok(Math.abs(orth - (i === j ? 1 : 0)) < 1e-12, `orthonormal n=${n}`);
      }
    }
    assert.ok(Math.abs(trace - sum) < 1e-12);
  }
  // Repeated eigenvalues (identity, and a rank-one update of it).
  const id = symmetricEigen(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 3);
  assert.deepEqual(Array.from(id.values), [1, 1, 1]);
  const ones = symmetricEigen(new Float64Array(16).fill(1), 4);
  assert.ok(Math.abs(ones.values[0]! - 4) < 1e-14 && Math.abs(ones.values[3]!) < 1e-14);
});

test("nearestCorrelation matches Matrix::nearPD(x, corr = TRUE) to <= 1e-6 (incl. the 67-model tetrachoric matrix)", () => {
  for (const c of reference().nearPD) {
    const n = c.n;
    const res = nearestCorrelation(c.input.flat(), n);
    const d = maxAbsDiff(res.matrix, c.mat);
    assert.ok(d <= 1e-6, `${c.label}: max |ours - nearPD| = ${d}`);
    assert.equal(res.iterations, c.iterations, `${c.label}: iterations`);
    assert.equal(res.converged, c.converged);
    assert.ok(Math.abs(res.minEigenBefore - c.minEigenBefore) < 1e-10);
    assert.ok(res.minEigenBefore < 0, "the reference inputs are not PSD");
    assert.ok(Math.abs(res.minEigenAfter - c.minEigenAfter) < 1e-9);
    assert.ok(res.minEigenAfter > 0);
    assert.ok(Math.abs(res.normF - c.normF) < 1e-6);
    for (let i = 0; i < n; i++) {
      assert.equal(res.matrix[i * n + i], 1);
      for (let j = 0; j < n; j++) assert.equal(res.matrix[i * n + j], res.matrix[j * n + i]);
    }
  }
});

test("nearestCorrelation leaves a valid correlation matrix (nearly) unchanged", () => {
  const n = 5;
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] = i === j ? 1 : 0.3;
  const res = nearestCorrelation(r, n);
  assert.equal(res.iterations, 1);
  assert.ok(res.converged);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(res.matrix[i]! - r[i]!) < 1e-12);
});
