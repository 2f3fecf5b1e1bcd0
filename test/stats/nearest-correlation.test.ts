import { test } from "node:test";
import assert from "node:assert/strict";
import { symmetricEigen } from "../../stats/eigen.js";
import { nearestCorrelation } from "../../stats/nearest-correlation.js";
import { maxAbsDiff, reference, seededUniform } from "./core-fixtures.js";

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

const flatDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

/** Exactly symmetric, unit diagonal, entries in [-1, 1], and positive semi-definite up to rounding. */
function assertCorrelationMatrix(m: Float64Array, n: number, label: string): void {
  for (let i = 0; i < n; i++) {
    assert.equal(m[i * n + i], 1, `${label}: diagonal`);
    for (let j = 0; j < n; j++) {
      assert.equal(m[i * n + j], m[j * n + i], `${label}: symmetric`);
      assert.ok(Math.abs(m[i * n + j]!) <= 1 + 1e-12, `${label}: |r| <= 1`);
    }
  }
  const values = symmetricEigen(m, n).values;
  assert.ok(values[n - 1]! >= -1e-12, `${label}: min eigenvalue ${values[n - 1]}`);
}

test("Anderson-accelerated nearestCorrelation matches nearPD (<= 1e-6) and the plain path (<= 1e-7) in fewer iterations", () => {
  for (const c of reference().nearPD) {
    const n = c.n;
    const plain = nearestCorrelation(c.input.flat(), n);
    for (const m of [1, 3, 5]) {
      const res = nearestCorrelation(c.input.flat(), n, { accelerate: "anderson", andersonMemory: m });
      const label = `${c.label}, m = ${m}`;
      assert.ok(res.converged, label);
      assert.ok(maxAbsDiff(res.matrix, c.mat) <= 1e-6, `${label}: max |ours - nearPD| = ${maxAbsDiff(res.matrix, c.mat)}`);
      assert.ok(flatDiff(res.matrix, plain.matrix) <= 1e-7, `${label}: vs plain ${flatDiff(res.matrix, plain.matrix)}`);
      assert.ok(res.iterations <= plain.iterations, `${label}: ${res.iterations} vs plain ${plain.iterations} iterations`);
      assert.equal(res.minEigenBefore, plain.minEigenBefore);
      assert.ok(Math.abs(res.minEigenAfter - c.minEigenAfter) < 1e-9);
      assert.ok(Math.abs(res.normF - c.normF) < 1e-6);
      assertCorrelationMatrix(res.matrix, n, label);
    }
  }
});

/**
 * Tetrachoric-like test matrices: a one-factor correlation (loadings 0.3-0.9) plus uniform noise of the given
 * amplitude on every pair, clipped to [-0.99, 0.99] — not PSD, like the pairwise estimates of a resample.
 */
function noisyOneFactor(n: number, noise: number, seed: number): Float64Array {
  const u = seededUniform(seed);
  const l = Array.from({ length: n }, () => 0.3 + 0.6 * u());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = Math.max(-0.99, Math.min(0.99, l[i]! * l[j]! + noise * (2 * u() - 1)));
  }
  return a;
}

test("accelerated and plain paths reach the same nearest correlation matrix on random non-PD matrices", () => {
  let mostNegative = 0;
  for (const [n, noise, seeds] of [[67, 0.06, 2], [67, 0.12, 3], [67, 0.3, 1], [30, 0.5, 2], [10, 0.8, 2], [3, 1.2, 2]] as const) {
    for (let s = 1; s <= seeds; s++) {
      const a = noisyOneFactor(n, noise, 1000 * n + 10 * s + Math.round(100 * noise));
      const plain = nearestCorrelation(a, n);
      // The limit itself: the plain iteration run far past nearPD's tolerance.
      const limit = nearestCorrelation(a, n, { convTol: 1e-12, maxIterations: 5000 });
      assert.ok(plain.converged && limit.converged);
      assert.ok(plain.minEigenBefore < 0, `n ${n} noise ${noise}: input is not PSD`);
      mostNegative = Math.min(mostNegative, plain.minEigenBefore);
      for (const m of [2, 5]) {
        const label = `n ${n}, noise ${noise}, seed ${s}, m ${m} (min eigenvalue ${plain.minEigenBefore.toFixed(3)})`;
        const res = nearestCorrelation(a, n, { accelerate: "anderson", andersonMemory: m });
        assert.ok(res.converged, label);
        assert.ok(flatDiff(res.matrix, plain.matrix) <= 1e-6, `${label}: vs plain ${flatDiff(res.matrix, plain.matrix)}`);
        assert.ok(flatDiff(res.matrix, limit.matrix) <= 1e-6, `${label}: vs limit ${flatDiff(res.matrix, limit.matrix)}`);
        assert.ok(res.iterations < plain.iterations, `${label}: ${res.iterations} vs plain ${plain.iterations} iterations`);
        assert.ok(res.minEigenAfter > 0, label);
        assertCorrelationMatrix(res.matrix, n, label);
      }
      assertCorrelationMatrix(plain.matrix, n, `plain n ${n}`);
    }
  }
  assert.ok(mostNegative <= -0.6, `the hardest case has min eigenvalue ${mostNegative}`);
});

test("accelerated path: a valid correlation matrix is left (nearly) unchanged", () => {
  const n = 5;
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] = i === j ? 1 : 0.3;
  const res = nearestCorrelation(r, n, { accelerate: "anderson" });
  assert.equal(res.iterations, 1);
  assert.ok(res.converged);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(res.matrix[i]! - r[i]!) < 1e-12);
});

test("anderson warm start from a nearby problem's diagonal: same matrix, no more iterations", () => {
  const u = seededUniform(20261128);
  const n = 40;
  // One factor plus large symmetric noise: not positive semidefinite.
  const lam = Array.from({ length: n }, () => 0.3 + 0.6 * u());
  const base = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const v = i === j ? 1 : Math.max(-0.99, Math.min(0.99, lam[i]! * lam[j]! + 0.5 * (u() - 0.5)));
    base[i * n + j] = base[j * n + i] = v;
  }
  const point = nearestCorrelation(base, n, { accelerate: "anderson" });
  assert.ok(point.minEigenBefore < -0.05, `test matrix should be clearly non-PSD, min eigenvalue ${point.minEigenBefore}`);
  assert.equal(point.diagonal?.length, n);
  // A nearby problem, as a bootstrap replicate is.
  const near = Float64Array.from(base);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const v = Math.max(-0.99, Math.min(0.99, base[i * n + j]! + 0.02 * (u() - 0.5)));
    near[i * n + j] = near[j * n + i] = v;
  }
  const cold = nearestCorrelation(near, n, { accelerate: "anderson" });
  const warm = nearestCorrelation(near, n, { accelerate: "anderson", initialDiagonal: point.diagonal, diagnostics: false });
  assert.ok(warm.converged);
  let diff = 0;
  for (let i = 0; i < n * n; i++) diff = Math.max(diff, Math.abs(warm.matrix[i]! - cold.matrix[i]!));
  assert.ok(diff <= 1e-6, `warm vs cold max diff ${diff}`);
  assert.ok(warm.iterations <= cold.iterations, `warm ${warm.iterations} vs cold ${cold.iterations} iterations`);
  assert.ok(Number.isNaN(warm.minEigenAfter), "diagnostics: false skips the eigenvalue report");
  assert.throws(() => nearestCorrelation(near, n, { initialDiagonal: point.diagonal }), /needs accelerate/);
});

test("anderson's diagonal preconditioner: nearPD's matrix in fewer eigendecompositions than the plain Anderson map", () => {
  let withSteps = 0, withoutSteps = 0;
  for (const c of reference().nearPD) {
    const n = c.n;
    const pre = nearestCorrelation(c.input.flat(), n, { accelerate: "anderson" });
    const plain = nearestCorrelation(c.input.flat(), n, { accelerate: "anderson", precondition: false });
    assert.ok(pre.converged && plain.converged, c.label);
    assert.ok(maxAbsDiff(pre.matrix, c.mat) <= 1e-6, `${c.label}: preconditioned vs nearPD ${maxAbsDiff(pre.matrix, c.mat)}`);
    let diff = 0;
    for (let i = 0; i < n * n; i++) diff = Math.max(diff, Math.abs(pre.matrix[i]! - plain.matrix[i]!));
    assert.ok(diff <= 1e-6, `${c.label}: preconditioned vs plain Anderson ${diff}`);
    withSteps += pre.iterations;
    withoutSteps += plain.iterations;
  }
  assert.ok(withSteps < withoutSteps, `preconditioned ${withSteps} iterations against ${withoutSteps}`);
});
